// AWS_IAM authorization: one request step per REST method or HTTP API route, and the check the
// stage cache makes before honouring `Cache-Control: max-age=0`.
//
// A REST method judges the caller by its identity policy and the API's resource policy together,
// as IAM combines them: within the API's account either policy's Allow suffices (Table A), for a
// caller of another account both must allow (Table B), and an explicit Deny in either wins. HTTP
// APIs have no resource policies, so the identity policy decides alone.
import type { RequestStep } from '../../../dataplane/compiled-stage.js';
import type { RequestContext } from '../../../dataplane/context.js';
import { GatewayError } from '../../../dataplane/gateway-responses.js';
import type { RestApi } from '../../../model/rest-api.js';
import { memoized, stageArns, type AuthDeps } from '../deps.js';
import { AuthConfigurationError } from '../errors.js';
import { PolicyError, type ConditionValues, type PolicyDecision } from '../policy.js';
import type { ResourcePolicy } from '../resource-policy.js';
import { authenticate, optionalCaller } from './authenticate.js';
import { IamCallers, type IamCaller } from './callers.js';
import { compileResourcePolicyForCaller } from './resource-policy-for-caller.js';

const NO_CALLERS = new IamCallers();

/**
 * The step for a REST method with authorization AWS_IAM. The API's resource policy must already
 * have compiled (compileResourcePolicy), which validates it. Without configured callers every
 * signed request is refused as coming from an unknown key.
 */
export function compileRestIamAuthorization(api: RestApi, deps: AuthDeps): RequestStep {
  const callers = deps.iamCallers ?? NO_CALLERS;
  const arns = memoized(deps, 'arns', () => stageArns(deps));
  const policies = memoized(deps, 'iam-resource-policies', () => resourcePoliciesOf(api, deps, callers));
  const apiAccount = deps.accountId;
  return async (ctx) => {
    const caller = await authenticate(ctx, callers, { protocol: 'REST' });
    const arn = arns.of(ctx);
    const identity = identityDecision(caller, arn, ctx);
    const resource = policies?.get(caller)?.({ arn, sourceIp: ctx.sourceIp, principal: caller.conditions });
    enforce(caller, identity, resource, apiAccount, arns.masked(arn));
    return undefined;
  };
}

/**
 * The step for an HTTP API route with authorization AWS_IAM. A payload 2.0 integration finds
 * the caller in `requestContext.authorizer.iam`; both formats show it in `requestContext.identity`
 * (1.0) and `$context.identity.*`.
 */
export function compileHttpIamAuthorization(deps: AuthDeps, format: '1.0' | '2.0'): RequestStep {
  const callers = deps.iamCallers ?? NO_CALLERS;
  const arns = memoized(deps, 'arns', () => stageArns(deps));
  const apiAccount = deps.accountId;
  return async (ctx) => {
    const caller = await authenticate(ctx, callers, { protocol: 'HTTP' });
    if (format === '2.0') ctx.authorizer = caller.httpAuthorizer;
    const arn = arns.of(ctx);
    enforce(caller, identityDecision(caller, arn, ctx), undefined, apiAccount, arns.masked(arn));
    return undefined;
  };
}

/** Answers whether the request's caller may invalidate a cache entry with `Cache-Control: max-age=0`. */
export type CacheInvalidationCheck = (ctx: RequestContext) => boolean | Promise<boolean>;

/**
 * The check the stage cache makes when a method requires authorization for cache control:
 * the caller's identity policy must allow `execute-api:InvalidateCache` on the method ARN (a
 * caller without a policy may). On an AWS_IAM method the caller is already known; on any other
 * method a SigV4 signature the request carries is verified for this purpose alone, and a
 * missing or invalid one leaves the caller unauthorized without refusing the request. Undefined
 * when no callers are configured: then nobody is authorized.
 */
export function compileCacheInvalidationCheck(deps: AuthDeps): CacheInvalidationCheck | undefined {
  const callers = deps.iamCallers;
  if (callers === undefined || callers.size === 0) return undefined;
  const arns = memoized(deps, 'arns', () => stageArns(deps));
  const allowed = (ctx: RequestContext, caller: IamCaller | undefined): boolean =>
    caller !== undefined &&
    (caller.invalidateCache === null ||
      caller.invalidateCache.evaluate(arns.of(ctx), conditionsOf(ctx, caller)) === 'allow');
  return (ctx) => {
    const known = ctx.iamIdentity && callers.callerOf(ctx.iamIdentity.accessKey);
    if (known) return allowed(ctx, known);
    if (ctx.req.headers.authorization === undefined) return false;
    return optionalCaller(ctx, callers).then((caller) => allowed(ctx, caller));
  };
}

function identityDecision(caller: IamCaller, arn: string, ctx: RequestContext): PolicyDecision {
  return caller.invoke === null ? 'allow' : caller.invoke.evaluate(arn, conditionsOf(ctx, caller));
}

function conditionsOf(ctx: RequestContext, caller: IamCaller): ConditionValues {
  return {
    ...caller.conditions,
    'aws:sourceip': ctx.sourceIp,
    'aws:securetransport': 'encrypted' in ctx.req.socket && ctx.req.socket.encrypted ? 'true' : 'false',
  };
}

const NO_IDENTITY_ALLOW = 'because no identity-based policy allows the execute-api:Invoke action';
const NO_RESOURCE_ALLOW = 'because no resource-based policy allows the execute-api:Invoke action';

/**
 * Refuses in IAM's words, naming the caller and the method ARN with its account masked
 * (`User: arn:aws:iam::000000000000:user/ci-bot is not authorized to perform:
 * execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:… because no
 * identity-based policy allows the execute-api:Invoke action`).
 */
function enforce(
  caller: IamCaller,
  identity: PolicyDecision,
  resource: PolicyDecision | undefined,
  apiAccount: string,
  maskedArn: string,
): void {
  let reason: string | undefined;
  if (identity === 'deny') reason = 'with an explicit deny in an identity-based policy';
  else if (resource === 'deny') reason = 'with an explicit deny in a resource-based policy';
  else if (caller.accountId === apiAccount) {
    if (identity !== 'allow' && resource !== 'allow') reason = NO_IDENTITY_ALLOW;
  } else if (resource !== 'allow') reason = NO_RESOURCE_ALLOW;
  else if (identity !== 'allow') reason = NO_IDENTITY_ALLOW;
  if (reason === undefined) return;
  throw new GatewayError(
    'ACCESS_DENIED',
    `User: ${caller.arn} is not authorized to perform: execute-api:Invoke on resource: ${maskedArn} ${reason}`,
  );
}

/** The API's resource policy as each caller sees it, or null when the API has none. */
function resourcePoliciesOf(
  api: RestApi,
  deps: AuthDeps,
  callers: IamCallers,
): Map<IamCaller, ResourcePolicy> | null {
  const document = api.policy;
  if (document === undefined || document.trim() === '') return null;
  const policies = new Map<IamCaller, ResourcePolicy>();
  for (const caller of callers.list()) {
    try {
      policies.set(caller, compileResourcePolicyForCaller(document, deps, caller));
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      throw new AuthConfigurationError(
        `the API's resource policy cannot be enforced for caller "${caller.name}": ${error.message}`,
      );
    }
  }
  return policies;
}
