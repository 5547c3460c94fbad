// CPU accounting from /proc: per-core busy and steal time, and the CPU time of one process.
// Every function returns null where /proc cannot be read, and the benchmark then shows '-'.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { round } from './numbers.mjs';
import { LOAD_CORE, PROXY_CORE } from './pinning.mjs';

const CLOCK_TICKS = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(result.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** Per-core jiffies from /proc/stat: total, busy (not idle or iowait) and steal. */
export function coreTimes() {
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
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Busy and steal shares of the proxy's and the load's core between two coreTimes() readings. */
export function coreUsage(before, after) {
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
