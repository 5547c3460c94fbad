// Which stage-level limits a route has, settled once per deploy. REST: the stage's methodSettings
// for `{resource path without its leading slash}/{METHOD}`, then `{path}/*`, then `*/*`, field by
// field. HTTP APIs: routeSettings[routeKey], then defaultRouteSettings. AWS applies these limits
// to each method (or route) separately: `*/*` is every method's default, not one bucket for the
// stage. A field no level sets takes the account-level value, as AWS shows in GetStage.
import type { MethodSetting, RouteSettings, Stage } from '../../model/api.js';
import type { ThrottleSettings } from '../../model/usage-plans.js';

/** AWS's account-level limits per region: 10,000 requests a second, bursts of 5,000. */
export const AWS_ACCOUNT_LIMITS: ThrottleSettings = Object.freeze({ rateLimit: 10_000, burstLimit: 5_000 });

type Limits = Pick<MethodSetting, 'throttlingRateLimit' | 'throttlingBurstLimit'>;

function merge(levels: (Limits | undefined)[], account: ThrottleSettings): ThrottleSettings | undefined {
  let rateLimit: number | undefined;
  let burstLimit: number | undefined;
  for (const level of levels) {
    if (level === undefined) continue;
    rateLimit ??= level.throttlingRateLimit;
    burstLimit ??= level.throttlingBurstLimit;
  }
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return { rateLimit: rateLimit ?? account.rateLimit, burstLimit: burstLimit ?? account.burstLimit };
}

/**
 * methodSettings keys as AWS writes them (`pets/GET`, the root `/GET`), or as patch paths escape
 * them (`~1pets/GET`, the root `~1/GET`).
 */
function normalizedMethodSettings(stage: Stage): Map<string, MethodSetting> {
  const settings = new Map<string, MethodSetting>();
  for (const [key, value] of Object.entries(stage.methodSettings ?? {})) {
    // `~1pets/GET` is `/pets/GET` escaped: the path with its leading slash, which the plain form drops.
    settings.set(key.startsWith('~1') ? key.replaceAll('~1', '/').slice(1) : key, value);
  }
  return settings;
}

/** The stage-level limits of a REST method, or undefined when only the account's apply. */
export function restMethodLimits(
  stage: Stage,
  resourcePath: string,
  httpMethod: string,
  account: ThrottleSettings,
): ThrottleSettings | undefined {
  if (!stage.methodSettings) return undefined;
  const settings = normalizedMethodSettings(stage);
  const path = resourcePath.replace(/^\//, '');
  return merge(
    [settings.get(`${path}/${httpMethod}`), settings.get(`${path}/*`), settings.get('*/*')],
    account,
  );
}

/** The stage-level limits of an HTTP API route, or undefined when only the account's apply. */
export function httpRouteLimits(
  stage: Stage,
  routeKey: string,
  account: ThrottleSettings,
): ThrottleSettings | undefined {
  const route: RouteSettings | undefined = stage.routeSettings?.[routeKey];
  return merge([route, stage.defaultRouteSettings], account);
}

/** AWS refuses every request at a level whose rate or burst is zero. */
export const refusesAll = (limits: ThrottleSettings): boolean =>
  limits.rateLimit <= 0 || limits.burstLimit < 1;
