// Checks that say when figures are less trustworthy; each pushes its warnings onto `warnings`.
import { median } from './numbers.mjs';
import { fmtPct } from './format.mjs';
import { PROXY_CORE } from './pinning.mjs';
import { describeErrors } from './wrk-output.mjs';

/** Any run in which wrk counted error responses or socket errors. `labelled` is [label, run][]. */
export function checkErrors(warnings, labelled) {
  for (const [label, r] of labelled) {
    const problem = describeErrors(label, r);
    if (problem) warnings.push(`wrk counted errors, ${problem}`);
  }
}

/** A server that did not use most of its core at peak was not the bottleneck. `summaries` is [name, summary][]. */
export function checkSaturated(warnings, summaries) {
  for (const [name, summary] of summaries) {
    if (summary.targetCpu !== null && summary.targetCpu < 0.85) {
      warnings.push(
        `${name} used only ${fmtPct(summary.targetCpu)} of its core at peak: something else (wrk, the upstream, the machine) limited it`,
      );
    }
  }
}

/**
 * Other processes on the server's core during a typical run. Pass only the runs of a server
 * pinned to that core: while the upstream alone runs, core 0 is free and other processes on
 * the machine move there, which costs the measurement nothing.
 */
export function checkOthersOnProxyCore(warnings, runs) {
  const others = median(runs.map((r) => r.othersOnProxyCore));
  if (others !== null && others > 0.1) {
    warnings.push(
      `other processes on the machine used ${fmtPct(others)} of core ${PROXY_CORE} (the proxy's) during a typical run: the figures are disturbed`,
    );
  }
}

/** CPU time the hypervisor took from the server's core. */
export function checkSteal(warnings, runs) {
  const steal = median(runs.map((r) => r.cores?.[PROXY_CORE]?.steal));
  if (steal !== null && steal > 0.05)
    warnings.push(`the hypervisor stole ${fmtPct(steal)} of core ${PROXY_CORE}: a noisy machine`);
}

/** Anything a server wrote to stderr after `bytesAtStart`. */
export function checkStderr(warnings, name, proc, bytesAtStart) {
  const written = proc.stderrBytes - bytesAtStart;
  if (written > 0) {
    warnings.push(
      `${name} wrote ${written} bytes to stderr during the runs; the last of it:\n${proc.stderr.trim()}`,
    );
  }
}
