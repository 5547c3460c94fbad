// v2 TagResource, UntagResource and GetTags on the ARNs of HTTP APIs, their stages and custom
// domain names: `arn:aws:apigateway:{region}::/apis/{apiId}[/stages/{stageName}]`,
// `arn:aws:apigateway:{region}::/domainnames/{domainName}`.
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { readHttpApi, serialised, updateHttpApi } from '../api-updates.js';
import { optionalStringMap } from '../body-fields.js';
import { readDomainName } from './domain-names.js';
import { invalidStageId } from './identifiers.js';

type Tags = Record<string, string>;

interface Tagged {
  read(): Promise<Tags>;
  change(edit: (tags: Tags) => Tags): Promise<void>;
}

const ARN = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]*::(\/.*)$/;

function resourceOf(ctx: AdminContext, arn: string): Tagged {
  const path = ARN.exec(arn)?.[1];
  const api = path === undefined ? null : /^\/apis\/([^/]+)$/.exec(path);
  if (api) {
    const apiId = api[1]!;
    return {
      read: async () => (await readHttpApi(ctx, apiId)).tags ?? {},
      change: (edit) =>
        updateHttpApi(ctx, apiId, (current) => {
          current.tags = edit({ ...current.tags });
        }),
    };
  }
  const stage = path === undefined ? null : /^\/apis\/([^/]+)\/stages\/([^/]+)$/.exec(path);
  if (stage) {
    const [, apiId, stageName] = stage as unknown as [string, string, string];
    const read = async () => {
      await readHttpApi(ctx, apiId);
      const found = await ctx.store.getStage(apiId, stageName);
      if (!found) throw invalidStageId(stageName);
      return found;
    };
    return {
      read: async () => (await read()).tags ?? {},
      change: (edit) =>
        serialised(`api:${apiId}`, async () => {
          const found = await read();
          found.tags = edit({ ...found.tags });
          await ctx.store.putStage(found);
        }),
    };
  }
  const domain = path === undefined ? null : /^\/domainnames\/([^/]+)$/.exec(path);
  if (domain) {
    const name = domain[1]!;
    return {
      read: async () => (await readDomainName(ctx, name)).tags ?? {},
      change: (edit) =>
        serialised(`domain:${name}`, async () => {
          const found = await readDomainName(ctx, name);
          found.tags = edit({ ...found.tags });
          await ctx.store.updateDomainName(found);
        }),
    };
  }
  throw notFound(`Invalid resource ARN ${arn}: Gatehouse tags HTTP APIs, their stages and domain names`);
}

async function tagResource(request: AdminRequest, ctx: AdminContext) {
  const tags = optionalStringMap(jsonBody(request), 'tags');
  if (tags === undefined) throw badRequest('tags is required');
  await resourceOf(ctx, request.params['resourceArn']!).change((current) => ({ ...current, ...tags }));
  return { status: 201 };
}

async function untagResource(request: AdminRequest, ctx: AdminContext) {
  const keys = request.query.getAll('tagKeys');
  if (keys.length === 0) throw badRequest('tagKeys is required');
  await resourceOf(ctx, request.params['resourceArn']!).change((current) => {
    for (const key of keys) delete current[key];
    return current;
  });
  return { status: 204 };
}

export function registerTags(routes: AdminRoutes): void {
  routes
    .add('GET', '/v2/tags/:resourceArn', async (request, ctx) => ({
      status: 200,
      body: { tags: await resourceOf(ctx, request.params['resourceArn']!).read() },
    }))
    .add('POST', '/v2/tags/:resourceArn', tagResource)
    .add('DELETE', '/v2/tags/:resourceArn', untagResource);
}
