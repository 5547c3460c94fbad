// v1 Deployments through the AWS SDK: deploy to a stage (which then serves), deploy alone,
// deploy as a canary, list, get, delete, the deployment check, and AWS's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  BadRequestException,
  CreateDeploymentCommand,
  DeleteDeploymentCommand,
  DeleteStageCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  ImportRestApiCommand,
  NotFoundException,
  UpdateDeploymentCommand,
} from '@aws-sdk/client-api-gateway';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let clock = Date.UTC(2026, 0, 1);
beforeAll(async () => {
  m = await startTestManagement({
    now: () => clock,
    // A stage variable named `refuse` stands for anything the node's check finds unservable.
    checkDeployment: (_deployment, stage) =>
      stage.variables['refuse'] === undefined ? [] : [`route GET /: ${stage.variables['refuse']}`],
  });
});
afterAll(() => m.close());

const mockApi = (body: string) =>
  JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'deployments', version: '1' },
    paths: {
      '/': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: '200', responseTemplates: { 'application/json': body } } },
          },
        },
      },
    },
  });

async function importApi(body = '{"v":1}'): Promise<string> {
  const api = await m.v1.send(new ImportRestApiCommand({ body: Buffer.from(mockApi(body)) }));
  return api.id!;
}

async function waitFor(url: string, expected: string): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await request(url);
    last = await response.body.text();
    if (last === expected) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

describe('Deployments', () => {
  it('deploys to a new stage that then serves, with the given variables and descriptions', async () => {
    const restApiId = await importApi('{"v":1}');
    clock += 1000;
    const deployment = await m.v1.send(
      new CreateDeploymentCommand({
        restApiId,
        stageName: 'prod',
        description: 'first',
        stageDescription: 'production',
        variables: { backend: 'one' },
      }),
    );
    expect(deployment.id).toMatch(/^[a-z0-9]{6}$/);
    expect(deployment.description).toBe('first');
    expect(deployment.createdDate).toEqual(new Date(clock - (clock % 1000)));
    const stage = await m.v1.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    expect(stage).toMatchObject({
      deploymentId: deployment.id,
      description: 'production',
      variables: { backend: 'one' },
    });
    expect(await waitFor(m.invokeUrl(restApiId, 'prod', '/'), '{"v":1}')).toBe('{"v":1}');
  });

  it('stores a deployment without a stage, lists and gets it', async () => {
    const restApiId = await importApi();
    const alone = await m.v1.send(new CreateDeploymentCommand({ restApiId, description: 'no stage' }));
    const list = await m.v1.send(new GetDeploymentsCommand({ restApiId }));
    expect(list.items?.map((d) => d.id)).toEqual([alone.id]);
    const got = await m.v1.send(
      new GetDeploymentCommand({ restApiId, deploymentId: alone.id!, embed: ['apisummary'] }),
    );
    expect(got.description).toBe('no stage');
    expect(got.apiSummary).toEqual({ '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });
    const missing = await failure(m.v1.send(new GetDeploymentCommand({ restApiId, deploymentId: 'nope00' })));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid Deployment identifier specified');
  });

  it('deploys as the canary of an existing stage, keeping the stage on its deployment', async () => {
    const restApiId = await importApi();
    const main = await m.v1.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const canary = await m.v1.send(
      new CreateDeploymentCommand({
        restApiId,
        stageName: 'prod',
        canarySettings: { percentTraffic: 25, stageVariableOverrides: { backend: 'next' } },
      }),
    );
    const stage = await m.v1.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    expect(stage.deploymentId).toBe(main.id);
    expect(stage.canarySettings).toEqual({
      deploymentId: canary.id,
      percentTraffic: 25,
      stageVariableOverrides: { backend: 'next' },
      useStageCache: false,
    });
  });

  it('answers AWS messages for a canary without a stage', async () => {
    const restApiId = await importApi();
    const noStage = await failure(
      m.v1.send(
        new CreateDeploymentCommand({ restApiId, stageName: 'beta', canarySettings: { percentTraffic: 10 } }),
      ),
    );
    expect(noStage).toBeInstanceOf(BadRequestException);
    expect((noStage as Error).message).toBe(
      'Invalid deployment content specified.Stage beta must already be created before making a canary release deployment',
    );
    const noName = await failure(
      m.v1.send(new CreateDeploymentCommand({ restApiId, canarySettings: { percentTraffic: 10 } })),
    );
    expect((noName as Error).message).toBe(
      'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null',
    );
    expect((await m.v1.send(new GetDeploymentsCommand({ restApiId }))).items ?? []).toEqual([]);
  });

  it('refuses a deployment the node cannot serve, listing the problems', async () => {
    const restApiId = await importApi();
    const refused = await failure(
      m.v1.send(
        new CreateDeploymentCommand({
          restApiId,
          stageName: 'prod',
          variables: { refuse: 'no runtime serves function f' },
        }),
      ),
    );
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as Error).message).toContain('route GET /: no runtime serves function f');
    expect((await m.v1.send(new GetDeploymentsCommand({ restApiId }))).items ?? []).toEqual([]);
  });

  it('deletes a deployment only once no stage or canary uses it', async () => {
    const restApiId = await importApi();
    const main = await m.v1.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const canary = await m.v1.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'prod', canarySettings: { percentTraffic: 5 } }),
    );
    for (const id of [main.id!, canary.id!]) {
      const inUse = await failure(m.v1.send(new DeleteDeploymentCommand({ restApiId, deploymentId: id })));
      expect(inUse).toBeInstanceOf(BadRequestException);
      expect((inUse as Error).message).toBe(
        'Active stages pointing to this deployment must be moved or deleted',
      );
    }
    await m.v1.send(new DeleteStageCommand({ restApiId, stageName: 'prod' }));
    await m.v1.send(new DeleteDeploymentCommand({ restApiId, deploymentId: main.id! }));
    await m.v1.send(new DeleteDeploymentCommand({ restApiId, deploymentId: canary.id! }));
    expect((await m.v1.send(new GetDeploymentsCommand({ restApiId }))).items ?? []).toEqual([]);
    const again = await failure(
      m.v1.send(new DeleteDeploymentCommand({ restApiId, deploymentId: main.id! })),
    );
    expect(again).toBeInstanceOf(NotFoundException);
  });

  it('changes only a deployment description with UpdateDeployment', async () => {
    const restApiId = await importApi();
    const deployment = await m.v1.send(new CreateDeploymentCommand({ restApiId }));
    const badPath = await failure(
      m.v1.send(
        new UpdateDeploymentCommand({
          restApiId,
          deploymentId: deployment.id!,
          patchOperations: [{ op: 'replace', path: '/id', value: 'x' }],
        }),
      ),
    );
    expect(badPath).toBeInstanceOf(BadRequestException);
    const described = await m.v1.send(
      new UpdateDeploymentCommand({
        restApiId,
        deploymentId: deployment.id!,
        patchOperations: [{ op: 'replace', path: '/description', value: 'first release' }],
      }),
    );
    expect(described.description).toBe('first release');
    expect((await m.store.getDeployment(restApiId, deployment.id!))?.description).toBe('first release');
  });
});
