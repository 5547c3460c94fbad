// Keep-alive connection pools, one per upstream origin, shared by every compiled stage so
// that a redeploy reuses warm connections instead of opening new ones.
import { Pool } from 'undici';

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly connectionsPerOrigin = 256) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.connectionsPerOrigin,
        keepAliveTimeout: 30_000,
        // The integration timeout is enforced by the caller; these only stop a stuck socket.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
