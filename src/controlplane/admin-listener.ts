// Starts the management API on its own port (default 9080), apart from the data plane.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Log } from '../observability/log.js';
import type { AdminContext } from './admin-context.js';
import { createAdminServer } from './admin-server.js';
import type { AdminCredentials } from './credentials.js';
import { managementRoutes } from './routes.js';

export const DEFAULT_ADMIN_PORT = 9080;

export interface AdminListenerOptions {
  port: number;
  host?: string;
  credentials: AdminCredentials;
  context: AdminContext;
  log: Log;
  /** Requests per second per access key (see createAdminServer). */
  rateLimit?: number | undefined;
}

export interface AdminListener {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startAdminListener(options: AdminListenerOptions): Promise<AdminListener> {
  const server = createAdminServer({
    routes: managementRoutes(),
    context: options.context,
    credentials: options.credentials,
    log: options.log,
    ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`management API port ${options.port} is in use; choose another with --admin-port`)
          : error,
      );
    server.once('error', failed);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', failed);
      server.on('error', (error) => options.log('management API listener error', { error: String(error) }));
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host =
    !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
