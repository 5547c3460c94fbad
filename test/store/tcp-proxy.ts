// A TCP proxy on port 0 between a store and PostgreSQL that a test can cut and restore, to
// play a network outage for one gateway node while the database stays up for the others.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * `silent`: a partition. Bytes stop flowing both ways and new connections are accepted but
 * never answered, so the store sees timeouts, not errors. `reset`: every connection is closed
 * at once and new ones are refused, as when the server goes down.
 */
export type CutMode = 'silent' | 'reset';

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(mode?: CutMode): void;
  /** Lets connections through again; those caught by a silent cut are closed, as a partition's are in the end. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let cut: CutMode | undefined;
  const pairs = new Set<[Socket, Socket | undefined]>();

  // Half-open sockets, so that a FIN, too, is lost during a silent cut instead of being answered.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    client.on('error', () => {});
    if (cut === 'reset') {
      client.destroy();
      return;
    }
    if (cut === 'silent') {
      // Held without an upstream: the client waits for a greeting that never comes.
      const pair: [Socket, Socket | undefined] = [client, undefined];
      pairs.add(pair);
      client.once('close', () => pairs.delete(pair));
      return;
    }
    const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true });
    upstream.on('error', () => client.destroy());
    const pair: [Socket, Socket | undefined] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => {
      // During a silent cut, bytes and FINs are lost in the network.
      from.on('data', (chunk: Buffer) => {
        if (cut === undefined) to.write(chunk);
      });
      from.on('end', () => {
        if (cut === undefined) to.end();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', close);
    upstream.once('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const closeAll = () => {
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream?.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut(mode = 'silent') {
      cut = mode;
      if (mode === 'reset') closeAll();
    },
    restore() {
      if (cut === 'silent') closeAll();
      cut = undefined;
    },
    close() {
      closeAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
