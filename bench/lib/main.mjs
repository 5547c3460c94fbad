// Runs a benchmark's main function: an error stops everything the benchmark started, prints
// `bench: <message>` and exits 1 (unless a signal is already stopping the benchmark).
import { requireBuild } from './gatehouse.mjs';
import { setUpPinning } from './pinning.mjs';
import { progress, silenceProgress } from './progress.mjs';
import { isStopping, stopAll } from './processes.mjs';
import { requireWrk } from './wrk.mjs';

/**
 * What every benchmark does before it starts anything: exits when wrk or the build is missing,
 * then pins this process. Returns the run's warnings, which start with pinning's, already shown.
 */
export function prepareRun() {
  const warnings = [];
  requireWrk();
  requireBuild();
  setUpPinning(warnings);
  for (const warning of warnings) progress(`warning: ${warning}`);
  return warnings;
}

export async function runBenchmark(main) {
  try {
    await main();
  } catch (error) {
    if (!isStopping()) {
      silenceProgress();
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      await stopAll(1000);
      process.exitCode = 1;
    }
  }
}
