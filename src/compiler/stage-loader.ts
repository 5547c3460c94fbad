// Keeps the data plane's StageRegistry in step with the config store: on every change it
// recompiles the stages whose deployment or settings changed and swaps the registry's map in
// one assignment. Unchanged stages keep their compiled object.
import type { Deployment, Stage } from '../model/api.js';
import type { ConfigStore } from '../store/config-store.js';
import type { CompiledStage } from '../dataplane/compiled-stage.js';
import type { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import type { StageRegistry } from '../dataplane/stage-registry.js';
import { compileStage } from './compile-stage.js';
import { ApiKeyState } from '../features/api-keys/index.js';
import type { FunctionRuntime } from '../functions/runtime.js';

interface Compiled {
  fingerprint: string;
  stage: CompiledStage;
}

export class StageLoader {
  private readonly compiled = new Map<string, Compiled>();
  /** API keys change without a redeploy; compiled stages read the current index per request. */
  readonly apiKeys = new ApiKeyState();
  private readonly deployments = new Map<string, Deployment>();
  private running: Promise<void> | undefined;
  private again = false;
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly store: ConfigStore,
    private readonly registry: StageRegistry,
    private readonly pools: UpstreamPools,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
    private readonly functions?: FunctionRuntime,
  ) {}

  /** Loads now, then follows the store's changes. */
  async start(): Promise<void> {
    await this.reload();
    this.unwatch = this.store.watch(() => {
      this.reload().catch((error: unknown) =>
        this.log('reloading configuration failed', { error: String(error) }),
      );
    });
  }

  stop(): void {
    this.unwatch?.();
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
    const [apis, stages] = await Promise.all([
      this.store.listApis(),
      this.store.listStages(),
      this.apiKeys.refresh(this.store),
    ]);
    const protocols = new Map(
      apis.map((api) => [api.protocolType === 'REST' ? api.id : api.apiId, api.protocolType]),
    );
    const next = new Map<string, { protocol: 'REST' | 'HTTP'; stages: Map<string, CompiledStage> }>();
    const seen = new Set<string>();
    for (const stage of stages) {
      const protocol = protocols.get(stage.apiId);
      if (!protocol || !stage.deploymentId) continue;
      const compiled = await this.compiledFor(stage, stage.deploymentId);
      if (!compiled) continue;
      seen.add(keyOf(stage));
      let entry = next.get(stage.apiId);
      if (!entry) next.set(stage.apiId, (entry = { protocol, stages: new Map() }));
      entry.stages.set(stage.stageName, compiled);
    }
    for (const key of this.compiled.keys()) if (!seen.has(key)) this.compiled.delete(key);
    // Keep only the deployments some stage still points at.
    const inUse = new Set(stages.map((stage) => `${stage.apiId}/${stage.deploymentId ?? ''}`));
    for (const key of this.deployments.keys()) if (!inUse.has(key)) this.deployments.delete(key);
    this.registry.replace(next);
  }

  private async compiledFor(stage: Stage, deploymentId: string): Promise<CompiledStage | undefined> {
    const key = keyOf(stage);
    const fingerprint = `${deploymentId}\n${stage.lastUpdatedDate}\n${JSON.stringify(stage.variables)}`;
    const cached = this.compiled.get(key);
    if (cached?.fingerprint === fingerprint) return cached.stage;
    const deployment = await this.deployment(stage.apiId, deploymentId);
    if (!deployment) {
      this.log('stage points at a missing deployment', {
        apiId: stage.apiId,
        stage: stage.stageName,
        deploymentId,
      });
      return undefined;
    }
    const compiled = compileStage(deployment, stage, {
      pools: this.pools,
      functions: this.functions,
      apiKeys: this.apiKeys,
      warn: (message) => this.log(message, { apiId: stage.apiId }),
      onUnexpected: (error) =>
        this.log('request failed', {
          apiId: stage.apiId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    });
    this.compiled.set(key, { fingerprint, stage: compiled });
    return compiled;
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
