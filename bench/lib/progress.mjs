// Progress lines on stderr, stamped with the seconds since the benchmark started.
import { performance } from 'node:perf_hooks';

const startedAt = performance.now();
let quiet = false;

export function progress(message) {
  if (quiet) return;
  const s = Math.round((performance.now() - startedAt) / 1000);
  process.stderr.write(`[${String(s).padStart(3)} s] ${message}\n`);
}

/** No more progress lines: the benchmark is failing and only its error should follow. */
export function silenceProgress() {
  quiet = true;
}
