import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../../src/openapi/import.js';
import { importFixture } from './helpers.js';

describe('warnings for what Gatehouse keeps but does not enforce yet', () => {
  it('has nothing to say about IAM authorization of a REST method, which is enforced', async () => {
    const { warnings } = await importFixture('later-features-rest.openapi.yaml');
    expect(warnings).toEqual([]);
  });

  it('has nothing to say about IAM authorization at x-amazon-apigateway-auth, which is enforced', async () => {
    const { warnings } = await importFixture('later-features-http.openapi.yaml');
    expect(warnings).toEqual([]);
  });

  it('has nothing to say about document-wide API key security, which is enforced', async () => {
    const { warnings } = await importFixture('swagger2-petstore.yaml');
    expect(warnings).toEqual([]);
  });

  it('warns that a security scheme that is not an authorizer is kept for export only', async () => {
    const { warnings } = await importFixture('unknown-extensions.openapi.yaml');
    expect(warnings).toEqual([
      '/paths/~1pets/get/security/0/oauth: security scheme "oauth" is kept for export only; API Gateway enforces authorizers, API keys and IAM',
    ]);
  });

  it('accepts authorizers in a Swagger 2.0 file without a warning, since they are enforced', () => {
    const { warnings } = importOpenApi({
      swagger: '2.0',
      info: { title: 't' },
      paths: {},
      securityDefinitions: {
        auth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': { type: 'TOKEN', authorizerUri: 'arn:aws:lambda:f' },
        },
      },
    });
    expect(warnings).toEqual([]);
  });

  it('says an extension of the other API kind is kept for export only', () => {
    const rest = importOpenApi({
      openapi: '3.0.1',
      info: { title: 'r' },
      paths: {},
      'x-amazon-apigateway-cors': { allowOrigins: ['*'] },
    });
    expect(rest.warnings).toEqual([
      '/x-amazon-apigateway-cors: REST APIs do not use this extension; it is kept for export only',
    ]);
    const http = importOpenApi({
      openapi: '3.0.1',
      info: { title: 'h' },
      'x-amazon-apigateway-importexport-version': '1.0',
      'x-amazon-apigateway-binary-media-types': ['image/png'],
      paths: { '/a': { get: { 'x-amazon-apigateway-request-validator': 'all' } } },
    });
    expect(http.warnings).toEqual([
      '/x-amazon-apigateway-binary-media-types: HTTP APIs do not use this extension; it is kept for export only',
      '/paths/~1a/get/x-amazon-apigateway-request-validator: HTTP APIs do not use this extension; it is kept for export only',
    ]);
    expect(http.api.openapi).toEqual({ 'x-amazon-apigateway-binary-media-types': ['image/png'] });
  });

  it.each(['petstore-rest.openapi.yaml', 'stage-variables.openapi.yaml', 'http-api-export.openapi.json'])(
    'has nothing to say about %s, which uses only what Gatehouse enforces',
    async (name) => {
      const { warnings } = await importFixture(name);
      expect(warnings).toEqual([]);
    },
  );
});
