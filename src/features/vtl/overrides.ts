// $context.requestOverride and $context.responseOverride: what a template writes there comes
// back to the gateway in RenderResult. AWS documents overrides as final: "An override may only
// be applied to each parameter once", a second write fails the request, so a second write
// here is a runtime error.
import { runtimeError } from './errors.js';
import { fromGatewayData, gatewayMap } from './json-values.js';
import type { Budget } from './limits.js';
import { toText } from './stringify.js';
import { VList, VMap, type Value, type WriteGuard } from './values.js';

export interface RequestOverride {
  header: Record<string, string>;
  querystring: Record<string, string>;
  path: Record<string, string>;
}

export interface ResponseOverride {
  status?: number;
  header: Record<string, string>;
}

export interface ContextValues {
  readonly context: VMap;
  /** Null when the template cannot reach the override maps and none were seeded. */
  readonly request: VMap | null;
  readonly response: VMap | null;
}

function writeOnce(path: string, caseInsensitive: boolean, fixed: readonly string[] = []): WriteGuard {
  let written: Set<unknown> | null = null;
  return (key) => {
    const id = caseInsensitive && typeof key === 'string' ? key.toLowerCase() : key;
    written ??= new Set<unknown>(fixed);
    if (written.has(id)) {
      const name = typeof key === 'string' || typeof key === 'number' ? String(key) : 'key';
      throw runtimeError(`${path}.${name} is already set; API Gateway applies each override only once`);
    }
    written.add(id);
  };
}

function overrideMap(path: string, caseInsensitive: boolean, seed: unknown): VMap {
  const map = new VMap(caseInsensitive, writeOnce(path, caseInsensitive));
  if (typeof seed === 'object' && seed !== null && !Array.isArray(seed)) {
    const record = seed as Record<string, unknown>;
    for (const key of Object.keys(record)) map.seed(key, fromGatewayData(record[key]));
  }
  return map;
}

function field(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null || !Object.hasOwn(record, key)) return undefined;
  return (record as Record<string, unknown>)[key];
}

/**
 * Builds `$context`, with override maps seeded from any overrides the gateway passes in. The
 * map converts a member when the template reads it. `overridesReachable` false (the template
 * never names them) skips the override maps when nothing seeds them.
 */
export function contextValues(
  context: Readonly<Record<string, unknown>>,
  overridesReachable = true,
): ContextValues {
  const map = gatewayMap(context);
  const requestSeed = field(context, 'requestOverride');
  const responseSeed = field(context, 'responseOverride');
  if (!overridesReachable && requestSeed === undefined && responseSeed === undefined) {
    return { context: map, request: null, response: null };
  }
  const request = new VMap(
    false,
    writeOnce('$context.requestOverride', false, ['header', 'querystring', 'path']),
  );
  request.seed('header', overrideMap('$context.requestOverride.header', true, field(requestSeed, 'header')));
  request.seed(
    'querystring',
    overrideMap('$context.requestOverride.querystring', false, field(requestSeed, 'querystring')),
  );
  request.seed('path', overrideMap('$context.requestOverride.path', false, field(requestSeed, 'path')));

  const response = new VMap(false, writeOnce('$context.responseOverride', false, ['header']));
  response.seed(
    'header',
    overrideMap('$context.responseOverride.header', true, field(responseSeed, 'header')),
  );
  const seededStatus = fromGatewayData(field(responseSeed, 'status'));
  if (seededStatus !== null) response.seed('status', seededStatus);

  map.seed('requestOverride', request);
  map.seed('responseOverride', response);
  return { context: map, request, response };
}

/** A header or parameter value: lists (several values) are joined with commas. */
function parameterText(v: Value, budget: Budget): string | null {
  if (v === null) return null;
  if (v instanceof VList) return v.items.map((item) => toText(item, budget)).join(',');
  return toText(v, budget);
}

function record(map: Value, budget: Budget): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(map instanceof VMap)) return out;
  for (const [key, value] of map.entries) {
    const text = parameterText(value, budget);
    if (text === null) continue;
    // defineProperty, so a key named __proto__ is stored as data rather than changing the prototype.
    Object.defineProperty(out, toText(key, budget), {
      value: text,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export function requestOverrideOf(values: ContextValues, budget: Budget): RequestOverride {
  const { request } = values;
  if (request === null) return { header: {}, querystring: {}, path: {} };
  return {
    header: record(request.get('header'), budget),
    querystring: record(request.get('querystring'), budget),
    path: record(request.get('path'), budget),
  };
}

export function responseOverrideOf(values: ContextValues, budget: Budget): ResponseOverride {
  const { response } = values;
  if (response === null) return { header: {} };
  const result: ResponseOverride = { header: record(response.get('header'), budget) };
  const status = response.get('status');
  if (status !== null) {
    const code = typeof status === 'number' ? status : Number(toText(status, budget).trim());
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw runtimeError(
        `$context.responseOverride.status must be an HTTP status code, got ${toText(status, budget)}`,
      );
    }
    result.status = code;
  }
  return result;
}
