// HTTP API request parameters: header, query string and path changes applied to the
// integration request. Every value reads the method request as the client sent it, never the
// integration request being changed, which is what lets AWS's rename example
// (append header2 from header1, remove header1) work whatever the order.
import { parseRequestEntry, type Entry, type RequestTarget } from './entries.js';
import { ParameterMappingError, requestParameterProblems } from './problems.js';
import { encodeQueryPair, parseQuery, queryValue, type QueryPair } from './query-string.js';
import {
  NOT_JSON,
  appendHeader,
  contextValue,
  encodePathLiteral,
  encodePathValue,
  headerFieldValue,
  joinParts,
  joinedHeader,
  parseTruncatedJson,
  selectJson,
  type Getter,
} from './runtime.js';
import { readsBody, type Part } from './value.js';

export interface RequestMappingInput {
  method: string;
  /** The path after the stage, as received (percent-encoded). */
  path: string;
  /** Decoded path parameters of the matched route. */
  pathParameters: Record<string, string>;
  /** Lower-case names, as Node gives them; an array for a repeated header. */
  headers: Record<string, string | string[] | undefined>;
  /** The method request's query string without '?', as received. */
  rawQuery: string;
  /** The buffered body; only read when `needsBody` is true. */
  body: Buffer | undefined;
  /** Context variables for `$context.x.y`, nested objects or flat "x.y" keys. */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface CompiledRequestMapping {
  /** True when a value reads $request.body, so the caller must buffer the body first. */
  needsBody: boolean;
  /**
   * Applies the ops to outgoing headers (mutates the given Node-style record, lower-case names)
   * and returns the new raw query string and path override.
   */
  apply(
    input: RequestMappingInput,
    outgoingHeaders: Record<string, string | string[]>,
  ): { rawQuery: string; path: string | undefined };
}

/** Values read during one apply, worked out at most once each. */
class RequestScope {
  private pairs: QueryPair[] | undefined = undefined;
  private json: unknown = UNREAD;
  constructor(readonly input: RequestMappingInput) {}
  queryPairs(): QueryPair[] {
    return (this.pairs ??= parseQuery(this.input.rawQuery));
  }
  bodyJson(): unknown {
    if (this.json === UNREAD) this.json = parseTruncatedJson(this.input.body);
    return this.json;
  }
}
const UNREAD = Symbol('unread');

interface NamedValue {
  name: string;
  value: Getter<RequestScope>;
}

/**
 * Null when there is nothing to map. Throws ParameterMappingError for a configuration that
 * parameterMappingProblems reports.
 */
export function compileRequestMapping(
  requestParameters: Record<string, string> | undefined,
): CompiledRequestMapping | null {
  const keys = Object.keys(requestParameters ?? {});
  if (requestParameters === undefined || keys.length === 0) return null;
  const problems = requestParameterProblems(requestParameters, 'requestParameters');
  if (problems.length > 0) throw new ParameterMappingError(problems);
  const entries = keys.map((key) => parseRequestEntry(key, requestParameters[key]) as Entry<RequestTarget>);
  return new RequestMapping(entries);
}

/**
 * AWS does not document an order; Gatehouse removes, then overwrites, then appends, so that
 * any two ops on one name combine usefully (remove + append replaces, overwrite + append adds).
 */
class RequestMapping implements CompiledRequestMapping {
  readonly needsBody: boolean;
  private readonly headerRemoves: string[] = [];
  private readonly headerOverwrites: NamedValue[] = [];
  private readonly headerAppends: NamedValue[] = [];
  private readonly queryRemoves: string[] = [];
  private readonly queryOverwrites: NamedValue[] = [];
  private readonly queryAppends: NamedValue[] = [];
  private readonly path: Getter<RequestScope> | null = null;
  private readonly changesQuery: boolean;

  constructor(entries: Entry<RequestTarget>[]) {
    let needsBody = false;
    const writes = {
      header: { overwrite: this.headerOverwrites, append: this.headerAppends },
      querystring: { overwrite: this.queryOverwrites, append: this.queryAppends },
    };
    for (const { target, parts } of entries) {
      needsBody ||= parts.some(readsBody);
      if (target.location === 'path') {
        this.path = joinParts(parts.map(pathPart));
        continue;
      }
      const header = target.location === 'header';
      const name = header ? target.name.toLowerCase() : target.name;
      if (target.action === 'remove') {
        (header ? this.headerRemoves : this.queryRemoves).push(name);
        continue;
      }
      writes[target.location][target.action].push({ name, value: joinParts(parts.map(getter)) });
    }
    this.needsBody = needsBody;
    this.changesQuery = this.queryRemoves.length + this.queryOverwrites.length + this.queryAppends.length > 0;
  }

  apply(input: RequestMappingInput, outgoingHeaders: Record<string, string | string[]>) {
    const scope = new RequestScope(input);
    for (const name of this.headerRemoves) delete outgoingHeaders[name];
    for (const { name, value } of this.headerOverwrites) {
      const text = headerText(value(scope));
      if (text !== undefined) outgoingHeaders[name] = text;
    }
    for (const { name, value } of this.headerAppends) {
      const text = headerText(value(scope));
      if (text !== undefined) appendHeader(outgoingHeaders, name, text);
    }
    const rawQuery = this.changesQuery ? this.mapQuery(scope) : input.rawQuery;
    let path: string | undefined;
    if (this.path !== null) {
      const mapped = this.path(scope);
      if (mapped !== undefined) path = mapped.startsWith('/') ? mapped : `/${mapped}`;
    }
    return { rawQuery, path };
  }

  /**
   * Parameters the mapping leaves alone keep their original text and order; an overwritten
   * one takes the place of its first occurrence; appended ones go last.
   */
  private mapQuery(scope: RequestScope): string {
    const overwrites = this.queryOverwrites.map(({ name, value }) => ({
      name,
      value: value(scope),
      placed: false,
    }));
    const appends = this.queryAppends.map(({ name, value }) => ({ name, value: value(scope) }));
    const out: string[] = [];
    for (const pair of scope.queryPairs()) {
      if (this.queryRemoves.includes(pair.name)) continue;
      const overwrite = overwrites.find((o) => o.name === pair.name && o.value !== undefined);
      if (overwrite === undefined) out.push(pair.raw);
      else if (!overwrite.placed) {
        overwrite.placed = true;
        out.push(encodeQueryPair(overwrite.name, overwrite.value!));
      }
    }
    for (const o of overwrites)
      if (!o.placed && o.value !== undefined) out.push(encodeQueryPair(o.name, o.value));
    for (const a of appends) if (a.value !== undefined) out.push(encodeQueryPair(a.name, a.value));
    return out.join('&');
  }
}

function headerText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : headerFieldValue(value);
}

function getter(part: Part): string | Getter<RequestScope> {
  switch (part.kind) {
    case 'literal':
      return part.text;
    case 'requestHeader': {
      const { name } = part;
      return (scope) => joinedHeader(scope.input.headers[name]);
    }
    case 'querystring': {
      const { name } = part;
      return (scope) => queryValue(scope.queryPairs(), name);
    }
    case 'requestPath':
      return (scope) => scope.input.path;
    case 'pathParameter': {
      const { name } = part;
      return (scope) =>
        Object.hasOwn(scope.input.pathParameters, name) ? scope.input.pathParameters[name] : undefined;
    }
    case 'requestBody': {
      const { path } = part;
      if (path === null) return (scope) => scope.input.body?.toString('utf8') ?? '';
      return (scope) => {
        const json = scope.bodyJson();
        return json === NOT_JSON ? undefined : selectJson(json, path);
      };
    }
    case 'context': {
      const { name, path } = part;
      return (scope) => contextValue(scope.input.context, name, path);
    }
    case 'stageVariable': {
      const { name } = part;
      return (scope) =>
        Object.hasOwn(scope.input.stageVariables, name) ? scope.input.stageVariables[name] : undefined;
    }
    case 'responseHeader':
    case 'responseBody':
      // parseValue rejects response sources in request parameters.
      throw new Error(`${part.kind} cannot be read while mapping a request`);
  }
}

/**
 * `overwrite:path` must produce a request target: `$request.path` is already encoded as it
 * came, static text keeps its own escapes, and decoded values are percent-encoded.
 */
function pathPart(part: Part): string | Getter<RequestScope> {
  if (part.kind === 'literal') return encodePathLiteral(part.text);
  if (part.kind === 'requestPath') return (scope) => scope.input.path;
  const read = getter(part) as Getter<RequestScope>;
  return (scope) => {
    const value = read(scope);
    return value === undefined ? undefined : encodePathValue(value);
  };
}
