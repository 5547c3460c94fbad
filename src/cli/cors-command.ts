// `gatehouse cors API_ID`: the console's "Enable CORS" for a stored REST API, optionally
// deployed straight away. HTTP APIs have a corsConfiguration instead and are refused.
import { deploy } from '../controlplane/deployments.js';
import { enableRestCors, type EnableRestCorsOptions } from '../features/cors/index.js';
import { RestApiSchema, type Method, type RestApi } from '../model/rest-api.js';
import { assertValid } from '../model/validate.js';
import { withStore } from './config-commands.js';

export interface EnableCorsCommandOptions {
  data: string;
  /** A postgres:// URL or a data directory; overrides data. */
  store?: string;
  origin?: string;
  headers?: string;
  methods?: string;
  /** Comma-separated resource paths, e.g. `/pets,/pets/{id}`. */
  paths?: string;
  deployStage?: string;
}

export async function runEnableCors(
  apiId: string,
  opts: EnableCorsCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const options: EnableRestCorsOptions = {};
  if (opts.origin !== undefined) options.allowOrigin = opts.origin;
  if (opts.headers !== undefined) options.allowHeaders = opts.headers;
  if (opts.methods !== undefined) options.allowMethods = opts.methods;
  if (opts.paths !== undefined) options.resourcePaths = splitPaths(opts.paths);

  await withStore(opts, async (store) => {
    const api = await store.getApi(apiId);
    if (!api) throw new Error(`no API with id ${apiId}`);
    if (api.protocolType === 'HTTP') {
      throw new Error(
        `${apiId} is an HTTP API: set its corsConfiguration (x-amazon-apigateway-cors in OpenAPI) instead; ` +
          'the gateway then answers preflights itself',
      );
    }
    const updated = enableRestCors(api, options);
    assertValid(RestApiSchema, updated);
    await store.updateApi(updated);
    out.write(`enabled CORS on REST API ${apiId}\n`);
    for (const line of describeChanges(api, updated)) out.write(`  ${line}\n`);
    if (opts.deployStage !== undefined) {
      const { deployment } = await deploy(store, { apiId, stageName: opts.deployStage });
      out.write(`deployed ${deployment.id} to stage ${opts.deployStage}\n`);
    } else {
      out.write(`not deployed yet: gatehouse deploy ${apiId} --stage NAME\n`);
    }
  });
}

function splitPaths(text: string): string[] {
  const paths = text
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  if (paths.length === 0) throw new Error('--paths needs at least one resource path, e.g. /pets,/pets/{id}');
  for (const path of paths)
    if (!path.startsWith('/')) throw new Error(`resource path "${path}" must start with /`);
  return paths;
}

function describeChanges(before: RestApi, after: RestApi): string[] {
  const lines: string[] = [];
  const previous = new Map(before.resources.map((resource) => [resource.id, resource]));
  for (const resource of after.resources) {
    const old = previous.get(resource.id);
    const options = resource.resourceMethods.OPTIONS;
    if (!options || JSON.stringify(options) === JSON.stringify(old?.resourceMethods.OPTIONS)) continue;
    const parameters = options.methodIntegration?.integrationResponses?.['200']?.responseParameters ?? {};
    const verb = old?.resourceMethods.OPTIONS ? 'replaced' : 'added';
    lines.push(
      `${verb} OPTIONS ${resource.path} (Allow-Methods ${parameters['method.response.header.Access-Control-Allow-Methods']}, ` +
        `Allow-Origin ${parameters['method.response.header.Access-Control-Allow-Origin']})`,
    );
    for (const [name, method] of Object.entries(resource.resourceMethods)) {
      if (name !== 'OPTIONS' && returnsOriginNow(method, old?.resourceMethods[name])) {
        lines.push(`${name} ${resource.path} now returns Access-Control-Allow-Origin on 200`);
      }
    }
  }
  for (const type of Object.keys(after.gatewayResponses ?? {})) {
    if (JSON.stringify(after.gatewayResponses?.[type]) !== JSON.stringify(before.gatewayResponses?.[type])) {
      lines.push(`gateway response ${type} carries Access-Control-Allow-Origin and -Allow-Headers`);
    }
  }
  return lines;
}

function returnsOriginNow(method: Method, old: Method | undefined): boolean {
  const key = 'method.response.header.Access-Control-Allow-Origin';
  const now = method.methodResponses?.['200']?.responseParameters?.[key];
  const then = old?.methodResponses?.['200']?.responseParameters?.[key];
  return now !== undefined && then === undefined;
}
