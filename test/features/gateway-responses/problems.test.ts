import { describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSE_TYPES } from '../../../src/dataplane/gateway-responses.js';
import { gatewayResponseProblems } from '../../../src/features/gateway-responses/index.js';

const AT = '/x-amazon-apigateway-gateway-responses';

describe('gatewayResponseProblems', () => {
  it('accepts what the AWS documentation shows', () => {
    expect(
      gatewayResponseProblems(
        {
          DEFAULT_4XX: {
            responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
            responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
          },
          INVALID_API_KEY: {
            statusCode: '456',
            responseParameters: { 'gatewayresponse.header.api-key': 'method.request.header.api-key' },
            responseTemplates: { 'application/json': '{"message": "Bad api-key" }' },
          },
          MISSING_AUTHENTICATION_TOKEN: {
            statusCode: 404,
            responseParameters: {
              'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'",
              'gatewayresponse.header.x-request-id': 'method.request.header.x-amzn-RequestId',
              'gatewayresponse.header.x-request-path': 'method.request.path.petId',
              'gatewayresponse.header.x-request-query': 'method.request.querystring.q',
              'gatewayresponse.header.x-stage': 'stageVariables.a',
              'gatewayresponse.header.x-principal': 'context.authorizer.principalId',
              'gatewayresponse.header.x-all': 'method.request.multivaluequerystring.q',
            },
            responseTemplates: {
              'application/json':
                '{ "message": $context.error.messageString, "type": "$context.error.responseType" }',
              'application/xml': '<error>$context.error.message</error>',
            },
          },
        },
        AT,
      ),
    ).toEqual([]);
  });

  it('accepts an absent or empty configuration and every known type', () => {
    expect(gatewayResponseProblems(undefined, AT)).toEqual([]);
    expect(gatewayResponseProblems({}, AT)).toEqual([]);
    const all = Object.fromEntries(Object.keys(GATEWAY_RESPONSE_TYPES).map((type) => [type, {}]));
    expect(gatewayResponseProblems(all, AT)).toEqual([]);
  });

  it('tolerates the read-only fields the management API returns', () => {
    expect(
      gatewayResponseProblems({ THROTTLED: { responseType: 'THROTTLED', defaultResponse: false } }, AT),
    ).toEqual([]);
    expect(gatewayResponseProblems({ THROTTLED: { responseType: 'QUOTA_EXCEEDED' } }, AT)).toEqual([
      `${AT}/THROTTLED/responseType: must be "THROTTLED", the key it is stored under`,
    ]);
  });

  it('names unknown types and lists the allowed ones', () => {
    const problems = gatewayResponseProblems({ NOT_FOUND: {}, 'A/B': {} }, AT);
    const allowed = Object.keys(GATEWAY_RESPONSE_TYPES).join(', ');
    expect(problems).toEqual([
      `${AT}/NOT_FOUND: unknown gateway response type "NOT_FOUND"; must be one of ${allowed}`,
      `${AT}/A~1B: unknown gateway response type "A/B"; must be one of ${allowed}`,
    ]);
    expect(allowed).toContain('ACCESS_DENIED, API_CONFIGURATION_ERROR');
    expect(allowed).toContain('WAF_FILTERED');
  });

  it('rejects a configuration that is not an object, and entries that are not objects', () => {
    expect(gatewayResponseProblems([], AT)).toEqual([
      `${AT}: must be an object keyed by gateway response type`,
    ]);
    expect(gatewayResponseProblems('x', AT)).toEqual([
      `${AT}: must be an object keyed by gateway response type`,
    ]);
    expect(gatewayResponseProblems({ THROTTLED: 'x' }, AT)).toEqual([
      `${AT}/THROTTLED: must be an object with statusCode, responseParameters and responseTemplates`,
    ]);
  });

  it('names unknown fields', () => {
    expect(gatewayResponseProblems({ THROTTLED: { status: '400' } }, AT)).toEqual([
      `${AT}/THROTTLED/status: unknown field; allowed: statusCode, responseParameters, responseTemplates`,
    ]);
  });

  it.each(['4044', '600', '099', '100', '199', 'abc', '', 42.5, true])(
    'rejects the status code %j',
    (statusCode) => {
      expect(gatewayResponseProblems({ THROTTLED: { statusCode } }, AT)).toEqual([
        `${AT}/THROTTLED/statusCode: must be an HTTP status code from 200 to 599, e.g. "404"`,
      ]);
    },
  );

  it.each(['200', '456', '599', 503, null])('accepts the status code %j', (statusCode) => {
    expect(gatewayResponseProblems({ THROTTLED: { statusCode } }, AT)).toEqual([]);
  });

  it('rejects bad parameter keys', () => {
    const problems = gatewayResponseProblems(
      {
        DEFAULT_5XX: {
          responseParameters: {
            'method.response.header.X': "'a'",
            'gatewayresponse.querystring.q': "'a'",
            'gatewayresponse.header.bad name': "'a'",
            'gatewayresponse.header.': "'a'",
            'gatewayresponse.header.Content-Length': "'5'",
          },
        },
      },
      AT,
    );
    const at = `${AT}/DEFAULT_5XX/responseParameters`;
    expect(problems).toEqual([
      `${at}/method.response.header.X: must be gatewayresponse.header.NAME with NAME a valid header name`,
      `${at}/gatewayresponse.querystring.q: must be gatewayresponse.header.NAME with NAME a valid header name`,
      `${at}/gatewayresponse.header.bad name: must be gatewayresponse.header.NAME with NAME a valid header name`,
      `${at}/gatewayresponse.header.: must be gatewayresponse.header.NAME with NAME a valid header name`,
      `${at}/gatewayresponse.header.Content-Length: Content-Length is set by Gatehouse from the body and cannot be mapped`,
    ]);
  });

  it('rejects bad parameter values', () => {
    const help =
      "must be a 'static value' in single quotes, method.request.{header|querystring|path}.NAME, " +
      'stageVariables.NAME or context.NAME';
    const problems = gatewayResponseProblems(
      {
        ACCESS_DENIED: {
          responseParameters: {
            'gatewayresponse.header.a': 'unquoted',
            'gatewayresponse.header.b': 'method.request.body.x',
            'gatewayresponse.header.c': 'method.input.params.petId',
            'gatewayresponse.header.d': 'integration.response.header.x',
            'gatewayresponse.header.e': 42,
            'gatewayresponse.header.f': "'line\nbreak'",
            'gatewayresponse.header.g': 'stageVariables.',
          },
        },
      },
      AT,
    );
    const at = `${AT}/ACCESS_DENIED/responseParameters/gatewayresponse.header.`;
    expect(problems).toEqual([
      `${at}a: ${help}`,
      `${at}b: ${help}`,
      `${at}c: ${help}`,
      `${at}d: ${help}`,
      `${at}e: ${help}`,
      `${at}f: the static value contains characters not allowed in a header (e.g. a line break)`,
      `${at}g: ${help}`,
    ]);
  });

  it('rejects responseParameters and responseTemplates of the wrong shape', () => {
    expect(
      gatewayResponseProblems({ THROTTLED: { responseParameters: ['x'], responseTemplates: 'x' } }, AT),
    ).toEqual([
      `${AT}/THROTTLED/responseParameters: must be an object of gatewayresponse.header.NAME mappings`,
      `${AT}/THROTTLED/responseTemplates: must be an object of templates keyed by content type`,
    ]);
  });

  it('rejects template keys that are not content types and templates that are not strings', () => {
    expect(
      gatewayResponseProblems({ THROTTLED: { responseTemplates: { json: '{}', 'text/plain': 5 } } }, AT),
    ).toEqual([
      `${AT}/THROTTLED/responseTemplates/json: the key must be a content type such as application/json`,
      `${AT}/THROTTLED/responseTemplates/text~1plain: must be a template string`,
    ]);
  });

  it('reports a template that does not compile', () => {
    const problems = gatewayResponseProblems(
      { THROTTLED: { responseTemplates: { 'application/json': '#if($context.stage == "a") unterminated' } } },
      AT,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^\/x-amazon-apigateway-gateway-responses\/THROTTLED\/responseTemplates\/application~1json: the template does not compile: .+/,
    );
  });
});
