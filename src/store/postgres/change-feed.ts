// How a PostgreSQL store hears about changes, whoever made them. Every write bumps the
// `config_version` row and sends NOTIFY with the new value in the same transaction, so a
// notification arrives only for a committed change. One dedicated connection LISTENs.
//
// NOTIFY is not durable: a notification sent while the listening connection is down is lost.
// So the feed also reconciles: every few seconds, and at once after (re)connecting, it reads
// the counter on the listening connection and calls the listeners if it moved. That read
// doubles as a health check: a connection that does not answer it is dropped and replaced,
// with backoff, so a silent network partition is noticed too.
import pg from 'pg';

export const CHANGE_CHANNEL = 'gatehouse_config';

export interface ChangeFeedOptions {
  /** Settings for the listening connection (URL, timeouts, socket factory). */
  client: pg.ClientConfig;
  /** The counter's value when the store opened: a change after it reaches the first listener. */
  baseline: bigint;
  reconcileIntervalMs: number;
  /** Reconnect delays: the first, doubling up to the last. */
  minBackoffMs: number;
  maxBackoffMs: number;
  onListenerError: (error: unknown) => void;
  /** Called once when the listening connection is lost or cannot be made, and once when it is back. */
  onConnectionChange: (state: 'lost' | 'restored', error?: unknown) => void;
}

export class ChangeFeed {
  private readonly listeners = new Set<() => void>();
  private seen: bigint;
  private client: pg.Client | undefined;
  private connecting = false;
  private failures = 0;
  private lost = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconcileTimer: ReturnType<typeof setInterval> | undefined;
  private pendingNotify: ReturnType<typeof setImmediate> | undefined;
  private reconciling = false;
  private stopped = false;

  constructor(private readonly options: ChangeFeedOptions) {
    this.seen = options.baseline;
  }

  subscribe(listener: () => void): () => void {
    // A wrapper per subscription, so one function watching twice is two subscriptions.
    const subscription = (): void => listener();
    this.listeners.add(subscription);
    this.start();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners.delete(subscription);
      if (this.listeners.size === 0) this.pause();
    };
  }

  /** A write of this process committed `version`: tell listeners now, and skip its own NOTIFY. */
  committed(version: bigint): void {
    if (version > this.seen) this.seen = version;
    this.changed();
  }

  /** Stops for good: drops the listening connection and every timer. */
  stop(): void {
    this.stopped = true;
    this.listeners.clear();
    this.pause();
  }

  private start(): void {
    if (this.stopped || this.reconcileTimer !== undefined) return;
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.options.reconcileIntervalMs);
    this.reconcileTimer.unref();
    void this.connect();
  }

  private pause(): void {
    if (this.reconcileTimer !== undefined) clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.pendingNotify !== undefined) clearImmediate(this.pendingNotify);
    this.pendingNotify = undefined;
    this.drop();
  }

  private get active(): boolean {
    return !this.stopped && this.listeners.size > 0;
  }

  private async connect(): Promise<void> {
    if (!this.active || this.client !== undefined || this.connecting) return;
    this.connecting = true;
    const client = new pg.Client(this.options.client);
    // Errors after the connection is up arrive as events; without a handler they would crash
    // the process. Every failure ends in the same place: drop this client, try again later.
    client.on('error', (error) => this.failed(client, error));
    client.on('end', () => this.failed(client, new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
      let version: bigint;
      try {
        version = BigInt(message.payload);
      } catch {
        return;
      }
      if (version > this.seen) {
        this.seen = version;
        this.changed();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      this.connecting = false;
      if (!this.active) {
        void endClient(client);
        return;
      }
      this.client = client;
      this.failures = 0;
      if (this.lost) {
        this.lost = false;
        this.options.onConnectionChange('restored');
      }
      // Whatever happened while nobody listened is found by comparing the counter.
      await this.reconcile();
    } catch (error) {
      this.connecting = false;
      this.failed(client, error);
    }
  }

  private failed(client: pg.Client, error: unknown): void {
    if (this.client !== undefined && this.client !== client) return;
    const wasCurrent = this.client === client;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    void endClient(client);
    if (!this.active) return;
    if (!this.lost) {
      this.lost = true;
      this.options.onConnectionChange('lost', error);
    }
    if (!wasCurrent && this.connecting) return;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || !this.active) return;
    const { minBackoffMs, maxBackoffMs } = this.options;
    const base = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.min(this.failures, 16));
    this.failures += 1;
    // Jitter, so nodes that lost the database together do not all come back in one burst.
    const delay = base / 2 + Math.random() * (base / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async reconcile(): Promise<void> {
    const client = this.client;
    if (client === undefined || this.reconciling || !this.active) return;
    this.reconciling = true;
    try {
      const { rows } = await client.query<{ version: string }>('SELECT version FROM config_version');
      const version = BigInt(rows[0]?.version ?? '0');
      // Any difference counts: a counter that went back means the database was replaced.
      if (version !== this.seen) {
        this.seen = version;
        this.changed();
      }
    } catch (error) {
      this.failed(client, error);
    } finally {
      this.reconciling = false;
    }
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    void endClient(client);
  }

  private changed(): void {
    if (this.listeners.size === 0 || this.pendingNotify !== undefined) return;
    this.pendingNotify = setImmediate(() => {
      this.pendingNotify = undefined;
      for (const listener of [...this.listeners]) {
        try {
          listener();
        } catch (error) {
          try {
            this.options.onListenerError(error);
          } catch {
            // The error handler failing too must not stop the remaining listeners.
          }
        }
      }
    });
  }
}

/**
 * Ends a connection politely, or cuts it when the server does not answer within `graceMs`: a
 * connection on a silent network would otherwise hold its socket, and the process, open.
 */
export function endClient(client: pg.Client, graceMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const cut = (): void => {
      client.connection.stream.destroy();
      resolve();
    };
    const timer = setTimeout(cut, graceMs);
    client.end().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        cut();
      },
    );
  });
}
