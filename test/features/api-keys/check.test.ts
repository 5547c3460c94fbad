// The method request's API key check, through real HTTP requests: AWS answers 403
// {"message":"Forbidden"} (ForbiddenException) for a missing, unknown or disabled key and for a
// key no usage plan attaches to the stage, and 200 with a valid key.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../src/dataplane/context.js';
import {
  ApiKeyState,
  buildApiKeyIndex,
  compileApiKeyCheck,
  type ApiKeyCheckOptions,
} from '../../../src/features/api-keys/index.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../../src/model/usage-plans.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { apiKey, usagePlan } from '../../store/fixtures.js';
import { waitFor } from '../../store/wait-for.js';
import { startStepServer, type Reply, type StepServer } from './server.js';

const API_ID = 'a1b2c3d4e5';
const OTHER_API_ID = 'f6g7h8i9j0';
const FORBIDDEN = '{"message":"Forbidden"}';

function expectForbidden(reply: Reply): void {
  expect(reply.status).toBe(403);
  expect(reply.body).toBe(FORBIDDEN);
  expect(reply.headers['content-type']).toBe('application/json');
  expect(reply.headers['x-amzn-errortype']).toBe('ForbiddenException');
}

function expectAccepted(reply: Reply, key: ApiKey): void {
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toEqual({ apiKey: { id: key.id, value: key.value } });
}

/** Keys for every case, and the plans and links that give them (or not) the API's prod stage. */
function world() {
  const valid = apiKey({ name: 'valid' });
  const disabled = apiKey({ name: 'disabled', enabled: false });
  const planless = apiKey({ name: 'in no plan' });
  const betaOnly = apiKey({ name: 'plan for the beta stage' });
  const otherApi = apiKey({ name: 'plan for another API' });
  const twoPlans = apiKey({ name: 'in two plans' });
  const prodPlan = usagePlan({ apiStages: [{ apiId: API_ID, stage: 'prod' }] });
  const betaPlan = usagePlan({ apiStages: [{ apiId: API_ID, stage: 'beta' }] });
  const otherPlan = usagePlan({ apiStages: [{ apiId: OTHER_API_ID, stage: 'prod' }] });
  const emptyPlan = usagePlan({ apiStages: [] });
  const keys = [valid, disabled, planless, betaOnly, otherApi, twoPlans];
  const plans = [prodPlan, betaPlan, otherPlan, emptyPlan];
  const link = (plan: UsagePlan, key: ApiKey): UsagePlanKey => ({ usagePlanId: plan.id, keyId: key.id });
  const links = [
    link(prodPlan, valid),
    link(prodPlan, disabled),
    link(emptyPlan, planless),
    link(betaPlan, betaOnly),
    link(otherPlan, otherApi),
    link(betaPlan, twoPlans),
    link(prodPlan, twoPlans),
  ];
  return { keys, plans, links, valid, disabled, planless, betaOnly, otherApi, twoPlans };
}

function check(state: ApiKeyState, overrides: Partial<ApiKeyCheckOptions> = {}) {
  const step = compileApiKeyCheck({
    required: true,
    apiKeySource: 'HEADER',
    apiId: API_ID,
    stageName: 'prod',
    state,
    ...overrides,
  });
  if (step === null) throw new Error('expected a step for a method that requires a key');
  return step;
}

describe('compileApiKeyCheck', () => {
  let server: StepServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('adds no step to a method that does not require a key', () => {
    const state = new ApiKeyState();
    for (const apiKeySource of ['HEADER', 'AUTHORIZER'] as const) {
      expect(
        compileApiKeyCheck({ required: false, apiKeySource, apiId: API_ID, stageName: 'prod', state }),
      ).toBeNull();
    }
  });

  describe('with the key in the x-api-key header', () => {
    let w: ReturnType<typeof world>;

    beforeEach(async () => {
      w = world();
      server = await startStepServer(check(new ApiKeyState(buildApiKeyIndex(w.keys, w.plans, w.links))));
    });

    it('accepts an enabled key in a plan for this stage, and records it for $context.identity', async () => {
      expectAccepted(await server!.get('/pets', { 'x-api-key': w.valid.value }), w.valid);
    });

    it('accepts a key whose other plans cover other stages', async () => {
      expectAccepted(await server!.get('/pets', { 'x-api-key': w.twoPlans.value }), w.twoPlans);
    });

    it('reads the header whatever the case of its name', async () => {
      for (const name of ['X-API-Key', 'X-API-KEY', 'x-Api-kEy']) {
        expectAccepted(await server!.get('/pets', { [name]: w.valid.value }), w.valid);
      }
    });

    it('answers 403 Forbidden without a key', async () => {
      expectForbidden(await server!.get('/pets'));
    });

    it('answers 403 Forbidden for an empty key', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': '' }));
    });

    it('answers 403 Forbidden for a key that does not exist', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': 'no-such-key-0123456789abcdef' }));
    });

    it('matches the value exactly: another case or a key id is not the key', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.valid.value.toUpperCase() }));
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.valid.value.toLowerCase() }));
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.valid.id }));
    });

    it('answers 403 Forbidden for a disabled key, even in a plan for this stage', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.disabled.value }));
    });

    it('answers 403 Forbidden for a key in no plan, or only in a plan without stages', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.planless.value }));
    });

    it('answers 403 Forbidden for a key whose plans cover another stage or another API', async () => {
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.betaOnly.value }));
      expectForbidden(await server!.get('/pets', { 'x-api-key': w.otherApi.value }));
    });

    it('does not look for the key in the query string', async () => {
      expectForbidden(await server!.get(`/pets?x-api-key=${w.valid.value}`));
      expectForbidden(await server!.get(`/pets?api_key=${w.valid.value}`));
    });

    it('does not take the key from the authorizer when the source is HEADER', async () => {
      const authorizer = JSON.stringify({ principalId: 'u', usageIdentifierKey: w.valid.value });
      expectForbidden(await server!.get('/pets', { 'x-test-authorizer': authorizer }));
    });

    it('answers synchronously', async () => {
      await server!.get('/pets', { 'x-api-key': w.valid.value });
      await server!.get('/pets');
      expect(server!.allSynchronous()).toBe(true);
    });
  });

  describe('with the key from the authorizer (apiKeySource AUTHORIZER)', () => {
    const authorizedWith = (key: string | undefined): Record<string, string> => ({
      'x-test-authorizer': JSON.stringify({ principalId: 'user-1', usageIdentifierKey: key }),
    });

    it('accepts the usageIdentifierKey on ctx.authorizer', async () => {
      const w = world();
      server = await startStepServer(
        check(new ApiKeyState(buildApiKeyIndex(w.keys, w.plans, w.links)), { apiKeySource: 'AUTHORIZER' }),
      );

      expectAccepted(await server.get('/pets', authorizedWith(w.valid.value)), w.valid);
    });

    it('answers 403 Forbidden when the authorizer gave no key, or a key that may not call this stage', async () => {
      const w = world();
      server = await startStepServer(
        check(new ApiKeyState(buildApiKeyIndex(w.keys, w.plans, w.links)), { apiKeySource: 'AUTHORIZER' }),
      );

      expectForbidden(await server.get('/pets'));
      expectForbidden(await server.get('/pets', authorizedWith(undefined)));
      expectForbidden(await server.get('/pets', authorizedWith(w.disabled.value)));
      expectForbidden(await server.get('/pets', authorizedWith(w.betaOnly.value)));
      expectForbidden(await server.get('/pets', authorizedWith('no-such-key-0123456789abcdef')));
    });

    it('ignores the x-api-key header', async () => {
      const w = world();
      server = await startStepServer(
        check(new ApiKeyState(buildApiKeyIndex(w.keys, w.plans, w.links)), { apiKeySource: 'AUTHORIZER' }),
      );

      expectForbidden(await server.get('/pets', { 'x-api-key': w.valid.value }));
      expectForbidden(
        await server.get('/pets', { 'x-api-key': w.valid.value, ...authorizedWith(w.disabled.value) }),
      );
    });

    it('reads the key where the usageIdentifierKey option says the authorizer keeps it', async () => {
      const w = world();
      const kept = new WeakMap<RequestContext, string>();
      const step = check(new ApiKeyState(buildApiKeyIndex(w.keys, w.plans, w.links)), {
        apiKeySource: 'AUTHORIZER',
        usageIdentifierKey: (ctx) => kept.get(ctx),
      });
      server = await startStepServer((ctx) => {
        const key = ctx.req.headers['x-test-kept-key'];
        if (typeof key === 'string') kept.set(ctx, key);
        return step(ctx);
      });

      expectAccepted(await server.get('/pets', { 'x-test-kept-key': w.valid.value }), w.valid);
      expectForbidden(await server.get('/pets', authorizedWith(w.valid.value)));
    });
  });

  describe('following changes', () => {
    it('answers from whatever index the state holds now, without recompiling the step', async () => {
      const w = world();
      const state = new ApiKeyState();
      server = await startStepServer(check(state));
      expectForbidden(await server.get('/pets', { 'x-api-key': w.valid.value }));

      state.current = buildApiKeyIndex(w.keys, w.plans, w.links);
      expectAccepted(await server.get('/pets', { 'x-api-key': w.valid.value }), w.valid);

      state.current = buildApiKeyIndex(
        w.keys.map((key) => (key.id === w.valid.id ? { ...key, enabled: false } : key)),
        w.plans,
        w.links,
      );
      expectForbidden(await server.get('/pets', { 'x-api-key': w.valid.value }));
    });

    it('follows the config store when refreshed on every watch notification', async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-api-keys-'));
      const store = SqliteConfigStore.open(dataDir, { pollIntervalMs: 20 });
      const cli = SqliteConfigStore.open(dataDir, { pollIntervalMs: 20 });
      const state = new ApiKeyState();
      let refreshes = 0;
      const stop = store.watch(() => {
        void state.refresh(store).then(() => (refreshes += 1));
      });
      try {
        server = await startStepServer(check(state));
        const key = apiKey({ enabled: false });
        const plan = usagePlan({ apiStages: [{ apiId: API_ID, stage: 'prod' }] });
        const send = () => server!.get('/pets', { 'x-api-key': key.value });
        /** Makes a change from another store (as the CLI would) and waits for the gateway's index. */
        const change = async (write: () => Promise<void>) => {
          const before = refreshes;
          await write();
          await waitFor(() => refreshes > before, 'the index to be refreshed');
        };

        await change(() => cli.createApiKey(key));
        await change(() => cli.createUsagePlan(plan));
        await change(() => cli.addUsagePlanKey(plan.id, key.id));
        expectForbidden(await send());

        await change(() => cli.updateApiKey({ ...key, enabled: true }));
        expectAccepted(await send(), key);

        await change(() => cli.updateUsagePlan({ ...plan, apiStages: [{ apiId: API_ID, stage: 'beta' }] }));
        expectForbidden(await send());
        await change(() => cli.updateUsagePlan(plan));
        expectAccepted(await send(), key);

        await change(() => cli.removeUsagePlanKey(plan.id, key.id));
        expectForbidden(await send());
        await change(() => cli.addUsagePlanKey(plan.id, key.id));
        expectAccepted(await send(), key);

        await change(() => cli.deleteApiKey(key.id));
        expectForbidden(await send());
      } finally {
        stop();
        await cli.close();
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});
