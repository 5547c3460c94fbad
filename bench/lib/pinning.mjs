// CPU pinning: the server under test runs alone on PROXY_CORE; the upstream, wrk and the
// benchmark script itself share LOAD_CORE. Without taskset or a second core nothing is pinned
// and the benchmark says so.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const PROXY_CORE = '0';
export const LOAD_CORE = '1';

let canPin = false;

/** True once setUpPinning has found two cores and a working taskset. */
export const isPinned = () => canPin;

/** Probes taskset and pins this process to LOAD_CORE; pushes a warning when it cannot pin. */
export function setUpPinning(warnings) {
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

/** The cores a report names: null when nothing is pinned. */
export const pinnedCores = () => ({
  proxyCore: canPin ? PROXY_CORE : null,
  loadCore: canPin ? LOAD_CORE : null,
});

/** [command, args] that run `command` on `core` when pinning is available. */
export const pinned = (core, command, args) =>
  canPin ? ['taskset', ['-c', core, command, ...args]] : [command, args];
