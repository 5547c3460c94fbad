// Child processes and temporary directories. Every child is tracked and killed, and every
// temporary directory removed, when the benchmark ends, however it ends: normally, with an
// error, or on SIGINT/SIGTERM/SIGHUP. The servers are also preloaded with
// bench/exit-with-parent.mjs, so they go even if the benchmark itself is killed with SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchFile, ROOT } from './paths.mjs';
import { pinned } from './pinning.mjs';

const EXIT_WITH_PARENT = benchFile('exit-with-parent.mjs');

/** @type {Set<{name: string, child: import('node:child_process').ChildProcess}>} */
const children = new Set();
const tempDirs = new Set();
let stopping = false;

export const alive = (child) => child.exitCode === null && child.signalCode === null;

/** True once a signal has asked the benchmark to stop. */
export const isStopping = () => stopping;

/**
 * Starts a tracked child. Its stdout is kept (up to 1 MB), the last 8 KiB of its stderr too,
 * and `exited` resolves with how it ended.
 */
export function start(name, command, args, { stdin = 'ignore' } = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'] });
  const proc = { name, child, stdout: '', stderr: '', stderrBytes: 0, exited: null };
  proc.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  }).then((result) => {
    children.delete(proc);
    return result;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (proc.stdout.length < 1_000_000) proc.stdout += chunk;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    proc.stderrBytes += chunk.length;
    proc.stderr = (proc.stderr + chunk).slice(-8192);
  });
  children.add(proc);
  return proc;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how the process ended. */
export async function stop(proc, graceMs = 3000) {
  if (alive(proc.child)) {
    proc.child.kill('SIGTERM');
    const outcome = await Promise.race([proc.exited, sleep(graceMs, 'timeout')]);
    if (outcome === 'timeout' && alive(proc.child)) proc.child.kill('SIGKILL');
  }
  return proc.exited;
}

export const stopAll = (graceMs) => Promise.all([...children].map((proc) => stop(proc, graceMs)));

/** Runs a command to completion (tracked, so an interrupt kills it too). */
export async function run(name, command, args) {
  const proc = start(name, command, args);
  const { code, signal, error } = await proc.exited;
  if (error) throw new Error(`${name}: ${error.message}`);
  if (code !== 0) {
    const detail = (proc.stderr || proc.stdout).trim();
    throw new Error(`${name} failed (${signal ?? `exit ${code}`})${detail ? `:\n${detail}` : ''}`);
  }
  return proc;
}

/** Starts a Node server on `core`; it exits by itself if the benchmark dies (see exit-with-parent.mjs). */
export function startServer(name, core, args) {
  return start(name, ...pinned(core, process.execPath, ['--import', EXIT_WITH_PARENT, ...args]), {
    stdin: 'pipe',
  });
}

/** A temporary directory, removed when the benchmark exits. */
export function makeTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  tempDirs.add(dir);
  return dir;
}

function killAllNow() {
  for (const { child } of children) {
    if (alive(child)) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', killAllNow);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the benchmark\n`);
    void stopAll(1000).finally(() => process.exit(code));
  });
}
