// The data plane over HTTPS: one port, a certificate per custom domain chosen by SNI, and
// mutual TLS for the domains that ask for it. A connection's first record is read to learn its
// server name; connections to a domain with mutual TLS go to a server that requests a client
// certificate, the rest to one that does not (so browsers are never asked for one needlessly).
// Both servers answer with the same request handler as the HTTP listener.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import type { SecureContext } from 'node:tls';
import {
  answerClientError,
  gatewayRequestListener,
  gatewayServerOptions,
  type ListenerOptions,
} from '../listener.js';
import { peekServerName } from './client-hello.js';
import { hostnameOf } from './domain-table.js';
import { SecureContexts, type CertificateFiles } from './secure-contexts.js';

export interface TlsListenerOptions extends ListenerOptions {
  certificates: Readonly<Record<string, CertificateFiles>>;
  defaultCertificate?: string | undefined;
}

export interface TlsListener {
  /** The socket that accepts connections. */
  readonly server: NetServer;
  /** Starts accepting; resolves with the port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, closes idle keep-alive connections, and resolves once every connection is gone. */
  close(): Promise<void>;
  closeIdleConnections(): void;
  closeAllConnections(): void;
}

export async function createTlsListener(options: TlsListenerOptions): Promise<TlsListener> {
  if (Object.keys(options.certificates).length === 0)
    options.log('TLS: no certificates in the configuration file; every HTTPS handshake will fail');
  const contexts = new SecureContexts(options);
  const defaultPem = await contexts.defaultPem();
  const registry = options.registry;

  const SNICallback = (servername: string, cb: (error: Error | null, context?: SecureContext) => void) => {
    const table = registry.domains();
    const domain = table.find(hostnameOf(servername));
    if (!domain) {
      // The server's own context: the default certificate, when there is one.
      cb(null);
      return;
    }
    contexts.forDomain(table, domain).then(
      (context) => cb(null, context),
      (error: unknown) => cb(error instanceof Error ? error : new Error(String(error))),
    );
  };
  const serverOptions = {
    ...gatewayServerOptions(options),
    SNICallback,
    handshakeTimeout: options.headersTimeoutMs ?? 10_000,
    ...defaultPem,
  };
  const handler = gatewayRequestListener(options);
  const plain = createHttpsServer(serverOptions, handler);
  // The verdict on the certificate is the request's to give (403, as AWS answers), so an
  // untrusted or missing certificate does not end the handshake.
  const mutual = createHttpsServer(
    { ...serverOptions, requestCert: true, rejectUnauthorized: false },
    handler,
  );
  for (const server of [plain, mutual]) {
    server.on('clientError', answerClientError);
    // Handshake failures (scanners, clients that distrust the certificate) are the client's.
    server.on('tlsClientError', (_error, socket) => socket.destroy());
  }

  const pending = new Set<Socket>();
  const front = createNetServer((socket) => {
    pending.add(socket);
    void peekServerName(socket, options.headersTimeoutMs ?? 10_000).then((name) => {
      pending.delete(socket);
      if (name === undefined) {
        socket.destroy();
        return;
      }
      const domain = name === '' ? undefined : registry.domains().find(hostnameOf(name));
      (domain?.mutualTls ? mutual : plain).emit('connection', socket);
    });
  });

  const servers: HttpsServer[] = [plain, mutual];
  return {
    server: front,
    listen: (port, host) =>
      new Promise<number>((resolve, reject) => {
        front.once('error', reject);
        front.listen(port, host, () => {
          front.off('error', reject);
          resolve((front.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // The front server counts every accepted socket, so its close waits for all of them.
        front.close(() => resolve());
        for (const socket of pending) socket.destroy();
        for (const server of servers) {
          server.close();
          server.closeIdleConnections();
        }
      }),
    closeIdleConnections: () => servers.forEach((server) => server.closeIdleConnections()),
    closeAllConnections: () => {
      for (const socket of pending) socket.destroy();
      servers.forEach((server) => server.closeAllConnections());
    },
  };
}
