// The JSONPath subset mapping templates use with $input.path() and $input.json(): `$`,
// `.name`, `['name']`, `[n]` (negative from the end), `[a,b]`, `[start:end]`, `*` and `..`.
// A definite path (no wildcard, scan, slice or union) yields one value or nothing, as Jayway
// JsonPath does; an indefinite one yields a JSON list of the matches.
import { limitError, runtimeError } from './errors.js';
import { MAX_VALUE_DEPTH, type Budget } from './limits.js';
import { VList, VMap, type Value } from './values.js';

type Segment =
  | { readonly k: 'child'; readonly names: readonly string[] }
  | { readonly k: 'index'; readonly indexes: readonly number[] }
  | { readonly k: 'slice'; readonly start: number | null; readonly end: number | null; readonly step: number }
  | { readonly k: 'wildcard' }
  | { readonly k: 'scan'; readonly then: Segment };

export interface JsonPath {
  readonly segments: readonly Segment[];
  readonly definite: boolean;
}

export function parseJsonPath(path: string): JsonPath {
  let s = path.trim();
  if (!s.startsWith('$')) s = s.startsWith('[') ? `$${s}` : `$.${s}`;
  const segments: Segment[] = [];
  let i = 1;
  const fail = (why: string): never => {
    throw runtimeError(`invalid JSONPath ${JSON.stringify(path)}: ${why}`);
  };
  const dotted = (): Segment => {
    if (s[i] === '*') {
      i++;
      return { k: 'wildcard' };
    }
    if (s[i] === '[') return bracket();
    const start = i;
    while (i < s.length && s[i] !== '.' && s[i] !== '[') i++;
    const name = s.slice(start, i).trim();
    if (name === '') fail('empty property name');
    if (name.endsWith(')')) fail(`function ${name} is not supported`);
    return { k: 'child', names: [name] };
  };
  const bracket = (): Segment => {
    const close = closingBracket(s, i);
    if (close < 0) fail('unclosed [');
    const inner = s.slice(i + 1, close).trim();
    i = close + 1;
    if (inner === '*') return { k: 'wildcard' };
    if (inner.startsWith('?')) fail('filter expressions are not supported');
    if (inner.startsWith("'") || inner.startsWith('"')) {
      const names: string[] = [];
      for (const m of inner.matchAll(/\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/gy)) {
        names.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
      }
      if (names.length === 0) fail(`bad property list [${inner}]`);
      return { k: 'child', names };
    }
    if (inner.includes(':')) {
      const m = /^(-?\d+)?\s*:\s*(-?\d+)?(?:\s*:\s*(-?\d+))?$/.exec(inner);
      if (!m) fail(`bad slice [${inner}]`);
      const step = m?.[3] === undefined ? 1 : Number(m[3]);
      if (step === 0) fail('slice step cannot be 0');
      return {
        k: 'slice',
        start: m?.[1] === undefined ? null : Number(m[1]),
        end: m?.[2] === undefined ? null : Number(m[2]),
        step,
      };
    }
    const indexes = inner.split(',').map((part) => {
      const t = part.trim();
      if (!/^-?\d+$/.test(t)) fail(`bad index [${inner}]`);
      return Number(t);
    });
    return { k: 'index', indexes };
  };
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      i += 2;
      segments.push({ k: 'scan', then: dotted() });
    } else if (s[i] === '.') {
      i++;
      segments.push(dotted());
    } else if (s[i] === '[') {
      segments.push(bracket());
    } else if (/\s/.test(s[i] ?? '')) {
      i++;
    } else {
      fail(`unexpected ${JSON.stringify(s[i])}`);
    }
  }
  const definite = segments.every(
    (seg) => (seg.k === 'child' && seg.names.length === 1) || (seg.k === 'index' && seg.indexes.length === 1),
  );
  return { segments, definite };
}

function closingBracket(s: string, open: number): number {
  let quote = '';
  for (let i = open + 1; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ']') return i;
  }
  return -1;
}

export const NOT_FOUND: unique symbol = Symbol('no match');

/** Evaluates a path; a definite path that matches nothing gives NOT_FOUND. */
export function evaluateJsonPath(path: JsonPath, root: Value, budget: Budget): Value | typeof NOT_FOUND {
  if (path.definite) return definite(path.segments, root);
  let current: Value[] = [root];
  for (const segment of path.segments) {
    const next: Value[] = [];
    for (const node of current) apply(segment, node, next, budget);
    current = next;
  }
  if (!path.definite) return new VList(current, true);
  return current.length === 0 ? NOT_FOUND : (current[0] ?? null);
}

/** A definite path (single names and indexes only) walked without collecting matches. */
function definite(segments: readonly Segment[], root: Value): Value | typeof NOT_FOUND {
  let node: Value = root;
  for (const segment of segments) {
    if (segment.k === 'child') {
      if (!(node instanceof VMap)) return NOT_FOUND;
      const found = node.find(segment.names[0]!);
      if (found === undefined) return NOT_FOUND;
      node = found;
    } else if (segment.k === 'index') {
      if (!(node instanceof VList)) return NOT_FOUND;
      const items = node.items;
      const raw = segment.indexes[0]!;
      const index = raw < 0 ? items.length + raw : raw;
      if (index < 0 || index >= items.length) return NOT_FOUND;
      node = items[index] ?? null;
    } else {
      return NOT_FOUND;
    }
  }
  return node;
}

function apply(segment: Segment, node: Value, out: Value[], budget: Budget): void {
  switch (segment.k) {
    case 'child':
      if (node instanceof VMap) {
        for (const name of segment.names) {
          const found = node.find(name);
          if (found !== undefined) out.push(found);
        }
      }
      return;
    case 'index':
      if (node instanceof VList) {
        for (const raw of segment.indexes) {
          const index = raw < 0 ? node.items.length + raw : raw;
          if (index >= 0 && index < node.items.length) out.push(node.items[index] ?? null);
        }
      }
      return;
    case 'slice':
      if (node instanceof VList) out.push(...slice(node.items, segment.start, segment.end, segment.step));
      return;
    case 'wildcard':
      if (node instanceof VMap) out.push(...node.entries.values());
      else if (node instanceof VList) out.push(...node.items);
      return;
    case 'scan':
      scan(segment.then, node, out, budget, 0);
      return;
  }
}

function scan(then: Segment, node: Value, out: Value[], budget: Budget, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw limitError(`JSONPath scan went deeper than ${MAX_VALUE_DEPTH} levels`);
  budget.tick();
  apply(then, node, out, budget);
  const children = node instanceof VMap ? node.entries.values() : node instanceof VList ? node.items : [];
  for (const child of children) {
    if (child instanceof VMap || child instanceof VList) scan(then, child, out, budget, depth + 1);
  }
}

function slice(items: readonly Value[], start: number | null, end: number | null, step: number): Value[] {
  const n = items.length;
  const norm = (v: number) =>
    v < 0 ? Math.max(n + v, step > 0 ? 0 : -1) : Math.min(v, step > 0 ? n : n - 1);
  const from = start === null ? (step > 0 ? 0 : n - 1) : norm(start);
  const to = end === null ? (step > 0 ? n : -1) : norm(end);
  const out: Value[] = [];
  if (step > 0) for (let i = from; i < to; i += step) out.push(items[i] ?? null);
  else for (let i = from; i > to; i += step) out.push(items[i] ?? null);
  return out;
}
