// What every compiled stage shares for throttling: the runtime state (memory or Redis), the
// clock, the account-level bucket and the current usage plans. One per gateway process.
import type { ThrottleSettings } from '../../model/usage-plans.js';
import {
  MemoryRuntimeState,
  openRuntimeState,
  type RuntimeState,
  type StateSettings,
  type TokenBucket,
} from '../../state/index.js';
import type { ApiKeySource } from '../api-keys/index.js';
import { AWS_ACCOUNT_LIMITS } from './limits.js';
import { UsagePlanState } from './usage-plan-index.js';

export interface ThrottlingOptions {
  /** Default: a new memory state. */
  state?: RuntimeState;
  /** The account-level limits (default AWS's, 10,000/s with bursts of 5,000); null: none. */
  account?: ThrottleSettings | null;
  /** ms since the epoch; injectable for tests. */
  clock?: () => number;
  /** False: no route is throttled and no quota counted; usage plans are still known (GetUsage). */
  enabled?: boolean;
}

export class Throttling {
  readonly state: RuntimeState;
  readonly clock: () => number;
  /** The limits a field left unset at the stage falls back to. */
  readonly accountLimits: ThrottleSettings;
  /** Null when the account-level limit is switched off. */
  readonly accountBucket: TokenBucket | null;
  readonly plans = new UsagePlanState();
  readonly enabled: boolean;

  constructor(options: ThrottlingOptions = {}) {
    this.enabled = options.enabled ?? true;
    this.state = options.state ?? new MemoryRuntimeState();
    this.clock = options.clock ?? Date.now;
    const account = options.account === undefined ? AWS_ACCOUNT_LIMITS : options.account;
    this.accountLimits = account ?? AWS_ACCOUNT_LIMITS;
    this.accountBucket =
      account === null
        ? null
        : Object.freeze({ key: 'account', rateLimit: account.rateLimit, burstLimit: account.burstLimit });
  }

  /** Reads the usage plans and their keys again (on every config-store change). */
  refresh(source: Pick<ApiKeySource, 'listUsagePlans' | 'listUsagePlanKeys'>): Promise<void> {
    return this.plans.refresh(source);
  }

  /**
   * Waits, at most `timeoutMs`, for the state to answer, so that a gateway starting next to a
   * Redis does not refuse (or decide locally) its first requests while it connects.
   */
  ready(timeoutMs = 5000): Promise<boolean> {
    return this.state.ready(timeoutMs);
  }

  close(): Promise<void> {
    return this.state.close();
  }
}

/** How a gateway node is told to throttle: where the state lives, and the account-level limits. */
export interface ThrottlingSettings {
  /** Default: memory. */
  state?: StateSettings | undefined;
  /** The account-level limits; null switches them off; default AWS's. */
  account?: ThrottleSettings | null | undefined;
  clock?: (() => number) | undefined;
  /** False: no throttling or quotas at all (the configuration file's `throttling: false`). */
  enabled?: boolean | undefined;
}

export function createThrottling(
  settings: ThrottlingSettings = {},
  log?: (message: string, fields?: Record<string, unknown>) => void,
): Throttling {
  return new Throttling({
    state: openRuntimeState({ ...settings.state, log }),
    ...(settings.account !== undefined && { account: settings.account }),
    ...(settings.clock !== undefined && { clock: settings.clock }),
    ...(settings.enabled !== undefined && { enabled: settings.enabled }),
  });
}
