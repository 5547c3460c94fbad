import { describe, expect, it } from 'vitest';
import { apiSchemaOf } from '../../src/model/api.js';
import {
  DEFAULT_HTTP_API_TIMEOUT_MS,
  HTTP_API_ROUTE_SELECTION_EXPRESSION,
} from '../../src/model/http-api.js';
import type { HttpApi, HttpIntegration, Route } from '../../src/model/http-api.js';
import { problemsOf } from '../../src/model/validate.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { httpFixture } from './helpers.js';

function route(api: HttpApi, routeKey: string): Route {
  const found = api.routes.find((r) => r.routeKey === routeKey);
  if (!found) throw new Error(`no route ${routeKey}; have ${api.routes.map((r) => r.routeKey).join(', ')}`);
  return found;
}

function integrationOf(api: HttpApi, routeKey: string): HttpIntegration {
  const target = route(api, routeKey).target ?? '';
  const found = api.integrations.find((i) => `integrations/${i.integrationId}` === target);
  if (!found) throw new Error(`route ${routeKey} has no integration`);
  return found;
}

function httpApi(doc: Record<string, unknown>): HttpApi {
  const { api } = importOpenApi({
    openapi: '3.0.1',
    info: { title: 'h', version: '1' },
    'x-amazon-apigateway-importexport-version': '1.0',
    ...doc,
  });
  if (api.protocolType !== 'HTTP') throw new Error('expected an HTTP API');
  return api;
}

describe('HTTP API import of an AWS export', () => {
  it('is an HTTP API because of x-amazon-apigateway-importexport-version', async () => {
    const { api, warnings } = await httpFixture('http-api-export.openapi.json');
    expect(api.protocolType).toBe('HTTP');
    expect(api.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api.name).toBe('orders-http');
    expect(api.routeSelectionExpression).toBe(HTTP_API_ROUTE_SELECTION_EXPRESSION);
    expect(warnings).toEqual([]);
    expect(problemsOf(apiSchemaOf(api), api)).toEqual([]);
  });

  it('makes a route per operation, ANY for any-method, $default for /$default', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(api.routes.map((r) => r.routeKey)).toEqual([
      'GET /orders',
      'POST /orders',
      'GET /orders/{orderId}',
      'ANY /static/{proxy+}',
      'GET /reports',
      '$default',
    ]);
    for (const r of api.routes) {
      expect(r.routeId).toMatch(/^[a-z0-9]{7}$/);
      expect(r).toMatchObject({ authorizationType: 'NONE', apiKeyRequired: false });
    }
  });

  it('gives every route its own integration, as its target', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(api.integrations).toHaveLength(api.routes.length);
    expect(new Set(api.routes.map((r) => r.target)).size).toBe(api.routes.length);
    for (const r of api.routes) expect(r.target).toMatch(/^integrations\/[a-z0-9]{7}$/);
  });

  it('maps the integration fields', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(integrationOf(api, 'GET /orders')).toMatchObject({
      integrationType: 'HTTP_PROXY',
      integrationUri: 'https://orders.example.com/orders',
      integrationMethod: 'GET',
      payloadFormatVersion: '1.0',
      connectionType: 'INTERNET',
      timeoutInMillis: 15_000,
    });
    expect(integrationOf(api, 'GET /orders/{orderId}').requestParameters).toEqual({
      'overwrite:path': '/v2/orders/$request.path.orderId',
    });
    expect(integrationOf(api, '$default')).toMatchObject({
      integrationUri: 'https://fallback.example.com/',
      integrationMethod: 'ANY',
    });
  });

  it('defaults payloadFormatVersion to 1.0 for HTTP_PROXY and the timeout to 30 s', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(integrationOf(api, 'POST /orders')).toMatchObject({
      payloadFormatVersion: '1.0',
      timeoutInMillis: DEFAULT_HTTP_API_TIMEOUT_MS,
    });
  });

  it('resolves a $ref to a reusable integration in components', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(integrationOf(api, 'GET /reports')).toMatchObject({
      integrationUri: 'https://reports.example.com/daily',
      timeoutInMillis: 20_000,
    });
    expect(api.openapi?.components).toHaveProperty(['x-amazon-apigateway-integrations', 'reports']);
  });

  it('keeps operation content, but not isDefaultRoute, which the route key says', async () => {
    const { api } = await httpFixture('http-api-export.openapi.json');
    expect(route(api, 'GET /orders').openapi).toEqual({
      responses: { default: { description: 'Default response for GET /orders' } },
    });
    expect(route(api, '$default').openapi).toBeUndefined();
  });
});

describe('HTTP API import details', () => {
  it('maps cors, endpoint configuration and tags', async () => {
    const { api } = await httpFixture('later-features-http.openapi.yaml');
    expect(api.corsConfiguration).toEqual({
      allowOrigins: ['https://www.example.com'],
      allowCredentials: true,
      exposeHeaders: ['x-amz-date'],
      maxAge: 3600,
      allowMethods: ['GET', 'OPTIONS', 'POST'],
      allowHeaders: ['content-type'],
    });
    expect(api.disableExecuteApiEndpoint).toBe(true);
    expect(api.tags).toEqual({ team: 'payments' });
  });

  it('maps JWT, Lambda and IAM authorization', async () => {
    const { api } = await httpFixture('later-features-http.openapi.yaml');
    expect(route(api, 'GET /payments')).toMatchObject({
      authorizationType: 'JWT',
      authorizerId: 'jwtAuth',
      authorizationScopes: ['payments.read'],
      operationName: 'listPayments',
    });
    expect(route(api, 'POST /payments')).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: 'lambdaAuth',
    });
    expect(route(api, 'GET /internal')).toMatchObject({ authorizationType: 'AWS_IAM' });
  });

  it('turns authorizer schemes into HTTP API authorizers with a list of identity sources', async () => {
    const { api } = await httpFixture('later-features-http.openapi.yaml');
    expect(api.authorizers).toEqual([
      {
        authorizerId: 'jwtAuth',
        name: 'jwtAuth',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: {
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
          audience: ['client-one'],
        },
        openapi: { type: 'oauth2', flows: {} },
      },
      expect.objectContaining({
        authorizerId: 'lambdaAuth',
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.Authorization', '$request.querystring.token'],
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        authorizerResultTtlInSeconds: 300,
      }),
    ]);
  });

  it('defaults payloadFormatVersion to 2.0 for Lambda proxy integrations', async () => {
    const { api } = await httpFixture('later-features-http.openapi.yaml');
    expect(integrationOf(api, 'GET /payments')).toMatchObject({
      integrationType: 'AWS_PROXY',
      payloadFormatVersion: '2.0',
    });
    expect(integrationOf(api, 'POST /payments').responseParameters).toEqual({
      '200': { 'append:header.x-gatehouse': 'yes' },
    });
  });

  it('accepts the $default path without a slash, and an unquoted YAML 1.0 version', () => {
    const api = httpApi({
      'x-amazon-apigateway-importexport-version': 1,
      paths: {
        $default: {
          'x-amazon-apigateway-any-method': {
            'x-amazon-apigateway-integration': {
              type: 'HTTP_PROXY',
              httpMethod: 'ANY',
              uri: 'https://a.example.com',
            },
          },
        },
      },
    });
    expect(api.routes.map((r) => r.routeKey)).toEqual(['$default']);
    expect(api.integrations[0]?.integrationType).toBe('HTTP_PROXY');
  });

  it('makes a route with no target when the operation has no integration', () => {
    const api = httpApi({ paths: { '/ping': { get: { summary: 'Ping' } } } });
    expect(api.routes).toEqual([
      expect.objectContaining({ routeKey: 'GET /ping', openapi: { summary: 'Ping' } }),
    ]);
    expect(api.routes[0]).not.toHaveProperty('target');
    expect(api.integrations).toEqual([]);
  });

  it('reads an HTTP API written as Swagger 2.0', () => {
    const { api } = importOpenApi({
      swagger: '2.0',
      info: { title: 'legacy-http' },
      'x-amazon-apigateway-importexport-version': '1.0',
      paths: {
        '/items/{id}': {
          get: {
            parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: 'https://items.example.com/{id}',
            },
          },
        },
      },
    });
    expect(api.protocolType).toBe('HTTP');
    expect(api.protocolType === 'HTTP' && api.routes[0]).toMatchObject({
      routeKey: 'GET /items/{id}',
      openapi: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] },
    });
  });

  it('keeps component schemas as written, since HTTP APIs have no models', () => {
    const api = httpApi({ paths: {}, components: { schemas: { Order: { type: 'object' } } } });
    expect(api.models).toBeUndefined();
    expect(api.openapi).toEqual({ components: { schemas: { Order: { type: 'object' } } } });
  });
});
