// Runs a benchmark's main function: an error stops everything the benchmark started, prints
// `bench: <message>` and exits 1 (unless a signal is already stopping the benchmark).
import { silenceProgress } from './progress.mjs';
import { isStopping, stopAll } from './processes.mjs';

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
