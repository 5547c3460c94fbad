// Canary releases on a real gateway node over SQLite: two deployments of one REST API, each
// answering its own deployment id, with canarySettings deciding which serves a request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { deploy } from '../../../src/controlplane/deployments.js';
import { startGatewayNode, type GatewayNode } from '../../../src/gateway-node.js';
import type { Stage } from '../../../src/model/api.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { mock, restApi } from '../../helpers/apis.js';

interface Answer {
  deploymentId: string;
  canary: string;
  color: string;
  size: string;
}

let dir: string;
let store: SqliteConfigStore;
let node: GatewayNode;
let pool: Pool;
let apiId: string;
/** The deployment the stage serves, and the one its canary serves. */
let main: string;
let canary: string;

const ANSWER =
  '{"deploymentId":"$context.deploymentId","canary":"$context.isCanaryRequest",' +
  '"color":"$stageVariables.color","size":"$stageVariables.size"}';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-canary-'));
  store = SqliteConfigStore.open(dir);
  node = await startGatewayNode({ store, port: 0, host: '127.0.0.1', log: () => {} });
  pool = new Pool(node.url, { connections: 32 });
  const api = restApi({ 'GET /who': mock(200, ANSWER) });
  apiId = api.id;
  await store.createApi(api);
  main = (await deploy(store, { apiId, stageName: 'live', variables: { color: 'blue' } })).deployment.id;
  canary = (await deploy(store, { apiId, stageName: 'scratch' })).deployment.id;
  await store.deleteStage(apiId, 'scratch');
});

afterAll(async () => {
  await pool.close();
  await node.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function setStage(changes: Partial<Stage>, remove: (keyof Stage)[] = []): Promise<void> {
  const stage = (await store.getStage(apiId, 'live'))!;
  const next: Stage = { ...stage, ...changes };
  for (const key of remove) delete next[key];
  await store.putStage(next);
  await node.loader.reload();
}

async function ask(): Promise<Answer> {
  const r = await pool.request({ method: 'GET', path: `/_aws/execute-api/${apiId}/live/who` });
  const text = await r.body.text();
  if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}: ${text}`);
  return JSON.parse(text) as Answer;
}

/** `count` requests, 32 at a time. */
async function askMany(count: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      answers.push(await ask());
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return answers;
}

beforeEach(async () => {
  await setStage({ deploymentId: main, variables: { color: 'blue' } }, ['canarySettings']);
});

describe('canary releases', () => {
  it('sends 10% of 10,000 requests to the canary (± 2%)', async () => {
    await setStage({ canarySettings: { deploymentId: canary, percentTraffic: 10 } });
    const answers = await askMany(10_000);
    const toCanary = answers.filter((a) => a.deploymentId === canary);
    const toMain = answers.filter((a) => a.deploymentId === main);
    expect(toCanary.length + toMain.length).toBe(10_000);
    expect(toCanary.length).toBeGreaterThanOrEqual(800);
    expect(toCanary.length).toBeLessThanOrEqual(1200);
    // $context.isCanaryRequest tells each side what it is.
    expect(new Set(toCanary.map((a) => a.canary))).toEqual(new Set(['true']));
    expect(new Set(toMain.map((a) => a.canary))).toEqual(new Set(['false']));
  });

  it('sends nothing to a 0% canary and everything to a 100% canary', async () => {
    await setStage({ canarySettings: { deploymentId: canary, percentTraffic: 0 } });
    expect(new Set((await askMany(500)).map((a) => a.deploymentId))).toEqual(new Set([main]));
    await setStage({ canarySettings: { deploymentId: canary, percentTraffic: 100 } });
    const all = await askMany(500);
    expect(new Set(all.map((a) => a.deploymentId))).toEqual(new Set([canary]));
    expect(new Set(all.map((a) => a.canary))).toEqual(new Set(['true']));
  });

  it('serves the stage variables overlaid by stageVariableOverrides on canary requests only', async () => {
    await setStage({
      canarySettings: {
        deploymentId: canary,
        percentTraffic: 100,
        stageVariableOverrides: { color: 'green', size: 'large' },
      },
    });
    expect(await ask()).toEqual({ deploymentId: canary, canary: 'true', color: 'green', size: 'large' });
    await setStage({ canarySettings: { deploymentId: canary, percentTraffic: 0 } });
    expect(await ask()).toEqual({ deploymentId: main, canary: 'false', color: 'blue', size: '' });
  });

  it("serves the stage's own deployment when the canary names none", async () => {
    await setStage({ canarySettings: { percentTraffic: 100, stageVariableOverrides: { color: 'red' } } });
    expect(await ask()).toEqual({ deploymentId: main, canary: 'true', color: 'red', size: '' });
  });

  it('keeps serving the main deployment when the canary names a missing one', async () => {
    await setStage({ canarySettings: { deploymentId: 'nosuch', percentTraffic: 100 } });
    expect((await ask()).deploymentId).toBe(main);
  });

  it('takes two stage updates within one second both into account', async () => {
    const stage = (await store.getStage(apiId, 'live'))!;
    await setStage({ canarySettings: { deploymentId: canary, percentTraffic: 100 } });
    expect((await ask()).deploymentId).toBe(canary);
    // Same lastUpdatedDate, different settings.
    await setStage({ lastUpdatedDate: stage.lastUpdatedDate, canarySettings: { percentTraffic: 0 } });
    expect((await ask()).deploymentId).toBe(main);
  });

  it('promotes the canary under continuous load without failing a request', async () => {
    await setStage({
      canarySettings: {
        deploymentId: canary,
        percentTraffic: 10,
        stageVariableOverrides: { color: 'green' },
      },
    });
    let running = true;
    const failures: string[] = [];
    const seen = { main: 0, canary: 0 };
    const worker = async () => {
      while (running) {
        try {
          const answer = await ask();
          if (answer.deploymentId === canary) seen.canary++;
          else seen.main++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    while (seen.canary < 20 || seen.main < 100) await new Promise((resolve) => setTimeout(resolve, 5));

    // Promotion as the AWS console does it: copy the canary's deployment and variables into the
    // stage, then take the canary away.
    const stage = (await store.getStage(apiId, 'live'))!;
    await setStage(
      {
        deploymentId: stage.canarySettings!.deploymentId!,
        variables: { ...stage.variables, ...stage.canarySettings!.stageVariableOverrides },
      },
      ['canarySettings'],
    );
    const before = seen.main + seen.canary;
    while (seen.main + seen.canary < before + 200) await new Promise((resolve) => setTimeout(resolve, 5));
    running = false;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    const after = await askMany(200);
    expect(new Set(after.map((a) => `${a.deploymentId} ${a.canary} ${a.color}`))).toEqual(
      new Set([`${canary} false green`]),
    );
  });
});
