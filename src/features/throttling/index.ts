// Throttling and quotas as AWS layers them: account, stage and method limits, and usage plans
// per API key (throttles, per-method throttles, quotas), kept in the runtime state (src/state).
// docs/throttling.md describes the behaviour and the multi-process bound.
export {
  createThrottling,
  Throttling,
  type ThrottlingOptions,
  type ThrottlingSettings,
} from './throttling.js';
export { compileThrottle, type ThrottleStepOptions } from './throttle-step.js';
export { AWS_ACCOUNT_LIMITS, httpRouteLimits, restMethodLimits } from './limits.js';
export { quotaPeriod, dayOfDate, type Period } from './quota-period.js';
export { buildUsagePlanIndex, PlanBinding, UsagePlanIndex, UsagePlanState } from './usage-plan-index.js';
export { getUsage, MAX_USAGE_DAYS, UsageRequestError, type Usage } from './usage.js';
export { throttlingSettingsOf } from './settings.js';
