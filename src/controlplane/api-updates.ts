// Management operations change one part of an API (a resource, a route, a stage setting …)
// while the store keeps whole API documents. Changes to one API are serialised within the
// process so two concurrent operations cannot overwrite each other's edit; across gateway nodes
// the last write wins, as documented in docs/management-api.md.
import { apiSchemaOf, type Api } from '../model/api.js';
import type { HttpApi } from '../model/http-api.js';
import type { RestApi } from '../model/rest-api.js';
import { assertValid } from '../model/validate.js';
import { ACCOUNT_ID } from '../compiler/build.js';
import type { AdminContext } from './admin-context.js';
import { notFound } from './admin-errors.js';

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task for the same key has finished. */
export function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

export const invalidRestApiId = (apiId: string): Error =>
  notFound(`Invalid API identifier specified ${ACCOUNT_ID}:${apiId}`);
export const invalidHttpApiId = (apiId: string): Error =>
  notFound(`Invalid API identifier specified ${apiId}`);

export async function readRestApi(ctx: AdminContext, apiId: string): Promise<RestApi> {
  const api = await ctx.store.getApi(apiId);
  if (api?.protocolType !== 'REST') throw invalidRestApiId(apiId);
  return api;
}

export async function readHttpApi(ctx: AdminContext, apiId: string): Promise<HttpApi> {
  const api = await ctx.store.getApi(apiId);
  if (api?.protocolType !== 'HTTP') throw invalidHttpApiId(apiId);
  return api;
}

/**
 * Reads the REST API, lets `change` edit a copy, checks the result against the model and
 * stores it. What `change` returns is returned (usually the changed part, for the response).
 */
export function updateRestApi<T>(
  ctx: AdminContext,
  apiId: string,
  change: (api: RestApi) => T | Promise<T>,
): Promise<T> {
  return serialised(`api:${apiId}`, async () => {
    const api = structuredClone(await readRestApi(ctx, apiId));
    const result = await change(api);
    await save(ctx, api);
    return result;
  });
}

export function updateHttpApi<T>(
  ctx: AdminContext,
  apiId: string,
  change: (api: HttpApi) => T | Promise<T>,
): Promise<T> {
  return serialised(`api:${apiId}`, async () => {
    const api = structuredClone(await readHttpApi(ctx, apiId));
    const result = await change(api);
    await save(ctx, api);
    return result;
  });
}

async function save(ctx: AdminContext, api: Api): Promise<void> {
  assertValid(apiSchemaOf(api), api);
  await ctx.store.updateApi(api);
}

/** Drops undefined fields, so a response never carries `"x": null` for something unset. */
export function defined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
