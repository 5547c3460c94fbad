// Runs functions through the Lambda Invoke API: AWS Lambda itself, or anything that speaks it
// (the Lambda Runtime Interface Emulator, LocalStack). One keep-alive pool serves every function,
// because every invocation goes to the same endpoint.
import { Pool } from 'undici';
import { signRequest, type SigningCredentials } from '../../sigv4/index.js';
import {
  FunctionInvokeError,
  type FunctionResult,
  type FunctionRuntime,
  type InvokeOptions,
} from '../runtime.js';

export interface LambdaFunctionTarget {
  /** Name, partial ARN or full ARN, as Lambda's Invoke API accepts it. */
  functionName: string;
  /** Version or alias. */
  qualifier?: string;
}

export interface LambdaInvokeRuntimeOptions {
  /** `https://lambda.us-east-1.amazonaws.com`, or `http://127.0.0.1:9001` for the emulator. */
  endpoint: string;
  region: string;
  /** Without credentials requests go unsigned, as the Runtime Interface Emulator expects. */
  credentials?: SigningCredentials;
  /** The names Gatehouse uses for functions, mapped to the Lambda functions they invoke. */
  functions: Record<string, LambdaFunctionTarget>;
  /** Deadline for one invocation, from sending the request to the last byte of the answer. */
  timeoutMs?: number;
  /** Most connections kept open to the endpoint. */
  connections?: number;
}

/**
 * Just above API Gateway's default 29 s integration timeout, so that the integration's own
 * deadline (and its 504) wins; this one only stops invocations nobody is waiting for.
 */
export const DEFAULT_LAMBDA_TIMEOUT_MS = 30_000;

// Lambda's API error bodies, e.g. {"Type":"User","message":"Rate Exceeded."}.
interface LambdaErrorBody {
  message?: unknown;
  Message?: unknown;
}

interface Target {
  functionName: string;
  url: string;
  path: string;
}

export class LambdaInvokeRuntime implements FunctionRuntime {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly host: string;
  private readonly targets = new Map<string, Target>();
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly options: LambdaInvokeRuntimeOptions) {
    const endpoint = new URL(options.endpoint);
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new Error(`Lambda endpoint must be an http or https URL, got ${options.endpoint}`);
    }
    this.origin = endpoint.origin;
    this.host = endpoint.host;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_LAMBDA_TIMEOUT_MS;
    const basePath = endpoint.pathname.replace(/\/+$/, '');
    for (const [name, target] of Object.entries(options.functions)) {
      const path =
        `${basePath}/2015-03-31/functions/${encodeURIComponent(target.functionName)}/invocations` +
        (target.qualifier ? `?Qualifier=${encodeURIComponent(target.qualifier)}` : '');
      this.targets.set(name, { functionName: target.functionName, url: `${this.origin}${path}`, path });
    }
    this.pool = new Pool(this.origin, {
      connections: options.connections ?? 128,
      keepAliveTimeout: 10_000,
      // The invocation deadline below covers headers and body together.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  has(functionName: string): boolean {
    return this.targets.has(functionName);
  }

  async invoke(functionName: string, event: Buffer, _options: InvokeOptions): Promise<FunctionResult> {
    const target = this.targets.get(functionName);
    if (!target) {
      throw new FunctionInvokeError(
        `Function ${functionName} is not configured for the Lambda runtime`,
        'not-found',
      );
    }
    const headers: Record<string, string> = {
      host: this.host,
      'content-type': 'application/json',
      'x-amz-invocation-type': 'RequestResponse',
    };
    const { credentials, region } = this.options;
    if (credentials) {
      const signature = await signRequest(
        { method: 'POST', url: target.url, headers, body: event },
        credentials,
        { service: 'lambda', region },
      );
      Object.assign(headers, signature);
    }

    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, this.timeoutMs);
    try {
      const response = await this.pool.request({
        method: 'POST',
        path: target.path,
        headers,
        body: event,
        signal: deadline.signal,
      });
      const payload = Buffer.from(await response.body.arrayBuffer());
      const { statusCode } = response;
      if (statusCode >= 200 && statusCode < 300) {
        const functionError = response.headers['x-amz-function-error'];
        if (functionError === undefined || functionError === '') return { payload };
        return { payload, functionError: functionError === 'Handled' ? 'Handled' : 'Unhandled' };
      }
      throw this.apiError(target.functionName, statusCode, response.headers['x-amzn-errortype'], payload);
    } catch (error) {
      if (error instanceof FunctionInvokeError) throw error;
      if (timedOut) {
        throw new FunctionInvokeError(
          `Lambda did not answer the invocation of ${target.functionName} within ${this.timeoutMs} ms`,
          'unavailable',
        );
      }
      throw new FunctionInvokeError(
        `Could not invoke ${target.functionName} at ${this.origin}: ${describeNetworkError(error)}`,
        'unavailable',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }

  private apiError(
    functionName: string,
    status: number,
    errorTypeHeader: string | string[] | undefined,
    payload: Buffer,
  ): FunctionInvokeError {
    // Lambda appends a documentation URL after a colon: `ResourceNotFoundException:http://…`.
    const errorType = (Array.isArray(errorTypeHeader) ? errorTypeHeader[0] : errorTypeHeader)?.split(':')[0];
    const detail = this.redact(errorMessage(payload));
    const what = [errorType, detail].filter(Boolean).join(': ');
    const suffix = what ? ` (${what})` : '';
    if (status === 429) {
      return new FunctionInvokeError(
        `Lambda throttled the invocation of ${functionName}${suffix}`,
        'throttled',
      );
    }
    if (status === 404) {
      return new FunctionInvokeError(`Lambda function ${functionName} was not found${suffix}`, 'not-found');
    }
    return new FunctionInvokeError(
      `Lambda answered ${status} to the invocation of ${functionName}${suffix}`,
      'unavailable',
    );
  }

  /** A signature error may quote the canonical request, which carries the session token. */
  private redact(text: string): string {
    const { credentials } = this.options;
    let safe = text;
    for (const secret of [credentials?.secretAccessKey, credentials?.sessionToken]) {
      if (secret) safe = safe.replaceAll(secret, '[redacted]');
    }
    return safe;
  }
}

function errorMessage(payload: Buffer): string {
  let message: unknown;
  try {
    const body = JSON.parse(payload.toString('utf8')) as LambdaErrorBody | null;
    message = body?.message ?? body?.Message;
  } catch {
    message = payload.toString('utf8');
  }
  if (typeof message !== 'string') return '';
  // AWS follows a signature mismatch with the canonical request on later lines; the first
  // line says what went wrong.
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
