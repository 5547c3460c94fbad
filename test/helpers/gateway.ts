// A real data-plane listener on port 0 serving stages compiled from test deployments.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileStage } from '../../src/compiler/compile-stage.js';
import type { CompiledStage } from '../../src/dataplane/compiled-stage.js';
import { UpstreamPools } from '../../src/dataplane/integrations/upstream-pools.js';
import { createGatewayServer, type ListenerOptions } from '../../src/dataplane/listener.js';
import { StageRegistry } from '../../src/dataplane/stage-registry.js';
import type { Deployment, Stage } from '../../src/model/api.js';

export interface TestGateway {
  url: string;
  port: number;
  server: Server;
  logs: string[];
  warnings: string[];
  /** Compiles and serves these stages, replacing what was served. */
  serve(stages: [Deployment, Stage][]): void;
  /** Path-style invoke URL for a stage. */
  invokeUrl(apiId: string, stageName: string, path: string): string;
  close(): Promise<void>;
}

export async function startTestGateway(listener: Partial<ListenerOptions> = {}): Promise<TestGateway> {
  const registry = new StageRegistry();
  const pools = new UpstreamPools();
  const logs: string[] = [];
  const warnings: string[] = [];
  const server = createGatewayServer({ registry, log: (message) => logs.push(message), ...listener });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    server,
    logs,
    warnings,
    serve(stages) {
      const apis = new Map<string, { protocol: 'REST' | 'HTTP'; stages: Map<string, CompiledStage> }>();
      for (const [deployment, stage] of stages) {
        const compiled = compileStage(deployment, stage, {
          pools,
          warn: (m) => warnings.push(m),
          onUnexpected: (error) => logs.push(String(error)),
        });
        let entry = apis.get(deployment.apiId);
        if (!entry)
          apis.set(deployment.apiId, (entry = { protocol: deployment.api.protocolType, stages: new Map() }));
        entry.stages.set(stage.stageName, compiled);
      }
      registry.replace(apis);
    },
    invokeUrl(apiId, stageName, path) {
      const stagePart = stageName === '$default' ? '' : `/${stageName}`;
      return `${url}/_aws/execute-api/${apiId}${stagePart}${path}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pools.close();
    },
  };
}
