import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenApiError } from '../../src/openapi/errors.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { loadDocument } from '../../src/openapi/parse.js';
import { INVALID_FIXTURES } from './helpers.js';

function problemsOf(doc: unknown): readonly string[] {
  try {
    importOpenApi(doc);
  } catch (error) {
    if (error instanceof OpenApiError) return error.problems;
    throw error;
  }
  throw new Error('expected the import to fail');
}

async function fixtureProblems(name: string): Promise<readonly string[]> {
  return problemsOf(await loadDocument(join(INVALID_FIXTURES, name)));
}

function rest(paths: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { openapi: '3.0.1', info: { title: 'T', version: '1' }, paths, ...extra };
}

function http(paths: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return rest(paths, { 'x-amazon-apigateway-importexport-version': '1.0', ...extra });
}

function withIntegration(integration: Record<string, unknown>): Record<string, unknown> {
  return { '/pets': { get: { 'x-amazon-apigateway-integration': integration } } };
}

const AT = '/paths/~1pets/get/x-amazon-apigateway-integration';
const PROXY = { type: 'http_proxy', httpMethod: 'GET', uri: 'https://upstream.example.com' };

describe('errors in invalid fixtures name a pointer into the document', () => {
  it('wrong integration type, saying what is allowed', async () => {
    expect(await fixtureProblems('wrong-integration-type.yaml')).toEqual([
      `${AT}/type: must be one of "http", "http_proxy", "mock", "aws", "aws_proxy"`,
    ]);
  });

  it('missing uri, in a Swagger 2.0 file', async () => {
    expect(await fixtureProblems('missing-uri.json')).toEqual([
      `${AT}: missing required field "uri" (integration type "http_proxy" needs one)`,
    ]);
  });

  it('greedy path variable not last', async () => {
    expect(await fixtureProblems('greedy-not-last.yaml')).toEqual([
      '/paths/~1files~1{path+}~1meta: greedy path variable {path+} must be the last segment of the path',
    ]);
  });

  it('every problem of a file at once', async () => {
    expect(await fixtureProblems('many-problems.yaml')).toEqual([
      '/info/title: missing required field; the API takes its name from it',
      '/paths/~1pets/fetch: "fetch" is not an HTTP method API Gateway supports; use one of get, put, post, delete, patch, head, options, x-amazon-apigateway-any-method',
      '/paths/~1pets/get/security/0/missingScheme: security scheme "missingScheme" is not defined in /components/securitySchemes',
      `${AT}/timeoutInMillis: must be >= 50`,
      `${AT}/passthroughBehavior: must be one of "when_no_match", "when_no_templates", "never"`,
      `${AT}/uri: must be an absolute http:// or https:// URL (stage variables such as \${stageVariables.host} may appear anywhere in it); got "ftp://files.example.com/pets"`,
      '/paths/~1pets/get/x-amazon-apigateway-request-validator: "strict" is not defined in /x-amazon-apigateway-request-validators',
      '/paths/~1pets~1{id}/get/x-amazon-apigateway-integration: missing required field "httpMethod" (integration type "http_proxy" needs one)',
      '/paths/~1pets~1{id}/get/parameters/0/$ref: "common.yaml#/components/parameters/Id" refers outside this document; only local references (#/...) are supported',
      '/paths/~1pets~1{name}: {name} conflicts with /pets/{id}; a resource may have only one variable child ({id})',
    ]);
  });
});

describe('document-level errors', () => {
  it('rejects what is not an OpenAPI document', () => {
    expect(problemsOf([])).toEqual(['/: must be an object (an OpenAPI 3 or Swagger 2.0 document)']);
    expect(problemsOf({ info: { title: 'x' } })).toEqual([
      '/openapi: missing; an OpenAPI document starts with "openapi: 3.0.x" (or "swagger: \'2.0\'")',
    ]);
  });

  it('names /swagger or /openapi for an unsupported version', () => {
    expect(problemsOf({ swagger: '1.2' })).toEqual(['/swagger: must be "2.0"; got "1.2"']);
    expect(problemsOf({ openapi: '2.0' })).toEqual([
      '/openapi: must be a 3.0.x or 3.1.x version such as "3.0.1"; got "2.0"',
    ]);
    expect(problemsOf({ openapi: 3 })).toEqual([
      '/openapi: must be a 3.0.x or 3.1.x version such as "3.0.1"; got 3',
    ]);
  });

  it('requires info.title, and limits its length per API kind', () => {
    expect(problemsOf({ openapi: '3.0.1', paths: {} })).toEqual([
      '/info/title: missing required field; the API takes its name from it',
    ]);
    expect(problemsOf(http({}, { info: { title: 'x'.repeat(129) } }))).toEqual([
      "/info/title: must be at most 128 characters (it is the API's name)",
    ]);
  });

  it('checks root extensions', () => {
    expect(
      problemsOf(
        rest(
          {},
          {
            'x-amazon-apigateway-binary-media-types': 'image/png',
            'x-amazon-apigateway-api-key-source': 'QUERY',
            'x-amazon-apigateway-minimum-compression-size': 10_485_761,
            'x-amazon-apigateway-policy': 'not json',
            'x-amazon-apigateway-gateway-responses': { TOO_SLOW: {}, THROTTLED: { statusCode: '4291' } },
          },
        ),
      ),
    ).toEqual([
      '/x-amazon-apigateway-binary-media-types: must be array',
      '/x-amazon-apigateway-api-key-source: must be one of "HEADER", "AUTHORIZER"',
      '/x-amazon-apigateway-minimum-compression-size: must be <= 10485760',
      '/x-amazon-apigateway-policy: must be an IAM policy document (an object, or a string of JSON)',
      expect.stringMatching(
        /^\/x-amazon-apigateway-gateway-responses\/TOO_SLOW: unknown gateway response type; must be one of ACCESS_DENIED, .*, DEFAULT_4XX, /,
      ),
      '/x-amazon-apigateway-gateway-responses/THROTTLED/statusCode: must match pattern "^[1-5][0-9][0-9]$"',
    ]);
  });

  it('requires "1.0" as the import/export version of an HTTP API', () => {
    expect(problemsOf(rest({}, { 'x-amazon-apigateway-importexport-version': '2.0' }))).toEqual([
      '/x-amazon-apigateway-importexport-version: must be "1.0"',
    ]);
  });
});

describe('integration errors', () => {
  it('bounds timeoutInMillis to 50..900000', () => {
    expect(problemsOf(rest(withIntegration({ ...PROXY, timeoutInMillis: 900_001 })))).toEqual([
      `${AT}/timeoutInMillis: must be <= 900000`,
    ]);
    expect(problemsOf(rest(withIntegration({ ...PROXY, timeoutInMillis: '100' })))).toEqual([
      `${AT}/timeoutInMillis: must be integer`,
    ]);
  });

  it('requires an absolute http(s) URL for http integrations, allowing stage variables', () => {
    expect(problemsOf(rest(withIntegration({ ...PROXY, uri: '/relative/path' })))).toEqual([
      expect.stringContaining(`${AT}/uri: must be an absolute http:// or https:// URL`),
    ]);
    expect(problemsOf(rest(withIntegration({ ...PROXY, uri: 'https://exa mple.com' })))).toHaveLength(1);
    const staged = rest(
      withIntegration({ ...PROXY, uri: 'https://${stageVariables.host}/v${stageVariables.v}/x' }),
    );
    expect(importOpenApi(staged).api.protocolType).toBe('REST');
  });

  it('skips the URL check for a VPC link, whose uri may be a load balancer ARN', () => {
    const vpc = {
      ...PROXY,
      uri: 'arn:aws:elasticloadbalancing:eu-west-1:1:listener/x',
      connectionType: 'vpc_link',
      connectionId: 'abc',
    };
    expect(importOpenApi(rest(withIntegration(vpc))).api.protocolType).toBe('REST');
  });

  it('requires httpMethod and uri for aws_proxy on REST, and neither for mock', () => {
    expect(problemsOf(rest(withIntegration({ type: 'AWS_PROXY' })))).toEqual([
      `${AT}: missing required field "uri" (integration type "aws_proxy" needs one)`,
      `${AT}: missing required field "httpMethod" (integration type "aws_proxy" needs one)`,
    ]);
    expect(importOpenApi(rest(withIntegration({ type: 'MOCK' }))).api.protocolType).toBe('REST');
  });

  it('rejects two selection patterns for one status code', () => {
    const responses = { default: { statusCode: '200' }, 'OK.*': { statusCode: '200' } };
    expect(problemsOf(rest(withIntegration({ ...PROXY, type: 'http', responses })))).toEqual([
      `${AT}/responses/OK.*/statusCode: status code 200 is already selected by "default"; each status code has one selection pattern`,
    ]);
  });

  it('names a bad status code and a bad content handling in integration responses', () => {
    const responses = { default: { statusCode: 'OK', contentHandling: 'convert' } };
    expect(problemsOf(rest(withIntegration({ ...PROXY, type: 'http', responses })))).toEqual([
      `${AT}/responses/default/statusCode: must match pattern "^[1-5][0-9][0-9]$"`,
      `${AT}/responses/default/contentHandling: must be one of "CONVERT_TO_BINARY", "CONVERT_TO_TEXT"`,
    ]);
  });

  it('names the reusable integration itself when a $ref points at a bad one', () => {
    const doc = http(
      {
        '/r': {
          get: {
            'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/r' },
          },
        },
      },
      {
        components: {
          'x-amazon-apigateway-integrations': { r: { type: 'http_proxy', payloadFormatVersion: '3.0' } },
        },
      },
    );
    expect(problemsOf(doc)).toEqual([
      '/components/x-amazon-apigateway-integrations/r/payloadFormatVersion: must be one of "1.0", "2.0"',
      '/components/x-amazon-apigateway-integrations/r: missing required field "uri" (integration type "http_proxy" needs one)',
    ]);
  });

  it('reports references that do not resolve, point outside, or go round in a circle', () => {
    expect(problemsOf(rest(withIntegration({ $ref: '#/components/nothing' })))).toEqual([
      `${AT}/$ref: "#/components/nothing" does not resolve to anything in this document`,
    ]);
    expect(problemsOf(rest(withIntegration({ $ref: 'https://example.com/i.json' })))).toEqual([
      `${AT}/$ref: "https://example.com/i.json" refers outside this document; only local references (#/...) are supported`,
    ]);
    const circular = rest({ '/a': { $ref: '#/paths/~1b' }, '/b': { $ref: '#/paths/~1a' } });
    expect(problemsOf(circular)).toEqual([
      '/paths/~1b/$ref: "#/paths/~1a" is circular',
      '/paths/~1a/$ref: "#/paths/~1b" is circular',
    ]);
  });

  it('checks HTTP API response parameter keys and integration types', () => {
    const doc = http(withIntegration({ ...PROXY, type: 'websocket', responseParameters: { ok: {} } }));
    expect(problemsOf(doc)).toEqual([
      `${AT}/type: must be one of "http_proxy", "aws_proxy", "http", "aws", "mock"`,
    ]);
    const keys = http(withIntegration({ ...PROXY, responseParameters: { ok: {} } }));
    expect(problemsOf(keys)).toEqual([
      `${AT}/responseParameters/ok: must be keyed by an integration status code from 200 to 599`,
    ]);
  });
});

describe('path errors', () => {
  const mock = { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } };

  it('rejects empty segments, partial variables and paths without a leading slash', () => {
    expect(problemsOf(rest({ '/pets/': mock, '/files/{name}.json': mock, pets: mock }))).toEqual([
      '/paths/~1pets~1: the path has an empty segment (a doubled or trailing "/")',
      '/paths/~1files~1{name}.json: segment "{name}.json" must be a whole path variable, {name} or {name+}',
      '/paths/pets: a path must start with "/"',
    ]);
  });

  it('rejects whitespace in a path', () => {
    expect(problemsOf(rest({ '/my pets': mock }))).toEqual([
      '/paths/~1my pets: a path may not contain whitespace',
    ]);
  });

  it('rejects a greedy variable before the end on HTTP APIs too', () => {
    const doc = http({
      '/{proxy+}/x': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': PROXY } },
    });
    expect(problemsOf(doc)).toEqual([
      '/paths/~1{proxy+}~1x: greedy path variable {proxy+} must be the last segment of the path',
    ]);
  });

  it('rejects trace and other unknown keys in a path item, but keeps x- keys', () => {
    expect(problemsOf(rest({ '/a': { trace: {}, 'x-note': 1, summary: 's' } }))).toEqual([
      '/paths/~1a/trace: "trace" is not an HTTP method API Gateway supports; use one of get, put, post, delete, patch, head, options, x-amazon-apigateway-any-method',
    ]);
  });

  it('rejects an operation that is not an object', () => {
    expect(problemsOf(rest({ '/a': { get: 'yes' } }))).toEqual([
      '/paths/~1a/get: must be an operation object',
    ]);
  });

  it('rejects a second $default route', () => {
    const route = { 'x-amazon-apigateway-integration': PROXY };
    expect(
      problemsOf(
        http({ '/$default': { 'x-amazon-apigateway-any-method': route }, $default: { get: route } }),
      ),
    ).toEqual([
      '/paths/$default/get: route "$default" is already defined at /paths/~1$default/x-amazon-apigateway-any-method',
    ]);
  });
});

describe('security errors', () => {
  const tokenScheme = (extension: Record<string, unknown>) => ({
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authorizer': extension,
  });

  it('requires what each authorizer type needs', () => {
    const schemes = {
      noUri: tokenScheme({ type: 'token' }),
      noPools: tokenScheme({ type: 'cognito_user_pools' }),
      badType: tokenScheme({ type: 'jwt' }),
    };
    expect(problemsOf(rest({}, { components: { securitySchemes: schemes } }))).toEqual([
      '/components/securitySchemes/noUri/x-amazon-apigateway-authorizer: missing required field "authorizerUri" (a token authorizer calls a function)',
      '/components/securitySchemes/noPools/x-amazon-apigateway-authorizer: missing required field "providerARNs" (the user pools to accept)',
      '/components/securitySchemes/badType/x-amazon-apigateway-authorizer/type: must be one of "token", "request", "cognito_user_pools"',
    ]);
    const jwt = { jwt: { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt' } } };
    expect(problemsOf(http({}, { components: { securitySchemes: jwt } }))).toEqual([
      '/components/securitySchemes/jwt/x-amazon-apigateway-authorizer: missing required field "jwtConfiguration" (the issuer and audience to accept)',
    ]);
  });

  it('allows one authorizer per method, and not together with IAM', () => {
    const schemes = {
      a: tokenScheme({ type: 'request', authorizerUri: 'arn:a' }),
      b: tokenScheme({ type: 'request', authorizerUri: 'arn:b' }),
    };
    const doc = rest(
      {
        '/two': { get: { security: [{ a: [] }, { b: [] }] } },
        '/iam': { get: { security: [{ a: [] }], 'x-amazon-apigateway-auth': { type: 'aws_iam' } } },
      },
      { components: { securitySchemes: schemes } },
    );
    expect(problemsOf(doc)).toEqual([
      '/paths/~1two/get/security/1/b: a second authorizer; the method already uses "a" and may use only one',
      '/paths/~1iam/get: uses both IAM authorization and authorizer "a"; a method has one authorization type',
    ]);
  });

  it('checks the shape of security and x-amazon-apigateway-auth', () => {
    const doc = rest({
      '/a': { get: { security: { a: [] }, 'x-amazon-apigateway-auth': { type: 'cognito' } } },
    });
    expect(problemsOf(doc)).toEqual([
      '/paths/~1a/get/security: must be array',
      '/paths/~1a/get/x-amazon-apigateway-auth/type: must be one of "AWS_IAM", "NONE"',
    ]);
  });
});

describe('OpenApiError', () => {
  it('joins its problems into the message, one per line', () => {
    const error = new OpenApiError(['/a: one', '/b: two']);
    expect(error.name).toBe('OpenApiError');
    expect(error.message).toBe('/a: one\n/b: two');
    expect(error).toBeInstanceOf(Error);
  });
});
