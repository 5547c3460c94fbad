// Authorizer functions run by the local function runtime: handler modules in worker threads,
// answering through Lambda's callback and async conventions.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../../../src/features/auth/authorizer-cache.js';
import {
  compileHttpAuthorization,
  compileRestAuthorization,
  type AuthDeps,
} from '../../../src/features/auth/steps.js';
import { LocalFunctionRuntime } from '../../../src/functions/local/index.js';
import type { HttpApi } from '../../../src/model/http-api.js';
import type { RestApi } from '../../../src/model/rest-api.js';
import { lambdaUri, startStage, type TestStage } from './stage.js';

const CODE_DIR = resolve(fileURLToPath(new URL('../../fixtures/functions/auth/', import.meta.url)));

let runtime: LocalFunctionRuntime;

beforeAll(() => {
  runtime = new LocalFunctionRuntime({
    'token-authorizer': { handler: 'authorizers.token', codeDir: CODE_DIR },
    'simple-authorizer': { handler: 'authorizers.simple', codeDir: CODE_DIR },
  });
});
afterAll(() => runtime.close());

function deps(stageName: string): AuthDeps {
  return {
    functions: runtime,
    cache: new AuthorizerCache(),
    region: 'us-east-1',
    accountId: '123456789012',
    stageName,
    stageVariables: {},
    apiId: 'a1b2c3',
  };
}

describe('through LocalFunctionRuntime', () => {
  let stage: TestStage | undefined;
  afterEach(async () => {
    await stage?.close();
    stage = undefined;
  });

  it('runs a REST TOKEN authorizer: allow, deny, callback("Unauthorized") and other errors', async () => {
    const api: RestApi = {
      protocolType: 'REST',
      id: 'a1b2c3',
      name: 'pets',
      createdDate: 0,
      binaryMediaTypes: [],
      apiKeySource: 'HEADER',
      resources: [],
      authorizers: [
        {
          id: 'tok',
          type: 'TOKEN',
          authorizerUri: lambdaUri('token-authorizer'),
          identitySource: 'method.request.header.Authorization',
          authorizerResultTtlInSeconds: 0,
        },
      ],
    };
    const step = compileRestAuthorization(
      api,
      { httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: 'tok', apiKeyRequired: false },
      '/pets',
      deps('prod'),
    );
    const rest = (stage = await startStage('REST', [{ method: 'GET', path: '/pets', step }]));
    const call = async (token: string) => {
      const reply = await rest.request('/pets', { headers: { Authorization: token } });
      return { status: reply.status, body: reply.body };
    };

    const allowed = await call('allow');
    expect(allowed).toMatchObject({
      status: 200,
      body: { authorizer: { principalId: 'user', answer: '42', requestId: expect.any(String) as string } },
    });
    expect(await call('deny')).toEqual({
      status: 403,
      body: { message: 'User is not authorized to access this resource with an explicit deny' },
    });
    expect(await call('unauthorized')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await call('something else')).toEqual({ status: 500, body: { message: null } });
  });

  it('runs an HTTP API authorizer with simple responses', async () => {
    const api: HttpApi = {
      protocolType: 'HTTP',
      apiId: 'a1b2c3',
      name: 'pets',
      createdDate: 0,
      routeSelectionExpression: '${request.method} ${request.path}',
      routes: [],
      integrations: [
        {
          integrationId: 'fn',
          integrationType: 'AWS_PROXY',
          payloadFormatVersion: '2.0',
          timeoutInMillis: 30000,
        },
      ],
      authorizers: [
        {
          authorizerId: 'simple',
          authorizerType: 'REQUEST',
          authorizerUri: lambdaUri('simple-authorizer'),
          identitySource: ['$request.header.Authorization'],
          authorizerPayloadFormatVersion: '2.0',
          enableSimpleResponses: true,
        },
      ],
    };
    const step = compileHttpAuthorization(
      api,
      {
        routeId: 'r1',
        routeKey: 'GET /pets',
        target: 'integrations/fn',
        authorizationType: 'CUSTOM',
        authorizerId: 'simple',
        apiKeyRequired: false,
      },
      deps('$default'),
    );
    const http = (stage = await startStage('HTTP', [{ method: 'GET', path: '/pets', step }], {
      stageName: '$default',
    }));
    const ok = await http.request('/pets', { headers: { Authorization: 'secretToken' } });
    expect(ok).toMatchObject({ status: 200, body: { authorizer: { lambda: { routeKey: 'GET /pets' } } } });
    const refused = await http.request('/pets', { headers: { Authorization: 'guess' } });
    expect(refused).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
  });
});
