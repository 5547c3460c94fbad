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
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const UPSTREAM_SCRIPT = join(ROOT, 'bench', 'upstream.mjs');
const MINIMAL_PROXY_SCRIPT = join(ROOT, 'bench', 'minimal-proxy.mjs');
const EXIT_WITH_PARENT = join(ROOT, 'bench', 'exit-with-parent.mjs');

/** Gatehouse's req/s must be at least this fraction of the minimal pass-through's. */
const THROUGHPUT_TARGET = 0.9;
/** At half of peak load, Gatehouse may add less than this to the upstream's p99. */
const ADDED_P99_TARGET_MS = 1;

const PROXY_CORE = '0';
const LOAD_CORE = '1';
const STAGE = 'bench';
const READY_TIMEOUT_MS = 20_000;

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

// ---------------------------------------------------------------------------------------------
// Options

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        duration: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '3' },
        warmup: { type: 'string', default: '3' },
        connections: { type: 'string', default: '64' },
        delay: { type: 'string', default: '10' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const integer = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) {
      process.stderr.write(`--${name} must be a whole number from ${min} to ${max}\n\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  return {
    duration: integer('duration', 1, 3600),
    rounds: integer('rounds', 1, 100),
    warmup: integer('warmup', 0, 600),
    connections: integer('connections', 1, 10_000),
    delayMs: integer('delay', 1, 10_000),
    json: values.json,
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed when the benchmark ends, however it ends.

/** @type {Set<{name: string, child: import('node:child_process').ChildProcess}>} */
const children = new Set();
let tempDir = null;
let stopping = false;

const alive = (child) => child.exitCode === null && child.signalCode === null;

function start(name, command, args, { stdin = 'ignore' } = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'] });
  const proc = { name, child, stdout: '', stderr: '', stderrBytes: 0, exited: null };
  proc.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  }).then((result) => {
    children.delete(proc);
    return result;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (proc.stdout.length < 1_000_000) proc.stdout += chunk;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    proc.stderrBytes += chunk.length;
    proc.stderr = (proc.stderr + chunk).slice(-8192);
  });
  children.add(proc);
  return proc;
}

async function stop(proc, graceMs = 3000) {
  if (alive(proc.child)) {
    proc.child.kill('SIGTERM');
    const outcome = await Promise.race([proc.exited, sleep(graceMs, 'timeout')]);
    if (outcome === 'timeout' && alive(proc.child)) proc.child.kill('SIGKILL');
  }
  return proc.exited;
}

const stopAll = (graceMs) => Promise.all([...children].map((proc) => stop(proc, graceMs)));

function killAllNow() {
  for (const { child } of children) {
    if (alive(child)) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

process.on('exit', killAllNow);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the benchmark\n`);
    void stopAll(1000).finally(() => process.exit(code));
  });
}

/** Runs a command to completion (tracked, so an interrupt kills it too). */
async function run(name, command, args) {
  const proc = start(name, command, args);
  const { code, signal, error } = await proc.exited;
  if (error) throw new Error(`${name}: ${error.message}`);
  if (code !== 0) {
    const detail = (proc.stderr || proc.stdout).trim();
    throw new Error(`${name} failed (${signal ?? `exit ${code}`})${detail ? `:\n${detail}` : ''}`);
  }
  return proc;
}

/** Waits for the {"port":N} line that bench/upstream.mjs and bench/minimal-proxy.mjs print. */
async function reportedPort(proc) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const line = proc.stdout.split('\n').find((l) => l.startsWith('{'));
    if (line) return JSON.parse(line).port;
    if (!alive(proc.child)) break;
    await sleep(20);
  }
  throw new Error(`${proc.name} did not start${proc.stderr ? `:\n${proc.stderr.trim()}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Machine: CPU pinning and CPU accounting

let canPin = false;

function setUpPinning(warnings) {
  if (availableParallelism() < 2) {
    warnings.push(
      'fewer than 2 CPUs: nothing is pinned, so the proxy shares a core with wrk and the upstream',
    );
    return;
  }
  const probe = spawnSync('taskset', ['-c', `${PROXY_CORE},${LOAD_CORE}`, 'true'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    warnings.push(
      'taskset is missing or cannot pin to cores 0 and 1: running unpinned, ratios are less reliable',
    );
    return;
  }
  canPin = true;
  // Keep this process (idle while wrk runs) off the proxy's core too.
  spawnSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
}

const pinned = (core, command, args) =>
  canPin ? ['taskset', ['-c', core, command, ...args]] : [command, args];

const CLOCK_TICKS = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(result.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** Per-core jiffies from /proc/stat: total, busy (not idle or iowait) and steal. */
function coreTimes() {
  try {
    const cores = {};
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const match = /^cpu(\d+)\s+(.*)$/.exec(line);
      if (!match) continue;
      const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = match[2].split(/\s+/).map(Number);
      const total = user + nice + system + idle + iowait + irq + softirq + steal;
      cores[match[1]] = { total, busy: total - idle - iowait - steal, steal };
    }
    return cores;
  } catch {
    return null;
  }
}

/** CPU seconds a process (all its threads) has used so far, from /proc/PID/stat. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function coreUsage(before, after) {
  if (!before || !after) return null;
  const usage = {};
  for (const core of [PROXY_CORE, LOAD_CORE]) {
    const b = before[core];
    const a = after[core];
    if (!a || !b || a.total === b.total) continue;
    const total = a.total - b.total;
    usage[core] = { busy: round((a.busy - b.busy) / total, 3), steal: round((a.steal - b.steal) / total, 3) };
  }
  return usage;
}

// ---------------------------------------------------------------------------------------------
// wrk

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Requests/sec, the latency percentiles, and everything wrk counts as an error. */
function parseWrk(text) {
  const number = (re) => {
    const match = re.exec(text);
    return match ? Number(match[1]) : null;
  };
  const percentile = (p) => {
    const match = new RegExp(`^\\s*${p}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(text);
    return match ? round(Number(match[1]) * UNIT_MS[match[2]], 3) : null;
  };
  const rps = number(/^Requests\/sec:\s+([\d.]+)/m);
  const p50 = percentile(50);
  const p99 = percentile(99);
  if (rps === null || p50 === null || p99 === null) throw new Error(`cannot read wrk's output:\n${text}`);
  const sockets = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rps,
    p50Ms: p50,
    p75Ms: percentile(75),
    p90Ms: percentile(90),
    p99Ms: p99,
    requests: number(/^\s*(\d+) requests in /m),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
    socketErrors: sockets
      ? { connect: +sockets[1], read: +sockets[2], write: +sockets[3], timeout: +sockets[4] }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
  };
}

const errorCount = (r) =>
  r.non2xx + r.socketErrors.connect + r.socketErrors.read + r.socketErrors.write + r.socketErrors.timeout;

async function wrk(target, { duration, connections, script = null }) {
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency'];
  if (script) args.push('-s', script);
  args.push(target.url);
  const coresBefore = coreTimes();
  const cpuBefore = target.pid ? processCpuSeconds(target.pid) : null;
  const started = performance.now();
  const proc = start(`wrk (${target.name})`, ...pinned(LOAD_CORE, 'wrk', args));
  const { code, signal, error } = await proc.exited;
  const seconds = (performance.now() - started) / 1000;
  if (error) throw new Error(`wrk: ${error.message}`);
  if (code !== 0) {
    throw new Error(
      `wrk against ${target.name} failed (${signal ?? `exit ${code}`}): ${proc.stderr.trim() || proc.stdout}`,
    );
  }
  const result = parseWrk(proc.stdout);
  const cpuAfter = target.pid ? processCpuSeconds(target.pid) : null;
  const cpuSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  result.targetCpu = cpuSeconds === null ? null : round(cpuSeconds / seconds, 3);
  // CPU time per request barely depends on what else runs on the machine: a steadier figure
  // than req/s when the machine is shared.
  result.cpuUsPerRequest =
    cpuSeconds === null || !result.requests ? null : round((cpuSeconds * 1e6) / result.requests, 1);
  result.cores = coreUsage(coresBefore, coreTimes());
  // What other processes on the machine took from the proxy's core during the run.
  const proxyCoreBusy = canPin ? result.cores?.[PROXY_CORE]?.busy : undefined;
  result.othersOnProxyCore =
    proxyCoreBusy === undefined
      ? null
      : round(Math.max(0, proxyCoreBusy - (target.core === PROXY_CORE ? (result.targetCpu ?? 0) : 0)), 3);
  if (!alive(target.proc.child))
    throw new Error(`${target.name} exited during the run:\n${target.proc.stderr.trim()}`);
  return result;
}

/** wrk Lua script: each connection waits `delayMs` after a response before its next request. */
function pacingScript(dir, delayMs, connections) {
  const file = join(dir, `pace-${connections}x${delayMs}ms.lua`);
  writeFileSync(
    file,
    `-- Per-connection pacing: a connection waits ${delayMs} ms after each response.
-- The first request of each connection is staggered across one delay period so the
-- ${connections} connections do not fire in lockstep.
local delay_ms = ${delayMs}
local connections = ${connections}
local started = 0

function delay()
  if started < connections then
    started = started + 1
    return math.floor((started - 1) * delay_ms / connections)
  end
  return delay_ms
end
`,
  );
  return file;
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `target.url` answers 200 with the upstream's body. */
async function waitUntilReady(target) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(target.proc.child)) {
      throw new Error(
        `${target.name} exited before it answered${target.proc.stderr ? `:\n${target.proc.stderr.trim()}` : ''}`,
      );
    }
    try {
      const { status, body } = await get(target.url);
      if (status === 200 && body.includes('"gatehouse-bench"')) return;
      last = `${status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(100);
  }
  throw new Error(
    `${target.name} did not answer 200 at ${target.url} within ${READY_TIMEOUT_MS / 1000} s (last: ${last})`,
  );
}

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

/** Starts a Node server on `core`; it exits by itself if the benchmark dies (see exit-with-parent.mjs). */
function startServer(name, core, args) {
  return start(name, ...pinned(core, process.execPath, ['--import', EXIT_WITH_PARENT, ...args]), {
    stdin: 'pipe',
  });
}

async function startTargets(dir) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [UPSTREAM_SCRIPT]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;
  const upstream = {
    name: 'upstream alone',
    proc: upstreamProc,
    pid: upstreamProc.child.pid,
    core: LOAD_CORE,
    url: `http://${upstreamHost}/bench`,
  };

  const minimalProc = startServer('minimal proxy', PROXY_CORE, [
    MINIMAL_PROXY_SCRIPT,
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

  const file = join(dir, 'bench-api.json');
  writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  const data = join(dir, 'data');
  const variables = `upstream=${upstreamHost}`;
  const imported = await run('gatehouse import', process.execPath, [
    CLI,
    'import',
    file,
    '--stage',
    STAGE,
    '--variables',
    variables,
    '--data',
    data,
  ]);
  const apiId = imported.stdout.trim().split('\n').pop()?.trim();
  if (!apiId) throw new Error(`gatehouse import printed no API id:\n${imported.stdout}`);
  const importWarnings = imported.stderr.trim();

  const gatehousePort = String(await freePort());
  const serve = [CLI, 'serve', '--port', gatehousePort, '--host', '127.0.0.1', '--data', data];
  const gatehouseProc = startServer('Gatehouse', PROXY_CORE, serve);
  const gatehouse = {
    name: 'Gatehouse',
    proc: gatehouseProc,
    pid: gatehouseProc.child.pid,
    core: PROXY_CORE,
    url: `http://127.0.0.1:${gatehousePort}/_aws/execute-api/${apiId}/${STAGE}/bench`,
    apiId,
    importWarnings,
  };

  await waitUntilReady(upstream);
  await waitUntilReady(minimal);
  await waitUntilReady(gatehouse);
  return { upstream, minimal, gatehouse };
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

const round = (n, digits) => (typeof n === 'number' && Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(runs) {
  return {
    rps: round(median(runs.map((r) => r.rps)), 2),
    p50Ms: round(median(runs.map((r) => r.p50Ms)), 3),
    p99Ms: round(median(runs.map((r) => r.p99Ms)), 3),
    targetCpu: median(runs.map((r) => r.targetCpu)),
    cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    othersOnProxyCore: median(runs.map((r) => r.othersOnProxyCore)),
    errors: runs.reduce((n, r) => n + errorCount(r), 0),
    runs,
  };
}

const fmtRps = (n) => (n === null ? '-' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n) => (n === null ? '-' : `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`);
const fmtUs = (n) => (n === null ? '-' : `${Math.round(n)} µs`);
const fmtPct = (n) => (n === null || n === undefined ? '-' : `${Math.round(n * 100)}%`);
const fmtRatio = (n) => (n === null ? '-' : `${n.toFixed(2)}x`);
const verdict = (met) => (met ? 'met' : 'MISSED');

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
        .join('   ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

const startedAt = performance.now();
let quiet = false;
function progress(message) {
  if (quiet) return;
  const s = Math.round((performance.now() - startedAt) / 1000);
  process.stderr.write(`[${String(s).padStart(3)} s] ${message}\n`);
}

function describeErrors(label, run) {
  const parts = [];
  if (run.non2xx) parts.push(`${run.non2xx} responses with status >= 400`);
  const s = run.socketErrors;
  if (s.connect || s.read || s.write || s.timeout) {
    parts.push(`socket errors connect ${s.connect}, read ${s.read}, write ${s.write}, timeout ${s.timeout}`);
  }
  return parts.length ? `${label}: ${parts.join('; ')}` : null;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main() {
  const options = readOptions();
  const warnings = [];

  const wrkCheck = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  if (wrkCheck.error) {
    process.stderr.write('install wrk: apt-get install -y wrk\n');
    process.exit(1);
  }
  if (!existsSync(CLI)) {
    process.stderr.write(`${CLI} is missing: build Gatehouse first (npm run build; npm run bench does it)\n`);
    process.exit(1);
  }
  setUpPinning(warnings);
  for (const warning of warnings) progress(`warning: ${warning}`);

  const { duration, rounds, warmup, connections, delayMs } = options;
  const calibration = Math.max(2, warmup);
  const estimate =
    warmup + duration + 2 * warmup + 2 * rounds * duration + 2 * calibration + 2 * rounds * duration;
  progress(
    `Gatehouse HTTP_PROXY benchmark: ${duration} s per measurement, ${rounds} round(s), about ${Math.ceil(estimate / 10) * 10} s`,
  );

  tempDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  progress('starting the upstream, the minimal proxy and Gatehouse');
  const targets = await startTargets(tempDir);
  const { upstream, minimal, gatehouse } = targets;
  if (gatehouse.importWarnings) warnings.push(`gatehouse import said: ${gatehouse.importWarnings}`);
  const gatehouseStderrAtStart = gatehouse.proc.stderrBytes;

  const measure = async (target, label, settings) => {
    progress(`${label}: ${target.name}`);
    return wrk(target, settings);
  };
  const warm = async (target, settings) => {
    if (warmup > 0) await measure(target, `warm-up ${warmup} s`, { ...settings, duration: warmup });
  };

  // Phase 1: peak throughput.
  const peak = { connections };
  await warm(upstream, { connections });
  peak.upstream = summarize([await measure(upstream, `peak, ${duration} s`, { duration, connections })]);
  await warm(minimal, { connections });
  await warm(gatehouse, { connections });
  const minimalRuns = [];
  const gatehouseRuns = [];
  for (let index = 0; index < rounds; index++) {
    // ABBA order, so a drift in the machine's speed does not favour either target.
    const order = index % 2 === 0 ? [minimal, gatehouse] : [gatehouse, minimal];
    for (const target of order) {
      const result = await measure(target, `peak round ${index + 1}/${rounds}, ${duration} s`, {
        duration,
        connections,
      });
      (target === minimal ? minimalRuns : gatehouseRuns).push(result);
    }
  }
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
  const upstreamHalf = [];
  const gatehouseHalf = [];
  for (let index = 0; index < rounds; index++) {
    const order = index % 2 === 0 ? [upstream, gatehouse] : [gatehouse, upstream];
    for (const target of order) {
      const result = await measure(target, `half load round ${index + 1}/${rounds}, ${duration} s`, paced);
      (target === upstream ? upstreamHalf : gatehouseHalf).push(result);
    }
  }
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
  for (const [label, r] of labelled) {
    const problem = describeErrors(label, r);
    if (problem) warnings.push(`wrk counted errors, ${problem}`);
  }
  for (const [name, summary] of [
    ['minimal proxy', peak.minimal],
    ['Gatehouse', peak.gatehouse],
  ]) {
    if (summary.targetCpu !== null && summary.targetCpu < 0.85) {
      warnings.push(
        `${name} used only ${fmtPct(summary.targetCpu)} of its core at peak: something else (wrk, the upstream, the machine) limited it`,
      );
    }
  }
  // While the upstream alone runs, core 0 is free and other processes on the machine move there;
  // that costs the measurement nothing, so only the runs of a proxy count.
  const others = median([...minimalRuns, ...gatehouseRuns, ...gatehouseHalf].map((r) => r.othersOnProxyCore));
  if (others !== null && others > 0.1) {
    warnings.push(
      `other processes on the machine used ${fmtPct(others)} of core ${PROXY_CORE} (the proxy's) during a typical run: the figures are disturbed`,
    );
  }
  const steal = median(labelled.map(([, r]) => r.cores?.[PROXY_CORE]?.steal));
  if (steal !== null && steal > 0.05)
    warnings.push(`the hypervisor stole ${fmtPct(steal)} of core ${PROXY_CORE}: a noisy machine`);
  const achieved = half.gatehouse.rps / half.targetRps;
  if (Math.abs(achieved - 1) > 0.15) {
    warnings.push(
      `the half-load runs reached ${fmtPct(achieved)} of the intended rate (${fmtRps(half.targetRps)} req/s)`,
    );
  }
  const gatehouseStderr = gatehouse.proc.stderrBytes - gatehouseStderrAtStart;
  if (gatehouseStderr > 0) {
    warnings.push(
      `Gatehouse wrote ${gatehouseStderr} bytes to stderr during the runs; the last of it:\n${gatehouse.proc.stderr.trim()}`,
    );
  }

  // Gatehouse drains and exits 0 on SIGTERM; say so if it does not.
  progress('stopping');
  const gatehouseExit = await stop(gatehouse.proc, 5000);
  if (gatehouseExit.code !== 0) {
    warnings.push(
      `Gatehouse did not exit 0 on SIGTERM (${gatehouseExit.signal ?? `exit ${gatehouseExit.code}`})`,
    );
  }
  await stopAll(3000);

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
      proxyCore: canPin ? PROXY_CORE : null,
      loadCore: canPin ? LOAD_CORE : null,
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
  const row = (name, s, isProxy) => [
    name,
    fmtRps(s.rps),
    fmtMs(s.p50Ms),
    fmtMs(s.p99Ms),
    isProxy ? fmtPct(s.targetCpu) : '-',
    isProxy ? fmtUs(s.cpuUsPerRequest) : '-',
    isProxy ? fmtPct(s.othersOnProxyCore) : '-',
    s.errors ? `${s.errors} (!)` : '0',
  ];
  const header = [
    'target',
    'req/s',
    'p50',
    'p99',
    'proxy CPU',
    'CPU/request',
    `others on core ${PROXY_CORE}`,
    'errors',
  ];
  const lines = [
    '',
    `Gatehouse HTTP_PROXY benchmark (wrk -t1, keep-alive; ${pin})`,
    '',
    `Peak throughput: ${peak.connections} connections, ${settings.duration} s per run, ` +
      `medians of ${settings.rounds} alternating round(s)`,
    table([
      header,
      row('upstream alone', peak.upstream, false),
      row('minimal proxy', peak.minimal, true),
      row('Gatehouse', peak.gatehouse, true),
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
    table([header, row('upstream alone', half.upstream, false), row('Gatehouse', half.gatehouse, true)]),
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
  ];
  if (warnings.length) {
    lines.push('', 'Warnings');
    for (const warning of warnings) lines.push(`  - ${warning.replace(/\n/g, '\n    ')}`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

try {
  await main();
} catch (error) {
  if (!stopping) {
    quiet = true;
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1000);
    process.exitCode = 1;
  }
}
