import { describe, expect, it } from 'vitest';
import { enableRestCors } from '../../../src/features/cors/index.js';
import { RestApiSchema, type Method, type RestApi } from '../../../src/model/rest-api.js';
import { problemsOf } from '../../../src/model/validate.js';
import { petStore } from './fixtures.js';

const ALLOW_HEADERS = "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'";

function preflight(methods: string, origin = "'*'", headers = ALLOW_HEADERS): Method {
  return {
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: {
      '200': {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Headers': false,
          'method.response.header.Access-Control-Allow-Methods': false,
          'method.response.header.Access-Control-Allow-Origin': false,
        },
      },
    },
    methodIntegration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      integrationResponses: {
        '200': {
          statusCode: '200',
          responseParameters: {
            'method.response.header.Access-Control-Allow-Headers': headers,
            'method.response.header.Access-Control-Allow-Methods': methods,
            'method.response.header.Access-Control-Allow-Origin': origin,
          },
        },
      },
    },
  };
}

describe('enableRestCors', () => {
  it('writes what the console writes, for every resource with methods', () => {
    const api = petStore();
    const [root, pets, pet, empty] = api.resources;
    const expected: RestApi = {
      ...api,
      resources: [
        root!,
        {
          ...pets!,
          resourceMethods: {
            GET: {
              ...pets!.resourceMethods.GET!,
              methodResponses: {
                '200': {
                  statusCode: '200',
                  responseModels: { 'application/json': 'Empty' },
                  responseParameters: {
                    'method.response.header.X-Count': false,
                    'method.response.header.Access-Control-Allow-Origin': false,
                  },
                },
                '404': { statusCode: '404' },
              },
              methodIntegration: {
                ...pets!.resourceMethods.GET!.methodIntegration!,
                integrationResponses: {
                  '200': {
                    statusCode: '200',
                    responseParameters: {
                      'method.response.header.X-Count': "'2'",
                      'method.response.header.Access-Control-Allow-Origin': "'*'",
                    },
                    responseTemplates: { 'application/json': '[{"id":1},{"id":2}]' },
                  },
                  '404': { statusCode: '404', selectionPattern: '404' },
                },
              },
            },
            POST: pets!.resourceMethods.POST!,
            OPTIONS: preflight("'GET,OPTIONS,POST'"),
          },
        },
        {
          ...pet!,
          resourceMethods: {
            ANY: pet!.resourceMethods.ANY!,
            OPTIONS: preflight("'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"),
          },
        },
        empty!,
      ],
      gatewayResponses: {
        DEFAULT_4XX: {
          statusCode: '400',
          responseTemplates: { 'application/json': '{"error":$context.error.messageString}' },
          responseParameters: {
            'gatewayresponse.header.X-Kept': "'yes'",
            'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
            'gatewayresponse.header.Access-Control-Allow-Headers': ALLOW_HEADERS,
          },
        },
        DEFAULT_5XX: {
          responseParameters: {
            'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
            'gatewayresponse.header.Access-Control-Allow-Headers': ALLOW_HEADERS,
          },
        },
        MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' },
      },
    };
    expect(enableRestCors(api, {})).toEqual(expected);
  });

  it('replaces an OPTIONS method that was there, authorizer and all', () => {
    const api = petStore();
    const before = api.resources[2]!.resourceMethods.OPTIONS!;
    expect(before.authorizationType).toBe('CUSTOM');
    const after = enableRestCors(api).resources[2]!.resourceMethods.OPTIONS!;
    expect(after).toEqual(preflight("'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"));
  });

  it('does not change the API it is given', () => {
    const api = petStore();
    const snapshot = structuredClone(api);
    const result = enableRestCors(api, { allowOrigin: 'https://app.example.com' });
    expect(api).toEqual(snapshot);
    expect(result).not.toBe(api);
    // Nothing shared either: changing the result leaves the input alone.
    result.resources[1]!.resourceMethods.GET!.methodResponses!['200']!.responseParameters!.changed = true;
    expect(api).toEqual(snapshot);
  });

  it('produces a valid REST API model', () => {
    const result = enableRestCors(petStore(), {
      allowOrigin: 'https://app.example.com',
      allowHeaders: 'Content-Type',
    });
    expect(problemsOf(RestApiSchema, result)).toEqual([]);
  });

  it('uses the given origin, headers and methods, on the chosen resources only', () => {
    const api = petStore();
    const result = enableRestCors(api, {
      resourcePaths: ['/pets/', '/empty'],
      allowOrigin: 'https://app.example.com',
      allowHeaders: 'Content-Type,Authorization',
      allowMethods: 'GET,OPTIONS',
      includeGatewayResponses: false,
    });
    const [root, pets, pet, empty] = result.resources;
    expect(root).toEqual(api.resources[0]);
    expect(pet).toEqual(api.resources[2]);
    expect(pets!.resourceMethods.OPTIONS).toEqual(
      preflight("'GET,OPTIONS'", "'https://app.example.com'", "'Content-Type,Authorization'"),
    );
    expect(
      pets!.resourceMethods.GET!.methodIntegration!.integrationResponses!['200']!.responseParameters![
        'method.response.header.Access-Control-Allow-Origin'
      ],
    ).toBe("'https://app.example.com'");
    expect(empty!.resourceMethods).toEqual({
      OPTIONS: preflight("'GET,OPTIONS'", "'https://app.example.com'", "'Content-Type,Authorization'"),
    });
    expect(result.gatewayResponses).toEqual(api.gatewayResponses);
  });

  it('lists only OPTIONS for a chosen resource without methods', () => {
    const result = enableRestCors(petStore(), { resourcePaths: ['/empty'] });
    expect(result.resources[3]!.resourceMethods.OPTIONS).toEqual(preflight("'OPTIONS'"));
  });

  it('adds DEFAULT_4XX and DEFAULT_5XX gateway responses to an API that had none', () => {
    const api = petStore();
    delete api.gatewayResponses;
    expect(enableRestCors(api, { resourcePaths: ['/'] }).gatewayResponses).toEqual({
      DEFAULT_4XX: {
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Access-Control-Allow-Headers': ALLOW_HEADERS,
        },
      },
      DEFAULT_5XX: {
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Access-Control-Allow-Headers': ALLOW_HEADERS,
        },
      },
    });
  });

  it('refuses an unknown resource path and values that cannot be quoted', () => {
    const api = petStore();
    expect(() => enableRestCors(api, { resourcePaths: ['/nope'] })).toThrow(
      `REST API ${api.id} has no resource /nope`,
    );
    expect(() => enableRestCors(api, { allowOrigin: "it's" })).toThrow(
      "allowOrigin must not contain a single quote: it's",
    );
    expect(() => enableRestCors(api, { allowHeaders: ' ' })).toThrow('allowHeaders must not be empty');
  });
});
