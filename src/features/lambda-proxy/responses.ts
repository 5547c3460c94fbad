// Turning what a function returned into the method response, with AWS's rules for each payload
// format: what counts as malformed, how headers and multiValueHeaders merge, when a base64 body
// is decoded, and how an HTTP API infers a response from a bare value (format 2.0).
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { MethodResponse } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { binaryMediaTypeMatcher, firstAcceptedType } from './media-types.js';
import { put } from './request-parts.js';

/** Raised inside this module; each public parser turns it into its API's gateway response. */
class MalformedResponse extends Error {}

const REST_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

// The listener frames the response itself; a function's own framing headers would contradict it.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

const DIGITS = /^\d+$/;

interface HeaderEntry {
  name: string;
  values: string[];
}

/**
 * REST API, payload format 1.0. Every field is optional, but any other top-level key, a
 * non-object payload, an unparsable statusCode or a mistyped header is malformed: 502
 * `{"message": "Internal server error"}`. A base64 body is decoded only when the function says
 * so and the request's first Accept type is one of the API's binaryMediaTypes.
 */
export function restProxyResponse(
  payload: Buffer,
  options: { binaryMediaTypes: string[]; accept: string | undefined },
): MethodResponse {
  try {
    const response = parseObject(payload);
    for (const key in response) if (!REST_KEYS.has(key)) throw new MalformedResponse();
    const statusCode = response.statusCode == null ? 200 : statusOf(response.statusCode);
    const headers = mergedHeaders(response.headers, response.multiValueHeaders);
    const body = bodyOf(response.body);
    const decode =
      flagOf(response.isBase64Encoded) &&
      binaryMediaTypeMatcher(options.binaryMediaTypes)(firstAcceptedType(options.accept));
    return { statusCode, headers: headersOut(headers), body: Buffer.from(body, decode ? 'base64' : 'utf8') };
  } catch (error) {
    if (error instanceof MalformedResponse)
      throw new GatewayError('DEFAULT_5XX', 'Internal server error', undefined, 502);
    throw error;
  }
}

/**
 * HTTP API, payload format 1.0. Recorded from AWS: other top-level keys are ignored, but a
 * statusCode is required, and a base64 body is always decoded (HTTP APIs have no
 * binaryMediaTypes). Malformed gives 500 `{"message":"Internal Server Error"}`.
 */
export function httpApiResponseV1(payload: Buffer): MethodResponse {
  try {
    const response = parseObject(payload);
    const statusCode = statusOf(response.statusCode);
    const headers = mergedHeaders(response.headers, response.multiValueHeaders);
    const body = bodyOf(response.body);
    const decode = flagOf(response.isBase64Encoded);
    return { statusCode, headers: headersOut(headers), body: Buffer.from(body, decode ? 'base64' : 'utf8') };
  } catch (error) {
    if (error instanceof MalformedResponse) throw new GatewayError('DEFAULT_5XX');
    throw error;
  }
}

/**
 * HTTP API, payload format 2.0. Valid JSON without a statusCode is the body itself: status 200,
 * `Content-Type: application/json`, a string as its text and anything else re-serialised. Each
 * cookie becomes its own Set-Cookie header. What a failed function returns
 * (`{"errorMessage": …}`) is a 500, as is anything malformed.
 */
export function httpApiResponseV2(payload: Buffer): MethodResponse {
  try {
    const value = parseJson(payload);
    if (!isRecord(value) || !Object.hasOwn(value, 'statusCode')) {
      if (isRecord(value) && Object.hasOwn(value, 'errorMessage')) throw new MalformedResponse();
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(text) };
    }
    const statusCode = statusOf(value.statusCode);
    const headers = mergedHeaders(value.headers, undefined);
    const cookies = cookiesOf(value.cookies);
    if (cookies.length > 0) {
      const entry = headers.get('set-cookie');
      if (entry) entry.values.push(...cookies);
      else headers.set('set-cookie', { name: 'set-cookie', values: cookies });
    }
    const body = bodyOf(value.body);
    const decode = flagOf(value.isBase64Encoded);
    return { statusCode, headers: headersOut(headers), body: Buffer.from(body, decode ? 'base64' : 'utf8') };
  } catch (error) {
    if (error instanceof MalformedResponse) throw new GatewayError('DEFAULT_5XX');
    throw error;
  }
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    throw new MalformedResponse();
  }
}

function parseObject(payload: Buffer): Record<string, unknown> {
  const value = parseJson(payload);
  if (!isRecord(value)) throw new MalformedResponse();
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer or a string of digits (`"201"`), within HTTP's status range. */
function statusOf(value: unknown): number {
  let status: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) status = value;
  else if (typeof value === 'string' && DIGITS.test(value)) status = Number(value);
  if (status === undefined || status < 100 || status > 599) throw new MalformedResponse();
  return status;
}

function bodyOf(value: unknown): string {
  if (value == null) return '';
  if (typeof value !== 'string') throw new MalformedResponse();
  return value;
}

function flagOf(value: unknown): boolean {
  if (value == null) return false;
  if (typeof value !== 'boolean') throw new MalformedResponse();
  return value;
}

/** A header value may be a string or a boolean (`true` is sent as "true"). */
function headerValue(name: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value !== 'string') throw new MalformedResponse();
  try {
    validateHeaderValue(name, value);
  } catch {
    throw new MalformedResponse();
  }
  return value;
}

function headerName(name: string): string {
  try {
    validateHeaderName(name);
  } catch {
    throw new MalformedResponse();
  }
  return name;
}

/**
 * Both maps merged by case-insensitive name: multiValueHeaders first, in its spelling, then each
 * `headers` value that is not already among them (`value-multi, value-solo`).
 */
function mergedHeaders(single: unknown, multi: unknown): Map<string, HeaderEntry> {
  const merged = new Map<string, HeaderEntry>();
  if (multi != null) {
    if (!isRecord(multi)) throw new MalformedResponse();
    for (const name in multi) {
      const items = multi[name];
      if (!Array.isArray(items)) throw new MalformedResponse();
      const values = items.map((item) => headerValue(name, item));
      const lower = headerName(name).toLowerCase();
      const entry = merged.get(lower);
      if (entry) entry.values.push(...values);
      else merged.set(lower, { name, values });
    }
  }
  if (single != null) {
    if (!isRecord(single)) throw new MalformedResponse();
    for (const name in single) {
      const value = headerValue(name, single[name]);
      const lower = headerName(name).toLowerCase();
      const entry = merged.get(lower);
      if (!entry) merged.set(lower, { name, values: [value] });
      else if (!entry.values.includes(value)) entry.values.push(value);
    }
  }
  return merged;
}

function cookiesOf(value: unknown): string[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw new MalformedResponse();
  return value.map((cookie) => {
    if (typeof cookie !== 'string') throw new MalformedResponse();
    return headerValue('set-cookie', cookie);
  });
}

/**
 * The method response's headers: several values joined as `value1, value2` on one line, as
 * AWS sends them (recorded), except Set-Cookie, whose values must stay apart. Without a
 * Content-Type from the function the response says `application/json`.
 */
function headersOut(merged: Map<string, HeaderEntry>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  let contentType = false;
  for (const [lower, entry] of merged) {
    if (entry.values.length === 0 || FRAMING_HEADERS.has(lower)) continue;
    if (lower === 'content-type') contentType = true;
    const value =
      entry.values.length === 1
        ? entry.values[0]!
        : lower === 'set-cookie'
          ? entry.values
          : entry.values.join(', ');
    put(headers, entry.name, value);
  }
  if (!contentType) headers['Content-Type'] = 'application/json';
  return headers;
}
