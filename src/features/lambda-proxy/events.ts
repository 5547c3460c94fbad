// The events a Lambda proxy integration hands to a function: REST payload 1.0, and an HTTP
// API's payload 1.0 and 2.0, field for field as API Gateway builds them.
import type { RequestContext } from '../../dataplane/context.js';
import { ACCOUNT_ID, callerIdentity, clfTime } from '../../dataplane/context-variables.js';
import { clientCertOf } from '../../dataplane/domains/client-cert.js';
import { binaryMediaTypeMatcher, isHttpApiTextType } from './media-types.js';
import {
  domainOf,
  forwardedHeaders,
  lastValue,
  pathParametersOf,
  put,
  queryParameters,
  rawQueryOf,
  requestHeaders,
  stagePathOf,
  stageVariablesOf,
  type HeaderEntry,
} from './request-parts.js';

export interface EventOptions {
  /** The method request body; an empty one is `null` in the event (absent in 2.0). */
  body: Buffer;
  /** REST only: a body whose Content-Type matches is sent base64-encoded. */
  binaryMediaTypes: string[];
  /** `requestContext.authorizer` as the authorizer step produced it. */
  authorizer?: Record<string, unknown>;
  /** REST only: the API key that let the request through. */
  identity?: { apiKey?: string; apiKeyId?: string };
}

type Headers = Map<string, HeaderEntry>;

// The gateway frames the body itself and writes its own X-Forwarded-* set, so these client
// headers never reach the function as sent. REST leaves Content-Length out altogether (recorded:
// not even a POST with a body has it); HTTP APIs give the length of the body the function gets.
const REPLACED_HEADERS = new Set([
  'connection',
  'content-length',
  'transfer-encoding',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
]);

// Recorded: `aUThorization` and `user-Agent` from the client arrive as `Authorization` and
// `User-Agent`; other names keep the client's spelling.
const REST_RESPELLED = new Map([
  ['authorization', 'Authorization'],
  ['user-agent', 'User-Agent'],
]);

/** REST API, payload format 1.0. */
export function restProxyEvent(ctx: RequestContext, options: EventOptions): Record<string, unknown> {
  const headers = requestHeaders(ctx);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [lower, entry] of headers) {
    if (REPLACED_HEADERS.has(lower)) continue;
    const name = REST_RESPELLED.get(lower) ?? entry.name;
    put(single, name, lastValue(entry)!);
    put(multi, name, entry.values);
  }
  const forwarded = forwardedHeaders(ctx, headers);
  single['X-Forwarded-For'] = forwarded.for;
  single['X-Forwarded-Port'] = forwarded.port;
  single['X-Forwarded-Proto'] = forwarded.proto;
  if (forwarded.traceId !== undefined) single['X-Amzn-Trace-Id'] = forwarded.traceId;
  multi['X-Forwarded-For'] = [forwarded.for];
  multi['X-Forwarded-Port'] = [forwarded.port];
  multi['X-Forwarded-Proto'] = [forwarded.proto];
  if (forwarded.traceId !== undefined) multi['X-Amzn-Trace-Id'] = [forwarded.traceId];

  const binary =
    options.body.length > 0 &&
    binaryMediaTypeMatcher(options.binaryMediaTypes)(lastValue(headers.get('content-type')));
  const query = queryParameters(rawQueryOf(ctx));
  const { domainName, domainPrefix } = domainOf(ctx);

  // Only a method that required an API key shows apiKey and apiKeyId.
  const identity = callerIdentity(
    ctx,
    lastValue(headers.get('user-agent')) ?? null,
    options.identity && {
      apiKey: options.identity.apiKey ?? null,
      apiKeyId: options.identity.apiKeyId ?? null,
    },
  );

  const requestContext: Record<string, unknown> = {
    accountId: ACCOUNT_ID,
    apiId: ctx.apiId,
    deploymentId: ctx.deploymentId,
    domainName,
    domainPrefix,
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.method,
    identity,
    path: stagePathOf(ctx),
    protocol: `HTTP/${ctx.req.httpVersion}`,
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.requestTimeEpoch),
    requestTimeEpoch: ctx.requestTimeEpoch,
    resourceId: ctx.resourceId,
    resourcePath: ctx.resourcePath,
    stage: ctx.stageName,
  };
  if (options.authorizer) requestContext.authorizer = options.authorizer;

  return {
    resource: ctx.resourcePath,
    // On a custom domain AWS keeps the base path here too (`/orders/items/7`).
    path: ctx.basePath === undefined ? ctx.path : stagePathOf(ctx),
    httpMethod: ctx.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: query && lastValues(query),
    multiValueQueryStringParameters: query && allValues(query),
    pathParameters: pathParametersOf(ctx),
    stageVariables: stageVariablesOf(ctx),
    requestContext,
    body: bodyText(options.body, binary),
    isBase64Encoded: binary,
  };
}

/** HTTP API, payload format 1.0: the REST shape with lower-case header names and route fields. */
export function httpApiEventV1(ctx: RequestContext, options: EventOptions): Record<string, unknown> {
  const headers = requestHeaders(ctx);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [lower, entry] of headers) {
    if (REPLACED_HEADERS.has(lower)) continue;
    put(single, lower, lastValue(entry)!);
    put(multi, lower, entry.values);
  }
  for (const [name, value] of httpApiAddedHeaders(ctx, headers, options.body)) {
    single[name] = value;
    multi[name] = [value];
  }

  const binary = options.body.length > 0 && !isHttpApiTextType(lastValue(headers.get('content-type')));
  const query = queryParameters(rawQueryOf(ctx));
  const { domainName, domainPrefix } = domainOf(ctx);
  const path = stagePathOf(ctx);
  const routeKey = routeKeyOf(ctx);

  const requestContext: Record<string, unknown> = {
    accountId: ACCOUNT_ID,
    apiId: ctx.apiId,
    domainName,
    domainPrefix,
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.method,
    identity: {
      accessKey: ctx.iamIdentity?.accessKey ?? null,
      accountId: ctx.iamIdentity?.accountId ?? null,
      caller: ctx.iamIdentity?.principalId ?? null,
      ...clientCertField(ctx),
      cognitoAmr: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: ctx.sourceIp,
      user: ctx.iamIdentity?.principalId ?? null,
      userAgent: lastValue(headers.get('user-agent')) ?? '',
      userArn: ctx.iamIdentity?.userArn ?? null,
    },
    path,
    protocol: `HTTP/${ctx.req.httpVersion}`,
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.requestTimeEpoch),
    requestTimeEpoch: ctx.requestTimeEpoch,
    // Recorded from AWS: the route key here, the route's path in resourcePath.
    resourceId: routeKey,
    resourcePath: routePathOf(routeKey),
    stage: ctx.stageName,
  };
  if (options.authorizer) requestContext.authorizer = options.authorizer;

  return {
    version: '1.0',
    resource: routePathOf(routeKey),
    path,
    httpMethod: ctx.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: query && lastValues(query),
    multiValueQueryStringParameters: query && allValues(query),
    requestContext,
    pathParameters: pathParametersOf(ctx),
    stageVariables: stageVariablesOf(ctx),
    body: bodyText(options.body, binary),
    isBase64Encoded: binary,
  };
}

/**
 * HTTP API, payload format 2.0. Fields with nothing in them (cookies, queryStringParameters,
 * pathParameters, stageVariables, body) are left out rather than set to null, as AWS's own
 * sample events show.
 */
export function httpApiEventV2(ctx: RequestContext, options: EventOptions): Record<string, unknown> {
  const headers = requestHeaders(ctx);
  const joined: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [lower, entry] of headers) {
    if (lower === 'cookie') {
      cookies = splitCookies(entry.values);
      continue;
    }
    if (REPLACED_HEADERS.has(lower)) continue;
    put(joined, lower, entry.values.length === 1 ? entry.values[0]! : entry.values.join(','));
  }
  for (const [name, value] of httpApiAddedHeaders(ctx, headers, options.body)) joined[name] = value;

  const binary = options.body.length > 0 && !isHttpApiTextType(lastValue(headers.get('content-type')));
  const rawQueryString = rawQueryOf(ctx);
  const query = queryParameters(rawQueryString);
  const { domainName, domainPrefix } = domainOf(ctx);
  const path = stagePathOf(ctx);
  const routeKey = routeKeyOf(ctx);

  const requestContext: Record<string, unknown> = {
    accountId: ACCOUNT_ID,
    apiId: ctx.apiId,
    domainName,
    domainPrefix,
    http: {
      method: ctx.method,
      path,
      protocol: `HTTP/${ctx.req.httpVersion}`,
      sourceIp: ctx.sourceIp,
      userAgent: lastValue(headers.get('user-agent')) ?? '',
    },
    requestId: ctx.requestId,
    routeKey,
    stage: ctx.stageName,
    time: clfTime(ctx.requestTimeEpoch),
    timeEpoch: ctx.requestTimeEpoch,
  };
  if (options.authorizer) requestContext.authorizer = options.authorizer;
  const clientCert = clientCertOf(ctx.req.socket);
  if (clientCert) requestContext.authentication = { clientCert };

  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
  };
  if (cookies && cookies.length > 0) event.cookies = cookies;
  event.headers = joined;
  if (query) event.queryStringParameters = commaJoined(query);
  event.requestContext = requestContext;
  if (options.body.length > 0) event.body = bodyText(options.body, binary);
  const pathParameters = pathParametersOf(ctx);
  if (pathParameters) event.pathParameters = pathParameters;
  event.isBase64Encoded = binary;
  const stageVariables = stageVariablesOf(ctx);
  if (stageVariables) event.stageVariables = stageVariables;
  return event;
}

function httpApiAddedHeaders(ctx: RequestContext, headers: Headers, body: Buffer): [string, string][] {
  const forwarded = forwardedHeaders(ctx, headers);
  const added: [string, string][] = [
    ['content-length', String(body.length)],
    ['x-forwarded-for', forwarded.for],
    ['x-forwarded-port', forwarded.port],
    ['x-forwarded-proto', forwarded.proto],
  ];
  if (forwarded.traceId !== undefined) added.push(['x-amzn-trace-id', forwarded.traceId]);
  return added;
}

/** `identity.clientCert` of payload 1.0 events, on custom domains with mutual TLS only. */
function clientCertField(ctx: RequestContext): { clientCert?: unknown } {
  const clientCert = clientCertOf(ctx.req.socket);
  return clientCert ? { clientCert } : {};
}

function routeKeyOf(ctx: RequestContext): string {
  return ctx.routeKey === '' ? ctx.resourcePath : ctx.routeKey;
}

/** `GET /pets/{id}` → `/pets/{id}`; `$default` stays `$default`. */
function routePathOf(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  return space === -1 ? routeKey : routeKey.slice(space + 1);
}

/** Every `Cookie` header, split into single cookies. */
function splitCookies(values: string[]): string[] {
  const cookies: string[] = [];
  for (const value of values) {
    for (const part of value.split(';')) {
      const cookie = part.trim();
      if (cookie !== '') cookies.push(cookie);
    }
  }
  return cookies;
}

function bodyText(body: Buffer, binary: boolean): string | null {
  if (body.length === 0) return null;
  return body.toString(binary ? 'base64' : 'utf8');
}

/** The last value of each repeated key wins, as in AWS's queryStringParameters. */
function lastValues(query: Map<string, string[]>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, values] of query) put(result, name, values[values.length - 1]!);
  return result;
}

function allValues(query: Map<string, string[]>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, values] of query) put(result, name, values);
  return result;
}

function commaJoined(query: Map<string, string[]>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, values] of query) put(result, name, values.join(','));
  return result;
}
