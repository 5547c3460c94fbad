// Several wrk runs of one target reduced to their medians.
import { median, round } from './numbers.mjs';
import { errorCount } from './wrk-output.mjs';

export function summarize(runs) {
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
