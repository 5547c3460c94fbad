// What the management API asks of the running data plane: operations on live state (caches,
// usage counters) rather than on configuration. Each acts on this node; see
// docs/management-api.md for how that reaches the other nodes.
import type { DataPlaneControl } from './controlplane/admin-context.js';
import { notFound } from './controlplane/admin-errors.js';
import type { CompiledStage } from './dataplane/compiled-stage.js';
import type { StageRegistry } from './dataplane/stage-registry.js';

export function nodeDataPlane(registry: StageRegistry): DataPlaneControl {
  const stage = (apiId: string, stageName: string): CompiledStage | undefined =>
    registry.list().get(apiId)?.stages.get(stageName);
  return {
    flushStageAuthorizersCache(apiId, stageName) {
      stage(apiId, stageName)?.authorizerCache?.flush();
      return Promise.resolve();
    },
    flushStageCache() {
      return Promise.reject(notFound('Response caching is not available on this node'));
    },
    getUsage() {
      return Promise.reject(notFound('Usage is not recorded on this node'));
    },
  };
}
