import { describe, expect, it } from 'vitest';
import { apiSchemaOf } from '../../src/model/api.js';
import { DEFAULT_REST_TIMEOUT_MS } from '../../src/model/rest-api.js';
import { problemsOf } from '../../src/model/validate.js';
import { importOpenApi } from '../../src/openapi/import.js';
import { methodAt, resourceAt, restFixture } from './helpers.js';

function restApi(doc: Record<string, unknown>) {
  const { api, warnings } = importOpenApi({ openapi: '3.0.1', info: { title: 'T', version: '1' }, ...doc });
  if (api.protocolType !== 'REST') throw new Error('expected a REST API');
  return { api, warnings };
}

describe('REST import of an AWS export (Swagger 2.0)', () => {
  it('is a REST API named from info.title with the version and createdDate in seconds', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    expect(api.protocolType).toBe('REST');
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.name).toBe('PetStore');
    expect(api.version).toBe('2024-03-01T10:15:00Z');
    expect(api.createdDate).toBe(1_700_000_000);
    expect(api.apiKeySource).toBe('HEADER');
    expect(problemsOf(apiSchemaOf(api), api)).toEqual([]);
  });

  it('unescapes ~1 in binary media types', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    expect(api.binaryMediaTypes).toEqual(['application/octet-stream', 'image/png']);
  });

  it('builds the flat resource list with a root and a resource per segment', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    expect(api.resources.map((r) => r.path)).toEqual(['/', '/pets', '/pets/{petId}', '/{proxy+}']);
    const root = resourceAt(api, '/');
    expect(root.pathPart).toBe('');
    expect(root.parentId).toBeUndefined();
    const pets = resourceAt(api, '/pets');
    const pet = resourceAt(api, '/pets/{petId}');
    const proxy = resourceAt(api, '/{proxy+}');
    expect(pets).toMatchObject({ parentId: root.id, pathPart: 'pets' });
    expect(pet).toMatchObject({ parentId: pets.id, pathPart: '{petId}' });
    expect(proxy).toMatchObject({ parentId: root.id, pathPart: '{proxy+}' });
    for (const resource of api.resources) expect(resource.id).toMatch(/^[a-z0-9]{6}$/);
    expect(new Set(api.resources.map((r) => r.id)).size).toBe(api.resources.length);
  });

  it('maps x-amazon-apigateway-any-method to ANY with the proxy path mapping', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const method = methodAt(api, '/{proxy+}', 'ANY');
    expect(method.httpMethod).toBe('ANY');
    expect(method.authorizationType).toBe('NONE');
    expect(method.apiKeyRequired).toBe(false);
    expect(method.requestParameters).toEqual({ 'method.request.path.proxy': true });
    expect(method.methodIntegration).toEqual({
      type: 'HTTP_PROXY',
      httpMethod: 'ANY',
      uri: 'http://petstore.example.com/{proxy}',
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: DEFAULT_REST_TIMEOUT_MS,
      cacheNamespace: 'x1y2z3',
      cacheKeyParameters: ['method.request.path.proxy'],
      integrationResponses: { '200': { statusCode: '200' } },
    });
  });

  it('maps a mock integration with its templates and response parameters', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const method = methodAt(api, '/', 'GET');
    expect(method.methodIntegration).toEqual({
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29_000,
      integrationResponses: {
        '200': {
          statusCode: '200',
          responseParameters: { 'method.response.header.Content-Type': "'text/html'" },
          responseTemplates: { 'text/html': '<html><body>Welcome to the pet store</body></html>' },
        },
      },
    });
    expect(method.methodResponses).toEqual({
      '200': { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': false } },
    });
  });

  it('keys integration responses by status code with the selection pattern from the responses key', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const integration = methodAt(api, '/pets/{petId}', 'GET').methodIntegration;
    expect(integration?.integrationResponses).toEqual({
      '200': { statusCode: '200' },
      '404': { statusCode: '404', selectionPattern: '.*not found.*' },
      '500': { statusCode: '500', selectionPattern: '5\\d{2}' },
    });
    expect(integration?.timeoutInMillis).toBe(5000);
    expect(integration?.requestParameters).toEqual({
      'integration.request.path.id': 'method.request.path.petId',
    });
  });

  it('maps query parameters, method responses with models, and the body model', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    const list = methodAt(api, '/pets', 'GET');
    expect(list.requestParameters).toEqual({
      'method.request.querystring.type': false,
      'method.request.querystring.page': false,
    });
    expect(list.methodResponses).toEqual({
      '200': {
        statusCode: '200',
        responseParameters: { 'method.response.header.Access-Control-Allow-Origin': false },
        responseModels: { 'application/json': 'Pets' },
      },
    });
    const create = methodAt(api, '/pets', 'POST');
    expect(create.operationName).toBe('CreatePet');
    expect(create.requestModels).toEqual({ 'application/json': 'NewPet' });
  });

  it('turns definitions into models holding their schema as JSON', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    expect(api.models?.map((m) => m.name)).toEqual([
      'Empty',
      'Error',
      'Pet',
      'Pets',
      'NewPet',
      'NewPetResponse',
    ]);
    const pets = api.models?.find((m) => m.name === 'Pets');
    expect(pets).toEqual({
      id: 'Pets',
      name: 'Pets',
      contentType: 'application/json',
      schema: JSON.stringify({ type: 'array', items: { $ref: '#/components/schemas/Pet' } }),
    });
  });

  it('keeps host and basePath as a server for export', async () => {
    const { api } = await restFixture('aws-rest-export.swagger.json');
    expect(api.openapi?.servers).toEqual([
      { url: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod' },
    ]);
  });
});

describe('REST import of an OpenAPI 3 YAML document', () => {
  it('folds case: HTTP_PROXY, lower-case passthrough, lower-case httpMethod, numeric status codes', async () => {
    const { api, warnings } = await restFixture('petstore-rest.openapi.yaml');
    expect(warnings).toEqual([]);
    expect(methodAt(api, '/pets', 'GET').methodIntegration).toEqual({
      type: 'HTTP_PROXY',
      httpMethod: 'GET',
      uri: 'https://upstream.example.com/pets',
      connectionType: 'INTERNET',
      timeoutInMillis: 10_000,
    });
    expect(methodAt(api, '/pets', 'POST').methodIntegration).toMatchObject({
      type: 'HTTP',
      httpMethod: 'POST',
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      integrationResponses: { '201': { statusCode: '201' } },
    });
  });

  it('merges path-item parameters (through $ref) into each method', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    expect(methodAt(api, '/pets/{petId}', 'GET').requestParameters).toEqual({
      'method.request.path.petId': true,
    });
    expect(methodAt(api, '/pets/{petId}', 'DELETE').requestParameters).toEqual({
      'method.request.path.petId': true,
    });
    expect(methodAt(api, '/pets', 'GET').requestParameters).toEqual({
      'method.request.querystring.limit': false,
      'method.request.header.X-Request-Id': true,
    });
  });

  it('reads method responses through $ref and skips non-status keys such as default', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    expect(methodAt(api, '/pets/{petId}', 'GET').methodResponses).toEqual({
      '200': { statusCode: '200', responseModels: { 'application/json': 'Pet' } },
    });
    expect(methodAt(api, '/pets', 'POST').methodResponses).toEqual({
      '201': { statusCode: '201', responseParameters: { 'method.response.header.Location': true } },
    });
  });

  it('keeps operation content it does not model in method.openapi, and path-item content in api.openapi', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    const list = methodAt(api, '/pets', 'GET');
    expect(list.operationName).toBe('listPets');
    expect(list.openapi).toMatchObject({ summary: 'List pets', tags: ['pets'] });
    expect(list.openapi).not.toHaveProperty('operationId');
    expect(list.openapi).not.toHaveProperty('x-amazon-apigateway-integration');
    expect(api.openapi?.paths).toEqual({
      '/pets/{petId}': { parameters: [{ $ref: '#/components/parameters/PetId' }] },
    });
    expect(api.openapi?.components).toHaveProperty('parameters.PetId');
    expect(api.openapi?.components).not.toHaveProperty('schemas');
  });

  it('defaults the integration timeout to 29 s', async () => {
    const { api } = await restFixture('petstore-rest.openapi.yaml');
    expect(methodAt(api, '/pets/{petId}', 'DELETE').methodIntegration).toEqual({
      type: 'MOCK',
      timeoutInMillis: 29_000,
      integrationResponses: { '204': { statusCode: '204' } },
    });
  });
});

describe('REST import details', () => {
  it('accepts URIs with stage variables anywhere', async () => {
    const { api } = await restFixture('stage-variables.openapi.yaml');
    expect(methodAt(api, '/pets', 'GET').methodIntegration?.uri).toBe('http://${stageVariables.host}/pets');
    expect(methodAt(api, '/pets/{id}', 'GET').methodIntegration?.uri).toBe(
      'https://${stageVariables.host}:${stageVariables.port}/pets/{id}',
    );
    expect(methodAt(api, '/legacy/{proxy+}', 'ANY').methodIntegration?.uri).toBe(
      '${stageVariables.legacyUrl}/{proxy}',
    );
    expect(resourceAt(api, '/legacy').resourceMethods).toEqual({});
  });

  it('maps the root extensions', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    expect(api.apiKeySource).toBe('AUTHORIZER');
    expect(api.minimumCompressionSize).toBe(1024);
    expect(JSON.parse(api.policy ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      ],
    });
    expect(api.disableExecuteApiEndpoint).toBe(true);
    expect(api.endpointConfiguration).toEqual({ types: ['REGIONAL'] });
    expect(api.gatewayResponses).toEqual({
      DEFAULT_4XX: {
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      },
      INVALID_API_KEY: {
        statusCode: '429',
        responseTemplates: { 'application/json': '{"message": "bad key"}' },
      },
    });
    expect(api.requestValidators).toEqual([
      { id: 'basic', name: 'basic', validateRequestBody: true, validateRequestParameters: true },
      { id: 'params-only', name: 'params-only', validateRequestBody: false, validateRequestParameters: true },
    ]);
  });

  it('maps security to authorization: custom, Cognito with scopes, IAM, API keys', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    expect(methodAt(api, '/pets', 'GET')).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: 'tokenAuth',
      apiKeyRequired: true,
    });
    expect(methodAt(api, '/pets', 'POST')).toMatchObject({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: 'cognito',
      authorizationScopes: ['pets/write'],
      apiKeyRequired: false,
    });
    expect(methodAt(api, '/admin', 'GET')).toMatchObject({
      authorizationType: 'AWS_IAM',
      apiKeyRequired: false,
    });
    expect(methodAt(api, '/admin', 'GET')).not.toHaveProperty('authorizerId');
  });

  it('applies the document request validator unless the operation names its own', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    expect(methodAt(api, '/pets', 'GET').requestValidatorId).toBe('params-only');
    expect(methodAt(api, '/pets', 'POST').requestValidatorId).toBe('basic');
    expect(methodAt(api, '/admin', 'GET').requestValidatorId).toBe('basic');
  });

  it('turns authorizer security schemes into authorizers named by the scheme', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    expect(api.authorizers).toEqual([
      {
        id: 'tokenAuth',
        name: 'tokenAuth',
        type: 'TOKEN',
        authType: 'custom',
        authorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Authorize/invocations',
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$',
        authorizerResultTtlInSeconds: 60,
        openapi: { type: 'apiKey', name: 'Authorization', in: 'header' },
      },
      {
        id: 'cognito',
        name: 'cognito',
        type: 'COGNITO_USER_POOLS',
        authType: 'cognito_user_pools',
        identitySource: 'method.request.header.Authorization',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abcdef'],
        openapi: { type: 'apiKey', name: 'Authorization', in: 'header' },
      },
    ]);
  });

  it('maps aws and aws_proxy integrations with credentials', async () => {
    const { api } = await restFixture('later-features-rest.openapi.yaml');
    expect(methodAt(api, '/pets', 'POST').methodIntegration).toMatchObject({
      type: 'AWS_PROXY',
      httpMethod: 'POST',
    });
    expect(methodAt(api, '/admin', 'GET').methodIntegration).toMatchObject({
      type: 'AWS',
      credentials: 'arn:aws:iam::123456789012:role/gatehouse-scan',
    });
  });

  it('keeps tags with x-amazon-apigateway-tag-value as API tags', async () => {
    const { api } = await restFixture('unknown-extensions.openapi.yaml');
    expect(api.tags).toEqual({ owner: 'platform' });
    expect(api.openapi?.tags).toEqual([
      { name: 'pets', description: 'Pet operations', 'x-tag-color': 'green' },
    ]);
  });

  it('creates a resource for a path item without operations', async () => {
    const { api } = await restFixture('unknown-extensions.openapi.yaml');
    expect(resourceAt(api, '/pets/{id}/photos').resourceMethods).toEqual({});
    expect(resourceAt(api, '/pets/{id}').pathPart).toBe('{id}');
  });

  it('reads JSON-pointer escapes in $ref', () => {
    const { api } = restApi({
      paths: {
        '/a/b': {
          get: {
            parameters: [{ name: 'q', in: 'query', required: true }],
            'x-amazon-apigateway-integration': { type: 'mock' },
          },
        },
        '/c': { $ref: '#/paths/~1a~1b' },
      },
    });
    expect(methodAt(api, '/c', 'GET').requestParameters).toEqual({ 'method.request.querystring.q': true });
  });

  it('reads the endpoint configuration from the first server in OpenAPI 3', () => {
    const { api } = restApi({
      servers: [
        { url: 'https://x', 'x-amazon-apigateway-endpoint-configuration': { vpcEndpointIds: ['vpce-1'] } },
      ],
      paths: {},
    });
    expect(api.endpointConfiguration).toEqual({ vpcEndpointIds: ['vpce-1'] });
  });

  it('accepts a policy given as a JSON string and stores it canonically', () => {
    const { api } = restApi({
      paths: {},
      'x-amazon-apigateway-policy': '{ "Version": "2012-10-17", "Statement": [] }',
    });
    expect(api.policy).toBe('{"Version":"2012-10-17","Statement":[]}');
  });

  it('accepts OpenAPI 3.1 and a document without paths', () => {
    const { api } = importOpenApi({ openapi: '3.1.0', info: { title: 'Empty' } });
    expect(api.protocolType).toBe('REST');
    expect(api.protocolType === 'REST' && api.resources.map((r) => r.path)).toEqual(['/']);
  });
});
