// The parts of an OpenAPI operation that become a REST method's request and response
// declarations: requestParameters, requestModels and methodResponses.
import type { MethodResponse } from '../model/rest-api.js';
import type { ImportContext } from './import-context.js';
import { pointer, unescapeSegment } from './pointer.js';
import { isObject, nonEmpty, omit, optional, type JsonObject } from './values.js';

const SCHEMA_REF_PREFIX = '#/components/schemas/';
const STATUS_CODE = /^[1-5][0-9][0-9]$/;
/** OpenAPI `in` → the location word of a `method.request.<location>.<name>` key. */
export const PARAMETER_LOCATIONS: Record<string, string> = {
  path: 'path',
  query: 'querystring',
  header: 'header',
};

/** `method.request.querystring.q → required`, from the path item's parameters overridden by the operation's. */
export function requestParametersOf(
  ctx: ImportContext,
  lists: { parameters: unknown; at: string }[],
): Record<string, boolean> | undefined {
  const byKey = new Map<string, boolean>();
  for (const { parameters, at } of lists) {
    if (parameters === undefined) continue;
    if (!Array.isArray(parameters)) {
      ctx.problem(`${at}: must be an array`);
      continue;
    }
    parameters.forEach((raw, index) => {
      const resolved = ctx.resolve(raw, pointer(at, index));
      if (!resolved) return;
      const parameter = resolved.value;
      if (!isObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') {
        return ctx.problem(`${resolved.pointer}: must be a parameter object with "name" and "in"`);
      }
      const location = PARAMETER_LOCATIONS[parameter.in];
      if (location === undefined) return;
      byKey.set(
        `method.request.${location}.${parameter.name}`,
        parameter.in === 'path' || parameter.required === true,
      );
    });
  }
  return byKey.size > 0 ? Object.fromEntries(byKey) : undefined;
}

/** The model named by a `$ref` to a component schema, or undefined for an inline schema. */
export function modelNameOf(
  ctx: ImportContext,
  schema: unknown,
  at: string,
  models: Set<string>,
): string | undefined {
  const ref = isObject(schema) ? schema.$ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith(SCHEMA_REF_PREFIX)) return undefined;
  const rest = ref.slice(SCHEMA_REF_PREFIX.length);
  if (rest.includes('/')) return undefined;
  const name = unescapeSegment(rest);
  if (!models.has(name)) {
    ctx.problem(`${at}/$ref: "${ref}" does not resolve to anything in this document`);
    return undefined;
  }
  return name;
}

/** content type → model name, for each media type whose schema refers to a model. */
function modelsOfContent(
  ctx: ImportContext,
  content: unknown,
  at: string,
  models: Set<string>,
): Record<string, string> | undefined {
  if (!isObject(content)) return undefined;
  const result: Record<string, string> = {};
  for (const [contentType, media] of Object.entries(content)) {
    if (!isObject(media)) continue;
    const name = modelNameOf(ctx, media.schema, pointer(at, contentType, 'schema'), models);
    if (name !== undefined) result[contentType] = name;
  }
  return nonEmpty(result);
}

export function requestModelsOf(
  ctx: ImportContext,
  requestBody: unknown,
  at: string,
  models: Set<string>,
): Record<string, string> | undefined {
  if (requestBody === undefined) return undefined;
  const resolved = ctx.resolve(requestBody, at);
  if (!resolved || !isObject(resolved.value)) return undefined;
  return modelsOfContent(ctx, resolved.value.content, `${resolved.pointer}/content`, models);
}

/** One method response per status-code key of `responses`; `default` and `2XX` stay in the document only. */
export function methodResponsesOf(
  ctx: ImportContext,
  responses: unknown,
  at: string,
  models: Set<string>,
): Record<string, MethodResponse> | undefined {
  if (responses === undefined) return undefined;
  if (!isObject(responses)) return void ctx.problem(`${at}: must be an object keyed by status code`);
  const result: Record<string, MethodResponse> = {};
  for (const [statusCode, raw] of Object.entries(responses)) {
    if (!STATUS_CODE.test(statusCode)) continue;
    const resolved = ctx.resolve(raw, pointer(at, statusCode));
    if (!resolved) continue;
    if (!isObject(resolved.value)) {
      ctx.problem(`${resolved.pointer}: must be a response object`);
      continue;
    }
    result[statusCode] = {
      statusCode,
      ...optional(
        'responseParameters',
        responseHeadersOf(ctx, resolved.value.headers, `${resolved.pointer}/headers`),
      ),
      ...optional(
        'responseModels',
        modelsOfContent(ctx, resolved.value.content, `${resolved.pointer}/content`, models),
      ),
    };
  }
  return nonEmpty(result);
}

function responseHeadersOf(
  ctx: ImportContext,
  headers: unknown,
  at: string,
): Record<string, boolean> | undefined {
  if (!isObject(headers)) return undefined;
  const result: Record<string, boolean> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const header = ctx.resolve(raw, pointer(at, name))?.value;
    result[`method.response.header.${name}`] = isObject(header) && header.required === true;
  }
  return nonEmpty(result);
}

/** `responses: {}` says nothing; dropping it keeps a document and its re-export equal. */
export function withoutEmptyResponses(operation: JsonObject): JsonObject {
  if (!isObject(operation.responses) || Object.keys(operation.responses).length > 0) return operation;
  return omit(operation, ['responses']);
}
