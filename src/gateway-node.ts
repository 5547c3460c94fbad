// One gateway node: the config store, the stage loader that compiles what is deployed, and the
// data-plane listener. `stop()` drains in-flight requests before closing.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { StageLoader } from './compiler/stage-loader.js';
import { UpstreamPools } from './dataplane/integrations/upstream-pools.js';
import { createGatewayServer, type ListenerOptions } from './dataplane/listener.js';
import { StageRegistry } from './dataplane/stage-registry.js';
import type { Log } from './observability/log.js';
import type { ConfigStore } from './store/config-store.js';
import type { FunctionRuntime } from './functions/runtime.js';
import { startAdminListener, type AdminListener } from './controlplane/admin-listener.js';
import type { AdminContext } from './controlplane/admin-context.js';
import type { AdminCredentials } from './controlplane/credentials.js';
import { nodeDataPlane } from './node-data-plane.js';
import { ResponseCaches, type ResponseCacheStore } from './features/cache/index.js';
import { createThrottling, type Throttling, type ThrottlingSettings } from './features/throttling/index.js';
import { createTlsListener, type TlsListenerOptions } from './dataplane/domains/tls-listener.js';
import type { IamCallers } from './features/auth/index.js';

export interface GatewayNodeOptions {
  store: ConfigStore;
  /** Runs the functions Lambda integrations and authorizers name; closed by stop(). */
  functions?: FunctionRuntime;
  port: number;
  host?: string;
  log: Log;
  listener?: Partial<Omit<ListenerOptions, 'registry' | 'log'>>;
  /** How long stop() waits for in-flight requests before closing their connections. */
  drainTimeoutMs?: number;
  /** Where stage response caches keep their entries (default: memory); closed by stop(). */
  cacheStore?: ResponseCacheStore;
  /** Throttling and quotas: where their state lives (memory unless a Redis URL), the account-level limits. */
  throttling?: ThrottlingSettings;
  /** The IAM callers that may sign data-plane requests (AWS_IAM authorization, cache invalidation); omitted, none. */
  callers?: IamCallers;
  /** An HTTPS listener for the same data plane (custom domains, SNI, mutual TLS); omitted, none. */
  tls?: Pick<TlsListenerOptions, 'certificates' | 'defaultCertificate'> & { port: number };
  /** The management API; omitted, the node serves the data plane only. */
  admin?: {
    port: number;
    host?: string;
    credentials: AdminCredentials;
    checkDeployment?: AdminContext['checkDeployment'];
    now?: () => number;
    rateLimit?: number;
  };
}

export interface GatewayNode {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  readonly loader: StageLoader;
  readonly registry: StageRegistry;
  /** Present when the node runs the management API. */
  readonly admin: AdminListener | undefined;
  /** The HTTPS listener's port, when the node has one. */
  readonly tlsPort: number | undefined;
  /** Throttling state and usage plans, for GetUsage (see features/throttling getUsage). */
  readonly throttling: Throttling;
  /** FlushStageCache: drops every cached response of the stage. */
  flushStageCache(apiId: string, stageName: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatewayNode(options: GatewayNodeOptions): Promise<GatewayNode> {
  const registry = new StageRegistry();
  const pools = new UpstreamPools();
  const responseCaches = new ResponseCaches({
    ...(options.cacheStore && { store: options.cacheStore }),
    onError: (error) =>
      options.log('response cache unavailable; serving from the integration', { error: String(error) }),
  });
  const throttling = createThrottling(options.throttling, options.log);
  await throttling.ready();
  const loader = new StageLoader(
    options.store,
    registry,
    pools,
    options.log,
    options.functions,
    responseCaches,
    throttling,
    options.callers,
  );
  await loader.start();
  const server = createGatewayServer({ ...options.listener, registry, log: options.log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const tls =
    options.tls &&
    (await createTlsListener({
      ...options.listener,
      registry,
      log: options.log,
      certificates: options.tls.certificates,
      defaultCertificate: options.tls.defaultCertificate,
    }));
  const tlsPort = options.tls && (await tls?.listen(options.tls.port, options.host ?? '0.0.0.0'));
  const shownHost =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const admin =
    options.admin &&
    (await startAdminListener({
      port: options.admin.port,
      ...(options.admin.host !== undefined && { host: options.admin.host }),
      credentials: options.admin.credentials,
      rateLimit: options.admin.rateLimit,
      log: options.log,
      context: {
        store: options.store,
        now: options.admin.now ?? Date.now,
        checkDeployment: options.admin.checkDeployment,
        dataPlane: nodeDataPlane({ registry, responseCaches, throttling }),
        invokeBaseUrl: `http://${shownHost}:${port}`,
      },
    }));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await admin?.stop();
      loader.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const tlsClosed = tls?.close();
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        server.closeAllConnections();
        tls?.closeAllConnections();
      }, options.drainTimeoutMs ?? 30_000);
      await closed;
      await tlsClosed;
      clearTimeout(timer);
      await pools.close();
      await responseCaches.close();
      await throttling.close();
      await options.functions?.close();
    })());

  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    loader,
    registry,
    admin,
    tlsPort,
    throttling,
    flushStageCache: (apiId, stageName) => responseCaches.flushStageCache(apiId, stageName),
    stop,
  };
}
