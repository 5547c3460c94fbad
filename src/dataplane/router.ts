// Route matching as API Gateway does it: static segments before `{param}` before greedy
// `{proxy+}`; a method defined on a path before ANY; then (HTTP APIs) the `$default` route.
// Built once per compiled stage on find-my-way's radix tree.
import FindMyWay from 'find-my-way';
import { HTTP_METHODS } from '../model/rest-api.js';

export interface PathParameterSlot {
  name: string;
  /** Index of the segment in the request path. */
  index: number;
  greedy: boolean;
}

export interface RouteMatch<T> {
  target: T;
  /** Raw (percent-encoded) values as they came on the wire. */
  rawParameters: Record<string, string>;
}

interface Entry<T> {
  target: T;
  slots: PathParameterSlot[];
}

export class StageRouter<T> {
  private readonly tree = FindMyWay({
    ignoreTrailingSlash: true,
    maxParamLength: 10_240,
    caseSensitive: true,
  });
  private readonly pending = new Map<string, Map<string, Entry<T>>>();
  private defaultRoute: Entry<T> | undefined;

  /** `method` is an HTTP method or ANY; `path` is in API Gateway's form, e.g. `/pets/{id}`. */
  add(method: string, path: string, target: T): void {
    let byMethod = this.pending.get(path);
    if (!byMethod) this.pending.set(path, (byMethod = new Map<string, Entry<T>>()));
    byMethod.set(method, { target, slots: slotsOf(path) });
  }

  setDefault(target: T): void {
    this.defaultRoute = { target, slots: [] };
  }

  /** Registers every route; ANY fills only the methods a path does not define itself. */
  freeze(): this {
    for (const [path, byMethod] of this.pending) {
      const pattern = toFindMyWayPath(path);
      for (const [method, entry] of byMethod) {
        if (method !== 'ANY') this.tree.on(method as FindMyWay.HTTPMethod, pattern, noop, entry);
      }
      const any = byMethod.get('ANY');
      if (any) {
        for (const method of HTTP_METHODS)
          if (!byMethod.has(method)) this.tree.on(method, pattern, noop, any);
      }
    }
    this.pending.clear();
    return this;
  }

  match(method: string, path: string): RouteMatch<T> | undefined {
    const found = this.tree.find(method as FindMyWay.HTTPMethod, path);
    const entry = (found?.store as Entry<T> | undefined) ?? this.defaultRoute;
    if (!entry) return undefined;
    const rawParameters: Record<string, string> = {};
    if (entry.slots.length > 0) {
      const segments = path.split('/');
      for (const slot of entry.slots) {
        const value = slot.greedy
          ? segments.slice(slot.index).join('/').replace(/\/+$/, '')
          : segments[slot.index];
        // `{proxy+}` needs at least one character, as on AWS.
        if (value === undefined || value === '') return found ? this.matchDefault() : undefined;
        rawParameters[slot.name] = value;
      }
    }
    return { target: entry.target, rawParameters };
  }

  private matchDefault(): RouteMatch<T> | undefined {
    return this.defaultRoute && { target: this.defaultRoute.target, rawParameters: {} };
  }
}

function noop(): void {}

function slotsOf(path: string): PathParameterSlot[] {
  const slots: PathParameterSlot[] = [];
  path.split('/').forEach((segment, index) => {
    const m = /^\{([^}]+?)(\+)?\}$/.exec(segment);
    if (m) slots.push({ name: m[1]!, index, greedy: m[2] === '+' });
  });
  return slots;
}

function toFindMyWayPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const m = /^\{([^}]+?)(\+)?\}$/.exec(segment);
      if (!m) return segment.replace(/:/g, '::');
      return m[2] ? '*' : `:${m[1]!.replace(/[^A-Za-z0-9_]/g, '_')}`;
    })
    .join('/');
}
