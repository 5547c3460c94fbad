// Waiting for the servers the benchmark starts: first for the port they report, then until
// they answer a real request the way the benchmark expects.
import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './http.mjs';
import { alive } from './processes.mjs';

export const READY_TIMEOUT_MS = 20_000;

/** Waits for the {"port":N} line that bench/upstream.mjs and bench/minimal-proxy.mjs print. */
export async function reportedPort(proc) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const line = proc.stdout.split('\n').find((l) => l.startsWith('{'));
    if (line) return JSON.parse(line).port;
    if (!alive(proc.child)) break;
    await sleep(20);
  }
  throw new Error(`${proc.name} did not start${proc.stderr ? `:\n${proc.stderr.trim()}` : ''}`);
}

/**
 * Waits until `target.url` answers `request` (a GET by default) with 200 and a body that
 * `accept` approves of; fails when the target exits or does not within READY_TIMEOUT_MS.
 *
 * @param {{name: string, url: string, proc: {child: import('node:child_process').ChildProcess, stderr: string}}} target
 * @param {{request?: Parameters<typeof send>[1], accept?: (body: string) => boolean}} [options]
 */
export async function waitUntilReady(target, { request, accept = () => true } = {}) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(target.proc.child)) {
      throw new Error(
        `${target.name} exited before it answered${target.proc.stderr ? `:\n${target.proc.stderr.trim()}` : ''}`,
      );
    }
    try {
      const { status, body } = await send(target.url, request);
      if (status === 200 && accept(body)) return;
      last = `${status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(100);
  }
  throw new Error(
    `${target.name} did not answer 200 at ${target.url} within ${READY_TIMEOUT_MS / 1000} s (last: ${last})`,
  );
}
