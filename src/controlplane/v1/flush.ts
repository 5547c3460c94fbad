// v1 FlushStageCache and FlushStageAuthorizersCache: live state on the data plane, not
// configuration, so they go to the node through ctx.dataPlane.
import type { AdminContext, DataPlaneControl } from '../admin-context.js';
import { notImplemented } from '../admin-errors.js';
import type { AdminRequest, AdminRoutes } from '../admin-router.js';
import { readStage } from './stages.js';

function flush(
  operation: string,
  action: (dataPlane: DataPlaneControl, apiId: string, stageName: string) => Promise<void>,
) {
  return async (request: AdminRequest, ctx: AdminContext) => {
    const apiId = request.params['restapi_id']!;
    const stageName = request.params['stage_name']!;
    await readStage(ctx, apiId, stageName);
    if (!ctx.dataPlane) throw notImplemented(operation);
    await action(ctx.dataPlane, apiId, stageName);
    return { status: 202 };
  };
}

export function registerFlush(routes: AdminRoutes): void {
  const stage = '/restapis/:restapi_id/stages/:stage_name';
  routes
    .add(
      'DELETE',
      `${stage}/cache/data`,
      flush('FlushStageCache', (dataPlane, apiId, stageName) => dataPlane.flushStageCache(apiId, stageName)),
    )
    .add(
      'DELETE',
      `${stage}/cache/authorizers`,
      flush('FlushStageAuthorizersCache', (dataPlane, apiId, stageName) =>
        dataPlane.flushStageAuthorizersCache(apiId, stageName),
      ),
    );
}
