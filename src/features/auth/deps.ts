// What the authorization steps of one stage share: the function runtime, the stage's authorizer
// cache, the stage's identity, and what has already been compiled for the stage (an authorizer
// used by many methods is compiled once, so its cache entries, key set and verified tokens are
// shared by all of them).
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { RequestContext } from '../../dataplane/context.js';
import type { FunctionRuntime } from '../../functions/runtime.js';
import type { AuthorizerCache } from './authorizer-cache.js';
import type { IamCallers } from './iam/callers.js';

export interface AuthDeps {
  /** The runtime that serves Lambda authorizer functions; undefined when none is configured. */
  functions: FunctionRuntime | undefined;
  /** The stage's authorizer result cache. */
  cache: AuthorizerCache<unknown>;
  region: string;
  accountId: string;
  stageName: string;
  stageVariables: Readonly<Record<string, string>>;
  apiId: string;
  /** How long an authorizer function may take before the request fails with a 500. Default 10,000. */
  authorizerTimeoutMs?: number;
  /**
   * Where Cognito user pool issuers live, for a self-hosted Cognito-compatible identity provider
   * (see cognito.ts). Default: AWS's `https://cognito-idp.{region}.amazonaws.com`.
   */
  cognitoIssuerBase?: string;
  /** The IAM callers that may sign requests (AWS_IAM authorization, cache invalidation); none when absent. */
  iamCallers?: IamCallers;
}

/** AWS's limit for a Lambda authorizer's answer (documented for HTTP APIs). */
export const DEFAULT_AUTHORIZER_TIMEOUT_MS = 10_000;

// One memo per stage: the compiler passes the same AuthDeps object for every route of a stage.
const memos = new WeakMap<AuthDeps, Map<string, unknown>>();

/** Compiles once per stage and key; a compile error is remembered and thrown again, naming the same cause. */
export function memoized<T>(deps: AuthDeps, key: string, compile: () => T): T {
  let memo = memos.get(deps);
  if (memo === undefined) memos.set(deps, (memo = new Map<string, unknown>()));
  const found = memo.get(key) as { value: T } | { error: unknown } | undefined;
  if (found !== undefined) {
    if ('error' in found) throw found.error;
    return found.value;
  }
  try {
    const value = compile();
    memo.set(key, { value });
    return value;
  } catch (error) {
    memo.set(key, { error });
    throw error;
  }
}

/**
 * Method ARNs of the stage's requests: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`
 * with the request's own verb and path (the root is `/GET/`), and the same ARN with the account
 * masked to its last four digits, as AWS writes it in resource policy refusals.
 */
/** AWS authorizes method ARNs of up to 1600 bytes and answers 414 for longer ones. */
export const MAX_METHOD_ARN_BYTES = 1600;

export interface StageArns {
  of(ctx: RequestContext): string;
  masked(arn: string): string;
}

export function stageArns(deps: AuthDeps): StageArns {
  const tail = `:${deps.apiId}/${deps.stageName}/`;
  const prefix = `arn:aws:execute-api:${deps.region}:${deps.accountId}${tail}`;
  const maskedPrefix = `arn:aws:execute-api:${deps.region}:********${deps.accountId.slice(-4)}${tail}`;
  return {
    of: (ctx) => {
      const arn = `${prefix}${ctx.method}/${ctx.path.slice(1)}`;
      // Only a path with many multi-byte characters needs the byte count.
      if (
        arn.length > MAX_METHOD_ARN_BYTES ||
        (arn.length * 3 > MAX_METHOD_ARN_BYTES && Buffer.byteLength(arn) > MAX_METHOD_ARN_BYTES)
      ) {
        throw new GatewayError('REQUEST_TOO_LARGE', 'Request-URI Too Long', undefined, 414);
      }
      return arn;
    },
    masked: (arn) => (arn.startsWith(prefix) ? maskedPrefix + arn.slice(prefix.length) : arn),
  };
}
