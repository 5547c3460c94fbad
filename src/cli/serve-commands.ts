// CLI commands that run a gateway: `serve` and `example`.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deploy } from '../controlplane/deployments.js';
import { startGatewayNode, type GatewayNode, type GatewayNodeOptions } from '../gateway-node.js';
import { DEFAULT_ADMIN_PORT } from '../controlplane/admin-listener.js';
import { resolveAdminCredentials } from '../controlplane/credentials.js';
import { apiIdOf } from '../model/api.js';
import { jsonLog } from '../observability/log.js';
import { importOpenApi } from '../openapi/import.js';
import { loadDocument } from '../openapi/parse.js';
import { SqliteConfigStore } from '../store/sqlite/sqlite-config-store.js';
import { describeStore, openConfigStore } from '../store/open.js';
import { invokeUrl, storeSpecOf } from './config-commands.js';
import { functionProblems } from './deployment-check.js';
import { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import { certificateFiles, loadConfig } from '../config/gatehouse-config.js';
import { createFunctionRuntime } from '../functions/registry.js';
import { throttlingSettingsOf, type ThrottlingSettings } from '../features/throttling/index.js';
import { RedisResponseCacheStore } from '../features/cache/index.js';
import { compileIamCallers } from '../features/auth/index.js';

export async function runServe(opts: {
  port: number;
  host: string;
  data: string;
  /** The config store: a postgres:// URL or a data directory (default: data). */
  store?: string;
  config?: string;
  adminPort?: number;
  admin?: boolean;
  /** HTTPS data-plane port; certificates come from the config file. */
  tlsPort?: number;
  /** Runtime state for throttling: `memory` or a Redis URL (else GATEHOUSE_STATE, else the config file). */
  state?: string;
}): Promise<void> {
  const log = jsonLog();
  const loaded = opts.config === undefined ? undefined : await loadConfig(opts.config);
  const functions = loaded && createFunctionRuntime(loaded.config, loaded.baseDir, log);
  // loadConfig has already compiled them once, so this cannot fail.
  const callers = loaded?.config.callers && compileIamCallers(loaded.config.callers);
  const store = await openConfigStore(storeSpecOf(opts));
  const throttling = throttlingSettingsOf(loaded?.config, opts.state);
  const cacheStore = sharedCacheStore(throttling);
  const admin = opts.admin === false ? undefined : adminOptions(opts, loaded?.config.adminCredentials);
  // CreateDeployment refuses a deployment naming a function no runtime serves, as `deploy` does.
  const checkPools = new UpstreamPools();
  if (admin && functions) admin.options.checkDeployment = functionProblems(functions, checkPools);
  const node = await listen(
    () =>
      startGatewayNode({
        store,
        port: opts.port,
        host: opts.host,
        log,
        ...(functions && { functions }),
        ...(callers && { callers }),
        ...(admin && { admin: admin.options }),
        ...(opts.tlsPort !== undefined && {
          tls: {
            port: opts.tlsPort,
            certificates: loaded ? certificateFiles(loaded.config, loaded.baseDir) : {},
            defaultCertificate: loaded?.config.defaultCertificate,
          },
        }),
        throttling,
        ...(cacheStore && { cacheStore }),
      }),
    opts.port,
  );
  const stages = [...node.registry.list().values()].reduce((n, api) => n + api.stages.size, 0);
  process.stdout.write(
    `gatehouse serving ${stages} stage(s) on ${node.url} (store: ${describeStore(storeSpecOf(opts))})\n`,
  );
  if (node.admin && admin) process.stdout.write(`${admin.describe(node.admin.url)}\n`);
  if (node.tlsPort !== undefined) process.stdout.write(`HTTPS on port ${node.tlsPort}\n`);
  stopOnSignal(node, async () => {
    await store.close();
    await checkPools.close();
  });
}

/**
 * With a Redis runtime state, stage response caches live there too, so every node serves and
 * flushes the same entries. A Redis Cluster URL keeps caches in memory (see docs/caching.md).
 */
function sharedCacheStore(throttling: ThrottlingSettings): RedisResponseCacheStore | undefined {
  const state = throttling.state;
  if (state?.url === undefined || !/^rediss?:\/\//.test(state.url)) return undefined;
  return new RedisResponseCacheStore({
    redis: state.url,
    ...(state.keyPrefix !== undefined && { prefix: state.keyPrefix }),
    ...(state.timeoutMs !== undefined && { timeoutMs: state.timeoutMs }),
  });
}

/** The management API's listener options and the line that tells where it is and who may sign. */
function adminOptions(
  opts: { host: string; data: string; adminPort?: number },
  configured: string | undefined,
): { options: NonNullable<GatewayNodeOptions['admin']>; describe: (url: string) => string } {
  const resolved = resolveAdminCredentials({ configured, dataDir: opts.data });
  const where =
    resolved.source === 'generated'
      ? `new credentials generated in ${resolved.file ?? ''} (readable by this user only)`
      : `credentials from the ${resolved.source}${resolved.file ? ` (${resolved.file})` : ''}`;
  return {
    options: {
      port: opts.adminPort ?? DEFAULT_ADMIN_PORT,
      host: opts.host,
      credentials: resolved.credentials,
    },
    describe: (url) =>
      `management API on ${url}: sign with ${where}; access key id ${resolved.credentials.accessKeyIds.join(', ')}`,
  };
}

/** SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit 0. */
function stopOnSignal(node: GatewayNode, cleanup: () => Promise<void>): void {
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: draining in-flight requests\n`);
    node
      .stop()
      .then(cleanup)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`gatehouse: stopping failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function listen(start: () => Promise<GatewayNode>, port: number): Promise<GatewayNode> {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`port ${port} is in use; choose another with --port`, { cause: error });
    throw error;
  }
}

const EXAMPLES = fileURLToPath(new URL('../../examples/petstore/', import.meta.url));

export async function runExample(opts: { port: number }): Promise<void> {
  const backendModule = (await import(join(EXAMPLES, 'backend.mjs'))) as {
    startBackend: (port: number) => Promise<{ port: number; close: () => Promise<void> }>;
  };
  const backend = await backendModule.startBackend(0);
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-example-'));
  const store = SqliteConfigStore.open(dataDir);
  const deployed: { name: string; kind: string; apiId: string; stageName: string }[] = [];
  for (const file of ['rest-api.yaml', 'http-api.yaml']) {
    const { api } = importOpenApi(await loadDocument(join(EXAMPLES, file)));
    await store.createApi(api);
    const stageName = api.protocolType === 'REST' ? 'dev' : '$default';
    await deploy(store, {
      apiId: apiIdOf(api),
      stageName,
      variables: { backend: `127.0.0.1:${backend.port}` },
    });
    deployed.push({ name: api.name, kind: api.protocolType, apiId: apiIdOf(api), stageName });
  }
  const node = await listen(
    () => startGatewayNode({ store, port: opts.port, host: '127.0.0.1', log: jsonLog() }),
    opts.port,
  );
  const [rest, http] = deployed.map((api) => invokeUrl(api.apiId, api.stageName, node.port));
  process.stdout.write(
    [
      `Gatehouse example on ${node.url}, backend on 127.0.0.1:${backend.port}`,
      ...deployed.map((api, i) => `  ${api.name} (${api.kind} API): ${i === 0 ? rest : http}`),
      '',
      'Try:',
      `  curl ${rest}pets                 # HTTP_PROXY to the backend`,
      `  curl ${rest}pets/1               # path parameter mapped into the integration URI`,
      `  curl ${rest}pets/99/status       # HTTP integration: backend 404 selected as 404`,
      `  curl ${rest}health               # MOCK integration`,
      `  curl ${rest}nowhere              # 403 Missing Authentication Token, as on AWS`,
      `  curl ${http}pets                 # HTTP API route`,
      `  curl ${http}anything/else        # HTTP API $default route`,
      '',
      'Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  stopOnSignal(node, async () => {
    await store.close();
    await backend.close();
  });
}
