// REST APIs have no CORS setting: CORS is model, written the way the API Gateway console's
// "Enable CORS" writes it. Each resource gets an OPTIONS method whose MOCK integration answers
// the preflight with static header values, non-proxy methods return Access-Control-Allow-Origin
// on their 200 response, and the DEFAULT_4XX/5XX gateway responses carry the headers so that
// browsers can read errors too. Serving it needs nothing CORS-specific at run time.
import {
  DEFAULT_REST_TIMEOUT_MS,
  HTTP_METHODS,
  type Method,
  type Resource,
  type RestApi,
} from '../../model/rest-api.js';

/** The console's default Access-Control-Allow-Headers. */
export const CONSOLE_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';
export const CONSOLE_ALLOW_ORIGIN = '*';
/** Gateway responses the console offers to decorate; their headers reach every gateway error. */
export const CORS_GATEWAY_RESPONSE_TYPES = ['DEFAULT_4XX', 'DEFAULT_5XX'] as const;

export interface EnableRestCorsOptions {
  /** Resource paths (`/pets/{id}`); by default every resource that has a method. */
  resourcePaths?: string[];
  /** Access-Control-Allow-Origin, unquoted; `*` by default. */
  allowOrigin?: string;
  /** Access-Control-Allow-Headers, unquoted; the console's list by default. */
  allowHeaders?: string;
  /** Access-Control-Allow-Methods, unquoted; by default each resource's own methods plus OPTIONS. */
  allowMethods?: string;
  /** Also add the headers to the DEFAULT_4XX and DEFAULT_5XX gateway responses; true by default. */
  includeGatewayResponses?: boolean;
}

const HEADER = 'method.response.header.';
const ALLOW_ORIGIN = 'Access-Control-Allow-Origin';
const ALLOW_METHODS = 'Access-Control-Allow-Methods';
const ALLOW_HEADERS = 'Access-Control-Allow-Headers';
const PROXY_TYPES: ReadonlySet<string> = new Set(['HTTP_PROXY', 'AWS_PROXY']);

/** A copy of `api` with CORS enabled on the chosen resources; `api` itself is left as it was. */
export function enableRestCors(api: RestApi, options: EnableRestCorsOptions = {}): RestApi {
  const origin = staticValue(options.allowOrigin ?? CONSOLE_ALLOW_ORIGIN, 'allowOrigin');
  const allowHeaders = staticValue(options.allowHeaders ?? CONSOLE_ALLOW_HEADERS, 'allowHeaders');
  const allowMethods =
    options.allowMethods === undefined ? undefined : staticValue(options.allowMethods, 'allowMethods');
  const result = structuredClone(api);
  for (const resource of selectResources(result, options.resourcePaths)) {
    const methods = allowMethods ?? methodsOf(resource);
    for (const method of Object.values(resource.resourceMethods)) {
      if (method.httpMethod !== 'OPTIONS') returnOriginOn200(method, origin);
    }
    // Like the console, an OPTIONS method that was already there is replaced outright: its
    // integration, authorizer and responses do not survive, so the preflight is always the
    // unauthenticated MOCK answer below.
    resource.resourceMethods.OPTIONS = preflightMethod(origin, allowHeaders, methods);
  }
  if (options.includeGatewayResponses ?? true) {
    const responses = { ...result.gatewayResponses };
    for (const type of CORS_GATEWAY_RESPONSE_TYPES) {
      const existing = responses[type] ?? {};
      responses[type] = {
        ...existing,
        responseParameters: {
          ...(existing.responseParameters as Record<string, string> | undefined),
          [`gatewayresponse.header.${ALLOW_ORIGIN}`]: quoted(origin),
          [`gatewayresponse.header.${ALLOW_HEADERS}`]: quoted(allowHeaders),
        },
      };
    }
    result.gatewayResponses = responses;
  }
  return result;
}

/**
 * The console lists the resource's methods in alphabetical order with OPTIONS among them
 * (`'GET,OPTIONS,POST'`); ANY stands for every method, as enabling CORS on ANY enables it for all.
 */
function methodsOf(resource: Resource): string {
  const names = new Set<string>(['OPTIONS']);
  for (const name of Object.keys(resource.resourceMethods)) {
    if (name === 'ANY') for (const method of HTTP_METHODS) names.add(method);
    else names.add(name);
  }
  return [...names].sort().join(',');
}

function preflightMethod(origin: string, allowHeaders: string, allowMethods: string): Method {
  return {
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: {
      '200': {
        statusCode: '200',
        responseParameters: {
          [HEADER + ALLOW_HEADERS]: false,
          [HEADER + ALLOW_METHODS]: false,
          [HEADER + ALLOW_ORIGIN]: false,
        },
      },
    },
    methodIntegration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: DEFAULT_REST_TIMEOUT_MS,
      integrationResponses: {
        '200': {
          statusCode: '200',
          responseParameters: {
            [HEADER + ALLOW_HEADERS]: quoted(allowHeaders),
            [HEADER + ALLOW_METHODS]: quoted(allowMethods),
            [HEADER + ALLOW_ORIGIN]: quoted(origin),
          },
        },
      },
    },
  };
}

/**
 * The console also makes the actual methods return Access-Control-Allow-Origin on their 200
 * response. Proxy integrations pass the backend's headers through instead, so their backend
 * has to send it, and a method without a 200 method response is left alone.
 */
function returnOriginOn200(method: Method, origin: string): void {
  const integration = method.methodIntegration;
  const response200 = method.methodResponses?.['200'];
  if (!integration || PROXY_TYPES.has(integration.type) || !response200) return;
  response200.responseParameters = { ...response200.responseParameters, [HEADER + ALLOW_ORIGIN]: false };
  for (const response of Object.values(integration.integrationResponses ?? {})) {
    if (response.statusCode !== '200') continue;
    response.responseParameters = { ...response.responseParameters, [HEADER + ALLOW_ORIGIN]: quoted(origin) };
  }
}

function selectResources(api: RestApi, paths: readonly string[] | undefined): Resource[] {
  if (paths === undefined)
    return api.resources.filter((resource) => Object.keys(resource.resourceMethods).length > 0);
  const byPath = new Map(api.resources.map((resource) => [resource.path, resource]));
  const selected = new Set<Resource>();
  for (const raw of paths) {
    const path = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
    const resource = byPath.get(path);
    if (!resource) throw new Error(`REST API ${api.id} has no resource ${raw}`);
    selected.add(resource);
  }
  return [...selected];
}

/** Response parameters take static values in single quotes, which therefore cannot hold one. */
function staticValue(value: string, option: string): string {
  if (value.trim() === '') throw new Error(`${option} must not be empty`);
  if (value.includes("'")) throw new Error(`${option} must not contain a single quote: ${value}`);
  return value;
}

function quoted(value: string): string {
  return `'${value}'`;
}
