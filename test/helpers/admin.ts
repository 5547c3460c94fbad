// A gateway node with its management API, both on port 0, over a fresh SQLite store; plus the
// real clients that drive it: the AWS SDK v3 and the AWS CLI v2 (`/usr/bin/aws`).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import {
  AdminCredentials,
  generateCredential,
  type AdminCredential,
} from '../../src/controlplane/credentials.js';
import { startGatewayNode, type GatewayNode } from '../../src/gateway-node.js';
import { silentLog } from '../../src/observability/log.js';
import type { ConfigStore } from '../../src/store/config-store.js';
import type { FunctionRuntime } from '../../src/functions/runtime.js';
import type { Deployment, Stage } from '../../src/model/api.js';
import { SqliteConfigStore } from '../../src/store/sqlite/sqlite-config-store.js';

export const AWS_CLI = '/usr/bin/aws';

/** What `promise` rejects with (undefined when it resolves), to assert on an operation's error. */
export const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or undefined when it is empty. */
  json: unknown;
}

export interface TestManagement {
  node: GatewayNode;
  store: ConfigStore;
  /** The management API's base URL. */
  adminUrl: string;
  /** The data plane's base URL. */
  gatewayUrl: string;
  credential: AdminCredential;
  v1: APIGatewayClient;
  v2: ApiGatewayV2Client;
  /** Runs `aws <args>` against the management API; never throws on a non-zero exit. */
  aws(args: string[], opts?: { credential?: AdminCredential }): Promise<CliResult>;
  /** Path-style invoke URL for a stage of an API. */
  invokeUrl(apiId: string, stageName: string, path: string): string;
  close(): Promise<void>;
}

export async function startTestManagement(
  opts: {
    now?: () => number;
    rateLimit?: number;
    /** Serves the functions Lambda integrations and authorizers name; closed with the node. */
    functions?: FunctionRuntime;
    checkDeployment?: (deployment: Deployment, stage: Stage) => string[];
  } = {},
): Promise<TestManagement> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-admin-'));
  const store = SqliteConfigStore.open(dir, { pollIntervalMs: 50 });
  const credential = generateCredential();
  const node = await startGatewayNode({
    store,
    port: 0,
    host: '127.0.0.1',
    log: silentLog,
    ...(opts.functions && { functions: opts.functions }),
    admin: {
      port: 0,
      host: '127.0.0.1',
      credentials: new AdminCredentials([credential]),
      ...(opts.now && { now: opts.now }),
      ...(opts.rateLimit !== undefined && { rateLimit: opts.rateLimit }),
      ...(opts.checkDeployment && { checkDeployment: opts.checkDeployment }),
    },
  });
  const adminUrl = node.admin!.url;
  const clientConfig = {
    endpoint: adminUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    maxAttempts: 1,
  };
  const v1 = new APIGatewayClient(clientConfig);
  const v2 = new ApiGatewayV2Client(clientConfig);
  return {
    node,
    store,
    adminUrl,
    gatewayUrl: node.url,
    credential,
    v1,
    v2,
    aws: (args, opts) => runAws(args, adminUrl, opts?.credential ?? credential),
    invokeUrl(apiId, stageName, path) {
      const stagePart = stageName === '$default' ? '' : `/${stageName}`;
      return `${node.url}/_aws/execute-api/${apiId}${stagePart}${path}`;
    },
    async close() {
      v1.destroy();
      v2.destroy();
      await node.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function runAws(args: string[], endpoint: string, credential: AdminCredential): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json', '--no-cli-pager'],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: tmpdir(),
          AWS_ACCESS_KEY_ID: credential.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_MAX_ATTEMPTS: '1',
          AWS_RETRY_MODE: 'standard',
        },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
