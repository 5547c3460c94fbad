// `gatehouse api-key …` and `gatehouse usage-plan …`: API keys, usage plans and which keys are
// in which plan. A method with apiKeyRequired accepts a key only when it is enabled and in a
// plan that covers the method's API stage. Changes reach a running gateway through the store's
// watch, without a redeploy.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  KeyFileError,
  parseKeyFile,
  type KeyFile,
  type KeyFileEntry,
} from '../features/api-keys/key-file.js';
import {
  assertValidApiKey,
  newApiKey,
  newUsagePlan,
  QUOTA_PERIODS,
  type ApiKey,
  type ApiStage,
  type NewUsagePlanInput,
  type QuotaPeriod,
  type UsagePlan,
} from '../model/usage-plans.js';
import type { ConfigStore } from '../store/config-store.js';
import { storeOption, withStore } from './config-commands.js';

type Out = NodeJS.WritableStream;

export interface ApiKeyCreateOptions {
  data: string;
  /** A postgres:// URL or a data directory; overrides data. */
  store?: string;
  name: string;
  /** Generated (40 characters) when absent. */
  value?: string;
  description?: string;
  customerId?: string;
  /** Keys are created disabled unless asked, as on AWS. */
  enabled?: boolean;
}

export async function runApiKeyCreate(opts: ApiKeyCreateOptions, out: Out = process.stdout): Promise<ApiKey> {
  const key = newApiKey({
    name: opts.name,
    value: opts.value,
    description: opts.description,
    customerId: opts.customerId,
    enabled: opts.enabled === true,
  });
  await withStore(opts, (store) => store.createApiKey(key));
  out.write(
    key.enabled
      ? `created API key ${describeKey(key)}, enabled\n`
      : `created API key ${describeKey(key)}, disabled: gatehouse api-key enable ${key.id}\n`,
  );
  out.write(`id     ${key.id}\nvalue  ${key.value}\n`);
  return key;
}

export async function runApiKeyList(
  opts: { data: string; store?: string; values?: boolean },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const [keys, links] = await Promise.all([store.listApiKeys(), store.listUsagePlanKeys()]);
    if (keys.length === 0) {
      out.write('no API keys yet: gatehouse api-key create --name NAME\n');
      return;
    }
    const plansOf = new Map<string, string[]>();
    for (const link of links) plansOf.set(link.keyId, [...(plansOf.get(link.keyId) ?? []), link.usagePlanId]);
    const header = ['ID', 'STATE', ...(opts.values === true ? ['VALUE'] : []), 'NAME', 'USAGE PLANS'];
    const rows = keys.map((key) => [
      key.id,
      key.enabled ? 'enabled' : 'disabled',
      ...(opts.values === true ? [key.value] : []),
      key.name ?? '-',
      (plansOf.get(key.id) ?? []).join(',') || '-',
    ]);
    writeTable(out, header, rows);
  });
}

export async function runApiKeySetEnabled(
  keyId: string,
  enabled: boolean,
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const key = await existingKey(store, keyId);
    await store.updateApiKey({ ...key, enabled, lastUpdatedDate: Math.floor(Date.now() / 1000) });
    out.write(`${enabled ? 'enabled' : 'disabled'} API key ${describeKey(key)}\n`);
  });
}

export async function runApiKeyDelete(
  keyId: string,
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const key = await existingKey(store, keyId);
    await store.deleteApiKey(keyId);
    out.write(`deleted API key ${describeKey(key)}\n`);
  });
}

export interface ApiKeyImportOptions {
  data: string;
  /** A postgres:// URL or a data directory; overrides data. */
  store?: string;
  /** Import nothing if any row has a problem (ImportApiKeys' failOnWarnings). */
  failOnWarnings?: boolean;
}

/**
 * Imports an AWS API key file (CSV). A value already stored is updated in place, keeping its
 * id, as AWS overwrites a key imported again. Rows with problems are reported on `err` and
 * skipped, or, with failOnWarnings, stop the import before anything is written.
 */
export async function runApiKeyImport(
  file: string,
  opts: ApiKeyImportOptions,
  out: Out = process.stdout,
  err: Out = process.stderr,
): Promise<ApiKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: KeyFile;
  try {
    parsed = parseKeyFile(text);
  } catch (error) {
    if (error instanceof KeyFileError) throw new Error(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
  return withStore(opts, async (store) => {
    const planIds = new Set((await store.listUsagePlans()).map((plan) => plan.id));
    const warnings = [...parsed.warnings];
    for (const entry of parsed.entries) {
      for (const planId of entry.usagePlanIds) {
        if (!planIds.has(planId))
          warnings.push(`line ${entry.line}: Invalid Usage Plan ID specified: ${planId}`);
      }
    }
    if (warnings.length > 0 && opts.failOnWarnings === true) {
      throw new Error(`${file}: nothing imported (--fail-on-warnings):\n  ${warnings.join('\n  ')}`);
    }
    for (const warning of warnings) err.write(`warning: ${warning}\n`);
    if (parsed.entries.length === 0) {
      throw new Error(`${file}: no API keys to import`);
    }
    const imported: ApiKey[] = [];
    for (const entry of parsed.entries) {
      const { key, created } = await importKey(store, entry);
      const linked = await linkKey(
        store,
        key.id,
        entry.usagePlanIds.filter((id) => planIds.has(id)),
      );
      const plans = linked.length > 0 ? ` (usage plans ${linked.join(',')})` : '';
      out.write(`${created ? 'created' : 'updated'} API key ${describeKey(key)}${plans}\n`);
      imported.push(key);
    }
    out.write(
      `imported ${imported.length} API key${imported.length === 1 ? '' : 's'}` +
        (warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n` : '\n'),
    );
    return imported;
  });
}

async function importKey(
  store: ConfigStore,
  entry: KeyFileEntry,
): Promise<{ key: ApiKey; created: boolean }> {
  const existing = await store.getApiKeyByValue(entry.value);
  if (existing === undefined) {
    const key = newApiKey({
      name: entry.name,
      value: entry.value,
      description: entry.description,
      enabled: entry.enabled,
    });
    await store.createApiKey(key);
    return { key, created: true };
  }
  const key: ApiKey = {
    id: existing.id,
    value: existing.value,
    enabled: entry.enabled,
    createdDate: existing.createdDate,
    lastUpdatedDate: Math.floor(Date.now() / 1000),
  };
  if (entry.name !== undefined) key.name = entry.name;
  if (entry.description !== undefined) key.description = entry.description;
  if (existing.customerId !== undefined) key.customerId = existing.customerId;
  if (existing.tags !== undefined) key.tags = existing.tags;
  assertValidApiKey(key);
  await store.updateApiKey(key);
  return { key, created: false };
}

/** Adds the key to each plan it is not in yet; answers the plans it is now in among these. */
async function linkKey(store: ConfigStore, keyId: string, planIds: string[]): Promise<string[]> {
  for (const planId of planIds) {
    const inPlan = (await store.listUsagePlanKeys(planId)).some((link) => link.keyId === keyId);
    if (!inPlan) await store.addUsagePlanKey(planId, keyId);
  }
  return planIds;
}

export interface UsagePlanCreateOptions {
  data: string;
  /** A postgres:// URL or a data directory; overrides data. */
  store?: string;
  name: string;
  /** `API_ID:STAGE`, one or more. */
  apiStage: string[];
  description?: string;
  /** Steady requests per second per key; goes with burst. */
  rate?: number;
  burst?: number;
  quotaLimit?: number;
  quotaPeriod?: QuotaPeriod;
  quotaOffset?: number;
}

export async function runUsagePlanCreate(
  opts: UsagePlanCreateOptions,
  out: Out = process.stdout,
): Promise<UsagePlan> {
  if ((opts.rate === undefined) !== (opts.burst === undefined)) {
    throw new Error('--rate and --burst go together: give both, or neither for no plan-wide throttle');
  }
  if ((opts.quotaLimit === undefined) !== (opts.quotaPeriod === undefined)) {
    throw new Error('--quota-limit and --quota-period go together: give both, or neither for no quota');
  }
  if (opts.quotaOffset !== undefined && opts.quotaLimit === undefined) {
    throw new Error('--quota-offset needs --quota-limit and --quota-period');
  }
  if (opts.apiStage.length === 0) throw new Error('a usage plan needs at least one --api-stage API_ID:STAGE');
  const input: NewUsagePlanInput = { name: opts.name, apiStages: opts.apiStage.map(parseApiStage) };
  if (opts.description !== undefined) input.description = opts.description;
  if (opts.rate !== undefined && opts.burst !== undefined) {
    input.throttle = { rateLimit: opts.rate, burstLimit: opts.burst };
  }
  if (opts.quotaLimit !== undefined && opts.quotaPeriod !== undefined) {
    input.quota = { limit: opts.quotaLimit, offset: opts.quotaOffset ?? 0, period: opts.quotaPeriod };
  }
  const plan = newUsagePlan(input);
  await withStore(opts, async (store) => {
    for (const apiStage of plan.apiStages) await checkApiStage(store, apiStage, plan.id);
    await store.createUsagePlan(plan);
  });
  out.write(`created usage plan "${plan.name}" for ${plan.apiStages.map(stageLabel).join(', ')}\n`);
  out.write(`add keys with: gatehouse usage-plan add-key ${plan.id} KEY_ID\n`);
  out.write(`${plan.id}\n`);
  return plan;
}

export async function runUsagePlanList(
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const [plans, links] = await Promise.all([store.listUsagePlans(), store.listUsagePlanKeys()]);
    if (plans.length === 0) {
      out.write('no usage plans yet: gatehouse usage-plan create --name NAME --api-stage API_ID:STAGE\n');
      return;
    }
    const keyCount = new Map<string, number>();
    for (const link of links) keyCount.set(link.usagePlanId, (keyCount.get(link.usagePlanId) ?? 0) + 1);
    writeTable(
      out,
      ['ID', 'NAME', 'API STAGES', 'THROTTLE', 'QUOTA', 'KEYS'],
      plans.map((plan) => [
        plan.id,
        plan.name,
        plan.apiStages.map(stageLabel).join(',') || '-',
        plan.throttle ? `${plan.throttle.rateLimit} rps, burst ${plan.throttle.burstLimit}` : '-',
        plan.quota ? `${plan.quota.limit}/${plan.quota.period}` : '-',
        String(keyCount.get(plan.id) ?? 0),
      ]),
    );
  });
}

export async function runUsagePlanDelete(
  usagePlanId: string,
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const plan = await existingPlan(store, usagePlanId);
    await store.deleteUsagePlan(usagePlanId);
    out.write(`deleted usage plan ${plan.id} "${plan.name}"\n`);
  });
}

export async function runUsagePlanAddKey(
  usagePlanId: string,
  keyId: string,
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const plan = await existingPlan(store, usagePlanId);
    const key = await existingKey(store, keyId);
    await store.addUsagePlanKey(usagePlanId, keyId);
    out.write(`added API key ${describeKey(key)} to usage plan ${plan.id} "${plan.name}"\n`);
    if (!key.enabled) out.write(`the key is disabled: gatehouse api-key enable ${key.id}\n`);
  });
}

export async function runUsagePlanRemoveKey(
  usagePlanId: string,
  keyId: string,
  opts: { data: string; store?: string },
  out: Out = process.stdout,
): Promise<void> {
  await withStore(opts, async (store) => {
    const plan = await existingPlan(store, usagePlanId);
    await store.removeUsagePlanKey(usagePlanId, keyId);
    out.write(`removed API key ${keyId} from usage plan ${plan.id} "${plan.name}"\n`);
  });
}

async function existingKey(store: ConfigStore, keyId: string): Promise<ApiKey> {
  const key = await store.getApiKey(keyId);
  if (!key) throw new Error(`no API key with id ${keyId} (gatehouse api-key ls lists them)`);
  return key;
}

async function existingPlan(store: ConfigStore, usagePlanId: string): Promise<UsagePlan> {
  const plan = await store.getUsagePlan(usagePlanId);
  if (!plan) throw new Error(`no usage plan with id ${usagePlanId} (gatehouse usage-plan ls lists them)`);
  return plan;
}

/** AWS refuses a plan naming a stage that does not exist, in these words. */
async function checkApiStage(store: ConfigStore, apiStage: ApiStage, usagePlanId: string): Promise<void> {
  const refuse = (why: string): Error =>
    new Error(
      `Invalid API Stage {api: ${apiStage.apiId}, stage: ${apiStage.stage}} specified for usageplan ${usagePlanId}: ${why}`,
    );
  const api = await store.getApi(apiStage.apiId);
  if (!api) throw refuse(`there is no API ${apiStage.apiId}`);
  if (api.protocolType !== 'REST') {
    throw refuse(`${apiStage.apiId} is an HTTP API; usage plans and API keys apply to REST APIs`);
  }
  if (!(await store.getStage(apiStage.apiId, apiStage.stage))) {
    throw refuse(`API ${apiStage.apiId} has no stage ${apiStage.stage}`);
  }
}

function parseApiStage(text: string): ApiStage {
  const colon = text.indexOf(':');
  const apiId = colon === -1 ? '' : text.slice(0, colon);
  const stage = colon === -1 ? '' : text.slice(colon + 1);
  if (apiId === '' || stage === '') {
    throw new Error(`--api-stage "${text}" must be API_ID:STAGE, e.g. a1b2c3d4e5:prod`);
  }
  return { apiId, stage };
}

const stageLabel = (apiStage: ApiStage): string => `${apiStage.apiId}:${apiStage.stage}`;

const describeKey = (key: ApiKey): string => (key.name === undefined ? key.id : `"${key.name}" (${key.id})`);

function writeTable(out: Out, header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  for (const row of [header, ...rows]) {
    out.write(
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ') + '\n',
    );
  }
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('must be a number of at least 0');
  }
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError('must be a whole number of at least 0');
  }
  return n;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds `api-key` and `usage-plan` with their subcommands to the `gatehouse` program. */
export function registerApiKeyCommands(program: Command, dataOption: () => Option): void {
  const apiKey = program
    .command('api-key')
    .description('manage API keys, which REST methods with apiKeyRequired ask for in x-api-key');

  apiKey
    .command('create')
    .description('create an API key (disabled unless --enabled); prints its id and value')
    .requiredOption('--name <name>', 'key name (at most 1024 characters)')
    .option('--value <value>', 'key value, 20 to 128 characters (default: 40 random characters)')
    .option('--description <text>', 'description')
    .option('--customer-id <id>', 'AWS Marketplace customer id, stored as given')
    .option('--enabled', 'enable the key now')
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      async (o: {
        name: string;
        value?: string;
        description?: string;
        customerId?: string;
        enabled?: boolean;
        data: string;
        store?: string;
      }) => {
        await runApiKeyCreate({
          data: o.data,
          ...(o.store !== undefined && { store: o.store }),
          name: o.name,
          ...(o.value !== undefined && { value: o.value }),
          ...(o.description !== undefined && { description: o.description }),
          ...(o.customerId !== undefined && { customerId: o.customerId }),
          ...(o.enabled !== undefined && { enabled: o.enabled }),
        });
      },
    );

  apiKey
    .command('ls')
    .description('list API keys with their state and usage plans')
    .option('--values', 'show the key values too')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((o: { values?: boolean; data: string; store?: string }) =>
      runApiKeyList({
        data: o.data,
        ...(o.store !== undefined && { store: o.store }),
        ...(o.values !== undefined && { values: o.values }),
      }),
    );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    apiKey
      .command(verb)
      .description(`${verb} an API key; a running gateway follows within about a second`)
      .argument('<keyId>', 'the key id')
      .addOption(dataOption())
      .addOption(storeOption())
      .action((keyId: string, o: { data: string }) => runApiKeySetEnabled(keyId, enabled, o));
  }

  apiKey
    .command('delete')
    .description('delete an API key and take it out of its usage plans')
    .argument('<keyId>', 'the key id')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((keyId: string, o: { data: string }) => runApiKeyDelete(keyId, o));

  apiKey
    .command('import')
    .description(
      'import API keys from an AWS key file (CSV with columns Name,Key[,Description,Enabled,UsagePlanIds])',
    )
    .argument('<file>', 'the CSV file')
    .option('--fail-on-warnings', 'import nothing if any row has a problem')
    .addOption(dataOption())
    .addOption(storeOption())
    .action(async (file: string, o: { failOnWarnings?: boolean; data: string; store?: string }) => {
      await runApiKeyImport(file, {
        data: o.data,
        ...(o.store !== undefined && { store: o.store }),
        ...(o.failOnWarnings !== undefined && { failOnWarnings: o.failOnWarnings }),
      });
    });

  const usagePlan = program
    .command('usage-plan')
    .description('manage usage plans: which API stages a key may call, with throttle and quota');

  usagePlan
    .command('create')
    .description('create a usage plan for one or more deployed REST API stages; prints its id last')
    .requiredOption('--name <name>', 'plan name')
    .requiredOption('--api-stage <apiId:stage>', 'an API stage the plan covers (repeatable)', collect)
    .option('--description <text>', 'description')
    .option('--rate <rps>', 'steady requests per second per key (with --burst)', nonNegativeNumber)
    .option('--burst <requests>', 'burst capacity per key (with --rate)', nonNegativeInteger)
    .option(
      '--quota-limit <requests>',
      'requests per key per period (with --quota-period)',
      nonNegativeInteger,
    )
    .addOption(new Option('--quota-period <period>', 'quota period').choices(QUOTA_PERIODS))
    .option('--quota-offset <requests>', 'requests subtracted from the first period', nonNegativeInteger)
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      async (o: {
        name: string;
        apiStage: string[];
        description?: string;
        rate?: number;
        burst?: number;
        quotaLimit?: number;
        quotaPeriod?: QuotaPeriod;
        quotaOffset?: number;
        data: string;
        store?: string;
      }) => {
        await runUsagePlanCreate({
          data: o.data,
          ...(o.store !== undefined && { store: o.store }),
          name: o.name,
          apiStage: o.apiStage,
          ...(o.description !== undefined && { description: o.description }),
          ...(o.rate !== undefined && { rate: o.rate }),
          ...(o.burst !== undefined && { burst: o.burst }),
          ...(o.quotaLimit !== undefined && { quotaLimit: o.quotaLimit }),
          ...(o.quotaPeriod !== undefined && { quotaPeriod: o.quotaPeriod }),
          ...(o.quotaOffset !== undefined && { quotaOffset: o.quotaOffset }),
        });
      },
    );

  usagePlan
    .command('ls')
    .description('list usage plans')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((o: { data: string }) => runUsagePlanList(o));

  usagePlan
    .command('delete')
    .description('delete a usage plan (its keys stay, outside the plan)')
    .argument('<usagePlanId>', 'the plan id')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((usagePlanId: string, o: { data: string }) => runUsagePlanDelete(usagePlanId, o));

  usagePlan
    .command('add-key')
    .description('put an API key in a usage plan')
    .argument('<usagePlanId>', 'the plan id')
    .argument('<keyId>', 'the key id')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((usagePlanId: string, keyId: string, o: { data: string }) =>
      runUsagePlanAddKey(usagePlanId, keyId, o),
    );

  usagePlan
    .command('remove-key')
    .description('take an API key out of a usage plan')
    .argument('<usagePlanId>', 'the plan id')
    .argument('<keyId>', 'the key id')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((usagePlanId: string, keyId: string, o: { data: string }) =>
      runUsagePlanRemoveKey(usagePlanId, keyId, o),
    );
}
