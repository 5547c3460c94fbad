// One mapping entry, key and value, checked and parsed: shared by the deploy-time problem
// report and the compilers, so both accept exactly the same configurations.
import { parseValue, type Part, type Side } from './value.js';

export type Action = 'append' | 'overwrite' | 'remove';

export type RequestTarget =
  { location: 'header' | 'querystring'; action: Action; name: string } | { location: 'path' };
export type ResponseTarget =
  { location: 'header'; action: Action; name: string } | { location: 'statuscode' };

export interface Entry<T> {
  target: T;
  /** Empty for remove, whose value API Gateway ignores. */
  parts: Part[];
}

/** Headers API Gateway does not let a mapping touch, in either direction. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  // AWS lists "Trailers"; the field RFC 9110 defines is "Trailer", and it is hop-by-hop too.
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'via',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-'];

export const RESERVED_HEADERS_TEXT =
  'access-control-*, apigw-*, x-amz-*, x-amzn-*, Authorization, Connection, Content-Encoding, Content-Length, ' +
  'Content-Location, Forwarded, Keep-Alive, Origin, Proxy-Authenticate, Proxy-Authorization, TE, Trailer(s), ' +
  'Transfer-Encoding, Upgrade, Via, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto';

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** RFC 9110 §5.1 field names. */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ACTION_KEY = /^(append|overwrite|remove):(header|querystring)\.(.*)$/s;
const STATUS_CODE = /^[2-5][0-9][0-9]$/;

export function parseRequestEntry(key: string, value: unknown): Entry<RequestTarget> | string {
  let target: RequestTarget;
  if (key === 'overwrite:path') {
    target = { location: 'path' };
  } else {
    const m = ACTION_KEY.exec(key);
    if (!m) {
      return 'must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path';
    }
    const location = m[2] as 'header' | 'querystring';
    const checked =
      location === 'header'
        ? headerTarget(m[3]!)
        : m[3] === ''
          ? 'a query string name must follow "querystring."'
          : null;
    if (checked !== null) return checked;
    target = { location, action: m[1] as Action, name: m[3]! };
  }
  return entry(target, 'action' in target ? target.action : 'overwrite', value, 'request');
}

export function parseResponseEntry(key: string, value: unknown): Entry<ResponseTarget> | string {
  let target: ResponseTarget;
  if (key === 'overwrite:statuscode') {
    target = { location: 'statuscode' };
  } else {
    const m = ACTION_KEY.exec(key);
    if (!m || m[2] !== 'header') return 'must be append|overwrite|remove:header.NAME or overwrite:statuscode';
    const checked = headerTarget(m[3]!);
    if (checked !== null) return checked;
    target = { location: 'header', action: m[1] as Action, name: m[3]! };
  }
  const parsed = entry(target, 'action' in target ? target.action : 'overwrite', value, 'response');
  if (typeof parsed === 'string' || target.location !== 'statuscode') return parsed;
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only?.kind === 'literal' && statusCodeOf(only.text) === undefined) {
    return 'must be a status code from 200 to 599, or a value that yields one';
  }
  return parsed;
}

/** The status code a mapped value names, when it names one API Gateway can answer with. */
export function statusCodeOf(text: string): number | undefined {
  const trimmed = text.trim();
  return STATUS_CODE.test(trimmed) ? Number(trimmed) : undefined;
}

export function statusKeyProblem(status: string): string | null {
  return STATUS_CODE.test(status) ? null : 'must be keyed by an integration status code from 200 to 599';
}

function headerTarget(name: string): string | null {
  if (name === '') return 'a header name must follow "header."';
  if (!FIELD_NAME.test(name)) return `"${name}" is not a valid header name`;
  if (isReservedHeader(name))
    return `"${name}" is a reserved header; mappings may not change ${RESERVED_HEADERS_TEXT}`;
  return null;
}

function entry<T>(target: T, action: Action, value: unknown, side: Side): Entry<T> | string {
  if (typeof value !== 'string') return 'the value must be a string';
  if (action === 'remove') return { target, parts: [] };
  if (value === '')
    return 'the value must not be empty (an empty value removes the mapping when an integration is updated)';
  const parsed = parseValue(value, side);
  return 'problem' in parsed ? parsed.problem : { target, parts: parsed.parts };
}
