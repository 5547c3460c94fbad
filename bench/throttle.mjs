#!/usr/bin/env node
// The throttling benchmark: what a route pays for being throttled, with the memory state and
// with the Redis state, each compared with the same route unthrottled. docs/throttling.md
// explains the buckets; docs/benchmarks.md how the runs are made.
//
//   npm run build && node bench/throttle.mjs [--duration 10] [--rounds 3] [--warmup 3]
//                                            [--connections 64] [--json]
//
// One REST API (the real CLI: `import`, then the stage's methodSettings written to the data
// directory as UpdateStage would) with GET /bench, an HTTP_PROXY integration to the upstream,
// and GET /tight. Stage methodSettings: `*/*` 1,000,000 requests/s with bursts of 1,000,000
// (far above any load here), `tight/GET` one request and no refill to speak of. Three
// `gatehouse serve` processes share that data directory and differ only in their
// configuration file:
//   unthrottled   `throttling: false`: no throttle step at all
//   memory        account limit 1,000,000,000/s; buckets in the process's memory
//   Redis         the same, buckets in Redis (REDIS_URL, default redis://127.0.0.1:6379) under a
//                 key prefix of this run's own, deleted at the end
// so a throttled request takes a token from the account bucket and from the method's bucket,
// both in one decision (one script call for Redis). Before measuring, each target is checked:
// /bench answers the upstream's body, and /tight answers 200 then 429 on the throttled targets
// (200 twice unthrottled); on Redis the buckets must appear under the run's prefix.
// Gatehouse runs on core 0; the upstream and wrk on core 1; Redis where the machine runs it.
// Every target is warmed up, then all are measured in alternating rounds and the medians
// compared: the targets are memory >= 0.90x and Redis >= 0.70x the unthrottled route's req/s.
//
// The run is a measurement, not a test: it exits 0 whether or not the targets are met, and 1
// only when it cannot measure (no wrk, no build, no Redis, a target that does not answer right).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import {
  checkErrors,
  checkOthersOnProxyCore,
  checkSaturated,
  checkStderr,
  checkSteal,
} from './lib/disturbance.mjs';
import { fmtRatio, summaryHeader, summaryRow, table, verdict, warningLines } from './lib/format.mjs';
import { CLI, importApi, requireBuild, stopGatehouse } from './lib/gatehouse.mjs';
import { freePort, send } from './lib/http.mjs';
import { runBenchmark } from './lib/main.mjs';
import { round } from './lib/numbers.mjs';
import { readOptions } from './lib/options.mjs';
import { benchFile, ROOT } from './lib/paths.mjs';
import { isPinned, LOAD_CORE, PROXY_CORE, setUpPinning } from './lib/pinning.mjs';
import { makeTempDir, startServer, stopAll } from './lib/processes.mjs';
import { progress } from './lib/progress.mjs';
import { reportedPort, waitUntilReady } from './lib/readiness.mjs';
import { alternateAll, warmUp } from './lib/rounds.mjs';
import { summarize } from './lib/summary.mjs';
import { requireWrk } from './lib/wrk.mjs';

/** The throttled route's req/s must be at least these fractions of the unthrottled route's. */
const MEMORY_TARGET = 0.9;
const REDIS_TARGET = 0.7;
const STAGE = 'bench';
const FAR_ABOVE = 1_000_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const USAGE = `usage: node bench/throttle.mjs [options]

Measures a throttled Gatehouse REST route (limits far above the load) with the memory state and
with the Redis state against the same route unthrottled. Needs wrk, Redis (REDIS_URL, default
redis://127.0.0.1:6379) and a built Gatehouse (npm run build).

Options:
  --duration <s>      seconds per measurement (default 10)
  --rounds <n>        alternating rounds over the three targets; medians are reported (default 3)
  --warmup <s>        warm-up seconds per target before measuring (default 3)
  --connections <n>   wrk connections (default 64)
  --json              print the results as JSON on stdout (progress stays on stderr)
  -h, --help          show this help
`;

function apiDocument() {
  const operation = (uri) => ({
    responses: { 200: { description: "the upstream's answer" } },
    'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'GET', uri },
  });
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench-throttle', version: '1' },
    paths: {
      '/bench': { get: operation('http://${stageVariables.upstream}/open') },
      '/tight': { get: operation('http://${stageVariables.upstream}/open') },
    },
  };
}

/** The stage's throttling, as UpdateStage would set it. */
async function setStageLimits(data, apiId) {
  const { SqliteConfigStore } = await import(
    pathToFileURL(join(ROOT, 'dist', 'store', 'sqlite', 'sqlite-config-store.js')).href
  );
  const store = SqliteConfigStore.open(data);
  try {
    const stage = await store.getStage(apiId, STAGE);
    await store.putStage({
      ...stage,
      methodSettings: {
        '*/*': { throttlingRateLimit: FAR_ABOVE, throttlingBurstLimit: FAR_ABOVE },
        'tight/GET': { throttlingRateLimit: 0.001, throttlingBurstLimit: 1 },
      },
      lastUpdatedDate: stage.lastUpdatedDate + 1,
    });
  } finally {
    await store.close();
  }
}

/** `gatehouse serve` on a free port with this configuration, without the management API. */
async function serveWith(dir, data, name, config) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  const port = String(await freePort());
  const args = [
    CLI,
    'serve',
    '--port',
    port,
    '--host',
    '127.0.0.1',
    '--no-admin',
    '--data',
    data,
    '--config',
    file,
  ];
  const proc = startServer(`Gatehouse (${name})`, PROXY_CORE, [...args, '--no-admin']);
  return {
    proc,
    pid: proc.child.pid,
    url: (apiId, path) => `http://127.0.0.1:${port}/_aws/execute-api/${apiId}/${STAGE}${path}`,
  };
}

async function startTargets(dir, connections, keyPrefix) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [benchFile('upstream.mjs')]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;
  const api = await importApi(dir, apiDocument(), { stage: STAGE, variables: { upstream: upstreamHost } });
  await setStageLimits(api.data, api.apiId);
  const account = { rateLimit: FAR_ABOVE * 1000, burstLimit: FAR_ABOVE * 1000 };
  const servers = {
    open: await serveWith(dir, api.data, 'unthrottled', { throttling: false }),
    memory: await serveWith(dir, api.data, 'memory', { throttling: account }),
    redis: await serveWith(dir, api.data, 'redis', {
      throttling: account,
      // Refused, not decided locally, if Redis does not answer in time: every answer the
      // Redis target gives was decided by Redis. 250 ms rather than the default 50 ms, because
      // Redis shares this machine's two cores with the load.
      state: { url: REDIS_URL, keyPrefix, failure: 'closed', timeoutMs: 250 },
    }),
  };
  const target = (key, name) => ({
    key,
    name,
    path: '/bench',
    proc: servers[key].proc,
    pid: servers[key].pid,
    core: PROXY_CORE,
    url: servers[key].url(api.apiId, '/bench'),
    tightUrl: servers[key].url(api.apiId, '/tight'),
    connections,
  });
  const targets = {
    open: target('open', 'unthrottled'),
    memory: target('memory', 'throttled, memory'),
    redis: target('redis', 'throttled, Redis'),
  };
  for (const t of Object.values(targets)) await waitUntilReady(t);
  return { targets, upstreamHost, importWarnings: api.importWarnings };
}

/** Deletes this run's keys; resolves with how many there were. */
async function redisKeys(keyPrefix, remove) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    const keys = await redis.keys(`{${keyPrefix}}*`);
    if (remove && keys.length > 0) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

/** /bench answers the upstream's body; /tight 200 then 429 when throttled, 200 twice when not. */
async function checkTargets({ targets, upstreamHost }, keyPrefix) {
  const expected = (await send(`http://${upstreamHost}/open`)).body;
  const problems = [];
  const results = [];
  for (const t of Object.values(targets)) {
    const bench = await send(t.url);
    if (bench.status !== 200 || bench.body !== expected) {
      problems.push(`${t.name}: GET /bench answered ${bench.status} ${bench.body.slice(0, 200)}`);
    }
    const tight = [(await send(t.tightUrl)).status, (await send(t.tightUrl)).status];
    const wanted = t.key === 'open' ? [200, 200] : [200, 429];
    if (tight.join() !== wanted.join()) {
      problems.push(`${t.name}: GET /tight twice answered ${tight.join(', ')}, not ${wanted.join(', ')}`);
    }
    results.push({ target: t.key, bench: bench.status, tight });
  }
  const keys = await redisKeys(keyPrefix, false);
  if (keys === 0) problems.push(`the Redis target wrote no keys under {${keyPrefix}}: it is not using Redis`);
  if (problems.length) throw new Error(`the targets do not answer as expected:\n  ${problems.join('\n  ')}`);
  return { results, redisKeys: keys };
}

async function main() {
  const options = readOptions(USAGE, {
    duration: { default: 10, min: 1, max: 3600 },
    rounds: { default: 3, min: 1, max: 100 },
    warmup: { default: 3, min: 0, max: 600 },
    connections: { default: 64, min: 1, max: 10_000 },
  });
  const warnings = [];
  requireWrk();
  requireBuild();
  setUpPinning(warnings);
  for (const warning of warnings) progress(`warning: ${warning}`);
  const { duration, rounds, warmup, connections } = options;
  const estimate = 3 * warmup + 3 * rounds * duration + 5;
  progress(
    `Gatehouse throttling benchmark: ${duration} s per measurement, ${rounds} round(s) of 3 targets, about ${Math.ceil(estimate / 10) * 10} s`,
  );

  const keyPrefix = `gatehouse-bench:${randomBytes(4).toString('hex')}:`;
  const tempDir = makeTempDir();
  try {
    progress('starting the upstream and three Gatehouse processes');
    const deployed = await startTargets(tempDir, connections, keyPrefix);
    const { targets } = deployed;
    if (deployed.importWarnings) warnings.push(`gatehouse import said: ${deployed.importWarnings}`);
    progress('checking every target');
    const checked = await checkTargets(deployed, keyPrefix);
    const order = [targets.open, targets.memory, targets.redis];
    const stderrAtStart = new Map(order.map((t) => [t.key, t.proc.stderrBytes]));

    const settingsOf = (t) => ({ duration, connections: t.connections, script: null });
    for (const t of order) await warmUp(t, warmup, { ...settingsOf(t), duration: warmup });
    const runs = await alternateAll(order, rounds, 'peak', settingsOf);
    const runsOf = Object.fromEntries(order.map((t, i) => [t.key, runs[i]]));
    const peak = { connections };
    for (const t of order) peak[t.key] = summarize(runsOf[t.key]);
    const compare = (key) => ({
      ratio: round(peak[key].rps / peak.open.rps, 4),
      roundRatios: runsOf[key].map((r, i) => round(r.rps / runsOf.open[i].rps, 4)),
      cpuPerRequestRatio: round(peak.open.cpuUsPerRequest / peak[key].cpuUsPerRequest, 4),
      addedCpuUsPerRequest: round(peak[key].cpuUsPerRequest - peak.open.cpuUsPerRequest, 1),
    });
    const comparisons = { memory: compare('memory'), redis: compare('redis') };

    const labelled = order.flatMap((t) => runsOf[t.key].map((r, i) => [`${t.name} (round ${i + 1})`, r]));
    checkErrors(warnings, labelled);
    for (const [label, r] of labelled) {
      // Error answers (a 429 among them) are counted by checkErrors: the limits are far above the load.
      if (!r.requests) warnings.push(`${label}: wrk completed no requests`);
    }
    checkSaturated(
      warnings,
      order.map((t) => [`Gatehouse (${t.name})`, peak[t.key]]),
    );
    checkOthersOnProxyCore(
      warnings,
      labelled.map(([, r]) => r),
    );
    checkSteal(
      warnings,
      labelled.map(([, r]) => r),
    );
    for (const t of order) checkStderr(warnings, `Gatehouse (${t.name})`, t.proc, stderrAtStart.get(t.key));

    progress('stopping');
    for (const t of order) await stopGatehouse(t.proc, warnings);
    await stopAll(3000);

    const results = {
      settings: {
        duration,
        rounds,
        connections,
        warmupSeconds: warmup,
        proxyCore: isPinned() ? PROXY_CORE : null,
        loadCore: isPinned() ? LOAD_CORE : null,
        redis: REDIS_URL.replace(/\/\/[^@]*@/, '//'),
      },
      limits: { method: { rateLimit: FAR_ABOVE, burstLimit: FAR_ABOVE }, account: FAR_ABOVE * 1000 },
      checks: checked.results,
      peak,
      comparisons,
      targets: {
        memory: {
          target: MEMORY_TARGET,
          value: comparisons.memory.ratio,
          met: comparisons.memory.ratio >= MEMORY_TARGET,
        },
        redis: {
          target: REDIS_TARGET,
          value: comparisons.redis.ratio,
          met: comparisons.redis.ratio >= REDIS_TARGET,
        },
      },
      warnings,
    };
    if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else process.stdout.write(report(results));
  } finally {
    await redisKeys(keyPrefix, true).catch(() => 0);
  }
}

const perRound = (ratios) => `per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}`;
const signedUs = (n) => (n === null ? '-' : `${n >= 0 ? '+' : ''}${Math.round(n)} µs`);

function report(results) {
  const { settings, peak, comparisons, targets, warnings } = results;
  const pin =
    settings.proxyCore === null
      ? 'unpinned'
      : `Gatehouse on core ${settings.proxyCore}; the upstream and wrk on core ${settings.loadCore}; Redis unpinned`;
  const names = { open: 'unthrottled', memory: 'throttled, memory', redis: 'throttled, Redis' };
  const lines = [
    '',
    `Gatehouse throttling benchmark (wrk -t1, keep-alive; ${pin})`,
    '',
    'Every request: GET /bench, HTTP_PROXY to the upstream. Throttled: the account bucket and the',
    `method's bucket (limits of ${FAR_ABOVE.toLocaleString('en-US')}/s and more), decided together per request.`,
    '',
    `Peak throughput: ${peak.connections} connections, ${settings.duration} s per run, medians of ${settings.rounds} alternating round(s)`,
    table([
      summaryHeader(PROXY_CORE, 'Gatehouse CPU'),
      ...['open', 'memory', 'redis'].map((key) => summaryRow(names[key], peak[key], true)),
    ]),
    '',
    table([
      [
        'throttled (memory) / unthrottled',
        fmtRatio(comparisons.memory.ratio),
        perRound(comparisons.memory.roundRatios),
      ],
      [
        '  by CPU time per request',
        fmtRatio(comparisons.memory.cpuPerRequestRatio),
        `${signedUs(comparisons.memory.addedCpuUsPerRequest)} per request`,
      ],
      [
        'throttled (Redis) / unthrottled',
        fmtRatio(comparisons.redis.ratio),
        perRound(comparisons.redis.roundRatios),
      ],
      [
        '  by CPU time per request',
        fmtRatio(comparisons.redis.cpuPerRequestRatio),
        `${signedUs(comparisons.redis.addedCpuUsPerRequest)} per request`,
      ],
    ]),
    '',
    'Targets',
    table([
      [
        `throttled (memory) >= ${MEMORY_TARGET.toFixed(2)}x unthrottled req/s`,
        fmtRatio(targets.memory.value),
        verdict(targets.memory.met),
      ],
      [
        `throttled (Redis) >= ${REDIS_TARGET.toFixed(2)}x unthrottled req/s`,
        fmtRatio(targets.redis.value),
        verdict(targets.redis.met),
      ],
    ]),
    ...warningLines(warnings),
  ];
  return `${lines.join('\n')}\n`;
}

await runBenchmark(main);
