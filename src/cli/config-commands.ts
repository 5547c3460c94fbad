// CLI commands that read or change the configuration: import, deploy, export, ls.
import { apiIdOf, DEFAULT_STAGE, type Api } from '../model/api.js';
import { deploy, parseVariables } from '../controlplane/deployments.js';
import { exportOpenApi, exportSwagger2, serializeDocument } from '../openapi/export.js';
import { importOpenApi } from '../openapi/import.js';
import { loadDocument } from '../openapi/parse.js';
import { Option } from 'commander';
import type { ConfigStore } from '../store/config-store.js';
import { STORE_ENV, openConfigStore } from '../store/open.js';
import { deploymentCheck } from './deployment-check.js';

/** Where a command finds the configuration: `--store` (or GATEHOUSE_STORE) when given, else `--data`. */
export interface StoreLocation {
  data: string;
  store?: string;
}

export const storeOption = (): Option =>
  new Option(
    '--store <url-or-dir>',
    'config store: a postgres:// URL that several gateways share, or a data directory (default: --data)',
  ).env(STORE_ENV);

/** An empty --store or GATEHOUSE_STORE counts as not given. */
export const storeSpecOf = (where: string | StoreLocation): string =>
  typeof where === 'string' ? where : where.store?.trim() ? where.store : where.data;

export async function withStore<T>(
  where: string | StoreLocation,
  use: (store: ConfigStore) => Promise<T>,
): Promise<T> {
  const store = await openConfigStore(storeSpecOf(where));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

export async function runImport(
  file: string,
  opts: { stage?: string; variables?: string; config?: string; data: string; store?: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  if (opts.variables !== undefined && opts.stage === undefined) throw new Error('--variables needs --stage');
  const variables = opts.variables === undefined ? undefined : parseVariables(opts.variables);
  const { api, warnings } = importOpenApi(await loadDocument(file));
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const apiId = apiIdOf(api);
  const checker = opts.stage === undefined ? undefined : await deploymentCheck(opts.config);
  try {
    await withStore(opts, async (store) => {
      await store.createApi(api);
      out.write(`imported ${api.protocolType} API "${api.name}"\n`);
      if (opts.stage !== undefined) {
        const { deployment } = await deploy(store, {
          apiId,
          stageName: opts.stage,
          ...(variables ? { variables } : {}),
          ...(checker && { check: checker.check }),
        });
        out.write(`deployed ${deployment.id} to stage ${opts.stage}\n`);
      }
    });
  } finally {
    await checker?.close();
  }
  out.write(`${apiId}\n`);
}

export async function runDeploy(
  apiId: string,
  opts: {
    stage: string;
    variables?: string;
    description?: string;
    config?: string;
    data: string;
    store?: string;
    /** Deploy as the stage's canary taking this share of its traffic; --variables become its overrides. */
    canary?: number;
  },
): Promise<void> {
  const checker = await deploymentCheck(opts.config);
  const variables = opts.variables === undefined ? undefined : parseVariables(opts.variables);
  try {
    await withStore(opts, async (store) => {
      const { deployment } = await deploy(store, {
        apiId,
        stageName: opts.stage,
        check: checker.check,
        ...(opts.canary === undefined
          ? variables && { variables }
          : {
              canarySettings: {
                percentTraffic: opts.canary,
                ...(variables && { stageVariableOverrides: variables }),
              },
            }),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      process.stdout.write(
        opts.canary === undefined
          ? `deployed ${deployment.id} to stage ${opts.stage}\n`
          : `deployed ${deployment.id} as the canary of stage ${opts.stage}, taking ${opts.canary}% of its traffic\n`,
      );
    });
  } finally {
    await checker.close();
  }
}

export async function runExport(
  apiId: string,
  opts: { stage?: string; format: 'json' | 'yaml'; swagger?: boolean; data: string; store?: string },
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  const api = await withStore(opts, async (store): Promise<Api> => {
    if (opts.stage === undefined) {
      const current = await store.getApi(apiId);
      if (!current) throw new Error(`no API with id ${apiId}`);
      return current;
    }
    const stage = await store.getStage(apiId, opts.stage);
    if (!stage?.deploymentId) throw new Error(`API ${apiId} has no deployed stage ${opts.stage}`);
    const deployment = await store.getDeployment(apiId, stage.deploymentId);
    if (!deployment)
      throw new Error(`stage ${opts.stage} points at missing deployment ${stage.deploymentId}`);
    return deployment.api;
  });
  const exportOpts = opts.stage === undefined ? {} : { stageName: opts.stage };
  if (!opts.swagger) return void out.write(serializeDocument(exportOpenApi(api, exportOpts), opts.format));
  const { document, omitted } = exportSwagger2(api, exportOpts);
  // The document stays clean for other tools; what it could not hold goes to stderr.
  for (const line of omitted) err.write(`warning: ${line}\n`);
  out.write(serializeDocument(document, opts.format));
}

export async function runList(opts: { port: number; data: string; store?: string }): Promise<void> {
  await withStore(opts, async (store) => {
    const apis = await store.listApis();
    if (apis.length === 0) {
      process.stdout.write('no APIs yet: gatehouse import FILE --stage NAME\n');
      return;
    }
    for (const api of apis) {
      const apiId = apiIdOf(api);
      process.stdout.write(`${apiId}  ${api.protocolType.padEnd(4)}  ${api.name}\n`);
      for (const stage of await store.listStages(apiId)) {
        const deployed = stage.deploymentId ? `deployment ${stage.deploymentId}` : 'not deployed';
        process.stdout.write(
          `    ${stage.stageName.padEnd(12)} ${deployed.padEnd(20)} ${invokeUrl(apiId, stage.stageName, opts.port)}\n`,
        );
      }
    }
  });
}

/** The path-style invoke URL, which works without DNS for `{apiId}.execute-api.…`. */
export function invokeUrl(apiId: string, stageName: string, port: number): string {
  const stagePart = stageName === DEFAULT_STAGE ? '' : `/${stageName}`;
  return `http://127.0.0.1:${port}/_aws/execute-api/${apiId}${stagePart}/`;
}
