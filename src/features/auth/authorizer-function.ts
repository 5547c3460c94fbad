// The Lambda function behind an authorizer: found at deploy time from the authorizer's
// invocation ARN (a name no runtime serves stops the deploy of the route), invoked per request
// under the authorizer timeout. A function that cannot be run, or does not answer in time, is
// AUTHORIZER_CONFIGURATION_ERROR: AWS answers 500 `{"message": null}` for both.
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { substituteStageVariables } from '../../dataplane/integrations/endpoint.js';
import { functionTargetOf } from '../../dataplane/integrations/lambda-arn.js';
import { FunctionInvokeError } from '../../functions/runtime.js';
import type { AuthorizerFunctionResult } from './authorizer-result.js';
import { DEFAULT_AUTHORIZER_TIMEOUT_MS, type AuthDeps } from './deps.js';
import { AuthConfigurationError } from './errors.js';

export interface AuthorizerFunction {
  functionName: string;
  invoke(ctx: RequestContext, event: unknown): Promise<AuthorizerFunctionResult>;
}

export function compileAuthorizerFunction(
  label: string,
  authorizerUri: string | undefined,
  deps: AuthDeps,
): AuthorizerFunction {
  if (authorizerUri === undefined || authorizerUri === '') {
    throw new AuthConfigurationError(`authorizer "${label}" has no authorizerUri naming its function`);
  }
  let functionName: string;
  try {
    functionName = functionTargetOf(substituteStageVariables(authorizerUri, deps.stageVariables)).name;
  } catch (error) {
    throw new AuthConfigurationError(`authorizer "${label}": ${(error as Error).message}`);
  }
  const runtime = deps.functions;
  if (runtime === undefined) {
    throw new AuthConfigurationError(
      `authorizer "${label}" calls function "${functionName}", but no function runtime is configured: ` +
        'start gatehouse with --config (docs/configuration.md)',
    );
  }
  if (!runtime.has(functionName)) {
    throw new AuthConfigurationError(
      `authorizer "${label}" calls function "${functionName}", which no runtime serves: ` +
        'add it under "functions" in the configuration file',
    );
  }
  const timeoutMs = deps.authorizerTimeoutMs ?? DEFAULT_AUTHORIZER_TIMEOUT_MS;

  return {
    functionName,
    async invoke(ctx, event) {
      const payload = Buffer.from(JSON.stringify(event));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              configurationError(new Error(`authorizer "${label}" did not answer within ${timeoutMs} ms`)),
            ),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([
          runtime.invoke(functionName, payload, { requestId: ctx.requestId }),
          timeout,
        ]);
      } catch (error) {
        if (error instanceof FunctionInvokeError) throw configurationError(error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The cause stays for the operator's logs; clients see AWS's null message. */
function configurationError(cause: Error): GatewayError {
  const error = new GatewayError('AUTHORIZER_CONFIGURATION_ERROR');
  error.cause = cause;
  return error;
}
