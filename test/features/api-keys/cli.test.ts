// `gatehouse api-key …` and `gatehouse usage-plan …` through their run functions, and once
// through commander, against a data directory of their own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  registerApiKeyCommands,
  runApiKeyCreate,
  runApiKeyDelete,
  runApiKeyImport,
  runApiKeyList,
  runApiKeySetEnabled,
  runUsagePlanAddKey,
  runUsagePlanCreate,
  runUsagePlanDelete,
  runUsagePlanList,
  runUsagePlanRemoveKey,
} from '../../../src/cli/api-key-commands.js';
import type { ApiKey, UsagePlan } from '../../../src/model/usage-plans.js';
import type { ConfigStore } from '../../../src/store/config-store.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { deploymentOf, httpApi, restApi, stageOf } from '../../store/fixtures.js';

let dataDir: string;
let restApiId: string;
let httpApiId: string;

async function usingStore<T>(use: (store: ConfigStore) => Promise<T>): Promise<T> {
  const store = SqliteConfigStore.open(dataDir);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const quiet = (): Writable => collector().stream;
const data = (): { data: string } => ({ data: dataDir });

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-api-key-cli-'));
  const rest = restApi();
  const http = httpApi();
  restApiId = rest.id;
  httpApiId = http.apiId;
  await usingStore(async (store) => {
    for (const api of [rest, http]) {
      await store.createApi(api);
      const deployment = deploymentOf(api);
      await store.createDeployment(deployment);
      await store.putStage(stageOf(api, 'prod', { deploymentId: deployment.id }));
    }
    await store.putStage(stageOf(rest, 'beta'));
  });
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const createKey = (opts: { name?: string; value?: string; enabled?: boolean } = {}): Promise<ApiKey> =>
  runApiKeyCreate({ ...data(), name: opts.name ?? 'mobile', ...opts }, quiet());

const createPlan = (opts: Partial<Parameters<typeof runUsagePlanCreate>[0]> = {}): Promise<UsagePlan> =>
  runUsagePlanCreate({ ...data(), name: 'Gold', apiStage: [`${restApiId}:prod`], ...opts }, quiet());

describe('api-key create', () => {
  it('creates a disabled key with a generated value and prints its id and value', async () => {
    const out = collector();

    const key = await runApiKeyCreate({ ...data(), name: 'mobile' }, out.stream);

    expect(key.enabled).toBe(false);
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(out.text()).toBe(
      `created API key "mobile" (${key.id}), disabled: gatehouse api-key enable ${key.id}\n` +
        `id     ${key.id}\nvalue  ${key.value}\n`,
    );
    expect(await usingStore((store) => store.getApiKey(key.id))).toEqual(key);
  });

  it('creates an enabled key with the value given', async () => {
    const out = collector();

    const key = await runApiKeyCreate(
      { ...data(), name: 'partner', value: 'partner-key-0123456789', enabled: true, description: 'd' },
      out.stream,
    );

    expect(key).toMatchObject({
      name: 'partner',
      value: 'partner-key-0123456789',
      enabled: true,
      description: 'd',
    });
    expect(out.text()).toContain(`created API key "partner" (${key.id}), enabled\n`);
    expect(out.text()).toContain('value  partner-key-0123456789\n');
  });

  it('refuses a short or long value with AWS’s messages, and stores nothing', async () => {
    await expect(createKey({ value: 'short' })).rejects.toThrow(
      /^API Key value should be at least 20 characters$/,
    );
    await expect(createKey({ value: 'x'.repeat(129) })).rejects.toThrow(
      /^API Key value exceeds maximum size of 128 characters$/,
    );
    expect(await usingStore((store) => store.listApiKeys())).toEqual([]);
  });

  it('refuses a value another key has with "API Key already exists"', async () => {
    await createKey({ value: 'the-same-value-0123456789' });

    await expect(createKey({ name: 'again', value: 'the-same-value-0123456789' })).rejects.toThrow(
      'API Key already exists',
    );
  });
});

describe('api-key ls, enable, disable, delete', () => {
  it('says how to begin when there are no keys', async () => {
    const out = collector();
    await runApiKeyList(data(), out.stream);
    expect(out.text()).toBe('no API keys yet: gatehouse api-key create --name NAME\n');
  });

  it('lists keys with their state and plans, and values only when asked', async () => {
    const mobile = await createKey({ name: 'mobile', enabled: true });
    const partner = await createKey({ name: 'partner' });
    const plan = await createPlan();
    await runUsagePlanAddKey(plan.id, mobile.id, data(), quiet());
    const out = collector();
    const withValues = collector();

    await runApiKeyList(data(), out.stream);
    await runApiKeyList({ ...data(), values: true }, withValues.stream);

    expect(out.text().split('\n')).toEqual([
      'ID          STATE     NAME     USAGE PLANS',
      `${mobile.id}  enabled   mobile   ${plan.id}`,
      `${partner.id}  disabled  partner  -`,
      '',
    ]);
    expect(out.text()).not.toContain(mobile.value);
    expect(withValues.text()).toContain(`${mobile.id}  enabled   ${mobile.value}  mobile`);
  });

  it('enables and disables a key', async () => {
    const key = await createKey();
    const out = collector();

    await runApiKeySetEnabled(key.id, true, data(), out.stream);
    expect((await usingStore((store) => store.getApiKey(key.id)))?.enabled).toBe(true);
    await runApiKeySetEnabled(key.id, false, data(), out.stream);
    expect((await usingStore((store) => store.getApiKey(key.id)))?.enabled).toBe(false);

    expect(out.text()).toBe(`enabled API key "mobile" (${key.id})\ndisabled API key "mobile" (${key.id})\n`);
  });

  it('deletes a key and takes it out of its plans', async () => {
    const key = await createKey();
    const plan = await createPlan();
    await runUsagePlanAddKey(plan.id, key.id, data(), quiet());
    const out = collector();

    await runApiKeyDelete(key.id, data(), out.stream);

    expect(out.text()).toBe(`deleted API key "mobile" (${key.id})\n`);
    expect(await usingStore((store) => store.getApiKey(key.id))).toBeUndefined();
    expect(await usingStore((store) => store.listUsagePlanKeys(plan.id))).toEqual([]);
  });

  it('names a key id that does not exist', async () => {
    const message = 'no API key with id nosuchkey (gatehouse api-key ls lists them)';
    await expect(runApiKeySetEnabled('nosuchkey', true, data(), quiet())).rejects.toThrow(message);
    await expect(runApiKeyDelete('nosuchkey', data(), quiet())).rejects.toThrow(message);
  });
});

describe('usage-plan create and ls', () => {
  it('creates a plan for API stages, with throttle and quota, and prints its id last', async () => {
    const out = collector();

    const plan = await runUsagePlanCreate(
      {
        ...data(),
        name: 'Gold',
        apiStage: [`${restApiId}:prod`, `${restApiId}:beta`],
        rate: 10,
        burst: 20,
        quotaLimit: 1000,
        quotaPeriod: 'MONTH',
      },
      out.stream,
    );

    expect(plan).toEqual({
      id: plan.id,
      name: 'Gold',
      apiStages: [
        { apiId: restApiId, stage: 'prod' },
        { apiId: restApiId, stage: 'beta' },
      ],
      throttle: { rateLimit: 10, burstLimit: 20 },
      quota: { limit: 1000, offset: 0, period: 'MONTH' },
    });
    expect(await usingStore((store) => store.getUsagePlan(plan.id))).toEqual(plan);
    expect(out.text().trimEnd().split('\n').at(-1)).toBe(plan.id);
  });

  it('refuses a stage or API that does not exist, or an HTTP API, in AWS’s words', async () => {
    await expect(createPlan({ apiStage: [`${restApiId}:nosuch`] })).rejects.toThrow(
      new RegExp(
        `^Invalid API Stage \\{api: ${restApiId}, stage: nosuch\\} specified for usageplan \\w+: API ${restApiId} has no stage nosuch$`,
      ),
    );
    await expect(createPlan({ apiStage: ['nosuchapi:prod'] })).rejects.toThrow(/there is no API nosuchapi$/);
    await expect(createPlan({ apiStage: [`${httpApiId}:prod`] })).rejects.toThrow(
      /is an HTTP API; usage plans and API keys apply to REST APIs$/,
    );
    expect(await usingStore((store) => store.listUsagePlans())).toEqual([]);
  });

  it('refuses half a throttle or quota, and a malformed --api-stage', async () => {
    await expect(createPlan({ rate: 1 })).rejects.toThrow('--rate and --burst go together');
    await expect(createPlan({ burst: 1 })).rejects.toThrow('--rate and --burst go together');
    await expect(createPlan({ quotaLimit: 5 })).rejects.toThrow(
      '--quota-limit and --quota-period go together',
    );
    await expect(createPlan({ quotaOffset: 1 })).rejects.toThrow('--quota-offset needs --quota-limit');
    await expect(createPlan({ apiStage: ['prod'] })).rejects.toThrow(
      '--api-stage "prod" must be API_ID:STAGE',
    );
    await expect(createPlan({ apiStage: [] })).rejects.toThrow('at least one --api-stage');
    await expect(createPlan({ apiStage: [`${restApiId}:prod`, `${restApiId}:prod`] })).rejects.toThrow(
      `API stage ${restApiId}:prod appears twice`,
    );
  });

  it('lists plans with their stages, limits and number of keys', async () => {
    const empty = collector();
    await runUsagePlanList(data(), empty.stream);
    expect(empty.text()).toMatch(/^no usage plans yet/);
    const gold = await createPlan({ rate: 2.5, burst: 5, quotaLimit: 100, quotaPeriod: 'DAY' });
    const free = await createPlan({ name: 'Free', apiStage: [`${restApiId}:beta`] });
    const key = await createKey();
    await runUsagePlanAddKey(gold.id, key.id, data(), quiet());
    const out = collector();

    await runUsagePlanList(data(), out.stream);

    const row = (...cells: string[]) =>
      cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd([6, 4, 15, 16, 7][i]!))).join('  ');
    expect(out.text().split('\n')).toEqual([
      row('ID', 'NAME', 'API STAGES', 'THROTTLE', 'QUOTA', 'KEYS'),
      row(gold.id, 'Gold', `${restApiId}:prod`, '2.5 rps, burst 5', '100/DAY', '1'),
      row(free.id, 'Free', `${restApiId}:beta`, '-', '-', '0'),
      '',
    ]);
  });

  it('deletes a plan and keeps its keys', async () => {
    const plan = await createPlan();
    const key = await createKey();
    await runUsagePlanAddKey(plan.id, key.id, data(), quiet());

    await runUsagePlanDelete(plan.id, data(), quiet());

    expect(await usingStore((store) => store.listUsagePlans())).toEqual([]);
    expect(await usingStore((store) => store.getApiKey(key.id))).toEqual(key);
    await expect(runUsagePlanDelete(plan.id, data(), quiet())).rejects.toThrow(
      `no usage plan with id ${plan.id}`,
    );
  });
});

describe('usage-plan add-key and remove-key', () => {
  it('puts a key in a plan, pointing out when the key is disabled, and takes it out again', async () => {
    const plan = await createPlan();
    const key = await createKey();
    const out = collector();

    await runUsagePlanAddKey(plan.id, key.id, data(), out.stream);
    expect(await usingStore((store) => store.listUsagePlanKeys(plan.id))).toEqual([
      { usagePlanId: plan.id, keyId: key.id },
    ]);
    await runUsagePlanRemoveKey(plan.id, key.id, data(), out.stream);

    expect(await usingStore((store) => store.listUsagePlanKeys(plan.id))).toEqual([]);
    expect(out.text()).toBe(
      `added API key "mobile" (${key.id}) to usage plan ${plan.id} "Gold"\n` +
        `the key is disabled: gatehouse api-key enable ${key.id}\n` +
        `removed API key ${key.id} from usage plan ${plan.id} "Gold"\n`,
    );
  });

  it('names what is missing or wrong', async () => {
    const plan = await createPlan();
    const key = await createKey();

    await expect(runUsagePlanAddKey('nosuch', key.id, data(), quiet())).rejects.toThrow(
      'no usage plan with id nosuch',
    );
    await expect(runUsagePlanAddKey(plan.id, 'nosuchkey', data(), quiet())).rejects.toThrow(
      'no API key with id nosuchkey',
    );
    await runUsagePlanAddKey(plan.id, key.id, data(), quiet());
    await expect(runUsagePlanAddKey(plan.id, key.id, data(), quiet())).rejects.toThrow(
      `API key ${key.id} is already in usage plan ${plan.id}`,
    );
    await runUsagePlanRemoveKey(plan.id, key.id, data(), quiet());
    await expect(runUsagePlanRemoveKey(plan.id, key.id, data(), quiet())).rejects.toThrow(
      'Invalid Usage Plan Key identifier specified',
    );
  });
});

describe('api-key import', () => {
  const VALUE = 'apikey1234abcdefghij0123456789';

  async function keyFile(text: string): Promise<string> {
    const file = path.join(dataDir, 'keys.csv');
    await writeFile(file, text);
    return file;
  }

  it('imports keys, enabled by default, into the usage plans the file names', async () => {
    const gold = await createPlan();
    const free = await createPlan({ name: 'Free', apiStage: [`${restApiId}:beta`] });
    const file = await keyFile(
      `Enabled,Name,key,UsageplanIds\ntrue,MyFirstApiKey,${VALUE},"${gold.id},${free.id}"\n,Second,${'s'.repeat(20)},\n`,
    );
    const out = collector();
    const err = collector();

    const [first, second] = await runApiKeyImport(file, data(), out.stream, err.stream);

    expect(first).toMatchObject({ name: 'MyFirstApiKey', value: VALUE, enabled: true });
    expect(second).toMatchObject({ name: 'Second', value: 's'.repeat(20), enabled: true });
    expect(out.text()).toBe(
      `created API key "MyFirstApiKey" (${first!.id}) (usage plans ${gold.id},${free.id})\n` +
        `created API key "Second" (${second!.id})\n` +
        'imported 2 API keys\n',
    );
    expect(err.text()).toBe('');
    const links = await usingStore((store) => store.listUsagePlanKeys());
    expect(links).toEqual(
      expect.arrayContaining([
        { usagePlanId: gold.id, keyId: first!.id },
        { usagePlanId: free.id, keyId: first!.id },
      ]),
    );
    expect(links).toHaveLength(2);
  });

  it('overwrites a key imported again, keeping its id, and does not add it to a plan twice', async () => {
    const plan = await createPlan();
    const first = await keyFile(`Name,Key,Enabled,UsagePlanIds\nold name,${VALUE},true,${plan.id}\n`);
    const [imported] = await runApiKeyImport(first, data(), quiet(), quiet());
    const again = await keyFile(
      `Name,Key,Enabled,UsagePlanIds,Description\nnew name,${VALUE},false,${plan.id},now described\n`,
    );
    const out = collector();

    const [reimported] = await runApiKeyImport(again, data(), out.stream, quiet());

    expect(reimported?.id).toBe(imported?.id);
    expect(await usingStore((store) => store.getApiKey(imported!.id))).toMatchObject({
      name: 'new name',
      description: 'now described',
      enabled: false,
      value: VALUE,
    });
    expect(await usingStore((store) => store.listApiKeys())).toHaveLength(1);
    expect(await usingStore((store) => store.listUsagePlanKeys(plan.id))).toHaveLength(1);
    expect(out.text()).toMatch(/^updated API key "new name" /);
  });

  it('skips rows with problems and warns about them, naming the line', async () => {
    const file = await keyFile(`Name,Key,UsagePlanIds\nshort,tooshort,\nunknown plan,${VALUE},nosuch\n`);
    const out = collector();
    const err = collector();

    const imported = await runApiKeyImport(file, data(), out.stream, err.stream);

    expect(imported.map((key) => key.name)).toEqual(['unknown plan']);
    expect(err.text()).toBe(
      'warning: line 2: API Key value should be at least 20 characters\n' +
        'warning: line 3: Invalid Usage Plan ID specified: nosuch\n',
    );
    expect(out.text()).toMatch(/imported 1 API key, 2 warnings\n$/);
    expect(await usingStore((store) => store.listUsagePlanKeys())).toEqual([]);
  });

  it('imports nothing with --fail-on-warnings when a row has a problem', async () => {
    const file = await keyFile(`Name,Key\ngood,${VALUE}\nshort,tooshort\n`);

    await expect(
      runApiKeyImport(file, { ...data(), failOnWarnings: true }, quiet(), quiet()),
    ).rejects.toThrow(
      /nothing imported \(--fail-on-warnings\):\n {2}line 3: API Key value should be at least 20 characters$/,
    );
    expect(await usingStore((store) => store.listApiKeys())).toEqual([]);
  });

  it('refuses a file that is missing, has no Name or Key column, or no key to import', async () => {
    await expect(
      runApiKeyImport(path.join(dataDir, 'missing.csv'), data(), quiet(), quiet()),
    ).rejects.toThrow(/^cannot read .*missing\.csv: ENOENT/);
    const noKeyColumn = await keyFile('Name,Value\na,b\n');
    await expect(runApiKeyImport(noKeyColumn, data(), quiet(), quiet())).rejects.toThrow(
      /keys\.csv: the header row must name the columns Name and Key/,
    );
    const nothing = await keyFile('Name,Key\nshort,tooshort\n');
    await expect(runApiKeyImport(nothing, data(), quiet(), quiet())).rejects.toThrow(
      /keys\.csv: no API keys to import$/,
    );
  });
});

describe('registerApiKeyCommands', () => {
  function program(): Command {
    const root = new Command('gatehouse')
      .exitOverride()
      .configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerApiKeyCommands(root, () => new Option('--data <dir>', 'data directory').default('.gatehouse'));
    return root;
  }

  async function run(...args: string[]): Promise<string> {
    let text = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += chunk.toString();
      return true;
    });
    try {
      await program().parseAsync(args, { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    return text;
  }

  it('runs the whole flow from the command line', async () => {
    const created = await run('api-key', 'create', '--name', 'cli', '--enabled', '--data', dataDir);
    const keyId = /^id {5}(\w+)$/m.exec(created)?.[1] ?? '';
    const planOutput = await run(
      'usage-plan',
      'create',
      '--name',
      'Gold',
      '--api-stage',
      `${restApiId}:prod`,
      '--api-stage',
      `${restApiId}:beta`,
      '--rate',
      '0.5',
      '--burst',
      '2',
      '--quota-limit',
      '10',
      '--quota-period',
      'WEEK',
      '--data',
      dataDir,
    );
    const planId = planOutput.trimEnd().split('\n').at(-1) ?? '';
    await run('usage-plan', 'add-key', planId, keyId, '--data', dataDir);
    await run('api-key', 'disable', keyId, '--data', dataDir);

    const plan = await usingStore((store) => store.getUsagePlan(planId));
    expect(plan).toMatchObject({
      name: 'Gold',
      apiStages: [
        { apiId: restApiId, stage: 'prod' },
        { apiId: restApiId, stage: 'beta' },
      ],
      throttle: { rateLimit: 0.5, burstLimit: 2 },
      quota: { limit: 10, offset: 0, period: 'WEEK' },
    });
    expect(await usingStore((store) => store.listUsagePlanKeys(planId))).toEqual([
      { usagePlanId: planId, keyId },
    ]);
    expect((await usingStore((store) => store.getApiKey(keyId)))?.enabled).toBe(false);
    expect(await run('api-key', 'ls', '--data', dataDir)).toContain(`${keyId}  disabled  cli   ${planId}`);
  });

  it('treats bad numbers, an unknown quota period and a missing --api-stage as usage errors', async () => {
    const usage = async (...args: string[]) => {
      const error = await run(...args, '--data', dataDir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CommanderError);
    };
    await usage(
      'usage-plan',
      'create',
      '--name',
      'x',
      '--api-stage',
      `${restApiId}:prod`,
      '--rate',
      'fast',
      '--burst',
      '1',
    );
    await usage(
      'usage-plan',
      'create',
      '--name',
      'x',
      '--api-stage',
      `${restApiId}:prod`,
      '--burst',
      '1.5',
      '--rate',
      '1',
    );
    await usage(
      'usage-plan',
      'create',
      '--name',
      'x',
      '--api-stage',
      `${restApiId}:prod`,
      '--quota-limit',
      '1',
      '--quota-period',
      'YEAR',
    );
    await usage('usage-plan', 'create', '--name', 'x');
    await usage('api-key', 'create');
    expect(await usingStore((store) => store.listUsagePlans())).toEqual([]);
  });
});
