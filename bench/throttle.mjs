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
import { Redis } from 'ioredis';
import {
  checkErrors,
  checkOthersOnProxyCore,
  checkSaturated,
  checkStderr,
  checkSteal,
} from './lib/disturbance.mjs';
import {
  fmtRatio,
  fmtRoundRatios,
  fmtSignedUs,
  pinningLine,
  summaryHeader,
  summaryRow,
  table,
  verdict,
  warningLines,
} from './lib/format.mjs';
import { changeStage, importApi, serveGatehouse, stopRun } from './lib/gatehouse.mjs';
import { send } from './lib/http.mjs';
import { prepareRun, runBenchmark } from './lib/main.mjs';
import { measurementSettings, readMeasurementOptions } from './lib/options.mjs';
import { benchFile } from './lib/paths.mjs';
import { LOAD_CORE, PROXY_CORE } from './lib/pinning.mjs';
import { makeTempDir, startServer } from './lib/processes.mjs';
import { progress } from './lib/progress.mjs';
import { reportedPort, waitUntilReady } from './lib/readiness.mjs';
import { labelRuns, warmUpAndAlternate } from './lib/rounds.mjs';
import { compareSummaries, summarize } from './lib/summary.mjs';

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

/** The stage's throttling: far above the load, except for GET /tight. */
const STAGE_LIMITS = {
  methodSettings: {
    '*/*': { throttlingRateLimit: FAR_ABOVE, throttlingBurstLimit: FAR_ABOVE },
    'tight/GET': { throttlingRateLimit: 0.001, throttlingBurstLimit: 1 },
  },
};

/** `gatehouse serve` with this configuration, written to `{name}.yaml` in `dir`. */
async function serveWith(dir, data, name, config) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return serveGatehouse(data, PROXY_CORE, { config: file, name: `Gatehouse (${name})` });
}

async function startTargets(dir, connections, keyPrefix) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [benchFile('upstream.mjs')]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;
  const api = await importApi(dir, apiDocument(), { stage: STAGE, variables: { upstream: upstreamHost } });
  await changeStage(api.data, api.apiId, STAGE, STAGE_LIMITS);
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
    url: servers[key].invokeUrl(api.apiId, STAGE, '/bench'),
    tightUrl: servers[key].invokeUrl(api.apiId, STAGE, '/tight'),
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
  const options = readMeasurementOptions(USAGE);
  const warnings = prepareRun();
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
    const runs = await warmUpAndAlternate(order, { warmup, rounds }, settingsOf);
    const peak = { connections };
    for (const [i, t] of order.entries()) peak[t.key] = summarize(runs[i]);
    const comparisons = {
      memory: compareSummaries(peak.memory, peak.open),
      redis: compareSummaries(peak.redis, peak.open),
    };

    const labelled = labelRuns(order, runs);
    checkErrors(warnings, labelled);
    for (const [label, r] of labelled) {
      // Error answers (a 429 among them) are counted by checkErrors: the limits are far above the load.
      if (!r.requests) warnings.push(`${label}: wrk completed no requests`);
    }
    checkSaturated(
      warnings,
      order.map((t) => [`Gatehouse (${t.name})`, peak[t.key]]),
    );
    checkOthersOnProxyCore(warnings, runs.flat());
    checkSteal(warnings, runs.flat());
    for (const t of order) checkStderr(warnings, `Gatehouse (${t.name})`, t.proc, stderrAtStart.get(t.key));

    await stopRun(
      order.map((t) => t.proc),
      warnings,
    );

    const results = {
      settings: {
        ...measurementSettings(options),
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

function report(results) {
  const { settings, peak, comparisons, targets, warnings } = results;
  const pin = `${pinningLine(settings, 'the upstream and wrk')}${settings.proxyCore === null ? '' : '; Redis unpinned'}`;
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
        fmtRoundRatios(comparisons.memory.roundRatios),
      ],
      [
        '  by CPU time per request',
        fmtRatio(comparisons.memory.cpuPerRequestRatio),
        `${fmtSignedUs(comparisons.memory.addedCpuUsPerRequest)} per request`,
      ],
      [
        'throttled (Redis) / unthrottled',
        fmtRatio(comparisons.redis.ratio),
        fmtRoundRatios(comparisons.redis.roundRatios),
      ],
      [
        '  by CPU time per request',
        fmtRatio(comparisons.redis.cpuPerRequestRatio),
        `${fmtSignedUs(comparisons.redis.addedCpuUsPerRequest)} per request`,
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
