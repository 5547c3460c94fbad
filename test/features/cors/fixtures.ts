// A small REST API with the cases CORS has to tell apart: a non-proxy method with a 200
// response, a proxy method, ANY, an OPTIONS method already there, and resources without methods.
import { newApiId } from '../../../src/model/ids.js';
import type { RestApi } from '../../../src/model/rest-api.js';

export function petStore(): RestApi {
  return {
    protocolType: 'REST',
    id: newApiId(),
    name: 'Pet Store',
    createdDate: 1_700_000_000,
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    resources: [
      { id: 'root00', path: '/', pathPart: '', resourceMethods: {} },
      {
        id: 'pets00',
        parentId: 'root00',
        path: '/pets',
        pathPart: 'pets',
        resourceMethods: {
          GET: {
            httpMethod: 'GET',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            methodResponses: {
              '200': {
                statusCode: '200',
                responseModels: { 'application/json': 'Empty' },
                responseParameters: { 'method.response.header.X-Count': false },
              },
              '404': { statusCode: '404' },
            },
            methodIntegration: {
              type: 'MOCK',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              timeoutInMillis: 29_000,
              integrationResponses: {
                '200': {
                  statusCode: '200',
                  responseParameters: { 'method.response.header.X-Count': "'2'" },
                  responseTemplates: { 'application/json': '[{"id":1},{"id":2}]' },
                },
                '404': { statusCode: '404', selectionPattern: '404' },
              },
            },
          },
          POST: {
            httpMethod: 'POST',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            methodResponses: { '200': { statusCode: '200' } },
            methodIntegration: {
              type: 'HTTP_PROXY',
              httpMethod: 'POST',
              uri: 'http://backend.internal/pets',
              timeoutInMillis: 29_000,
            },
          },
        },
      },
      {
        id: 'pet000',
        parentId: 'pets00',
        path: '/pets/{id}',
        pathPart: '{id}',
        resourceMethods: {
          ANY: {
            httpMethod: 'ANY',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            methodIntegration: {
              type: 'AWS_PROXY',
              httpMethod: 'POST',
              uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations',
              timeoutInMillis: 29_000,
            },
          },
          OPTIONS: {
            httpMethod: 'OPTIONS',
            authorizationType: 'CUSTOM',
            authorizerId: 'auth01',
            apiKeyRequired: true,
            methodIntegration: {
              type: 'HTTP_PROXY',
              httpMethod: 'OPTIONS',
              uri: 'http://backend.internal/',
              timeoutInMillis: 29_000,
            },
          },
        },
      },
      { id: 'empty0', parentId: 'root00', path: '/empty', pathPart: 'empty', resourceMethods: {} },
    ],
    gatewayResponses: {
      DEFAULT_4XX: {
        statusCode: '400',
        responseTemplates: { 'application/json': '{"error":$context.error.messageString}' },
        responseParameters: { 'gatewayresponse.header.X-Kept': "'yes'" },
      },
      MISSING_AUTHENTICATION_TOKEN: { statusCode: '404' },
    },
  };
}
