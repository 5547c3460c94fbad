// v2 Stages and Deployments through the AWS SDK: create, get, list, update, delete, autoDeploy
// and what the data plane serves after each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRouteSettingsCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  GetStagesCommand,
  NotFoundException,
  ResetAuthorizersCacheCommand,
  UpdateDeploymentCommand,
  UpdateIntegrationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let m: TestManagement;
let upstream: Upstream;
beforeAll(async () => {
  m = await startTestManagement();
  upstream = await startUpstream();
});
afterAll(async () => {
  await m.close();
  await upstream.close();
});

/** Polls the data plane until `accept` holds; stages reach it shortly after each write. */
async function eventually(url: string, accept: (status: number, body: string) => boolean) {
  let last = { status: 0, body: '' };
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url);
    last = { status: response.status, body: await response.text() };
    if (accept(last.status, last.body)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered as expected; last ${last.status} ${last.body}`);
}

async function apiWithRoute(path: string): Promise<{ apiId: string; integrationId: string }> {
  const apiId = (await m.v2.send(new CreateApiCommand({ Name: 'stages', ProtocolType: 'HTTP' }))).ApiId!;
  const integrationId = (
    await m.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: `${upstream.origin}/one`,
        IntegrationMethod: 'GET',
      }),
    )
  ).IntegrationId!;
  await m.v2.send(
    new CreateRouteCommand({
      ApiId: apiId,
      RouteKey: `GET ${path}`,
      Target: `integrations/${integrationId}`,
    }),
  );
  return { apiId, integrationId };
}

describe('v2 Stages and Deployments', () => {
  it('deploys, creates a stage on the deployment, updates and deletes both', async () => {
    const { apiId } = await apiWithRoute('/pets');
    const deployment = await m.v2.send(new CreateDeploymentCommand({ ApiId: apiId, Description: 'first' }));
    expect(deployment).toMatchObject({
      DeploymentStatus: 'DEPLOYED',
      Description: 'first',
      AutoDeployed: false,
    });
    expect(deployment.CreatedDate).toBeInstanceOf(Date);
    const stage = await m.v2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'prod',
        DeploymentId: deployment.DeploymentId!,
        StageVariables: { color: 'blue' },
        DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
        RouteSettings: { 'GET /pets': { ThrottlingBurstLimit: 2 } },
        AccessLogSettings: {
          Format: '$context.requestId',
          DestinationArn: 'arn:aws:logs:us-east-1:1:log-group:x',
        },
        Tags: { env: 'prod' },
      }),
    );
    expect(stage).toMatchObject({
      StageName: 'prod',
      DeploymentId: deployment.DeploymentId,
      StageVariables: { color: 'blue' },
      AutoDeploy: false,
      Tags: { env: 'prod' },
    });
    const answer = await eventually(m.invokeUrl(apiId, 'prod', '/pets'), (status) => status === 200);
    expect(JSON.parse(answer.body)).toMatchObject({ url: '/one' });
    const updated = await m.v2.send(
      new UpdateStageCommand({
        ApiId: apiId,
        StageName: 'prod',
        Description: 'live',
        StageVariables: { color: 'red' },
      }),
    );
    expect(updated).toMatchObject({ Description: 'live', StageVariables: { color: 'red' } });
    await m.v2.send(
      new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'prod', RouteKey: 'GET /pets' }),
    );
    expect((await m.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }))).RouteSettings).toEqual(
      {},
    );
    const stages = await m.v2.send(new GetStagesCommand({ ApiId: apiId }));
    expect(stages.Items?.map((item) => item.StageName)).toEqual(['prod']);
    const inUse = await failure(
      m.v2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId! })),
    );
    expect(inUse).toBeInstanceOf(ConflictException);
    await m.v2.send(new ResetAuthorizersCacheCommand({ ApiId: apiId, StageName: 'prod' }));
    await m.v2.send(new DeleteStageCommand({ ApiId: apiId, StageName: 'prod' }));
    const gone = await failure(m.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' })));
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as Error).message).toBe('Invalid Stage identifier specified prod');
    // With no stage left the data plane no longer knows the API: 403 Forbidden, as for any unknown API.
    await eventually(
      m.invokeUrl(apiId, 'prod', '/pets'),
      (status, body) => status === 403 && body.includes('Forbidden'),
    );
    await m.v2.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId! }));
    const noDeployment = await failure(
      m.v2.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId! })),
    );
    expect((noDeployment as Error).message).toBe(
      `Invalid Deployment identifier specified ${deployment.DeploymentId}`,
    );
  });

  it('redeploys an autoDeploy stage after every change to the API', async () => {
    const { apiId, integrationId } = await apiWithRoute('/auto');
    const stage = await m.v2.send(
      new CreateStageCommand({ ApiId: apiId, StageName: 'live', AutoDeploy: true }),
    );
    expect(stage.DeploymentId).toMatch(/^[a-z0-9]{6}$/);
    expect(stage.LastDeploymentStatusMessage).toContain(stage.DeploymentId);
    await eventually(
      m.invokeUrl(apiId, 'live', '/auto'),
      (status, body) => status === 200 && body.includes('"/one"'),
    );
    await m.v2.send(
      new UpdateIntegrationCommand({
        ApiId: apiId,
        IntegrationId: integrationId,
        IntegrationUri: `${upstream.origin}/two`,
      }),
    );
    await eventually(
      m.invokeUrl(apiId, 'live', '/auto'),
      (status, body) => status === 200 && body.includes('"/two"'),
    );
    await m.v2.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /added',
        Target: `integrations/${integrationId}`,
      }),
    );
    await eventually(m.invokeUrl(apiId, 'live', '/added'), (status) => status === 200);
    const deployments = await m.v2.send(new GetDeploymentsCommand({ ApiId: apiId }));
    expect(deployments.Items?.length).toBe(3);
    expect(deployments.Items?.every((item) => item.AutoDeployed === true)).toBe(true);
    const after = await m.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'live' }));
    expect(after.DeploymentId).not.toBe(stage.DeploymentId);
  });

  it('answers AWS errors for stages and deployments', async () => {
    const { apiId } = await apiWithRoute('/err');
    await m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' }));
    const duplicate = await failure(m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' })));
    expect(duplicate).toBeInstanceOf(ConflictException);
    const badName = await failure(
      m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'no spaces' })),
    );
    expect(badName).toBeInstanceOf(BadRequestException);
    const badDeployment = await failure(
      m.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'qa', DeploymentId: 'nope12' })),
    );
    expect((badDeployment as Error).message).toBe('Invalid Deployment identifier specified nope12');
    const badVariable = await failure(
      m.v2.send(
        new CreateStageCommand({ ApiId: apiId, StageName: 'qa', StageVariables: { 'bad-name': 'x' } }),
      ),
    );
    expect(badVariable).toBeInstanceOf(BadRequestException);
    const noStage = await failure(
      m.v2.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'missing' })),
    );
    expect((noStage as Error).message).toBe('Invalid Stage identifier specified missing');
    const deployment = await m.v2.send(
      new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev', Description: 'x' }),
    );
    expect((await m.v2.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).DeploymentId).toBe(
      deployment.DeploymentId,
    );
    const same = await m.v2.send(
      new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId!, Description: 'x' }),
    );
    expect(same.DeploymentId).toBe(deployment.DeploymentId);
    const changed = await m.v2.send(
      new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId!, Description: 'y' }),
    );
    expect(changed.Description).toBe('y');
    expect((await m.store.getDeployment(apiId, deployment.DeploymentId!))?.description).toBe('y');
  });
});
