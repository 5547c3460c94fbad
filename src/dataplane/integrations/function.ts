// AWS_PROXY and AWS integrations: the method request becomes a Lambda event (proxy) or the
// mapped body (non-proxy), a function runtime runs it, and its result becomes the method
// response as API Gateway shapes it.
import type { FunctionResult, FunctionRuntime } from '../../functions/runtime.js';
import { FunctionInvokeError } from '../../functions/runtime.js';
import type { IntegrationResponseSelector } from '../../features/mapping/integration-responses.js';
import type { RequestMapping } from '../../features/mapping/request-mapping.js';
import { readBody } from '../body.js';
import type { MethodResponse, RequestContext } from '../context.js';
import { GatewayError } from '../gateway-responses.js';
import type { Integration } from './http-proxy.js';

export interface FunctionCall {
  runtime: FunctionRuntime;
  functionName: string;
  timeoutMs: number;
}

/** Invokes under the integration timeout; a runtime that cannot run the function is a 500. */
export async function invokeFunction(
  call: FunctionCall,
  ctx: RequestContext,
  event: Buffer,
): Promise<FunctionResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError('INTEGRATION_TIMEOUT')), call.timeoutMs);
  });
  try {
    return await Promise.race([
      call.runtime.invoke(call.functionName, event, { requestId: ctx.requestId }),
      timeout,
    ]);
  } catch (error) {
    // Throttled, missing or unreachable functions: AWS answers these with a 500.
    if (error instanceof FunctionInvokeError) throw new GatewayError('API_CONFIGURATION_ERROR');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export interface ProxySpec extends FunctionCall {
  event: (ctx: RequestContext, body: Buffer) => Record<string, unknown>;
  response: (payload: Buffer, ctx: RequestContext) => MethodResponse;
  /** What a function error answers: REST 502 "Internal server error", HTTP APIs 500. */
  functionError: () => GatewayError;
}

export function lambdaProxyIntegration(spec: ProxySpec): Integration {
  return async (ctx) => {
    const body = await readBody(ctx);
    const event = Buffer.from(JSON.stringify(spec.event(ctx, body)));
    const result = await invokeFunction(spec, ctx, event);
    if (result.functionError) throw spec.functionError();
    return spec.response(result.payload, ctx);
  };
}

export interface NonProxySpec extends FunctionCall {
  requestMapping: RequestMapping | null;
  select: IntegrationResponseSelector;
}

/**
 * AWS (non-proxy): the event is the mapped body; a function error's errorMessage selects the
 * integration response, as selectionPattern is matched against it. A successful result takes
 * the default response.
 */
export function lambdaIntegration(spec: NonProxySpec): Integration {
  return async (ctx) => {
    let event: Buffer;
    if (spec.requestMapping) {
      const mapped = await spec.requestMapping(ctx);
      event = Buffer.isBuffer(mapped.body) ? mapped.body : await readBody(ctx);
    } else {
      event = await readBody(ctx);
    }
    if (event.length === 0) event = Buffer.from('{}');
    const result = await invokeFunction(spec, ctx, event);
    const selector = result.functionError ? errorMessageOf(result.payload) : undefined;
    return spec.select(selector).render(ctx, { body: result.payload, headers: {} });
  };
}

function errorMessageOf(payload: Buffer): string {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '';
  } catch {
    return '';
  }
}
