// Keeps the data plane's StageRegistry in step with the config store: on every change it
// recompiles the stages whose deployment or settings changed (a stage with a canary compiles
// twice: main and canary) and rebuilds the custom domain table, then swaps both into the
// registry at once. Unchanged stages keep their compiled object.
import type { Deployment, Stage } from '../model/api.js';
import type { ConfigStore } from '../store/config-store.js';
import type { CompiledStage } from '../dataplane/compiled-stage.js';
import type { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import type { StageRegistry } from '../dataplane/stage-registry.js';
import { compileStage } from './compile-stage.js';
import { ApiKeyState } from '../features/api-keys/index.js';
import type { FunctionRuntime } from '../functions/runtime.js';
import { CanaryRelease, canaryStageOf } from '../features/canary/index.js';
import { DomainTable } from '../dataplane/domains/domain-table.js';
import { ResponseCaches } from '../features/cache/index.js';
import type { Throttling } from '../features/throttling/index.js';
import type { IamCallers } from '../features/auth/index.js';

/** How long a failed reload waits before trying again. */
const RELOAD_RETRY_MS = 1_000;

interface Compiled {
  fingerprint: string;
  stage: CompiledStage;
  canary: CanaryRelease | undefined;
}

export class StageLoader {
  private readonly compiled = new Map<string, Compiled>();
  /** API keys change without a redeploy; compiled stages read the current index per request. */
  readonly apiKeys = new ApiKeyState();
  private readonly deployments = new Map<string, Deployment>();
  private running: Promise<void> | undefined;
  private again = false;
  private unwatch: (() => void) | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly store: ConfigStore,
    private readonly registry: StageRegistry,
    private readonly pools: UpstreamPools,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
    private readonly functions?: FunctionRuntime,
    /** Every stage's response cache; kept across recompiles so a redeploy keeps the entries. */
    readonly responseCaches: ResponseCaches = new ResponseCaches({
      onError: (error) =>
        log('response cache unavailable; serving from the integration', { error: String(error) }),
    }),
    /** Throttling and quotas; its usage plans are read again on every change, like the API keys. */
    readonly throttling?: Throttling,
    /** Who may sign requests to AWS_IAM methods and routes. */
    private readonly iamCallers?: IamCallers,
  ) {}

  /** Loads now, then follows the store's changes. */
  async start(): Promise<void> {
    await this.reload();
    this.unwatch = this.store.watch(() => this.follow());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.unwatch?.();
  }

  /**
   * A failed reload (the store unreachable, say) leaves the registry serving the last good
   * configuration. The store announces a change once, so the reload is retried until it works.
   */
  private follow(): void {
    clearTimeout(this.retryTimer);
    this.reload().catch((error: unknown) => {
      this.log('reloading configuration failed; serving the last good one and retrying', {
        error: String(error),
      });
      if (this.stopped) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.follow(), RELOAD_RETRY_MS);
      this.retryTimer.unref();
    });
  }

  /** Coalesces overlapping calls: a change during a load triggers exactly one more load. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.loadOnce();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async loadOnce(): Promise<void> {
    const [apis, stages, , domainNames, apiMappings] = await Promise.all([
      this.store.listApis(),
      this.store.listStages(),
      this.apiKeys.refresh(this.store),
      this.store.listDomainNames(),
      this.store.listApiMappings(),
      this.throttling?.refresh(this.store),
    ]);
    const protocols = new Map(
      apis.map((api) => [api.protocolType === 'REST' ? api.id : api.apiId, api.protocolType]),
    );
    const next = new Map<
      string,
      { protocol: 'REST' | 'HTTP'; stages: Map<string, CompiledStage>; canaries: Map<string, CanaryRelease> }
    >();
    const seen = new Set<string>();
    for (const stage of stages) {
      const protocol = protocols.get(stage.apiId);
      if (!protocol || !stage.deploymentId) continue;
      const compiled = await this.compiledFor(stage, stage.deploymentId, protocol);
      if (!compiled) continue;
      seen.add(keyOf(stage));
      let entry = next.get(stage.apiId);
      if (!entry) next.set(stage.apiId, (entry = { protocol, stages: new Map(), canaries: new Map() }));
      entry.stages.set(stage.stageName, compiled.stage);
      if (compiled.canary) entry.canaries.set(stage.stageName, compiled.canary);
    }
    for (const key of this.compiled.keys()) if (!seen.has(key)) this.compiled.delete(key);
    // Keep only the deployments some stage still points at.
    const inUse = new Set(stages.map((stage) => `${stage.apiId}/${stage.deploymentId ?? ''}`));
    for (const stage of stages) {
      const canaryDeployment = stage.canarySettings?.deploymentId;
      if (canaryDeployment !== undefined) inUse.add(`${stage.apiId}/${canaryDeployment}`);
    }
    for (const key of this.deployments.keys()) if (!inUse.has(key)) this.deployments.delete(key);
    this.registry.replace(next, new DomainTable(domainNames, apiMappings));
  }

  private async compiledFor(
    stage: Stage,
    deploymentId: string,
    protocol: 'REST' | 'HTTP',
  ): Promise<Compiled | undefined> {
    const key = keyOf(stage);
    // The whole stage, not its lastUpdatedDate: that counts seconds, and two updates within
    // one second (a canary promotion right after its creation) must both take effect.
    const fingerprint = JSON.stringify(stage);
    const cached = this.compiled.get(key);
    if (cached?.fingerprint === fingerprint) return cached;
    const main = await this.compileVariant(stage, deploymentId, 'stage points at a missing deployment');
    if (!main) return undefined;
    const compiled = { fingerprint, stage: main, canary: await this.canaryOf(stage, protocol) };
    this.compiled.set(key, compiled);
    return compiled;
  }

  /** The stage's canary release, when it has one that takes traffic; REST stages only, as on AWS. */
  private async canaryOf(stage: Stage, protocol: 'REST' | 'HTTP'): Promise<CanaryRelease | undefined> {
    const canaryStage = canaryStageOf(stage);
    if (!canaryStage?.deploymentId) return undefined;
    if (protocol !== 'REST') {
      this.log('canarySettings apply to REST API stages only; ignored', {
        apiId: stage.apiId,
        stage: stage.stageName,
      });
      return undefined;
    }
    // A canary that cannot be compiled leaves every request on the main deployment.
    const compiled = await this.compileVariant(
      canaryStage,
      canaryStage.deploymentId,
      'canary points at a missing deployment',
    );
    return compiled && new CanaryRelease(compiled, canaryStage.canarySettings?.percentTraffic ?? 0);
  }

  private async compileVariant(
    stage: Stage,
    deploymentId: string,
    missing: string,
  ): Promise<CompiledStage | undefined> {
    const deployment = await this.deployment(stage.apiId, deploymentId);
    if (!deployment) {
      this.log(missing, { apiId: stage.apiId, stage: stage.stageName, deploymentId });
      return undefined;
    }
    return compileStage(deployment, stage, {
      pools: this.pools,
      functions: this.functions,
      apiKeys: this.apiKeys,
      responseCaches: this.responseCaches,
      throttling: this.throttling,
      iamCallers: this.iamCallers,
      warn: (message) => this.log(message, { apiId: stage.apiId }),
      onUnexpected: (error) =>
        this.log('request failed', {
          apiId: stage.apiId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    });
  }

  /** Deployments never change, so each is read from the store once. */
  private async deployment(apiId: string, id: string): Promise<Deployment | undefined> {
    const key = `${apiId}/${id}`;
    let deployment = this.deployments.get(key);
    if (!deployment) {
      deployment = await this.store.getDeployment(apiId, id);
      if (deployment) this.deployments.set(key, deployment);
    }
    return deployment;
  }
}

function keyOf(stage: Stage): string {
  return `${stage.apiId}/${stage.stageName}`;
}
