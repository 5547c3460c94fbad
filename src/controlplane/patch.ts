// v1 update operations take AWS's patch operations: `{op, path, value, from}` where every value
// is a string and a `/` inside a path segment is written `~1`. Each resource says which paths it
// accepts; anything else is refused with AWS's message.
import type { AdminRequest } from './admin-router.js';
import { jsonBody } from './admin-router.js';
import { badRequest } from './admin-errors.js';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: string | undefined;
  from?: string | undefined;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** The request's patchOperations, checked for shape. */
export function patchOperations(request: AdminRequest): PatchOperation[] {
  const list = jsonBody(request)['patchOperations'] ?? [];
  if (!Array.isArray(list)) throw badRequest('patchOperations must be a list');
  return list.map((raw: unknown, index) => {
    const entry = raw as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null)
      throw badRequest(`patchOperations[${index}] must be an object`);
    const { op, path, value, from } = entry;
    if (typeof op !== 'string' || !OPS.has(op))
      throw badRequest(`Invalid patch operation specified: ${String(op)}`);
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw badRequest(`Invalid patch path ${String(path)}`);
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw badRequest(`Invalid patch value for ${path}: AWS patch values are strings`);
    }
    return {
      op: op as PatchOperation['op'],
      path,
      value: value ?? undefined,
      from: typeof from === 'string' ? from : undefined,
    };
  });
}

/** The path's segments with `~1` and `~0` unescaped: `/variables/a~1b` → ['variables', 'a/b']. */
export function segments(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export const invalidPath = (op: PatchOperation): Error =>
  badRequest(`Invalid patch path ${op.path} for operation ${op.op}`);

export function requireValue(op: PatchOperation): string {
  if (op.value === undefined)
    throw badRequest(`Invalid null or empty value in patch operation for path ${op.path}`);
  return op.value;
}

export function booleanValue(op: PatchOperation): boolean {
  const value = requireValue(op).toLowerCase();
  if (value !== 'true' && value !== 'false')
    throw badRequest(`Invalid boolean value ${op.value ?? ''} for ${op.path}`);
  return value === 'true';
}

export function numberValue(op: PatchOperation, integer = false): number {
  const value = Number(requireValue(op));
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw badRequest(`Invalid ${integer ? 'integer' : 'number'} value ${op.value ?? ''} for ${op.path}`);
  }
  return value;
}

export type FieldKind = 'string' | 'boolean' | 'integer' | 'number';

/**
 * Applies `replace` (and `add`) of the named scalar fields and `remove` of them; returns false
 * when the operation's path is not one of them so the caller can handle it.
 */
export function patchScalar(
  target: Record<string, unknown>,
  op: PatchOperation,
  fields: Record<string, FieldKind>,
): boolean {
  const parts = segments(op.path);
  if (parts.length !== 1) return false;
  const name = parts[0]!;
  const kind = fields[name];
  if (kind === undefined) return false;
  if (op.op === 'remove') {
    delete target[name];
    return true;
  }
  if (op.op !== 'replace' && op.op !== 'add') throw invalidPath(op);
  target[name] =
    kind === 'string'
      ? (op.value ?? '')
      : kind === 'boolean'
        ? booleanValue(op)
        : numberValue(op, kind === 'integer');
  return true;
}

function patchMap(
  target: Record<string, unknown>,
  op: PatchOperation,
  mapName: string,
  valueOf: (op: PatchOperation) => unknown,
): boolean {
  const parts = segments(op.path);
  if (parts[0] !== mapName || parts.length !== 2) return false;
  const key = parts[1]!;
  const map = { ...((target[mapName] as Record<string, unknown> | undefined) ?? {}) };
  if (op.op === 'remove') delete map[key];
  else if (op.op === 'add' || op.op === 'replace') map[key] = valueOf(op);
  else throw invalidPath(op);
  target[mapName] = map;
  return true;
}

/** Applies add/replace/remove on `/{mapName}/{key}` for a string map (variables, tags, templates …). */
export const patchStringMap = (
  target: Record<string, unknown>,
  op: PatchOperation,
  mapName: string,
): boolean => patchMap(target, op, mapName, (op) => op.value ?? '');

/**
 * The same for v1's maps of flags (a method's request parameters, a method response's headers:
 * required or not); a parameter added without a value is not required, as on AWS.
 */
export const patchBooleanMap = (
  target: Record<string, unknown>,
  op: PatchOperation,
  mapName: string,
): boolean => patchMap(target, op, mapName, (op) => (op.value === undefined ? false : booleanValue(op)));
