// A TCP proxy in front of Redis that a test can cut (connections dropped, nothing accepted),
// stall (connections kept open, nothing forwarded) and restore, without touching the shared
// Redis itself.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  /** Drops every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Keeps connections open but forwards nothing, as a hung server would. */
  stall(): void;
  /** Accepts and forwards again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  // Paused sockets keep what arrives in their buffers and deliver it on resume, as TCP would.
  const pipe = (from: Socket, to: Socket) => {
    if (stalled) from.pause();
    from.pipe(to);
  };
  const listen = (port: number): Promise<Server> => {
    const server = createServer((client) => {
      const upstream = connect({ host: targetHost, port: targetPort });
      sockets.add(client).add(upstream);
      pipe(client, upstream);
      pipe(upstream, client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  };
  let server: Server | undefined = await listen(0);
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const closing = server;
    server = undefined;
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    cut: stop,
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    async restore() {
      stalled = false;
      for (const socket of sockets) socket.resume();
      server ??= await listen(port);
    },
    close: stop,
  };
}
