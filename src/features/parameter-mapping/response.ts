// HTTP API response parameters: per integration status code, header changes and a new status
// code for the response the client receives. Values read the integration response as it came
// back; a status with no entry passes through untouched.
import { parseResponseEntry, statusCodeOf, type Entry, type ResponseTarget } from './entries.js';
import { ParameterMappingError, responseParameterProblems } from './problems.js';
import {
  NOT_JSON,
  appendHeader,
  contextValue,
  headerFieldValue,
  joinParts,
  joinedHeader,
  parseTruncatedJson,
  selectJson,
  type Getter,
} from './runtime.js';
import { readsBody, type Part } from './value.js';

export interface ResponseMappingInput {
  statusCode: number;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string | string[]>;
  /** The buffered integration response body; only read when `needsBody(statusCode)` is true. */
  body: Buffer | undefined;
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface CompiledResponseMapping {
  needsBody(statusCode: number): boolean;
  /** Returns a changed copy of the headers for a mapped status; otherwise the input's own object. */
  apply(input: ResponseMappingInput): { statusCode: number; headers: Record<string, string | string[]> };
}

class ResponseScope {
  private json: unknown = UNREAD;
  constructor(readonly input: ResponseMappingInput) {}
  bodyJson(): unknown {
    if (this.json === UNREAD) this.json = parseTruncatedJson(this.input.body);
    return this.json;
  }
}
const UNREAD = Symbol('unread');

interface HeaderOp {
  action: 'overwrite' | 'append';
  name: string;
  value: Getter<ResponseScope>;
}

interface StatusMapping {
  readsBody: boolean;
  removes: string[];
  /** Overwrites first, then appends, after the removes: the same order as request parameters. */
  writes: HeaderOp[];
  statusCode: Getter<ResponseScope> | null;
}

/**
 * Null when no status has anything to map. Throws ParameterMappingError for a configuration
 * that parameterMappingProblems reports.
 */
export function compileResponseMapping(
  responseParameters: Record<string, Record<string, string>> | undefined,
): CompiledResponseMapping | null {
  if (responseParameters === undefined) return null;
  const problems = responseParameterProblems(responseParameters, 'responseParameters');
  if (problems.length > 0) throw new ParameterMappingError(problems);
  const byStatus = new Map<number, StatusMapping>();
  for (const [status, mapping] of Object.entries(responseParameters)) {
    const entries = Object.entries(mapping).map(
      ([key, value]) => parseResponseEntry(key, value) as Entry<ResponseTarget>,
    );
    // `{"200": {}}` is how update-integration clears a status's mappings.
    if (entries.length > 0) byStatus.set(Number(status), compileStatus(entries));
  }
  return byStatus.size === 0 ? null : new ResponseMapping(byStatus);
}

function compileStatus(entries: Entry<ResponseTarget>[]): StatusMapping {
  const removes: string[] = [];
  const overwrites: HeaderOp[] = [];
  const appends: HeaderOp[] = [];
  let statusCode: Getter<ResponseScope> | null = null;
  for (const { target, parts } of entries) {
    const value = joinParts(parts.map(getter));
    if (target.location === 'statuscode') statusCode = value;
    else if (target.action === 'remove') removes.push(target.name.toLowerCase());
    else
      (target.action === 'overwrite' ? overwrites : appends).push({
        action: target.action,
        name: target.name.toLowerCase(),
        value,
      });
  }
  return {
    readsBody: entries.some((e) => e.parts.some(readsBody)),
    removes,
    writes: [...overwrites, ...appends],
    statusCode,
  };
}

class ResponseMapping implements CompiledResponseMapping {
  constructor(private readonly byStatus: Map<number, StatusMapping>) {}

  needsBody(statusCode: number): boolean {
    return this.byStatus.get(statusCode)?.readsBody ?? false;
  }

  apply(input: ResponseMappingInput) {
    const mapping = this.byStatus.get(input.statusCode);
    if (mapping === undefined) return { statusCode: input.statusCode, headers: input.headers };
    const scope = new ResponseScope(input);
    const headers = { ...input.headers };
    for (const name of mapping.removes) delete headers[name];
    for (const { action, name, value } of mapping.writes) {
      const mapped = value(scope);
      const text = mapped === undefined ? undefined : headerFieldValue(mapped);
      if (text === undefined) continue;
      if (action === 'overwrite') headers[name] = text;
      else appendHeader(headers, name, text);
    }
    let statusCode = input.statusCode;
    if (mapping.statusCode !== null) {
      const mapped = mapping.statusCode(scope);
      // A value that is not a status code from 200 to 599 leaves the status as it was.
      statusCode = (mapped === undefined ? undefined : statusCodeOf(mapped)) ?? statusCode;
    }
    return { statusCode, headers };
  }
}

function getter(part: Part): string | Getter<ResponseScope> {
  switch (part.kind) {
    case 'literal':
      return part.text;
    case 'responseHeader': {
      const { name } = part;
      return (scope) => joinedHeader(scope.input.headers[name]);
    }
    case 'responseBody': {
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
    case 'requestHeader':
    case 'querystring':
    case 'requestPath':
    case 'pathParameter':
    case 'requestBody':
      // parseValue rejects request sources in response parameters.
      throw new Error(`${part.kind} cannot be read while mapping a response`);
  }
}
