// `$context.error.validationErrorString` for a body that failed its model, worded and ordered
// the way AWS's validator (java-json-tools' json-schema-validator, draft 4) reports it.
//
// AWS lists the messages as `[first, second]`. Its validator checks a value's keywords in
// alphabetical order (a `format` check last), then visits the value's members in sorted order,
// but stops descending once anything has failed: siblings already reached are still checked,
// their members are not. ajv (with allErrors) reports every failure, so the report is replayed
// here in that order and cut where AWS's validator would have stopped.
import type { ErrorObject } from 'ajv';
import { FORMATS } from './formats.js';

export function validationErrorString(errors: readonly ErrorObject[], body: unknown): string {
  const root = new Node();
  for (const error of errors) root.at(pointerTokens(error.instancePath)).add(error);
  const lines: string[] = [];
  visit(root, body, lines);
  return `[${lines.join(', ')}]`;
}

class Node {
  readonly children = new Map<string, Node>();
  readonly errors: ErrorObject[] = [];

  at(tokens: readonly string[]): Node {
    return tokens.reduce<Node>((node, token) => node.child(token), this);
  }

  private child(token: string): Node {
    let child = this.children.get(token);
    if (!child) {
      child = new Node();
      this.children.set(token, child);
    }
    return child;
  }

  add(error: ErrorObject): void {
    this.errors.push(error);
  }
}

function visit(node: Node, value: unknown, lines: string[]): void {
  for (const line of messagesAt(node.errors, value)) lines.push(line);
  if (lines.length > 0) return;
  const keys = [...node.children.keys()];
  if (Array.isArray(value)) keys.sort((a, b) => Number(a) - Number(b));
  else keys.sort(compareUtf16);
  for (const key of keys) visit(node.children.get(key)!, memberOf(value, key), lines);
}

function messagesAt(errors: readonly ErrorObject[], value: unknown): string[] {
  if (errors.length === 0) return [];
  const ordered = [...errors].sort((a, b) => compareUtf16(rank(a.keyword), rank(b.keyword)));
  // AWS reports all missing properties of one object in one message (and so for unwanted
  // properties and for each property's dependencies); ajv reports one error per property.
  const groups = new Map<string, string[]>();
  const lines: Array<string | (() => string)> = [];
  for (const error of ordered) {
    const group = groupOf(error);
    if (!group) {
      lines.push(describe(error, value));
      continue;
    }
    let names = groups.get(group.key);
    if (!names) {
      const collected: string[] = [];
      groups.set(group.key, collected);
      lines.push(() => describeGroup(error, collected));
      names = collected;
    }
    names.push(group.name);
  }
  return lines.map((line) => (typeof line === 'string' ? line : line()));
}

function groupOf(error: ErrorObject): { key: string; name: string } | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { key: 'required', name: String(params.missingProperty) };
    case 'additionalProperties':
      return { key: 'additionalProperties', name: String(params.additionalProperty) };
    case 'dependencies':
      return { key: `dependencies/${String(params.property)}`, name: String(params.missingProperty) };
    default:
      return undefined;
  }
}

function describeGroup(first: ErrorObject, names: readonly string[]): string {
  switch (first.keyword) {
    case 'required':
      return `object has missing required properties (${JSON.stringify(sorted(names))})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${JSON.stringify(sorted(names))}`;
    default: {
      const property = String((first.params as Record<string, unknown>).property);
      return (
        `property "${property}" of object has missing property dependencies ` +
        `(schema requires ${JSON.stringify(dependencyList(first.parentSchema, property))}; ` +
        `missing: ${JSON.stringify(sorted(names))})`
      );
    }
  }
}

function describe(error: ErrorObject, value: unknown): string {
  const params = error.params as Record<string, unknown>;
  const data = error.data === undefined ? value : error.data;
  switch (error.keyword) {
    case 'type':
      return (
        `instance type (${jsonType(data)}) does not match any allowed primitive type ` +
        `(allowed: ${JSON.stringify(allowedTypes(error.parentSchema?.type))})`
      );
    case 'enum':
      return `instance value (${json(data)}) not found in enum (possible values: ${json(error.schema)})`;
    case 'minimum':
    case 'maximum':
      return limitMessage(
        error.keyword,
        Number(data),
        Number(params.limit),
        params.comparison === '>' || params.comparison === '<',
      );
    case 'multipleOf':
      return `remainder of division is not zero (${json(data)} / ${json(params.multipleOf)})`;
    case 'minLength':
      return `string "${String(data)}" is too short (length: ${codePoints(data)}, required minimum: ${json(params.limit)})`;
    case 'maxLength':
      return `string "${String(data)}" is too long (length: ${codePoints(data)}, maximum allowed: ${json(params.limit)})`;
    case 'pattern':
      return `ECMA 262 regex "${String(params.pattern)}" does not match input string "${String(data)}"`;
    case 'minItems':
      return `array is too short: must have at least ${json(params.limit)} elements but instance has ${size(data)} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${json(params.limit)} elements but instance has ${size(data)} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'additionalItems':
      return `schema only allows ${json(params.limit)} elements in array but instance has ${size(data)} elements`;
    case 'minProperties':
      return `object has too few properties (found ${size(data)} but schema requires at least ${json(params.limit)})`;
    case 'maxProperties':
      return `object has too many properties (found ${size(data)} but schema requires at most ${json(params.limit)})`;
    case 'format': {
      const format = FORMATS[String(params.format)];
      if (format) return `string "${String(data)}" ${format.describe}`;
      break;
    }
  }
  // The combinators (models.ts) carry AWS's wording already.
  return error.message ?? `${error.keyword} failed`;
}

function limitMessage(
  keyword: 'minimum' | 'maximum',
  value: number,
  limit: number,
  exclusive: boolean,
): string {
  if (keyword === 'minimum') {
    return exclusive && value === limit
      ? `numeric instance is not strictly greater than the required minimum ${json(limit)}`
      : `numeric instance is lower than the required minimum (minimum: ${json(limit)}, found: ${json(value)})`;
  }
  return exclusive && value === limit
    ? `numeric instance is not strictly lower than the required maximum ${json(limit)}`
    : `numeric instance is greater than the required maximum (maximum: ${json(limit)}, found: ${json(value)})`;
}

// AWS names types as JSON Schema does, in this order, and a schema that allows "number" also
// allows "integer".
const TYPE_ORDER = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

function allowedTypes(type: unknown): string[] {
  const allowed = new Set(Array.isArray(type) ? type.map(String) : [String(type)]);
  if (allowed.has('number')) allowed.add('integer');
  return TYPE_ORDER.filter((t) => allowed.has(t));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function dependencyList(parentSchema: unknown, property: string): string[] {
  const dependencies = (parentSchema as { dependencies?: Record<string, unknown> } | undefined)?.dependencies;
  const list = dependencies?.[property];
  return Array.isArray(list) ? sorted(list.map(String)) : [];
}

// Keywords are checked alphabetically; a format check comes after all of them.
function rank(keyword: string): string {
  if (keyword === 'format') return '\uffff';
  return keyword;
}

function memberOf(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function pointerTokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// Java's String order, which is the order of UTF-16 code units.
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareUtf16);
}

function codePoints(value: unknown): number {
  return [...String(value)].length;
}

function size(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
