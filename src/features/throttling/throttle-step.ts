// The method request's throttle and quota step. Its buckets are settled at deploy time: the
// account's, then the method's (or route's) stage-level limits; on methods that require an API
// key, the key's usage plan adds the plan's bucket for the key, the plan's per-method bucket
// for the key, and the plan's quota, looked up per request in the current plan index (plans
// change without a redeploy). Every bucket must admit the request; the state decides all of
// them, and the quota, in one call. A route with no limits at all has no step.
import type { RequestStep } from '../../dataplane/compiled-stage.js';
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { ThrottleSettings } from '../../model/usage-plans.js';
import { ADMITTED, QUOTA_EXCEEDED, type TokenBucket, type Verdict } from '../../state/index.js';
import { stageKeyOf } from '../api-keys/index.js';
import { refusesAll } from './limits.js';
import type { Throttling } from './throttling.js';
import type { PlanBinding } from './usage-plan-index.js';

export interface ThrottleStepOptions {
  throttling: Throttling;
  apiId: string;
  stageName: string;
  /** Names the method's bucket: `GET /pets/{id}` (REST) or the route key (HTTP APIs). */
  routeKey: string;
  /** The method's or route's stage-level limits (see limits.ts); undefined when none. */
  limits: ThrottleSettings | undefined;
  /**
   * REST methods that require an API key: the method as usage plans name it, `/pets/GET`
   * (`//GET` for the root). Undefined: no usage plan applies.
   */
  planMethodKey?: string | undefined;
}

const NO_BUCKETS: readonly TokenBucket[] = Object.freeze([]);

/** A bucket list that refuses every request (a zero limit somewhere on the path). */
const REFUSE_ALL = null;

function verdictToResult(verdict: Verdict): undefined {
  if (verdict === ADMITTED) return undefined;
  throw new GatewayError(verdict === QUOTA_EXCEEDED ? 'QUOTA_EXCEEDED' : 'THROTTLED');
}

function throttled(): never {
  throw new GatewayError('THROTTLED');
}

export function compileThrottle(options: ThrottleStepOptions): RequestStep | null {
  const { throttling, apiId, stageName, routeKey, limits, planMethodKey } = options;
  if (!throttling.enabled) return null;
  const { state, clock } = throttling;
  const statics: TokenBucket[] = [];
  let refuse = false;
  if (throttling.accountBucket) {
    refuse ||= refusesAll(throttling.accountBucket);
    statics.push(throttling.accountBucket);
  }
  if (limits) {
    refuse ||= refusesAll(limits);
    statics.push(
      Object.freeze({
        key: `method:${apiId}:${stageName}:${routeKey}`,
        rateLimit: limits.rateLimit,
        burstLimit: limits.burstLimit,
      }),
    );
  }
  if (refuse) return throttled;
  const fixed = statics.length > 0 ? Object.freeze(statics) : NO_BUCKETS;

  const check = (buckets: readonly TokenBucket[], binding: PlanBinding | undefined) => {
    const now = clock();
    const verdict = state.admit(buckets, binding === undefined ? null : binding.chargeAt(now), now);
    return typeof verdict === 'number' ? verdictToResult(verdict) : verdict.then(verdictToResult);
  };

  if (planMethodKey === undefined) {
    if (fixed.length === 0) return null;
    return () => check(fixed, undefined);
  }

  const stageKey = stageKeyOf(apiId, stageName);
  // The buckets for each plan binding, made on the binding's first request on this method. A
  // binding is replaced when plans change, so entries for old ones are collected with them.
  const perBinding = new WeakMap<PlanBinding, readonly TokenBucket[] | typeof REFUSE_ALL>();
  const bucketsFor = (binding: PlanBinding): readonly TokenBucket[] | typeof REFUSE_ALL => {
    let buckets = perBinding.get(binding);
    if (buckets === undefined) {
      buckets = planBuckets(binding, fixed, planMethodKey);
      perBinding.set(binding, buckets);
    }
    return buckets;
  };
  return (ctx: RequestContext) => {
    const key = ctx.apiKey;
    const binding = key === undefined ? undefined : throttling.plans.current.binding(key.id, stageKey);
    if (binding === undefined) return fixed.length === 0 ? undefined : check(fixed, undefined);
    const buckets = bucketsFor(binding);
    if (buckets === REFUSE_ALL) throttled();
    return check(buckets, binding);
  };
}

/** The route's own buckets plus the plan's bucket for the key and its per-method bucket. */
function planBuckets(
  binding: PlanBinding,
  fixed: readonly TokenBucket[],
  planMethodKey: string,
): readonly TokenBucket[] | typeof REFUSE_ALL {
  const buckets = [...fixed];
  const planKey = `plan:${binding.usagePlanId}:${binding.keyId}`;
  if (binding.throttle) {
    if (refusesAll(binding.throttle)) return REFUSE_ALL;
    buckets.push(
      Object.freeze({
        key: planKey,
        rateLimit: binding.throttle.rateLimit,
        burstLimit: binding.throttle.burstLimit,
      }),
    );
  }
  const methodThrottles = binding.methodThrottles;
  const method = methodThrottles?.[planMethodKey] ?? methodThrottles?.['/*/*'];
  if (method) {
    if (refusesAll(method)) return REFUSE_ALL;
    buckets.push(
      Object.freeze({
        key: `${planKey}:${binding.apiId}:${binding.stageName}:${planMethodKey}`,
        rateLimit: method.rateLimit,
        burstLimit: method.burstLimit,
      }),
    );
  }
  return Object.freeze(buckets);
}
