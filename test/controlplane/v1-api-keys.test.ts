// v1 ApiKeys through the AWS SDK and the AWS CLI: create, get (value hidden unless asked), list
// with filters, patch, delete, ImportApiKeys from AWS's CSV format, and AWS's errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BadRequestException,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  ImportApiKeysCommand,
  NotFoundException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { deploy } from '../../src/controlplane/deployments.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';
import { mock, restApi } from '../helpers/apis.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
let dir: string;
beforeAll(async () => {
  m = await startTestManagement();
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-keys-'));
});
afterAll(async () => {
  await m.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ApiKeys', () => {
  it('creates a key disabled with a generated value, hides the value unless asked, patches and deletes it', async () => {
    const created = await m.v1.send(
      new CreateApiKeyCommand({ name: 'first', customerId: 'c1', tags: { team: 'a' } }),
    );
    expect(created.enabled).toBe(false);
    expect(created.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(created.stageKeys).toEqual([]);
    expect(created.createdDate).toBeInstanceOf(Date);
    const id = created.id!;

    const hidden = await m.v1.send(new GetApiKeyCommand({ apiKey: id }));
    expect(hidden.value).toBeUndefined();
    expect(hidden).toMatchObject({ name: 'first', customerId: 'c1', tags: { team: 'a' } });
    const shown = await m.v1.send(new GetApiKeyCommand({ apiKey: id, includeValue: true }));
    expect(shown.value).toBe(created.value);

    const patched = await m.v1.send(
      new UpdateApiKeyCommand({
        apiKey: id,
        patchOperations: [
          { op: 'replace', path: '/enabled', value: 'true' },
          { op: 'replace', path: '/name', value: 'renamed' },
          { op: 'replace', path: '/description', value: 'd' },
        ],
      }),
    );
    expect(patched).toMatchObject({ enabled: true, name: 'renamed', description: 'd' });
    expect((await m.store.getApiKey(id))?.enabled).toBe(true);

    const refused = await m.v1
      .send(
        new UpdateApiKeyCommand({
          apiKey: id,
          patchOperations: [{ op: 'replace', path: '/value', value: 'x'.repeat(30) }],
        }),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as Error).message).toBe('Invalid patch path /value for operation replace');

    await m.v1.send(new DeleteApiKeyCommand({ apiKey: id }));
    const missing = await m.v1.send(new GetApiKeyCommand({ apiKey: id })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as Error).message).toBe('Invalid API Key identifier specified');
  });

  it('lists keys filtered by name prefix and customer, with values only when asked', async () => {
    await m.v1.send(new CreateApiKeyCommand({ name: 'list-alpha', value: 'alpha-value-0123456789' }));
    await m.v1.send(new CreateApiKeyCommand({ name: 'list-beta', customerId: 'cust-b' }));
    const byName = await m.v1.send(new GetApiKeysCommand({ nameQuery: 'list-al', includeValues: true }));
    expect(byName.items?.map((key) => [key.name, key.value])).toEqual([
      ['list-alpha', 'alpha-value-0123456789'],
    ]);
    const byCustomer = await m.v1.send(new GetApiKeysCommand({ customerId: 'cust-b' }));
    expect(byCustomer.items?.map((key) => key.name)).toEqual(['list-beta']);
    expect(byCustomer.items?.[0]?.value).toBeUndefined();
  });

  it("refuses bad values with AWS's messages", async () => {
    const short = await m.v1
      .send(new CreateApiKeyCommand({ name: 'short', value: 'tooshort' }))
      .catch((e: unknown) => e);
    expect(short).toBeInstanceOf(BadRequestException);
    expect((short as Error).message).toBe('API Key value should be at least 20 characters');
    await m.v1.send(new CreateApiKeyCommand({ name: 'dup', value: 'duplicate-value-0123456789' }));
    const dup = await m.v1
      .send(new CreateApiKeyCommand({ name: 'dup2', value: 'duplicate-value-0123456789' }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    expect((dup as Error).message).toBe('API Key already exists');
    const badStage = await m.v1
      .send(
        new CreateApiKeyCommand({ name: 's', stageKeys: [{ restApiId: 'nosuchapi0', stageName: 'prod' }] }),
      )
      .catch((e: unknown) => e);
    expect(badStage).toBeInstanceOf(BadRequestException);
  });

  it('stores stage keys and edits them with add/remove /stages', async () => {
    const api = restApi({ 'GET /': mock(200) });
    await m.store.createApi(api);
    await deploy(m.store, { apiId: api.id, stageName: 'prod' });
    const key = await m.v1.send(
      new CreateApiKeyCommand({ name: 'staged', stageKeys: [{ restApiId: api.id, stageName: 'prod' }] }),
    );
    expect(key.stageKeys).toEqual([`${api.id}/prod`]);
    const removed = await m.v1.send(
      new UpdateApiKeyCommand({
        apiKey: key.id!,
        patchOperations: [{ op: 'remove', path: '/stages', value: `${api.id}/prod` }],
      }),
    );
    expect(removed.stageKeys).toEqual([]);
  });

  it.runIf(hasAwsCli)('creates a key from the AWS CLI', async () => {
    const result = await m.aws(['apigateway', 'create-api-key', '--name', 'cli-key', '--enabled']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ name: 'cli-key', enabled: true });
  });
});

describe('ImportApiKeys', () => {
  it('imports a CSV key file, adding keys to the plans it names', async () => {
    const plan = await m.v1.send(new CreateUsagePlanCommand({ name: 'import-plan' }));
    const csv = [
      'name,key,description,Enabled,usageplanIds',
      `imported-1,imported-value-000000001,first,true,"${plan.id!}"`,
      'imported-2,imported-value-000000002,,false,',
    ].join('\n');
    const result = await m.v1.send(
      new ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv', failOnWarnings: true }),
    );
    expect(result.ids).toHaveLength(2);
    expect(result.warnings).toBeUndefined();
    const first = await m.store.getApiKey(result.ids![0]!);
    expect(first).toMatchObject({ name: 'imported-1', value: 'imported-value-000000001', enabled: true });
    expect((await m.store.getApiKey(result.ids![1]!))?.enabled).toBe(false);
    const keys = await m.v1.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    expect(keys.items?.map((key) => key.id)).toEqual([result.ids![0]]);
  });

  it('reports rows with problems as warnings, or imports nothing with failOnWarnings', async () => {
    const csv = 'Name,Key\ngood,good-imported-value-0001\nbad,short\n';
    const strict = await m.v1
      .send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv', failOnWarnings: true }))
      .catch((e: unknown) => e);
    expect(strict).toBeInstanceOf(BadRequestException);
    expect((strict as Error).message).toContain('API Key value should be at least 20 characters');
    expect(await m.store.getApiKeyByValue('good-imported-value-0001')).toBeUndefined();

    const lenient = await m.v1.send(new ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv' }));
    expect(lenient.ids).toHaveLength(1);
    expect(lenient.warnings).toEqual(['line 3: API Key value should be at least 20 characters']);

    const noHeader = await m.v1
      .send(new ImportApiKeysCommand({ body: Buffer.from('a,b\n'), format: 'csv' }))
      .catch((e: unknown) => e);
    expect(noHeader).toBeInstanceOf(BadRequestException);
    expect((noHeader as Error).message).toContain('Name and Key');
  });

  it.runIf(hasAwsCli)('imports from the AWS CLI', async () => {
    const file = join(dir, 'keys.csv');
    await writeFile(file, 'Name,Key,Enabled\ncli-imported,cli-imported-value-00001,true\n');
    const result = await m.aws([
      'apigateway',
      'import-api-keys',
      '--body',
      `fileb://${file}`,
      '--format',
      'csv',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const ids = (result.json as { ids: string[] }).ids;
    expect(ids).toHaveLength(1);
    expect((await m.store.getApiKey(ids[0]!))?.name).toBe('cli-imported');
  });
});
