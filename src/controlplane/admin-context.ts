// What every management operation works with: the config store, the clock, and the few
// things it asks of the running gateway node (flushing caches, reading usage).
import type { Deployment, Stage } from '../model/api.js';
import type { ConfigStore } from '../store/config-store.js';

/** AWS's GetUsage answer: per key, one [used, remaining] pair per day of the range. */
export interface UsageReport {
  usagePlanId: string;
  startDate: string;
  endDate: string;
  items: Record<string, [number, number][]>;
}

/** The gateway node's side of operations that act on live state rather than on configuration. */
export interface DataPlaneControl {
  flushStageCache(apiId: string, stageName: string): Promise<void>;
  flushStageAuthorizersCache(apiId: string, stageName: string): Promise<void>;
  getUsage(request: {
    usagePlanId: string;
    keyId?: string | undefined;
    startDate: string;
    endDate: string;
  }): Promise<UsageReport>;
}

export interface AdminContext {
  store: ConfigStore;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now(): number;
  /** Problems that make a deployment unusable (a function no runtime serves …); empty when fine. */
  checkDeployment?: ((deployment: Deployment, stage: Stage) => string[]) | undefined;
  dataPlane?: DataPlaneControl | undefined;
  /** The data plane's address, for the `apiEndpoint` AWS reports on HTTP APIs. */
  invokeBaseUrl?: string | undefined;
}

/** Seconds since the epoch: the unit of every date the management API sends. */
export const epochSeconds = (ctx: AdminContext): number => Math.floor(ctx.now() / 1000);
