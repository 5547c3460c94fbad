// SigV4 on the data plane: which IAM caller signed a request, verified as the execute-api service
// verifies it, with its refusals as API Gateway answers them.
import { readBody } from '../../../dataplane/body.js';
import type { RequestContext } from '../../../dataplane/context.js';
import { GatewayError } from '../../../dataplane/gateway-responses.js';
import { INVALID_SECURITY_TOKEN, verifyRequest, type RejectedRequest } from '../../../sigv4/index.js';
import type { IamCaller, IamCallers } from './callers.js';

/**
 * execute-api allows five minutes of clock skew, not the fifteen of most AWS APIs: its refusals
 * read `Signature expired: … (… - 5 min.)`.
 */
export const EXECUTE_API_MAX_SKEW_MS = 5 * 60_000;

const EMPTY = Buffer.alloc(0);

export interface AuthenticateOptions {
  /** HTTP APIs answer an unsigned request with 403 Forbidden, REST APIs with Missing Authentication Token. */
  protocol: 'REST' | 'HTTP';
}

/** The caller that signed the request, or the GatewayError API Gateway answers instead. */
export async function authenticate(
  ctx: RequestContext,
  callers: IamCallers,
  options: AuthenticateOptions,
): Promise<IamCaller> {
  const outcome = await verify(ctx, callers);
  if ('refusal' in outcome) throw refusalOf(outcome.refusal, options.protocol);
  ctx.iamIdentity = outcome.caller.identity;
  return outcome.caller;
}

/**
 * The caller when the request carries a valid signature of a known caller, else undefined, never
 * a refusal: for checks a method makes of a signature it does not require.
 */
export async function optionalCaller(
  ctx: RequestContext,
  callers: IamCallers,
): Promise<IamCaller | undefined> {
  if (!isSigned(ctx)) return undefined;
  try {
    const outcome = await verify(ctx, callers);
    return 'caller' in outcome ? outcome.caller : undefined;
  } catch {
    // A body that cannot be read cannot have been signed.
    return undefined;
  }
}

type Outcome = { caller: IamCaller } | { refusal: RejectedRequest };

async function verify(ctx: RequestContext, callers: IamCallers): Promise<Outcome> {
  const headers = ctx.req.headersDistinct;
  const result = await verifyRequest(
    {
      method: ctx.req.method ?? ctx.method,
      // Signed as the client sent it: the path style, a custom domain's base path and all.
      path: ctx.req.url ?? '/',
      headers,
      body: await signedBody(ctx),
    },
    callers.secretOf,
    { service: 'execute-api', maxSkewMs: EXECUTE_API_MAX_SKEW_MS },
  );
  if (!result.ok) return { refusal: result };
  const caller = callers.callerOf(result.accessKeyId);
  // Callers hold long-term keys only: a session token cannot belong to one of them.
  if (caller === undefined || result.sessionToken !== undefined) {
    return {
      refusal: {
        ok: false,
        status: 403,
        errorType: 'UnrecognizedClientException',
        message: INVALID_SECURITY_TOKEN,
      },
    };
  }
  return { caller };
}

function isSigned(ctx: RequestContext): boolean {
  const authorization = ctx.req.headers.authorization;
  return authorization !== undefined && authorization.trimStart().startsWith('AWS4-');
}

/**
 * The bytes the signature covers: the body as it came on the wire (before Content-Encoding is
 * decoded). Unsigned requests, and requests whose signed x-amz-content-sha256 is
 * UNSIGNED-PAYLOAD, need no body, so theirs is not read and a proxy route still streams it.
 */
async function signedBody(ctx: RequestContext): Promise<Buffer> {
  const authorization = ctx.req.headers.authorization;
  if (authorization === undefined || authorization.trim() === '') return EMPTY;
  if (ctx.req.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD') {
    const signedHeaders = /SignedHeaders=([^,\s]*)/.exec(authorization)?.[1] ?? '';
    if (signedHeaders.toLowerCase().split(';').includes('x-amz-content-sha256')) return EMPTY;
  }
  try {
    await readBody(ctx);
  } catch (error) {
    // A body that arrived whole but cannot be decoded is still judged by its signature first;
    // its decoding error reaches the client when a later step reads it.
    if (ctx.rawBodyBuffer === undefined) throw error;
  }
  return ctx.rawBodyBuffer ?? EMPTY;
}

/**
 * API Gateway's answers (its 403 troubleshooting guide): an unsigned request is
 * MISSING_AUTHENTICATION_TOKEN; an unknown access key `The security token included in the
 * request is invalid.` with AccessDeniedException; a malformed, mismatched or expired signature
 * INVALID_SIGNATURE with the verifier's message. The catalogue has no type whose
 * x-amzn-ErrorType is IncompleteSignatureException, so a malformed Authorization header is
 * INVALID_SIGNATURE too (docs/differences.md).
 */
function refusalOf(refusal: RejectedRequest, protocol: 'REST' | 'HTTP'): GatewayError {
  switch (refusal.errorType) {
    case 'MissingAuthenticationTokenException':
      return protocol === 'REST'
        ? new GatewayError('MISSING_AUTHENTICATION_TOKEN')
        : new GatewayError('ACCESS_DENIED', 'Forbidden');
    case 'UnrecognizedClientException':
      return new GatewayError('ACCESS_DENIED', refusal.message);
    case 'IncompleteSignatureException':
    case 'InvalidSignatureException':
      return new GatewayError('INVALID_SIGNATURE', refusal.message);
  }
}
