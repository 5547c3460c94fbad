// The events a Lambda authorizer receives, field for field as API Gateway sends them. REQUEST
// authorizers see the method request as a proxy integration would, without the body, plus
// `type` and the ARN their policy is judged against.
import type { RequestContext } from '../../dataplane/context.js';
import { httpApiEventV1, httpApiEventV2, restProxyEvent } from '../lambda-proxy/index.js';

const NO_BODY = { body: Buffer.alloc(0), binaryMediaTypes: [] as string[] };

/** REST TOKEN authorizers: the token and the method ARN, nothing else. */
export function tokenAuthorizerEvent(token: string, methodArn: string): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken: token, methodArn };
}

/** REST REQUEST authorizers (AWS's `api-gateway-lambda-authorizer-input` example, field order kept). */
export function restRequestAuthorizerEvent(ctx: RequestContext, methodArn: string): Record<string, unknown> {
  const event = restProxyEvent(ctx, NO_BODY);
  return {
    type: 'REQUEST',
    methodArn,
    resource: event['resource'],
    path: event['path'],
    httpMethod: event['httpMethod'],
    headers: event['headers'],
    multiValueHeaders: event['multiValueHeaders'],
    queryStringParameters: event['queryStringParameters'],
    multiValueQueryStringParameters: event['multiValueQueryStringParameters'],
    pathParameters: event['pathParameters'],
    stageVariables: event['stageVariables'],
    requestContext: event['requestContext'],
  };
}

/**
 * HTTP API authorizers, payload format 1.0: the REST REQUEST shape plus `version`, with the
 * identity source values joined by commas in both `identitySource` and `authorizationToken`.
 */
export function httpAuthorizerEventV1(
  ctx: RequestContext,
  methodArn: string,
  identity: readonly string[],
): Record<string, unknown> {
  const event = httpApiEventV1(ctx, NO_BODY);
  const joined = identity.join(',');
  return {
    version: '1.0',
    type: 'REQUEST',
    methodArn,
    identitySource: joined,
    authorizationToken: joined,
    resource: event['resource'],
    path: event['path'],
    httpMethod: event['httpMethod'],
    headers: withClientContentLength(ctx, event['headers'] as Record<string, string>),
    multiValueHeaders: withClientContentLength(ctx, event['multiValueHeaders'] as Record<string, string[]>),
    queryStringParameters: event['queryStringParameters'],
    multiValueQueryStringParameters: event['multiValueQueryStringParameters'],
    pathParameters: event['pathParameters'],
    stageVariables: event['stageVariables'],
    requestContext: event['requestContext'],
  };
}

/** HTTP API authorizers, payload format 2.0: the integration event without the body, plus the identity source values. */
export function httpAuthorizerEventV2(
  ctx: RequestContext,
  routeArn: string,
  identity: readonly string[],
): Record<string, unknown> {
  const event = httpApiEventV2(ctx, NO_BODY);
  const out: Record<string, unknown> = {
    version: '2.0',
    type: 'REQUEST',
    routeArn,
    identitySource: identity,
    routeKey: event['routeKey'],
    rawPath: event['rawPath'],
    rawQueryString: event['rawQueryString'],
  };
  if (event['cookies'] !== undefined) out['cookies'] = event['cookies'];
  out['headers'] = withClientContentLength(ctx, event['headers'] as Record<string, string>);
  if (event['queryStringParameters'] !== undefined)
    out['queryStringParameters'] = event['queryStringParameters'];
  out['requestContext'] = event['requestContext'];
  if (event['pathParameters'] !== undefined) out['pathParameters'] = event['pathParameters'];
  if (event['stageVariables'] !== undefined) out['stageVariables'] = event['stageVariables'];
  return out;
}

/**
 * The integration events state the length of the body the function gets; an authorizer gets no
 * body, so it sees the Content-Length the client sent, if any.
 */
function withClientContentLength<T extends string | string[]>(
  ctx: RequestContext,
  headers: Record<string, T>,
): Record<string, T> {
  const sent = ctx.req.headers['content-length'];
  if (sent === undefined) delete headers['content-length'];
  else headers['content-length'] = (Array.isArray(headers['content-length']) ? [sent] : sent) as T;
  return headers;
}
