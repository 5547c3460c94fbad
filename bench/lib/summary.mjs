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

/**
 * A summary against the baseline's, both of the same alternating rounds: the ratio of their
 * medians and of each round's req/s, and the same comparison by CPU time per request, which a
 * busy machine disturbs much less.
 */
export const compareSummaries = (summary, baseline) => ({
  ratio: round(summary.rps / baseline.rps, 4),
  roundRatios: summary.runs.map((r, i) => round(r.rps / baseline.runs[i].rps, 4)),
  cpuPerRequestRatio: round(baseline.cpuUsPerRequest / summary.cpuUsPerRequest, 4),
  addedCpuUsPerRequest: round(summary.cpuUsPerRequest - baseline.cpuUsPerRequest, 1),
});
