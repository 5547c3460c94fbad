// Converting JSON and gateway-supplied data into template values. Objects and arrays become
// lazy maps and lists (values.ts) that read only own enumerable data and convert a member when
// the template reads it; nothing of the JavaScript objects is ever handed to a template.
import { limitError, runtimeError } from './errors.js';
import { MAX_VALUE_DEPTH } from './limits.js';
import { fromData, GATEWAY_DATA, JSON_DATA, STRING_DATA, VMap, type Value } from './values.js';

/** Parses JSON text into values; objects keep their key order like json-smart's maps. */
export function parseJsonText(text: string): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw runtimeError(`invalid JSON: ${(error as Error).message}`);
  }
  // Nesting too deep for the engine is refused now, not when (or if) the template reaches it.
  if (mayNestDeeperThan(text, MAX_VALUE_DEPTH + 1) && nestedDeeperThan(parsed, MAX_VALUE_DEPTH, 0)) {
    throw limitError(`JSON is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  }
  return fromData(parsed, JSON_DATA);
}

/** False when `text` (valid JSON) has too few brackets to nest `levels` objects or arrays. */
function mayNestDeeperThan(text: string, levels: number): boolean {
  // Valid JSON closes every bracket it opens: nesting `levels` deep takes twice as many characters.
  if (text.length < 2 * levels) return false;
  let brackets = 0;
  for (const open of ['{', '[']) {
    for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + 1)) {
      if (++brackets > levels) return true;
    }
  }
  return false;
}

/** Whether an object or array sits deeper than `max` (the top level is depth 0). */
function nestedDeeperThan(v: unknown, max: number, depth: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (depth > max) return true;
  const children = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
  for (const child of children) if (nestedDeeperThan(child, max, depth + 1)) return true;
  return false;
}

/** Converts $context and other data handed over by the gateway; members are at depth 0. */
export function fromGatewayData(v: unknown): Value {
  return fromData(v, GATEWAY_DATA);
}

/** A map over the members of `record` (at depth 0), converted when read. */
export function gatewayMap(record: object): VMap {
  return VMap.over(record, GATEWAY_DATA, -1);
}

/** A map of strings (parameters, stage variables), optionally looked up without regard to case. */
export function stringMap(record: Readonly<Record<string, string>>, caseInsensitive = false): VMap {
  if (!caseInsensitive) return VMap.over(record, STRING_DATA, 0);
  const map = new VMap(true);
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') map.seed(key, value);
  }
  return map;
}
