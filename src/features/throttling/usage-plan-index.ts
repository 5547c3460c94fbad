// What the throttle step needs to know about an API key's usage plan on a stage, as an
// immutable snapshot rebuilt on every config-store change (beside the API key index, from the
// same store): for each key id and `apiId/stageName`, the plan that covers the stage, its
// throttle, its per-method throttles for that stage and its quota. Plans and keys therefore
// change without a redeploy; a request costs two Map lookups.
import { stageKeyOf, type ApiKeySource } from '../api-keys/index.js';
import type { QuotaSettings, ThrottleSettings, UsagePlan, UsagePlanKey } from '../../model/usage-plans.js';
import { DAY_MS, type UsageCharge } from '../../state/index.js';
import { quotaPeriod } from './quota-period.js';

/** One API key's membership of one usage plan, seen from one API stage of the plan. */
export class PlanBinding {
  /** `{usagePlanId}:{keyId}`: names the key's quota and usage counters in the state. */
  readonly usageKey: string;
  private charge: UsageCharge | undefined;
  private dayEnd = 0;
  private dayStart = 0;

  constructor(
    readonly usagePlanId: string,
    readonly keyId: string,
    readonly apiId: string,
    readonly stageName: string,
    readonly throttle: ThrottleSettings | undefined,
    /** The plan's per-method throttles for this stage, keyed `/path/METHOD` (`//GET` for the root, `/*\/*` for all). */
    readonly methodThrottles: Readonly<Record<string, ThrottleSettings>> | undefined,
    readonly quota: QuotaSettings | undefined,
  ) {
    this.usageKey = `${usagePlanId}:${keyId}`;
  }

  /** What a request admitted at `now` counts against; the same object all day long. */
  chargeAt(now: number): UsageCharge {
    if (this.charge === undefined || now >= this.dayEnd || now < this.dayStart) {
      const day = Math.floor(now / DAY_MS);
      const period = this.quota
        ? quotaPeriod(this.quota.period, now)
        : { start: day * DAY_MS, end: (day + 1) * DAY_MS };
      this.charge = Object.freeze({
        key: this.usageKey,
        planKey: this.usagePlanId,
        quotaLimit: this.quota ? this.quota.limit : -1,
        quotaOffset: this.quota ? this.quota.offset : 0,
        periodStart: period.start,
        periodEnd: period.end,
        day,
      });
      this.dayStart = day * DAY_MS;
      this.dayEnd = this.dayStart + DAY_MS;
    }
    return this.charge;
  }
}

export class UsagePlanIndex {
  static readonly EMPTY = new UsagePlanIndex(new Map(), new Map(), new Map());

  constructor(
    /** key id → `apiId/stageName` → the binding. */
    private readonly byKey: ReadonlyMap<string, ReadonlyMap<string, PlanBinding>>,
    readonly plans: ReadonlyMap<string, UsagePlan>,
    /** usage plan id → the ids of its keys. */
    readonly keysOfPlan: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The plan binding of key `keyId` on the stage `apiId/stageName` (see stageKeyOf). */
  binding(keyId: string, stageKey: string): PlanBinding | undefined {
    return this.byKey.get(keyId)?.get(stageKey);
  }
}

/**
 * Joins keys to the plans covering each stage. AWS lets a key be in only one plan per API
 * stage; where the configuration has more, the plan with the lowest id applies.
 */
export function buildUsagePlanIndex(
  plans: readonly UsagePlan[],
  links: readonly UsagePlanKey[],
): UsagePlanIndex {
  const planById = new Map(plans.map((plan) => [plan.id, plan]));
  const byKey = new Map<string, Map<string, PlanBinding>>();
  const keysOfPlan = new Map<string, string[]>();
  const sorted = [...links].sort((a, b) =>
    a.usagePlanId < b.usagePlanId ? -1 : a.usagePlanId > b.usagePlanId ? 1 : 0,
  );
  for (const { usagePlanId, keyId } of sorted) {
    const plan = planById.get(usagePlanId);
    if (plan === undefined) continue;
    let keys = keysOfPlan.get(usagePlanId);
    if (keys === undefined) keysOfPlan.set(usagePlanId, (keys = []));
    keys.push(keyId);
    let stages = byKey.get(keyId);
    if (stages === undefined) byKey.set(keyId, (stages = new Map<string, PlanBinding>()));
    for (const apiStage of plan.apiStages) {
      const stageKey = stageKeyOf(apiStage.apiId, apiStage.stage);
      if (stages.has(stageKey)) continue;
      stages.set(
        stageKey,
        new PlanBinding(
          plan.id,
          keyId,
          apiStage.apiId,
          apiStage.stage,
          plan.throttle,
          apiStage.throttle,
          plan.quota,
        ),
      );
    }
  }
  return new UsagePlanIndex(byKey, planById, keysOfPlan);
}

/**
 * The gateway's current usage plan index; the throttle steps read `current` per request. Refreshed
 * on every config-store change; an older read never replaces a newer index.
 */
export class UsagePlanState {
  current: UsagePlanIndex = UsagePlanIndex.EMPTY;
  private started = 0;
  private applied = 0;

  async refresh(source: Pick<ApiKeySource, 'listUsagePlans' | 'listUsagePlanKeys'>): Promise<void> {
    const ticket = ++this.started;
    const [plans, links] = await Promise.all([source.listUsagePlans(), source.listUsagePlanKeys()]);
    if (ticket < this.applied) return;
    this.applied = ticket;
    this.current = buildUsagePlanIndex(plans, links);
  }
}
