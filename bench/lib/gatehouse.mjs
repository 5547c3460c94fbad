// Gatehouse through its real CLI: `gatehouse import FILE --stage S --variables k=v,...`
// (the API id is the last line it prints), then `gatehouse serve` on a free port.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './http.mjs';
import { ROOT } from './paths.mjs';
import { PROXY_CORE } from './pinning.mjs';
import { progress } from './progress.mjs';
import { run, startServer, stop, stopAll } from './processes.mjs';

export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Exits 1 when Gatehouse has not been built. */
export function requireBuild() {
  if (!existsSync(CLI)) {
    process.stderr.write(`${CLI} is missing: build Gatehouse first (npm run build; npm run bench does it)\n`);
    process.exit(1);
  }
}

/**
 * Writes `document` (an OpenAPI object) to `dir`, imports it into a data directory in `dir`
 * and deploys it to `stage` with `variables`. Returns the API id, the data directory and what
 * the import wrote to stderr (its warnings). Several imports into the same `dir` share its data
 * directory, so one `gatehouse serve` serves them all; give each its own `fileName` to keep
 * the documents apart. `config` is passed as `--config` (a configuration file naming the
 * functions the API calls).
 *
 * @param {string} dir
 * @param {object} document
 * @param {{stage: string, variables: Record<string, string>, fileName?: string, config?: string}} deployment
 */
export async function importApi(dir, document, { stage, variables, fileName = 'bench-api.json', config }) {
  const file = join(dir, fileName);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  const data = join(dir, 'data');
  const pairs = Object.entries(variables).map(([key, value]) => `${key}=${value}`);
  const imported = await run('gatehouse import', process.execPath, [
    CLI,
    'import',
    file,
    '--stage',
    stage,
    '--variables',
    pairs.join(','),
    '--data',
    data,
    ...(config ? ['--config', config] : []),
  ]);
  const apiId = imported.stdout.trim().split('\n').pop()?.trim();
  if (!apiId) throw new Error(`gatehouse import printed no API id:\n${imported.stdout}`);
  return { apiId, data, importWarnings: imported.stderr.trim() };
}

/** Account-level throttling for benchmarks: present (its cost is measured) but never reached. */
export const BENCH_ACCOUNT_LIMITS = { rateLimit: 10_000_000, burstLimit: 10_000_000 };

/**
 * Changes `fields` of a deployed stage in the data directory, as UpdateStage would, for settings
 * `gatehouse import` does not take (caching, throttling). Call it before serving.
 *
 * @param {string} data
 * @param {string} apiId
 * @param {string} stageName
 * @param {Record<string, unknown>} fields
 */
export async function changeStage(data, apiId, stageName, fields) {
  const { SqliteConfigStore } = await import(
    pathToFileURL(join(ROOT, 'dist', 'store', 'sqlite', 'sqlite-config-store.js')).href
  );
  const store = SqliteConfigStore.open(data);
  try {
    const stage = await store.getStage(apiId, stageName);
    await store.putStage({ ...stage, ...fields, lastUpdatedDate: stage.lastUpdatedDate + 1 });
  } finally {
    await store.close();
  }
}

/**
 * Starts `gatehouse serve` on 127.0.0.1 and a free port, pinned to `core`, with `--config
 * config` when given; `name` is the process's name in progress and errors. `invokeUrl(apiId,
 * stage, path)` is the path-style invoke URL of a resource path.
 *
 * @param {string} data
 * @param {string} [core]
 * @param {{config?: string, name?: string}} [options]
 */
export async function serveGatehouse(data, core = PROXY_CORE, { config, name = 'Gatehouse' } = {}) {
  const port = String(await freePort());
  // Without a configuration of the benchmark's own, one whose account limit is far above any
  // load: AWS's default (10,000/s) would answer part of a fast route's requests with 429.
  if (!config) {
    config = join(data, 'bench-gatehouse.json');
    writeFileSync(config, JSON.stringify({ throttling: BENCH_ACCOUNT_LIMITS }));
  }
  const proc = startServer(name, core, [
    CLI,
    'serve',
    '--port',
    port,
    '--host',
    '127.0.0.1',
    // The data plane is what is measured; several benchmarks may run at once.
    '--no-admin',
    '--data',
    data,
    ...(config ? ['--config', config] : []),
  ]);
  return {
    proc,
    pid: proc.child.pid,
    core,
    invokeUrl: (apiId, stage, path) => `http://127.0.0.1:${port}/_aws/execute-api/${apiId}/${stage}${path}`,
  };
}

/** Gatehouse drains and exits 0 on SIGTERM; a warning says so if it does not. */
export async function stopGatehouse(proc, warnings) {
  const exit = await stop(proc, 5000);
  if (exit.code !== 0) {
    warnings.push(`Gatehouse did not exit 0 on SIGTERM (${exit.signal ?? `exit ${exit.code}`})`);
  }
}

/** The end of a run: each Gatehouse process stopped as stopGatehouse does, then everything else. */
export async function stopRun(gatehouses, warnings) {
  progress('stopping');
  for (const proc of gatehouses) await stopGatehouse(proc, warnings);
  await stopAll(3000);
}
