// What the gateway knows about API keys while serving: an immutable snapshot, built from the
// config store's keys, usage plans and memberships, that answers "which key has this value,
// is it enabled, and which API stages may it call" with one Map lookup. A holder object is
// swapped to a new snapshot on every store change; requests in flight keep the one they read.
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../model/usage-plans.js';

/** `apiId/stageName`, the form in which the index names an API stage. */
export const stageKeyOf = (apiId: string, stageName: string): string => `${apiId}/${stageName}`;

/** The key a request presented, once accepted: `$context.identity.apiKeyId` and `apiKey`. */
export interface ApiKeyIdentity {
  readonly id: string;
  readonly value: string;
}

export interface ApiKeyEntry {
  readonly id: string;
  readonly enabled: boolean;
  /** Every `apiId/stageName` some usage plan of the key covers. */
  readonly stages: ReadonlySet<string>;
  /** Made once here, so that accepting a request allocates nothing. */
  readonly identity: ApiKeyIdentity;
}

const NO_STAGES: ReadonlySet<string> = new Set();

export class ApiKeyIndex {
  static readonly EMPTY = new ApiKeyIndex(new Map());

  /** Takes ownership of `byValue`; buildApiKeyIndex is the usual way to make one. */
  constructor(private readonly byValue: ReadonlyMap<string, ApiKeyEntry>) {}

  /** The key whose value is exactly `value`. */
  get(value: string): ApiKeyEntry | undefined {
    return this.byValue.get(value);
  }

  get size(): number {
    return this.byValue.size;
  }
}

/**
 * Joins keys to the API stages of their plans. Memberships naming a plan or key that is not
 * in the lists (a change landing between two reads) are ignored; the next change rebuilds.
 */
export function buildApiKeyIndex(
  keys: readonly ApiKey[],
  plans: readonly UsagePlan[],
  links: readonly UsagePlanKey[],
): ApiKeyIndex {
  const stagesOfPlan = new Map<string, string[]>();
  for (const plan of plans) {
    stagesOfPlan.set(
      plan.id,
      plan.apiStages.map((apiStage) => stageKeyOf(apiStage.apiId, apiStage.stage)),
    );
  }
  const stagesOfKey = new Map<string, Set<string>>();
  for (const link of links) {
    const stages = stagesOfPlan.get(link.usagePlanId);
    if (stages === undefined || stages.length === 0) continue;
    let set = stagesOfKey.get(link.keyId);
    if (set === undefined) stagesOfKey.set(link.keyId, (set = new Set()));
    for (const stage of stages) set.add(stage);
  }
  const byValue = new Map<string, ApiKeyEntry>();
  for (const key of keys) {
    byValue.set(
      key.value,
      Object.freeze({
        id: key.id,
        enabled: key.enabled,
        stages: stagesOfKey.get(key.id) ?? NO_STAGES,
        identity: Object.freeze({ id: key.id, value: key.value }),
      }),
    );
  }
  return new ApiKeyIndex(byValue);
}

/** Where the index comes from: the config store has these methods. */
export interface ApiKeySource {
  listApiKeys(): Promise<ApiKey[]>;
  listUsagePlans(): Promise<UsagePlan[]>;
  listUsagePlanKeys(): Promise<UsagePlanKey[]>;
}

/**
 * The gateway's current index. Every compiled stage reads `current` at request time, so one
 * assignment changes what every stage accepts; no stage needs recompiling when keys change.
 */
export class ApiKeyState {
  current: ApiKeyIndex;
  private started = 0;
  private applied = 0;

  constructor(initial: ApiKeyIndex = ApiKeyIndex.EMPTY) {
    this.current = initial;
  }

  /**
   * Reads keys, plans and memberships and swaps in a new index. When refreshes overlap, an
   * older read never replaces the index a newer one already installed.
   */
  async refresh(source: ApiKeySource): Promise<void> {
    const ticket = ++this.started;
    const [keys, plans, links] = await Promise.all([
      source.listApiKeys(),
      source.listUsagePlans(),
      source.listUsagePlanKeys(),
    ]);
    if (ticket < this.applied) return;
    this.applied = ticket;
    this.current = buildApiKeyIndex(keys, plans, links);
  }
}
