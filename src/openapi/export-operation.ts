// A REST method back to an OpenAPI operation. The operation Gatehouse kept is the starting
// point; where the model now says otherwise (parameters, request models, method responses),
// the kept parts are adjusted, so the export always describes the API as it is.
import { isDeepStrictEqual } from 'node:util';
import type { Method, MethodResponse } from '../model/rest-api.js';
import type { ImportContext } from './import-context.js';
import {
  methodResponsesOf,
  PARAMETER_LOCATIONS,
  requestModelsOf,
  requestParametersOf,
} from './import-operation.js';
import { escapeSegment } from './pointer.js';
import { clone, isObject, listOf, nonEmpty, omit, type JsonObject } from './values.js';

const STATUS_CODE = /^[1-5][0-9][0-9]$/;
const HEADER_PREFIX = 'method.response.header.';

/**
 * Reads the export document (its components) the way import will, so a kept part is changed
 * only when re-importing it would not give the model's value.
 */
export interface Lookup {
  ctx: ImportContext;
  models: Set<string>;
}

export function modelRef(name: string): string {
  return `#/components/schemas/${escapeSegment(name)}`;
}

export function parametersFor(
  method: Method,
  own: unknown,
  shared: unknown,
  lookup: Lookup,
): unknown[] | undefined {
  const ownList = listOf(own);
  const sharedList = listOf(shared);
  const derived = requestParametersOf(lookup.ctx, [
    { parameters: sharedList, at: '' },
    { parameters: ownList, at: '' },
  ]);
  if (isDeepStrictEqual(derived, method.requestParameters)) return Array.isArray(own) ? own : undefined;
  const wanted = method.requestParameters ?? {};
  const result: unknown[] = [];
  const present = new Set<string>();
  for (const parameter of ownList) {
    const resolved = lookup.ctx.resolve(parameter, '')?.value;
    const key = parameterKeyOf(resolved);
    if (key === undefined || !isObject(resolved)) {
      result.push(parameter);
    } else if (key in wanted) {
      present.add(key);
      result.push(requiredOf(resolved) === wanted[key] ? parameter : { ...resolved, required: wanted[key] });
    }
  }
  const sharedRequired = new Map(sharedList.map((p) => sharedEntry(lookup, p)));
  for (const [key, required] of Object.entries(wanted)) {
    if (present.has(key) || sharedRequired.get(key) === required) continue;
    result.push(parameterOf(key, required));
  }
  return nonEmpty(result);
}

function sharedEntry(lookup: Lookup, parameter: unknown): [string | undefined, boolean] {
  const resolved = lookup.ctx.resolve(parameter, '')?.value;
  return [parameterKeyOf(resolved), isObject(resolved) && requiredOf(resolved)];
}

function parameterKeyOf(parameter: unknown): string | undefined {
  if (!isObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') {
    return undefined;
  }
  const location = PARAMETER_LOCATIONS[parameter.in];
  return location === undefined ? undefined : `method.request.${location}.${parameter.name}`;
}

function requiredOf(parameter: JsonObject): boolean {
  return parameter.in === 'path' || parameter.required === true;
}

function parameterOf(key: string, required: boolean): JsonObject {
  const [, , location = '', ...name] = key.split('.');
  const where = Object.entries(PARAMETER_LOCATIONS).find(([, word]) => word === location)?.[0] ?? location;
  return {
    name: name.join('.'),
    in: where,
    required: where === 'path' || required,
    schema: { type: 'string' },
  };
}

export function requestBodyFor(method: Method, kept: unknown, lookup: Lookup): unknown {
  const derived = requestModelsOf(lookup.ctx, kept, '', lookup.models);
  if (isDeepStrictEqual(derived, method.requestModels)) return kept;
  const body = kept === undefined ? {} : clone(lookup.ctx.resolve(kept, '')?.value);
  const base = isObject(body) ? body : {};
  const content = withModels(base.content, method.requestModels, lookup);
  return nonEmpty({ ...base, ...(content ? { content } : {}) });
}

/** Media types with their schemas pointing at the wanted models; other model references removed. */
function withModels(
  content: unknown,
  models: Record<string, string> | undefined,
  lookup: Lookup,
): JsonObject | undefined {
  const result: JsonObject = {};
  for (const [contentType, media] of Object.entries(isObject(content) ? content : {})) {
    const referencesModel =
      isObject(media) &&
      requestModelsOf(lookup.ctx, { content: { [contentType]: media } }, '', lookup.models);
    if (!referencesModel || models?.[contentType] !== undefined) result[contentType] = media;
  }
  for (const [contentType, name] of Object.entries(models ?? {})) {
    const media = result[contentType];
    result[contentType] = { ...(isObject(media) ? media : {}), schema: { $ref: modelRef(name) } };
  }
  return nonEmpty(result);
}

export function responsesFor(method: Method, kept: unknown, lookup: Lookup): JsonObject | undefined {
  const result: JsonObject = {};
  const keptResponses = isObject(kept) ? kept : {};
  for (const [statusCode, response] of Object.entries(keptResponses)) {
    if (!STATUS_CODE.test(statusCode) || method.methodResponses?.[statusCode]) result[statusCode] = response;
  }
  for (const wanted of Object.values(method.methodResponses ?? {})) {
    result[wanted.statusCode] = responseFor(wanted, keptResponses[wanted.statusCode], lookup);
  }
  return nonEmpty(result);
}

function responseFor(wanted: MethodResponse, kept: unknown, lookup: Lookup): unknown {
  const code = wanted.statusCode;
  if (kept !== undefined) {
    const derived = methodResponsesOf(lookup.ctx, { [code]: kept }, '', lookup.models)?.[code];
    if (isDeepStrictEqual(derived, wanted)) return kept;
  }
  const resolved = kept === undefined ? undefined : clone(lookup.ctx.resolve(kept, '')?.value);
  const base: JsonObject = isObject(resolved) ? resolved : { description: `${code} response` };
  const headers = headersFor(wanted.responseParameters, base.headers, lookup);
  const content = withModels(base.content, wanted.responseModels, lookup);
  const rest = omit(base, ['headers', 'content']);
  return { ...rest, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

function headersFor(
  parameters: Record<string, boolean> | undefined,
  kept: unknown,
  lookup: Lookup,
): JsonObject | undefined {
  const keptHeaders = isObject(kept) ? kept : {};
  const result: JsonObject = {};
  for (const [key, required] of Object.entries(parameters ?? {})) {
    if (!key.startsWith(HEADER_PREFIX)) continue;
    const name = key.slice(HEADER_PREFIX.length);
    const existing = lookup.ctx.resolve(keptHeaders[name], '')?.value;
    const header: JsonObject = isObject(existing) ? { ...existing } : { schema: { type: 'string' } };
    if (required) header.required = true;
    else delete header.required;
    result[name] = header;
  }
  return nonEmpty(result);
}
