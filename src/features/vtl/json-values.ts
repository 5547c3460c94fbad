// Converting JSON and gateway-supplied data into template values. Only own enumerable data
// is copied, into Maps and lists; nothing of the JavaScript objects survives the conversion.
import { limitError, runtimeError } from './errors.js';
import { MAX_VALUE_DEPTH } from './limits.js';
import { VList, VMap, type Value } from './values.js';

/** Parses JSON text into values; objects keep their key order like json-smart's maps. */
export function parseJsonText(text: string): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw runtimeError(`invalid JSON: ${(error as Error).message}`);
  }
  return fromParsedJson(parsed, 0);
}

function fromParsedJson(v: unknown, depth: number): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (depth > MAX_VALUE_DEPTH) throw limitError(`JSON is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (Array.isArray(v)) {
    return new VList(
      v.map((item) => fromParsedJson(item, depth + 1)),
      true,
    );
  }
  const map = new VMap();
  const object = v as Record<string, unknown>;
  for (const key of Object.keys(object)) map.seed(key, fromParsedJson(object[key], depth + 1));
  return map;
}

/** Converts $context, stage variables and parameters handed over by the gateway. */
export function fromGatewayData(v: unknown, depth = 0): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'object' || depth > 32) return null;
  if (Array.isArray(v)) {
    return new VList(
      v.map((item) => fromGatewayData(item, depth + 1)),
      false,
    );
  }
  const map = new VMap();
  const object = v as Record<string, unknown>;
  for (const key of Object.keys(object)) map.seed(key, fromGatewayData(object[key], depth + 1));
  return map;
}

/** A map of strings (parameters, stage variables), optionally looked up without regard to case. */
export function stringMap(record: Readonly<Record<string, string>>, caseInsensitive = false): VMap {
  const map = new VMap(caseInsensitive);
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') map.seed(key, value);
  }
  return map;
}
