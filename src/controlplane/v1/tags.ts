// v1 Tags: GetTags, TagResource and UntagResource on `/tags/{resource_arn}`. Tags live on the
// tagged object's own `tags` field: REST APIs, stages, API keys, usage plans and domain names,
// named by their ARNs `arn:aws:apigateway:{region}::/restapis/{id}[/stages/{stage}]`,
// `…::/apikeys/{id}`, `…::/usageplans/{id}`, `…::/domainnames/{name}`.
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { readRestApi, serialised, updateRestApi } from '../api-updates.js';
import { readApiKey, updateApiKey } from './api-keys.js';
import { readDomainName, updateDomainName } from './domain-names.js';
import { updateUsagePlan } from './usage-plans.js';

type Tags = Record<string, string>;

/** AWS's limits on tags. */
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

type Tagged =
  | { kind: 'restapi'; apiId: string }
  | { kind: 'stage'; apiId: string; stageName: string }
  | { kind: 'apikey'; keyId: string }
  | { kind: 'usageplan'; usagePlanId: string }
  | { kind: 'domainname'; domainName: string };

const invalidArn = (): Error => badRequest('Invalid ARN specified in the request');

function parseArn(arn: string): Tagged {
  const match = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]*::(\/.*)$/.exec(arn);
  if (!match) throw invalidArn();
  const parts = match[1]!.slice(1).split('/');
  const [collection, id, sub, subId] = parts;
  if (id === undefined || id === '') throw invalidArn();
  if (collection === 'restapis' && parts.length === 2) return { kind: 'restapi', apiId: id };
  if (collection === 'restapis' && parts.length === 4 && sub === 'stages' && subId)
    return { kind: 'stage', apiId: id, stageName: subId };
  if (parts.length !== 2) throw invalidArn();
  if (collection === 'apikeys') return { kind: 'apikey', keyId: id };
  if (collection === 'usageplans') return { kind: 'usageplan', usagePlanId: id };
  if (collection === 'domainnames') return { kind: 'domainname', domainName: id };
  throw invalidArn();
}

const stageNotFound = (): Error => notFound('Invalid stage identifier specified');

async function readTags(ctx: AdminContext, target: Tagged): Promise<Tags> {
  switch (target.kind) {
    case 'restapi':
      return (await readRestApi(ctx, target.apiId)).tags ?? {};
    case 'stage': {
      await readRestApi(ctx, target.apiId);
      const stage = await ctx.store.getStage(target.apiId, target.stageName);
      if (!stage) throw stageNotFound();
      return stage.tags ?? {};
    }
    case 'apikey':
      return (await readApiKey(ctx, target.keyId)).tags ?? {};
    case 'usageplan': {
      const plan = await ctx.store.getUsagePlan(target.usagePlanId);
      if (!plan) throw notFound('Invalid Usage Plan ID specified');
      return plan.tags ?? {};
    }
    case 'domainname':
      return (await readDomainName(ctx, target.domainName)).tags ?? {};
  }
}

/** Applies `change` to the object's tags; an empty result removes the field. */
async function changeTags(ctx: AdminContext, target: Tagged, change: (tags: Tags) => void): Promise<void> {
  const apply = (object: { tags?: Tags }): void => {
    const tags = { ...object.tags };
    change(tags);
    if (Object.keys(tags).length > MAX_TAGS)
      throw badRequest(`Too many tags: a resource can have at most ${MAX_TAGS}`);
    if (Object.keys(tags).length > 0) object.tags = tags;
    else delete object.tags;
  };
  switch (target.kind) {
    case 'restapi':
      await updateRestApi(ctx, target.apiId, apply);
      return;
    case 'stage':
      await serialised(`stage:${target.apiId}/${target.stageName}`, async () => {
        await readRestApi(ctx, target.apiId);
        const stage = await ctx.store.getStage(target.apiId, target.stageName);
        if (!stage) throw stageNotFound();
        const copy = structuredClone(stage);
        apply(copy);
        await ctx.store.putStage(copy);
      });
      return;
    case 'apikey':
      await updateApiKey(ctx, target.keyId, apply);
      return;
    case 'usageplan':
      await updateUsagePlan(ctx, target.usagePlanId, apply);
      return;
    case 'domainname':
      await updateDomainName(ctx, target.domainName, apply);
      return;
  }
}

function tagsOf(body: Record<string, unknown>): Tags {
  const tags = body['tags'];
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
    throw badRequest('tags must be a map of tag keys to values');
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value !== 'string') throw badRequest(`The value of tag ${key} must be a string`);
    if (key === '' || key.length > MAX_KEY_LENGTH)
      throw badRequest(`Invalid tag key ${key}: it must be 1 to ${MAX_KEY_LENGTH} characters`);
    if (value.length > MAX_VALUE_LENGTH)
      throw badRequest(`Invalid value for tag ${key}: it must be at most ${MAX_VALUE_LENGTH} characters`);
    if (key.toLowerCase().startsWith('aws:'))
      throw badRequest(`Invalid tag key ${key}: the aws: prefix is reserved`);
  }
  return tags as Tags;
}

const target = (request: AdminRequest): Tagged => parseArn(request.params['resource_arn']!);

export function registerTags(routes: AdminRoutes): void {
  routes
    .add('GET', '/tags/:resource_arn', async (request, ctx) => ({
      status: 200,
      body: { tags: await readTags(ctx, target(request)) },
    }))
    .add('PUT', '/tags/:resource_arn', async (request, ctx) => {
      const tagged = target(request);
      const added = tagsOf(jsonBody(request));
      await changeTags(ctx, tagged, (tags) => Object.assign(tags, added));
      return { status: 204 };
    })
    .add('DELETE', '/tags/:resource_arn', async (request, ctx) => {
      const tagged = target(request);
      const keys = request.query.getAll('tagKeys');
      await changeTags(ctx, tagged, (tags) => {
        for (const key of keys) delete tags[key];
      });
      return { status: 204 };
    });
}
