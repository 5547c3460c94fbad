// Running wrk (-t1 --latency, pinned to the load core) against one target, with the target's
// CPU time and both cores' usage read from /proc around the run.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { coreTimes, coreUsage, processCpuSeconds } from './cpu.mjs';
import { round } from './numbers.mjs';
import { isPinned, LOAD_CORE, PROXY_CORE, pinned } from './pinning.mjs';
import { alive, start } from './processes.mjs';
import { parseWrk } from './wrk-output.mjs';

/** Exits 1 with an install hint when wrk is not on the PATH. */
export function requireWrk() {
  const wrkCheck = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  if (wrkCheck.error) {
    process.stderr.write('install wrk: apt-get install -y wrk\n');
    process.exit(1);
  }
}

/**
 * One wrk run. A target is `{name, url, proc, pid, core}`: `pid` is the process whose CPU time
 * is charged to the target (null for none), `core` the core it is pinned to; the run fails if
 * `proc` exits during it.
 *
 * @param {{duration: number, connections: number, script?: string | null}} settings
 */
export async function wrk(target, { duration, connections, script = null }) {
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
  const proxyCoreBusy = isPinned() ? result.cores?.[PROXY_CORE]?.busy : undefined;
  result.othersOnProxyCore =
    proxyCoreBusy === undefined
      ? null
      : round(Math.max(0, proxyCoreBusy - (target.core === PROXY_CORE ? (result.targetCpu ?? 0) : 0)), 3);
  if (!alive(target.proc.child))
    throw new Error(`${target.name} exited during the run:\n${target.proc.stderr.trim()}`);
  return result;
}
