#!/usr/bin/env node
// The HTTP_PROXY benchmark: how close Gatehouse comes to the fastest pass-through Node can do,
// and how much latency it adds at a realistic load. docs/benchmarks.md explains the method
// and how to read the output.
//
//   npm run bench                      # builds, then runs this with the defaults
//   node bench/proxy.mjs [--duration 10] [--rounds 3] [--warmup 3] [--connections 64]
//                        [--delay 10] [--json]
//
// Three targets, all keep-alive, driven by wrk (-t1 --latency):
//   upstream alone   bench/upstream.mjs, a tiny node:http server with a ~100-byte JSON body;
//   minimal proxy    bench/minimal-proxy.mjs, node:http + an undici Pool, the Node ceiling;
//   Gatehouse        the real CLI (`import`, then `serve`) with one REST API whose GET /bench
//                    is an HTTP_PROXY integration to the upstream.
// The proxy under test runs on core 0; the upstream and wrk run on core 1.
//
// Phase 1, peak throughput: each target is warmed up, then the minimal proxy and Gatehouse are
// measured alternately for --rounds rounds and the medians compared.
// Phase 2, latency at half of Gatehouse's peak: wrk paces every connection (a Lua delay()), the
// pacing is calibrated so the offered rate is about half the measured peak, and the upstream
// alone and Gatehouse are measured alternately at that same pacing. The p99 Gatehouse adds is
// the difference of the two medians.
//
// Alongside req/s, the proxies' CPU time per request is read from /proc: on a shared machine it
// moves much less than req/s, so it cross-checks the throughput ratio.
//
// The run is a measurement, not a test: it exits 0 whether or not the targets are met, and 1
// only when it cannot measure (no wrk, no build, a target that does not start or answer).
// The machinery (processes, pinning, wrk, /proc, Gatehouse's CLI, the report) is in bench/lib/.
import {
  checkErrors,
  checkOthersOnProxyCore,
  checkSaturated,
  checkStderr,
  checkSteal,
} from './lib/disturbance.mjs';
import {
  fmtMs,
  fmtPct,
  fmtRatio,
  fmtRps,
  summaryHeader,
  summaryRow,
  table,
  verdict,
  warningLines,
} from './lib/format.mjs';
import { importApi, serveGatehouse, stopRun } from './lib/gatehouse.mjs';
import { prepareRun, runBenchmark } from './lib/main.mjs';
import { round } from './lib/numbers.mjs';
import { readMeasurementOptions } from './lib/options.mjs';
import { alternateRounds, measure, warmUp } from './lib/rounds.mjs';
import { benchFile } from './lib/paths.mjs';
import { LOAD_CORE, pinnedCores, PROXY_CORE } from './lib/pinning.mjs';
import { makeTempDir, startServer } from './lib/processes.mjs';
import { progress } from './lib/progress.mjs';
import { reportedPort, waitUntilReady } from './lib/readiness.mjs';
import { summarize } from './lib/summary.mjs';
import { pacingScript } from './lib/wrk-scripts.mjs';

/** Gatehouse's req/s must be at least this fraction of the minimal pass-through's. */
const THROUGHPUT_TARGET = 0.9;
/** At half of peak load, Gatehouse may add less than this to the upstream's p99. */
const ADDED_P99_TARGET_MS = 1;

const STAGE = 'bench';

const USAGE = `usage: node bench/proxy.mjs [options]

Measures Gatehouse's HTTP_PROXY integration against the upstream alone and a minimal
node:http + undici pass-through, with wrk. See docs/benchmarks.md.

  --duration <s>      seconds per measurement (default 10)
  --rounds <n>        alternating minimal/Gatehouse rounds; medians are reported (default 3)
  --warmup <s>        warm-up seconds per target before measuring (default 3)
  --connections <n>   wrk connections for the peak phase (default 64)
  --delay <ms>        per-connection pacing for the half-load phase (default 10)
  --json              print the results as JSON on stdout (progress stays on stderr)
  -h, --help          show this help
`;

const readProxyOptions = () =>
  readMeasurementOptions(USAGE, { more: { delay: { default: 10, min: 1, max: 10_000, key: 'delayMs' } } });

// ---------------------------------------------------------------------------------------------
// Setting up the three targets

function openApiDocument() {
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench', version: '1' },
    paths: {
      '/bench': {
        get: {
          responses: { 200: { description: 'the upstream body' } },
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri: 'http://${stageVariables.upstream}/bench',
          },
        },
      },
    },
  };
}

/** Every target answers with the upstream's body, which names itself "gatehouse-bench". */
const upstreamBody = { accept: (body) => body.includes('"gatehouse-bench"') };

async function startTargets(dir) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [benchFile('upstream.mjs')]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;
  const upstream = {
    name: 'upstream alone',
    proc: upstreamProc,
    pid: upstreamProc.child.pid,
    core: LOAD_CORE,
    url: `http://${upstreamHost}/bench`,
  };

  const minimalProc = startServer('minimal proxy', PROXY_CORE, [
    benchFile('minimal-proxy.mjs'),
    '--upstream',
    upstreamHost,
  ]);
  const minimal = {
    name: 'minimal proxy',
    proc: minimalProc,
    pid: minimalProc.child.pid,
    core: PROXY_CORE,
    url: `http://127.0.0.1:${await reportedPort(minimalProc)}/bench`,
  };

  const { apiId, data, importWarnings } = await importApi(dir, openApiDocument(), {
    stage: STAGE,
    variables: { upstream: upstreamHost },
  });
  const server = await serveGatehouse(data, PROXY_CORE);
  const gatehouse = {
    name: 'Gatehouse',
    proc: server.proc,
    pid: server.pid,
    core: PROXY_CORE,
    url: server.invokeUrl(apiId, STAGE, '/bench'),
    apiId,
    importWarnings,
  };

  await waitUntilReady(upstream, upstreamBody);
  await waitUntilReady(minimal, upstreamBody);
  await waitUntilReady(gatehouse, upstreamBody);
  return { upstream, minimal, gatehouse };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main() {
  const options = readProxyOptions();
  const warnings = prepareRun();

  const { duration, rounds, warmup, connections, delayMs } = options;
  const calibration = Math.max(2, warmup);
  const estimate =
    warmup + duration + 2 * warmup + 2 * rounds * duration + 2 * calibration + 2 * rounds * duration;
  progress(
    `Gatehouse HTTP_PROXY benchmark: ${duration} s per measurement, ${rounds} round(s), about ${Math.ceil(estimate / 10) * 10} s`,
  );

  const tempDir = makeTempDir();
  progress('starting the upstream, the minimal proxy and Gatehouse');
  const targets = await startTargets(tempDir);
  const { upstream, minimal, gatehouse } = targets;
  if (gatehouse.importWarnings) warnings.push(`gatehouse import said: ${gatehouse.importWarnings}`);
  const gatehouseStderrAtStart = gatehouse.proc.stderrBytes;

  // Phase 1: peak throughput.
  const peakSettings = { duration, connections };
  const peak = { connections };
  await warmUp(upstream, warmup, peakSettings);
  peak.upstream = summarize([await measure(upstream, `peak, ${duration} s`, peakSettings)]);
  await warmUp(minimal, warmup, peakSettings);
  await warmUp(gatehouse, warmup, peakSettings);
  const [minimalRuns, gatehouseRuns] = await alternateRounds(
    [minimal, gatehouse],
    rounds,
    'peak',
    peakSettings,
  );
  peak.minimal = summarize(minimalRuns);
  peak.gatehouse = summarize(gatehouseRuns);
  peak.gatehouseVsMinimal = round(peak.gatehouse.rps / peak.minimal.rps, 4);
  peak.minimalVsUpstream = round(peak.minimal.rps / peak.upstream.rps, 4);
  peak.roundRatios = gatehouseRuns.map((g, i) => round(g.rps / minimalRuns[i].rps, 4));
  // The same comparison by CPU time per request, which a busy machine disturbs much less.
  peak.cpuPerRequestRatio = round(peak.minimal.cpuUsPerRequest / peak.gatehouse.cpuUsPerRequest, 4);

  // Phase 2: latency at half of Gatehouse's peak, same pacing for the upstream alone and Gatehouse.
  const half = { delayMs, targetRps: round(peak.gatehouse.rps / 2, 2) };
  // The rate a paced connection reaches depends on the latency too, so two short runs against
  // Gatehouse pick the number of connections: the first from the pacing alone, the second
  // corrected by what the first reached.
  let paceConnections = Math.max(1, Math.round((half.targetRps * (delayMs + 0.5)) / 1000));
  const calibrationRuns = [];
  for (let pass = 1; pass <= 2; pass++) {
    const result = await measure(
      gatehouse,
      `half load: calibrating the pacing (${pass}/2), ${calibration} s`,
      {
        duration: calibration,
        connections: paceConnections,
        script: pacingScript(tempDir, delayMs, paceConnections),
      },
    );
    calibrationRuns.push({ connections: paceConnections, ...result });
    paceConnections = Math.max(1, Math.round((paceConnections * half.targetRps) / result.rps));
  }
  half.connections = paceConnections;
  const paced = {
    duration,
    connections: paceConnections,
    script: pacingScript(tempDir, delayMs, paceConnections),
  };
  const [upstreamHalf, gatehouseHalf] = await alternateRounds(
    [upstream, gatehouse],
    rounds,
    'half load',
    paced,
  );
  half.upstream = summarize(upstreamHalf);
  half.gatehouse = summarize(gatehouseHalf);
  half.addedP50Ms = round(half.gatehouse.p50Ms - half.upstream.p50Ms, 3);
  half.addedP99Ms = round(half.gatehouse.p99Ms - half.upstream.p99Ms, 3);

  // Anything that makes the figures less trustworthy.
  const labelled = [
    ...peak.upstream.runs.map((r) => ['upstream alone (peak)', r]),
    ...minimalRuns.map((r, i) => [`minimal proxy (peak round ${i + 1})`, r]),
    ...gatehouseRuns.map((r, i) => [`Gatehouse (peak round ${i + 1})`, r]),
    ...calibrationRuns.map((r, i) => [`Gatehouse (half-load calibration ${i + 1})`, r]),
    ...upstreamHalf.map((r, i) => [`upstream alone (half load round ${i + 1})`, r]),
    ...gatehouseHalf.map((r, i) => [`Gatehouse (half load round ${i + 1})`, r]),
  ];
  checkErrors(warnings, labelled);
  checkSaturated(warnings, [
    ['minimal proxy', peak.minimal],
    ['Gatehouse', peak.gatehouse],
  ]);
  checkOthersOnProxyCore(warnings, [...minimalRuns, ...gatehouseRuns, ...gatehouseHalf]);
  checkSteal(
    warnings,
    labelled.map(([, r]) => r),
  );
  const achieved = half.gatehouse.rps / half.targetRps;
  if (Math.abs(achieved - 1) > 0.15) {
    warnings.push(
      `the half-load runs reached ${fmtPct(achieved)} of the intended rate (${fmtRps(half.targetRps)} req/s)`,
    );
  }
  checkStderr(warnings, 'Gatehouse', gatehouse.proc, gatehouseStderrAtStart);

  await stopRun([gatehouse.proc], warnings);

  const targetsMet = {
    throughput: {
      target: THROUGHPUT_TARGET,
      value: peak.gatehouseVsMinimal,
      met: peak.gatehouseVsMinimal >= THROUGHPUT_TARGET,
    },
    addedP99: {
      targetMs: ADDED_P99_TARGET_MS,
      valueMs: half.addedP99Ms,
      met: half.addedP99Ms < ADDED_P99_TARGET_MS,
    },
  };
  const results = {
    settings: {
      ...options,
      warmupSeconds: warmup,
      ...pinnedCores(),
    },
    peak,
    halfLoad: { ...half, calibration: calibrationRuns },
    targets: targetsMet,
    warnings,
  };
  delete results.settings.json;
  delete results.settings.warmup;

  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(report(results));
}

function report({ settings, peak, halfLoad: half, targets, warnings }) {
  const pin =
    settings.proxyCore === null
      ? 'unpinned'
      : `proxy on core ${settings.proxyCore}, upstream and wrk on core ${settings.loadCore}`;
  const header = summaryHeader(PROXY_CORE);
  const lines = [
    '',
    `Gatehouse HTTP_PROXY benchmark (wrk -t1, keep-alive; ${pin})`,
    '',
    `Peak throughput: ${peak.connections} connections, ${settings.duration} s per run, ` +
      `medians of ${settings.rounds} alternating round(s)`,
    table([
      header,
      summaryRow('upstream alone', peak.upstream, false),
      summaryRow('minimal proxy', peak.minimal, true),
      summaryRow('Gatehouse', peak.gatehouse, true),
    ]),
    '',
    table([
      [
        'Gatehouse / minimal',
        fmtRatio(peak.gatehouseVsMinimal),
        `per round: ${peak.roundRatios.map((r) => r.toFixed(2)).join(', ')}`,
      ],
      [
        'Gatehouse / minimal, by CPU time per request',
        fmtRatio(peak.cpuPerRequestRatio),
        'minimal CPU/request ÷ Gatehouse CPU/request',
      ],
      ['minimal / upstream', fmtRatio(peak.minimalVsUpstream), ''],
    ]),
    '',
    `Latency at half of Gatehouse's peak: ~${fmtRps(half.targetRps)} req/s offered (${half.connections} connections, ` +
      `each pausing ${half.delayMs} ms between requests), medians of ${settings.rounds} alternating round(s)`,
    table([
      header,
      summaryRow('upstream alone', half.upstream, false),
      summaryRow('Gatehouse', half.gatehouse, true),
    ]),
    '',
    `  added by Gatehouse: p50 ${fmtMs(half.addedP50Ms)}, p99 ${fmtMs(half.addedP99Ms)}`,
    '',
    'Targets',
    table([
      [
        `Gatehouse >= ${THROUGHPUT_TARGET.toFixed(2)}x the minimal proxy's req/s`,
        fmtRatio(targets.throughput.value),
        verdict(targets.throughput.met),
      ],
      [
        `added p99 < ${ADDED_P99_TARGET_MS} ms at half load`,
        fmtMs(targets.addedP99.valueMs),
        verdict(targets.addedP99.met),
      ],
    ]),
    ...warningLines(warnings),
  ];
  return `${lines.join('\n')}\n`;
}

await runBenchmark(main);
