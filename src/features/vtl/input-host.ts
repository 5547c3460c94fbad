// $input: the payload and the request parameters, as API Gateway documents them.
import { TemplateError } from './errors.js';
import { evaluateJsonPath, NOT_FOUND, parseJsonPath, type JsonPath } from './jsonpath.js';
import { parseJsonText, stringMap } from './json-values.js';
import type { Budget } from './limits.js';
import { toJson, toText } from './stringify.js';
import { HostObject, NO_METHOD, VMap, type Value } from './values.js';

export interface RequestParameters {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly header: Readonly<Record<string, string>>;
}

const PATH_CACHE_LIMIT = 256;

/** Parsed JSONPath expressions, shared by the renders of one template. */
export class JsonPathCache {
  private readonly paths = new Map<string, JsonPath>();

  get(path: string): JsonPath {
    let parsed = this.paths.get(path);
    if (!parsed) {
      parsed = parseJsonPath(path);
      if (this.paths.size >= PATH_CACHE_LIMIT) this.paths.clear();
      this.paths.set(path, parsed);
    }
    return parsed;
  }
}

export class InputHost extends HostObject {
  private root: Value | undefined;
  private allParams: VMap | undefined;

  constructor(
    private readonly body: string,
    private readonly params: RequestParameters,
    private readonly budget: Budget,
    private readonly paths: JsonPathCache,
  ) {
    super();
  }

  property(name: string): Value {
    // AWS hands an empty payload to templates as an empty JSON object.
    return name === 'body' ? (this.body === '' ? '{}' : this.body) : null;
  }

  call(name: string, args: readonly Value[]): Value | typeof NO_METHOD {
    switch (name) {
      case 'json': {
        if (args.length !== 1) return NO_METHOD;
        const match = this.select(args[0] ?? null);
        // No match prints as an empty JSON string, which keeps `"x": $input.json('$.x')` valid JSON.
        return match === NOT_FOUND ? '""' : this.budget.checkString(toJson(match, this.budget));
      }
      case 'path': {
        if (args.length !== 1) return NO_METHOD;
        const match = this.select(args[0] ?? null);
        return match === NOT_FOUND ? null : match;
      }
      case 'params':
        if (args.length === 0) return this.paramsMap();
        if (args.length === 1) return this.param(toText(args[0] ?? null, this.budget));
        return NO_METHOD;
      default:
        return NO_METHOD;
    }
  }

  private select(path: Value): Value | typeof NOT_FOUND {
    return evaluateJsonPath(this.paths.get(toText(path, this.budget)), this.payload(), this.budget);
  }

  /** The body as JSON; a body that is not JSON (a form post) is the string itself, as on AWS. */
  private payload(): Value {
    if (this.root === undefined) {
      if (this.body.trim() === '') {
        this.root = new VMap();
      } else {
        try {
          this.root = parseJsonText(this.body);
        } catch (error) {
          if (!(error instanceof TemplateError) || error.kind !== 'runtime') throw error;
          this.root = this.body;
        }
      }
    }
    return this.root;
  }

  private paramsMap(): VMap {
    if (!this.allParams) {
      // The order AWS's documentation shows for $input.params().
      const map = new VMap();
      map.seed('path', stringMap(this.params.path));
      map.seed('header', stringMap(this.params.header, true));
      map.seed('querystring', stringMap(this.params.querystring));
      this.allParams = map;
    }
    return this.allParams;
  }

  /** Path, then query string, then header (case-insensitive); "" when absent. */
  private param(name: string): Value {
    // Each kind is read only when needed: the gateway may collect them on demand.
    const path = this.params.path;
    if (Object.hasOwn(path, name)) return path[name] ?? '';
    const querystring = this.params.querystring;
    if (Object.hasOwn(querystring, name)) return querystring[name] ?? '';
    const header = this.params.header;
    if (Object.hasOwn(header, name)) return header[name] ?? '';
    const lower = name.toLowerCase();
    for (const key of Object.keys(header)) if (key.toLowerCase() === lower) return header[key] ?? '';
    return '';
  }
}
