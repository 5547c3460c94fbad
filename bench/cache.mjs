#!/usr/bin/env node
// The stage cache benchmark: a cache hit against the same route proxied to the upstream.
// docs/caching.md explains what is measured; docs/benchmarks.md how the runs are made.
//
//   npm run build && node bench/cache.mjs [--duration 10] [--rounds 3] [--warmup 3]
//                                         [--connections 64] [--json]
//
// One Gatehouse (the real CLI: `import`, then `serve`) serves one REST API on a stage whose
// cache is enabled (cacheClusterEnabled, written to the data directory before serving):
//   GET /proxied   HTTP_PROXY to the upstream; methodSettings `proxied/GET` turns caching off
//   GET /cached    the same integration, cached for 3,600 s: after the first request every
//                  answer comes from the stage cache (memory store)
// Before measuring, both routes are checked: 200 with the upstream's body, and the cached
// route answers again without reaching the upstream. Gatehouse runs on core 0; the upstream
// and wrk on core 1. Both routes are warmed up, then measured in alternating rounds and the
// medians compared: the target is cache hit >= 2x the proxied route's requests/s.
//
// The run is a measurement, not a test: it exits 0 whether or not the target is met, and 1
// only when it cannot measure.
import { checkErrors, checkSaturated, checkStderr, checkSteal } from './lib/disturbance.mjs';
import {
  fmtRatio,
  fmtRoundRatios,
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
import { requestScript } from './lib/wrk-scripts.mjs';

/** The cache hit's req/s must be at least this multiple of the proxied route's. */
const TARGET = 2;
const STAGE = 'bench';

const USAGE = `usage: node bench/cache.mjs [options]

Measures a Gatehouse REST route answered from the stage cache against the same route proxied
to the upstream. Needs wrk and a built Gatehouse (npm run build).

Options:
  --duration <s>      seconds per measurement (default 10)
  --rounds <n>        alternating rounds over both routes; medians are reported (default 3)
  --warmup <s>        warm-up seconds per route before measuring (default 3)
  --connections <n>   wrk connections (default 64)
  --json              print the results as JSON on stdout (progress stays on stderr)
  -h, --help          show this help
`;

const integration = {
  type: 'http_proxy',
  httpMethod: 'GET',
  uri: 'http://${stageVariables.upstream}/open',
};

function apiDocument() {
  const operation = {
    responses: { 200: { description: "the upstream's answer" } },
    'x-amazon-apigateway-integration': integration,
  };
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench-cache', version: '1' },
    paths: { '/proxied': { get: operation }, '/cached': { get: operation } },
  };
}

/** The stage cache on for every method but `proxied/GET`. */
const STAGE_CACHE = {
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  methodSettings: {
    '*/*': { cacheTtlInSeconds: 3600 },
    'proxied/GET': { cachingEnabled: false },
  },
};

async function startRoutes(dir, connections) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [benchFile('upstream.mjs'), '--record']);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;
  const api = await importApi(dir, apiDocument(), { stage: STAGE, variables: { upstream: upstreamHost } });
  await changeStage(api.data, api.apiId, STAGE, STAGE_CACHE);
  const server = await serveGatehouse(api.data, PROXY_CORE);
  const route = (key, name, path) => ({
    key,
    name,
    path,
    proc: server.proc,
    pid: server.pid,
    core: PROXY_CORE,
    url: server.invokeUrl(api.apiId, STAGE, path),
    connections,
  });
  const routes = {
    proxied: route('proxied', 'proxied', '/proxied'),
    cached: route('cached', 'cache hit', '/cached'),
  };
  await waitUntilReady(routes.proxied);
  return { routes, upstreamHost, server, importWarnings: api.importWarnings };
}

/** Both routes answer the upstream's body; the second request to /cached does not reach it. */
async function checkRoutes({ routes, upstreamHost }) {
  const expected = (await send(`http://${upstreamHost}/open`)).body;
  const problems = [];
  const marker = async () => (await send(`http://${upstreamHost}/_last`)).body;
  for (const route of [routes.proxied, routes.cached]) {
    const answer = await send(route.url);
    if (answer.status !== 200 || answer.body !== expected)
      problems.push(
        `GET ${route.path}: expected 200 ${expected}, got ${answer.status} ${answer.body.slice(0, 200)}`,
      );
  }
  // /cached was just stored; a marker request to the upstream, then /cached again: if the
  // upstream's last request is still the marker, the cached answer did not reach it.
  await send(`http://${upstreamHost}/marker`);
  const before = await marker();
  const again = await send(routes.cached.url);
  if (again.status !== 200 || again.body !== expected)
    problems.push(`GET /cached again: got ${again.status}`);
  if ((await marker()) !== before)
    problems.push('GET /cached reached the upstream: the stage cache did not answer');
  if (problems.length) throw new Error(`the routes do not answer as expected:\n  ${problems.join('\n  ')}`);
}

async function main() {
  const options = readMeasurementOptions(USAGE);
  const warnings = prepareRun();
  const { duration, rounds, warmup, connections } = options;
  progress(
    `Gatehouse cache benchmark: ${duration} s per measurement, ${rounds} round(s) of 2 routes, about ${2 * warmup + 2 * rounds * duration + 3} s`,
  );

  const tempDir = makeTempDir();
  progress('starting the upstream and Gatehouse');
  const deployed = await startRoutes(tempDir, connections);
  if (deployed.importWarnings) warnings.push(`gatehouse import said: ${deployed.importWarnings}`);
  progress('checking both routes');
  await checkRoutes(deployed);
  const stderrAtStart = deployed.server.proc.stderrBytes;

  const { routes } = deployed;
  const script = requestScript(tempDir, 'get', { method: 'GET' });
  const settingsOf = (route) => ({ duration, connections: route.connections, script });
  const order = [routes.proxied, routes.cached];
  const runs = await warmUpAndAlternate(order, { warmup, rounds }, settingsOf);
  const peak = { proxied: summarize(runs[0]), cached: summarize(runs[1]) };
  const { ratio, roundRatios } = compareSummaries(peak.cached, peak.proxied);

  const labelled = labelRuns(order, runs);
  checkErrors(warnings, labelled);
  checkSaturated(
    warnings,
    order.map((route) => [`Gatehouse (${route.name})`, peak[route.key]]),
  );
  checkSteal(warnings, runs.flat());
  checkStderr(warnings, 'Gatehouse', deployed.server.proc, stderrAtStart);

  await stopRun([deployed.server.proc], warnings);

  const results = {
    settings: measurementSettings(options),
    document: apiDocument(),
    peak,
    comparison: { ratio, roundRatios },
    target: { target: TARGET, value: ratio, met: ratio >= TARGET },
    warnings,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(report(results));
}

function report({ settings, peak, comparison, target, warnings }) {
  return `${[
    '',
    `Gatehouse stage cache benchmark (wrk -t1, keep-alive; ${pinningLine(settings, 'the upstream and wrk')})`,
    '',
    '  proxied     GET /proxied   HTTP_PROXY to the upstream (caching off for the method)',
    '  cache hit   GET /cached    the same integration, answered from the stage cache (memory store)',
    '',
    `Peak throughput: ${settings.connections} connections, ${settings.duration} s per run, medians of ${settings.rounds} alternating round(s)`,
    table([
      summaryHeader(PROXY_CORE, 'Gatehouse CPU'),
      summaryRow('proxied', peak.proxied, true),
      summaryRow('cache hit', peak.cached, true),
    ]),
    '',
    table([['cache hit / proxied', fmtRatio(comparison.ratio), fmtRoundRatios(comparison.roundRatios)]]),
    '',
    'Target',
    table([
      [
        `cache hit >= ${TARGET.toFixed(2)}x the proxied route's req/s`,
        fmtRatio(target.value),
        verdict(target.met),
      ],
    ]),
    ...warningLines(warnings),
  ].join('\n')}\n`;
}

await runBenchmark(main);
