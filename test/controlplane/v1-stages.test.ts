// v1 Stages through the AWS SDK: create (with a canary), list with the deploymentId filter, get,
// every UpdateStage patch path (variables, cache, tracing, access logs, method settings, the
// canary and its promotion), delete, and AWS's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateDeploymentCommand,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  GetStagesCommand,
  ImportRestApiCommand,
  NotFoundException,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { failure, startTestManagement, type TestManagement } from '../helpers/admin.js';

let m: TestManagement;
let clock = Date.UTC(2026, 0, 1);
beforeAll(async () => {
  m = await startTestManagement({ now: () => clock });
});
afterAll(() => m.close());

const API = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'stages', version: '1' },
  paths: {
    '/pets': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200' } },
        },
      },
    },
  },
});

async function apiWithDeployments(): Promise<{ restApiId: string; first: string; second: string }> {
  const api = await m.v1.send(new ImportRestApiCommand({ body: Buffer.from(API) }));
  const restApiId = api.id!;
  const first = await m.v1.send(new CreateDeploymentCommand({ restApiId }));
  const second = await m.v1.send(new CreateDeploymentCommand({ restApiId }));
  return { restApiId, first: first.id!, second: second.id! };
}

const update = (restApiId: string, stageName: string, patchOperations: PatchOperation[]) =>
  m.v1.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));

describe('Stages', () => {
  it('creates, lists with the deploymentId filter, gets and deletes stages', async () => {
    const { restApiId, first, second } = await apiWithDeployments();
    const created = await m.v1.send(
      new CreateStageCommand({
        restApiId,
        stageName: 'prod',
        deploymentId: first,
        description: 'production',
        variables: { backend: 'one' },
        tracingEnabled: true,
        tags: { team: 'pets' },
      }),
    );
    expect(created).toMatchObject({
      stageName: 'prod',
      deploymentId: first,
      description: 'production',
      variables: { backend: 'one' },
      tracingEnabled: true,
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      tags: { team: 'pets' },
    });
    expect(created.createdDate).toEqual(created.lastUpdatedDate);
    await m.v1.send(new CreateStageCommand({ restApiId, stageName: 'beta', deploymentId: second }));

    const all = await m.v1.send(new GetStagesCommand({ restApiId }));
    expect(all.item?.map((s) => s.stageName).sort()).toEqual(['beta', 'prod']);
    const onFirst = await m.v1.send(new GetStagesCommand({ restApiId, deploymentId: first }));
    expect(onFirst.item?.map((s) => s.stageName)).toEqual(['prod']);

    await m.v1.send(new DeleteStageCommand({ restApiId, stageName: 'beta' }));
    const gone = await failure(m.v1.send(new GetStageCommand({ restApiId, stageName: 'beta' })));
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as Error).message).toBe('Invalid Stage identifier specified');
  });

  it('answers AWS errors on create: existing stage, unknown deployment, unknown canary deployment', async () => {
    const { restApiId, first } = await apiWithDeployments();
    await m.v1.send(new CreateStageCommand({ restApiId, stageName: 'prod', deploymentId: first }));
    const again = await failure(
      m.v1.send(new CreateStageCommand({ restApiId, stageName: 'prod', deploymentId: first })),
    );
    expect(again).toBeInstanceOf(ConflictException);
    expect((again as Error).message).toBe('Stage already exists');
    const noDeployment = await failure(
      m.v1.send(new CreateStageCommand({ restApiId, stageName: 'dev', deploymentId: 'nope00' })),
    );
    expect(noDeployment).toBeInstanceOf(NotFoundException);
    const badCanary = await failure(
      m.v1.send(
        new CreateStageCommand({
          restApiId,
          stageName: 'dev',
          deploymentId: first,
          canarySettings: { deploymentId: 'nope00', percentTraffic: 10 },
        }),
      ),
    );
    expect(badCanary).toBeInstanceOf(BadRequestException);
    expect((badCanary as Error).message).toBe('Deployment id does not exist');
    const badName = await failure(
      m.v1.send(new CreateStageCommand({ restApiId, stageName: 'a b', deploymentId: first })),
    );
    expect(badName).toBeInstanceOf(BadRequestException);
  });

  it('patches the stage settings and bumps lastUpdatedDate on every write', async () => {
    const { restApiId, first, second } = await apiWithDeployments();
    const created = await m.v1.send(
      new CreateStageCommand({
        restApiId,
        stageName: 'prod',
        deploymentId: first,
        variables: { a: '1', b: '2' },
      }),
    );
    clock += 60_000;
    const patched = await update(restApiId, 'prod', [
      { op: 'replace', path: '/description', value: 'changed' },
      { op: 'replace', path: '/deploymentId', value: second },
      { op: 'replace', path: '/variables/a', value: 'one' },
      { op: 'remove', path: '/variables/b' },
      { op: 'add', path: '/variables/c', value: '3' },
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/cacheClusterSize', value: '0.5' },
      { op: 'replace', path: '/tracingEnabled', value: 'true' },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
      {
        op: 'replace',
        path: '/accessLogSettings/destinationArn',
        value: 'arn:aws:logs:us-east-1:1:log-group:x',
      },
    ]);
    expect(patched).toMatchObject({
      description: 'changed',
      deploymentId: second,
      variables: { a: 'one', c: '3' },
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
      tracingEnabled: true,
      accessLogSettings: {
        format: '$context.requestId',
        destinationArn: 'arn:aws:logs:us-east-1:1:log-group:x',
      },
    });
    expect(patched.lastUpdatedDate!.getTime()).toBe(created.lastUpdatedDate!.getTime() + 60_000);
    expect(patched.createdDate).toEqual(created.createdDate);

    const removed = await update(restApiId, 'prod', [{ op: 'remove', path: '/accessLogSettings' }]);
    expect(removed.accessLogSettings).toBeUndefined();
    const badDeployment = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/deploymentId', value: 'nope00' }]),
    );
    expect(badDeployment).toBeInstanceOf(NotFoundException);
    const badPath = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/stageName', value: 'x' }]),
    );
    expect(badPath).toBeInstanceOf(BadRequestException);
    const badSize = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/cacheClusterSize', value: '2' }]),
    );
    expect(badSize).toBeInstanceOf(BadRequestException);
    const missing = await failure(
      update(restApiId, 'nostage', [{ op: 'replace', path: '/description', value: 'x' }]),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
  });

  it('keeps method settings under AWS keys with AWS defaults for a new entry', async () => {
    const { restApiId, first } = await apiWithDeployments();
    await m.v1.send(new CreateStageCommand({ restApiId, stageName: 'prod', deploymentId: first }));
    const patched = await update(restApiId, 'prod', [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '50' },
      { op: 'replace', path: '/~1pets/GET/caching/enabled', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/caching/ttlInSeconds', value: '60' },
      { op: 'replace', path: '/~1pets/GET/logging/loglevel', value: 'INFO' },
      { op: 'replace', path: '/~1pets/GET/metrics/enabled', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/logging/dataTrace', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/caching/dataEncrypted', value: 'true' },
      { op: 'replace', path: '/~1pets/GET/caching/requireAuthorizationForCacheControl', value: 'false' },
      {
        op: 'replace',
        path: '/~1pets/GET/caching/unauthorizedCacheControlHeaderStrategy',
        value: 'FAIL_WITH_403',
      },
    ]);
    expect(patched.methodSettings).toEqual({
      '*/*': {
        metricsEnabled: false,
        loggingLevel: 'OFF',
        dataTraceEnabled: false,
        throttlingBurstLimit: 50,
        throttlingRateLimit: 100,
        cachingEnabled: false,
        cacheTtlInSeconds: 300,
        cacheDataEncrypted: false,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      },
      'pets/GET': {
        metricsEnabled: true,
        loggingLevel: 'INFO',
        dataTraceEnabled: true,
        throttlingBurstLimit: 5000,
        throttlingRateLimit: 10000,
        cachingEnabled: true,
        cacheTtlInSeconds: 60,
        cacheDataEncrypted: true,
        requireAuthorizationForCacheControl: false,
        unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      },
    });
    const stored = await m.store.getStage(restApiId, 'prod');
    expect(Object.keys(stored?.methodSettings ?? {})).toEqual(['*/*', 'pets/GET']);

    const dropped = await update(restApiId, 'prod', [{ op: 'remove', path: '/~1pets/GET' }]);
    expect(Object.keys(dropped.methodSettings ?? {})).toEqual(['*/*']);
    const badTtl = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '7200' }]),
    );
    expect(badTtl).toBeInstanceOf(BadRequestException);
    const badLevel = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'LOUD' }]),
    );
    expect(badLevel).toBeInstanceOf(BadRequestException);
    const badSetting = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/*/*/caching/size', value: '1' }]),
    );
    expect(badSetting).toBeInstanceOf(BadRequestException);
  });

  it('edits a canary and promotes it with the three patch operations, as AWS records it', async () => {
    const { restApiId, first, second } = await apiWithDeployments();
    await m.v1.send(
      new CreateStageCommand({
        restApiId,
        stageName: 'prod',
        deploymentId: first,
        variables: { testVar: 'default', testVar2: 'test2' },
        canarySettings: {
          deploymentId: second,
          percentTraffic: 10,
          stageVariableOverrides: { testVar: 'canary' },
        },
      }),
    );
    const edited = await update(restApiId, 'prod', [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '50.5' },
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/testVar', value: 'override' },
      { op: 'replace', path: '/canarySettings/useStageCache', value: 'true' },
    ]);
    expect(edited.canarySettings).toEqual({
      deploymentId: second,
      percentTraffic: 50.5,
      stageVariableOverrides: { testVar: 'override' },
      useStageCache: true,
    });
    const badAdd = await failure(
      update(restApiId, 'prod', [{ op: 'add', path: '/canarySettings/deploymentId', value: first }]),
    );
    expect((badAdd as Error).message).toBe('Invalid add operation with path: /canarySettings/deploymentId');
    const badCanaryDeployment = await failure(
      update(restApiId, 'prod', [{ op: 'replace', path: '/canarySettings/deploymentId', value: 'nope00' }]),
    );
    expect((badCanaryDeployment as Error).message).toBe('Deployment id does not exist');
    const badCopy = await failure(
      update(restApiId, 'prod', [
        { op: 'copy', path: '/canarySettings/stageVariableOverrides', from: '/variables' },
      ]),
    );
    expect(badCopy).toBeInstanceOf(BadRequestException);
    expect((badCopy as Error).message).toBe(
      'Invalid copy operation with path: /canarySettings/stageVariableOverrides and from /variables. Valid copy:path are [/deploymentId, /variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]',
    );

    const promoted = await update(restApiId, 'prod', [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
    ]);
    expect(promoted.deploymentId).toBe(second);
    expect(promoted.variables).toEqual({ testVar: 'override', testVar2: 'test2' });
    expect(promoted.canarySettings).toMatchObject({ deploymentId: second, percentTraffic: 0 });

    const withoutCanary = await update(restApiId, 'prod', [{ op: 'remove', path: '/canarySettings' }]);
    expect(withoutCanary.canarySettings).toBeUndefined();
    const noCanary = await failure(
      update(restApiId, 'prod', [
        { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      ]),
    );
    expect(noCanary).toBeInstanceOf(BadRequestException);
    expect((noCanary as Error).message).toBe('Promotion not available. Canary does not exist.');
  });
});
