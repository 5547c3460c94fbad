// A real data-plane listener on port 0 whose stages are compiled with throttling: the state,
// the account limits and the clock are the test's. API keys and usage plans come from plain
// lists the test changes and then refreshes, as the gateway does on a config-store change.
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { compileStage } from '../../../src/compiler/compile-stage.js';
import type { CompiledStage } from '../../../src/dataplane/compiled-stage.js';
import { UpstreamPools } from '../../../src/dataplane/integrations/upstream-pools.js';
import { createGatewayServer } from '../../../src/dataplane/listener.js';
import { StageRegistry } from '../../../src/dataplane/stage-registry.js';
import { ApiKeyState } from '../../../src/features/api-keys/index.js';
import { Throttling, type ThrottlingOptions } from '../../../src/features/throttling/index.js';
import type { Deployment, Stage } from '../../../src/model/api.js';
import type { ApiKey, UsagePlan, UsagePlanKey } from '../../../src/model/usage-plans.js';

export interface Reply {
  status: number;
  body: string;
}

export class TestClock {
  constructor(public now = Date.UTC(2026, 0, 7, 12)) {}
  advance(ms: number): void {
    this.now += ms;
  }
  readonly read = (): number => this.now;
}

export interface ThrottledGateway {
  throttling: Throttling;
  keys: ApiKey[];
  plans: UsagePlan[];
  links: UsagePlanKey[];
  warnings: string[];
  serve(stages: [Deployment, Stage][]): void;
  /** Reads keys, plans and links again, as a config-store change makes the gateway do. */
  refresh(): Promise<void>;
  get(apiId: string, stageName: string, path: string, headers?: Record<string, string>): Promise<Reply>;
  /** Status codes of `count` sequential GETs. */
  statuses(
    count: number,
    apiId: string,
    stageName: string,
    path: string,
    headers?: Record<string, string>,
  ): Promise<number[]>;
  close(): Promise<void>;
}

export async function startThrottledGateway(options: ThrottlingOptions): Promise<ThrottledGateway> {
  const throttling = new Throttling(options);
  const apiKeys = new ApiKeyState();
  const pools = new UpstreamPools();
  const registry = new StageRegistry();
  const warnings: string[] = [];
  const server = createGatewayServer({ registry, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const source = {
    keys: [] as ApiKey[],
    plans: [] as UsagePlan[],
    links: [] as UsagePlanKey[],
    listApiKeys: () => Promise.resolve(structuredClone(source.keys)),
    listUsagePlans: () => Promise.resolve(structuredClone(source.plans)),
    listUsagePlanKeys: () => Promise.resolve(structuredClone(source.links)),
  };
  const gateway: ThrottledGateway = {
    throttling,
    keys: source.keys,
    plans: source.plans,
    links: source.links,
    warnings,
    serve(stages) {
      const apis = new Map<string, { protocol: 'REST' | 'HTTP'; stages: Map<string, CompiledStage> }>();
      for (const [deployment, stage] of stages) {
        const compiled = compileStage(deployment, stage, {
          pools,
          apiKeys,
          throttling,
          warn: (m) => warnings.push(m),
          onUnexpected: (error) => warnings.push(String(error)),
        });
        let entry = apis.get(deployment.apiId);
        if (!entry)
          apis.set(deployment.apiId, (entry = { protocol: deployment.api.protocolType, stages: new Map() }));
        entry.stages.set(stage.stageName, compiled);
      }
      registry.replace(apis);
    },
    async refresh() {
      await Promise.all([apiKeys.refresh(source), throttling.refresh(source)]);
    },
    async get(apiId, stageName, path, headers = {}) {
      const stagePart = stageName === '$default' ? '' : `/${stageName}`;
      const r = await request(`${base}/_aws/execute-api/${apiId}${stagePart}${path}`, { headers });
      return { status: r.statusCode, body: await r.body.text() };
    },
    async statuses(count, apiId, stageName, path, headers) {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++)
        statuses.push((await gateway.get(apiId, stageName, path, headers)).status);
      return statuses;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pools.close();
      await throttling.close();
    },
  };
  return gateway;
}

/** `n` copies of `status` followed by `m` of `then`: the shape of a burst running out. */
export const runs = (n: number, status: number, m = 0, then = 429): number[] => [
  ...Array<number>(n).fill(status),
  ...Array<number>(m).fill(then),
];
