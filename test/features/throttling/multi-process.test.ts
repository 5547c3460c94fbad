// The written bound across processes (docs/throttling.md): four gateway processes share one API
// key's usage plan bucket through Redis, and are sent ten times its rate for a few seconds. The
// requests admitted, over all four, must stay within rate × elapsed time + burst (+ the
// documented slack, which is zero for processes on one machine). The processes run the built
// Gatehouse (npm test builds dist/ first).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsagePlan } from '../../../src/model/usage-plans.js';
import { deploymentOf, mock, restApi, stageOf } from '../../helpers/apis.js';
import { REDIS_URL, redisAvailable } from '../../helpers/services.js';
import { deleteKeys, testPrefix } from '../../state/redis-keys.js';

const hasRedis = await redisAvailable();

const SCRIPT = fileURLToPath(new URL('./fixtures/gateway-process.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/features/throttling/throttle-step.js', import.meta.url));

const PROCESSES = 4;
const RATE = 20;
const BURST = 10;
const LOAD_FACTOR = 10;
const DURATION_MS = 4000;
/** The bound's slack for processes on one machine: their clocks are one clock. */
const SLACK = 0;
const KEY = 'multi-process-key-value-0001';

interface GatewayProcess {
  child: ChildProcessWithoutNullStreams;
  pool: Pool;
  stderr: () => string;
}

function startProcess(setup: unknown): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(setup)], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a gateway process did not start:\n${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`a gateway process exited with ${code}:\n${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /port (\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        child,
        pool: new Pool(`http://127.0.0.1:${match[1]}`, { connections: 8 }),
        stderr: () => stderr,
      });
    });
  });
}

describe.runIf(hasRedis)('several gateway processes on one Redis', () => {
  const keyPrefix = testPrefix();
  const deployment = (() => {
    const api = restApi({ 'GET /metered': mock(200, '{}') });
    api.resources.find((r) => r.path === '/metered')!.resourceMethods.GET!.apiKeyRequired = true;
    return deploymentOf(api);
  })();
  const plan: UsagePlan = {
    id: 'plan-mp',
    name: 'shared',
    apiStages: [{ apiId: deployment.apiId, stage: 'prod' }],
    throttle: { rateLimit: RATE, burstLimit: BURST },
  };
  const processes: GatewayProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "npm run build" first (npm test does)`);
    const setup = {
      redisUrl: REDIS_URL,
      keyPrefix,
      deployment,
      stage: stageOf(deployment, 'prod'),
      keys: [{ id: 'k-mp', value: KEY, enabled: true, createdDate: 0, lastUpdatedDate: 0 }],
      plans: [plan],
      links: [{ usagePlanId: plan.id, keyId: 'k-mp' }],
    };
    processes.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => startProcess(setup)))));
  });

  afterAll(async () => {
    for (const p of processes) {
      p.child.stdin.end();
      await p.pool.close();
    }
    await Promise.all(
      processes.map((p) =>
        p.child.exitCode === null
          ? new Promise((resolve) => p.child.once('exit', resolve))
          : Promise.resolve(),
      ),
    );
    await deleteKeys(keyPrefix);
  });

  it(`admit at most rate × time + burst at ${LOAD_FACTOR}× the rate`, async () => {
    const path = `/_aws/execute-api/${deployment.apiId}/prod/metered`;
    const counts = new Map<number, number>();
    const pending: Promise<void>[] = [];
    const send = (p: GatewayProcess) =>
      p.pool.request({ path, method: 'GET', headers: { 'x-api-key': KEY } }).then(async (r) => {
        await r.body.text();
        counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
      });
    // Every 10 ms, as many requests as make LOAD_FACTOR × RATE a second, spread over the processes.
    const perTick = (LOAD_FACTOR * RATE) / 100;
    let sent = 0;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.floor(((Date.now() - started) / 1000) * LOAD_FACTOR * RATE) + perTick;
        while (sent < due) pending.push(send(processes[sent++ % PROCESSES]!));
        if (Date.now() - started >= DURATION_MS) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    await Promise.all(pending);
    const elapsedSeconds = (Date.now() - started) / 1000;

    const admitted = counts.get(200) ?? 0;
    const throttled = counts.get(429) ?? 0;
    const bound = RATE * elapsedSeconds + BURST + SLACK;
    expect(admitted + throttled, `unexpected answers: ${JSON.stringify([...counts])}`).toBe(sent);
    expect(sent).toBeGreaterThanOrEqual(LOAD_FACTOR * RATE * (DURATION_MS / 1000));
    expect(admitted, `admitted ${admitted} of ${sent} in ${elapsedSeconds} s`).toBeLessThanOrEqual(bound);
    // The bucket starts full, so at least the burst passes; the rest of the load is refused.
    expect(admitted).toBeGreaterThanOrEqual(BURST);
    expect(throttled).toBeGreaterThan(0);
    for (const p of processes) expect(p.stderr()).not.toMatch(/does not answer/);
  });
});
