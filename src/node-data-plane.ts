// What the management API asks of the running data plane: operations on live state (caches,
// usage counters) rather than on configuration. Flushes act on this node's caches (and on the
// shared Redis cache when the node uses one); docs/management-api.md says what that means for
// several nodes.
import type { DataPlaneControl } from './controlplane/admin-context.js';
import { badRequest, notFound } from './controlplane/admin-errors.js';
import type { StageRegistry } from './dataplane/stage-registry.js';
import { getUsage, UsageRequestError, type Throttling } from './features/throttling/index.js';
import type { ResponseCaches } from './features/cache/index.js';

export function nodeDataPlane(parts: {
  registry: StageRegistry;
  responseCaches: ResponseCaches;
  throttling: Throttling;
}): DataPlaneControl {
  return {
    flushStageAuthorizersCache(apiId, stageName) {
      // A stage with a canary has two compiled variants, each with its own cache.
      const api = parts.registry.list().get(apiId);
      api?.stages.get(stageName)?.authorizerCache?.flush();
      api?.canaries?.get(stageName)?.stage.authorizerCache?.flush();
      return Promise.resolve();
    },
    flushStageCache: (apiId, stageName) => parts.responseCaches.flushStageCache(apiId, stageName),
    async getUsage(request) {
      try {
        return await getUsage(
          parts.throttling,
          request.usagePlanId,
          request.keyId,
          request.startDate,
          request.endDate,
        );
      } catch (error) {
        if (error instanceof UsageRequestError) {
          throw error.kind === 'NotFound' ? notFound(error.message) : badRequest(error.message);
        }
        throw error;
      }
    },
  };
}
