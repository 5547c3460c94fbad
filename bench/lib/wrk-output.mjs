// Reading wrk's text output (wrk 4, --latency).
import { round } from './numbers.mjs';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Requests/sec, the latency percentiles, and everything wrk counts as an error. */
export function parseWrk(text) {
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

/** Error responses plus socket errors of one run. */
export const errorCount = (r) =>
  r.non2xx + r.socketErrors.connect + r.socketErrors.read + r.socketErrors.write + r.socketErrors.timeout;

/** `label: what went wrong` for a run with errors, null for a clean one. */
export function describeErrors(label, run) {
  const parts = [];
  if (run.non2xx) parts.push(`${run.non2xx} responses with status >= 400`);
  const s = run.socketErrors;
  if (s.connect || s.read || s.write || s.timeout) {
    parts.push(`socket errors connect ${s.connect}, read ${s.read}, write ${s.write}, timeout ${s.timeout}`);
  }
  return parts.length ? `${label}: ${parts.join('; ')}` : null;
}
