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
}

export interface GatewayNode {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  readonly loader: StageLoader;
  readonly registry: StageRegistry;
  stop(): Promise<void>;
}

export async function startGatewayNode(options: GatewayNodeOptions): Promise<GatewayNode> {
  const registry = new StageRegistry();
  const pools = new UpstreamPools();
  const loader = new StageLoader(options.store, registry, pools, options.log, options.functions);
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
  const shownHost =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      loader.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 30_000);
      await closed;
      clearTimeout(timer);
      await pools.close();
      await options.functions?.close();
    })());

  return { server, port, url: `http://${shownHost}:${port}`, loader, registry, stop };
}
