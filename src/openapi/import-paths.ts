// Walks `paths`: checks each path and its method keys, and hands back every operation with
// the path item around it. Shared by REST and HTTP API import.
import type { ImportContext } from './import-context.js';
import { pointer } from './pointer.js';
import { isObject, nonEmpty, type JsonObject } from './values.js';
import { ANY_METHOD_KEY } from './extensions.js';

/** Document key → API Gateway method. */
export const METHOD_KEYS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  [ANY_METHOD_KEY]: 'ANY',
};
/** Path item fields that describe the path rather than an operation; kept for export. */
const PATH_ITEM_FIELDS = ['parameters', 'summary', 'description', 'servers'];
/** The HTTP API catch-all route, written as a path. */
export const DEFAULT_ROUTE_PATHS = ['/$default', '$default'];

export interface OperationEntry {
  /** The path as written in the document. */
  path: string;
  /** GET, POST, … or ANY. */
  method: string;
  operation: JsonObject;
  at: string;
  pathItem: JsonObject;
  pathItemAt: string;
}

export interface PathEntry {
  path: string;
  at: string;
  /** Path-item-level fields (parameters, summary, x-…) kept for export. */
  kept: JsonObject | undefined;
  operations: OperationEntry[];
}

export function readPaths(ctx: ImportContext, protocol: 'REST' | 'HTTP'): PathEntry[] {
  const paths = ctx.doc.paths;
  if (paths === undefined) return [];
  if (!isObject(paths)) {
    ctx.problem('/paths: must be an object keyed by path');
    return [];
  }
  const entries: PathEntry[] = [];
  for (const [path, raw] of Object.entries(paths)) {
    const at = pointer('/paths', path);
    const isDefaultRoute = protocol === 'HTTP' && DEFAULT_ROUTE_PATHS.includes(path);
    if (!isDefaultRoute) pathProblems(path, at).forEach((line) => ctx.problem(line));
    const resolved = ctx.resolve(raw, at);
    if (!resolved) continue;
    if (!isObject(resolved.value)) {
      ctx.problem(`${resolved.pointer}: must be a path item object`);
      continue;
    }
    entries.push(readPathItem(ctx, path, resolved.value, resolved.pointer));
  }
  return entries;
}

function readPathItem(ctx: ImportContext, path: string, item: JsonObject, at: string): PathEntry {
  const kept: JsonObject = {};
  const operations: OperationEntry[] = [];
  for (const [key, value] of Object.entries(item)) {
    const method = METHOD_KEYS[key];
    const keyAt = pointer(at, key);
    if (method !== undefined) {
      if (isObject(value))
        operations.push({ path, method, operation: value, at: keyAt, pathItem: item, pathItemAt: at });
      else ctx.problem(`${keyAt}: must be an operation object`);
    } else if (PATH_ITEM_FIELDS.includes(key) || (key.startsWith('x-') && key !== ANY_METHOD_KEY)) {
      kept[key] = value;
    } else {
      ctx.problem(
        `${keyAt}: "${key}" is not an HTTP method API Gateway supports; use one of ${Object.keys(METHOD_KEYS).join(', ')}`,
      );
    }
  }
  return { path, at, kept: nonEmpty(kept), operations };
}

const VARIABLE = /^\{[^{}/+]+\+?\}$/;

/** A resource path: `/`, or `/`-separated non-empty segments, each literal or a whole `{name}`; `{name+}` only last. */
export function pathProblems(path: string, at: string): string[] {
  if (!path.startsWith('/')) return [`${at}: a path must start with "/"`];
  if (/\s/.test(path)) return [`${at}: a path may not contain whitespace`];
  if (path === '/') return [];
  const problems: string[] = [];
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    if (segment === '') {
      problems.push(`${at}: the path has an empty segment (a doubled or trailing "/")`);
    } else if ((segment.includes('{') || segment.includes('}')) && !VARIABLE.test(segment)) {
      problems.push(`${at}: segment "${segment}" must be a whole path variable, {name} or {name+}`);
    } else if (segment.endsWith('+}') && index < segments.length - 1) {
      problems.push(`${at}: greedy path variable ${segment} must be the last segment of the path`);
    }
  });
  return problems;
}
