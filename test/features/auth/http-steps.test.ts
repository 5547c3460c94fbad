// HTTP API authorization steps through a real HTTP server: Lambda authorizers with simple and
// IAM policy answers in payload formats 1.0 and 2.0, their cache, JWT authorizers against a real
// key set, and the settings refused when a stage is deployed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../../../src/features/auth/authorizer-cache.js';
import { compileHttpAuthorization, type AuthDeps } from '../../../src/features/auth/steps.js';
import type { HttpApi, Route } from '../../../src/model/http-api.js';
import { signingKey, startIdentityProvider, type IdentityProvider, type SigningKey } from './idp.js';
import {
  lambdaUri,
  policyAnswer,
  startStage,
  TestFunctions,
  type AuthorizerEvent,
  type RouteSpec,
  type TestStage,
} from './stage.js';

const ROUTE_ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:h1t2p3/$default';

const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' } };
const FORBIDDEN = { status: 403, body: { message: 'Forbidden' } };
const INTERNAL = { status: 500, body: { message: 'Internal Server Error' } };

function httpApi(authorizers: Record<string, unknown>[], format: '1.0' | '2.0' = '2.0'): HttpApi {
  return {
    protocolType: 'HTTP',
    apiId: 'h1t2p3',
    name: 'pets',
    createdDate: 0,
    routeSelectionExpression: '${request.method} ${request.path}',
    routes: [],
    integrations: [
      {
        integrationId: 'fn',
        integrationType: 'AWS_PROXY',
        payloadFormatVersion: format,
        timeoutInMillis: 30000,
      },
    ],
    authorizers,
  };
}

function route(
  routeKey: string,
  authorizationType: Route['authorizationType'],
  extra: Partial<Route> = {},
): Route {
  return {
    routeId: routeKey,
    routeKey,
    target: 'integrations/fn',
    authorizationType,
    apiKeyRequired: false,
    ...extra,
  };
}

function deps(functions: TestFunctions | undefined): AuthDeps {
  return {
    functions,
    cache: new AuthorizerCache(),
    region: 'us-east-1',
    accountId: '123456789012',
    stageName: '$default',
    stageVariables: {},
    apiId: 'h1t2p3',
  };
}

const lambdaAuthorizer = (extra: Record<string, unknown> = {}) => ({
  authorizerId: 'lam',
  name: 'LambdaAuth',
  authorizerType: 'REQUEST',
  authorizerUri: lambdaUri('http-auth'),
  identitySource: ['$request.header.Authorization'],
  authorizerPayloadFormatVersion: '2.0',
  enableSimpleResponses: true,
  ...extra,
});

function httpHandler(event: AuthorizerEvent): unknown {
  const headers = event['headers'] as Record<string, string>;
  const arn = String(event['routeArn'] ?? event['methodArn']);
  switch (headers['authorization']) {
    case 'yes':
      return {
        isAuthorized: true,
        context: { user: 'alice', tier: 1, tags: ['a', 'b'], profile: { admin: true } },
      };
    case 'no':
      return { isAuthorized: false, context: { why: 'no' } };
    case 'allow':
      return policyAnswer('Allow', arn, { principalId: 'user-9', context: { user: 'bob', level: 2 } });
    case 'allow-get-pets':
      return policyAnswer('Allow', `${ROUTE_ARN_PREFIX}/GET/pets/*`);
    case 'deny':
      return policyAnswer('Deny', arn);
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'garbage':
      return { isAuthorized: 'yes' };
    default:
      throw new Error('boom');
  }
}

let functions: TestFunctions;
let stage: TestStage | undefined;

beforeAll(() => {
  functions = new TestFunctions({ 'http-auth': httpHandler });
});

afterEach(async () => {
  await stage?.close();
  stage = undefined;
  functions.calls.length = 0;
});

async function serve(routes: RouteSpec[]): Promise<void> {
  stage = await startStage('HTTP', routes, { stageName: '$default', apiId: 'h1t2p3' });
}

async function answer(path: string, options: Parameters<TestStage['request']>[1] = {}) {
  const reply = await stage!.request(path, options);
  return { status: reply.status, body: reply.body };
}

const auth = (value: string) => ({ headers: { Authorization: value } });

/** GET /pets/{id} and POST /pets, both behind the same authorizer. */
async function lambdaStage(authorizer = lambdaAuthorizer(), format: '1.0' | '2.0' = '2.0') {
  const api = httpApi([authorizer], format);
  const shared = deps(functions);
  await serve([
    {
      method: 'GET',
      path: '/pets/{id}',
      step: compileHttpAuthorization(api, route('GET /pets/{id}', 'CUSTOM', { authorizerId: 'lam' }), shared),
    },
    {
      method: 'POST',
      path: '/pets',
      step: compileHttpAuthorization(api, route('POST /pets', 'CUSTOM', { authorizerId: 'lam' }), shared),
    },
  ]);
}

describe('Lambda authorizers, payload format 2.0', () => {
  it('lets isAuthorized: true through with the context under lambda, and sends the 2.0 event', async () => {
    await lambdaStage();
    const reply = await answer('/pets/7?q=1&q=2', { headers: { Authorization: 'yes', Cookie: 'a=1; b=2' } });
    expect(reply).toEqual({
      status: 200,
      body: {
        authorizer: { lambda: { user: 'alice', tier: 1, tags: ['a', 'b'], profile: { admin: true } } },
        usageIdentifierKey: null,
      },
    });
    const [event] = functions.callsOf('http-auth');
    expect(Object.keys(event!)).toEqual([
      'version',
      'type',
      'routeArn',
      'identitySource',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'cookies',
      'headers',
      'queryStringParameters',
      'requestContext',
      'pathParameters',
    ]);
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${ROUTE_ARN_PREFIX}/GET/pets/7`,
      identitySource: ['yes'],
      routeKey: 'GET /pets/{id}',
      rawPath: '/pets/7',
      rawQueryString: 'q=1&q=2',
      cookies: ['a=1', 'b=2'],
      headers: { authorization: 'yes' },
      queryStringParameters: { q: '1,2' },
      requestContext: {
        routeKey: 'GET /pets/{id}',
        stage: '$default',
        http: { method: 'GET', path: '/pets/7' },
      },
      pathParameters: { id: '7' },
    });
    expect((event!['headers'] as Record<string, string>)['content-length']).toBeUndefined();
  });

  it('answers 403 Forbidden for isAuthorized: false', async () => {
    await lambdaStage();
    expect(await answer('/pets/7', auth('no'))).toEqual(FORBIDDEN);
  });

  it('answers 401 without invoking the function when the identity source is missing', async () => {
    await lambdaStage();
    expect(await answer('/pets/7')).toEqual(UNAUTHORIZED);
    expect(functions.calls).toHaveLength(0);
  });

  it('answers 401 for "Unauthorized" and 500 Internal Server Error for other failures', async () => {
    await lambdaStage();
    expect(await answer('/pets/7', auth('unauthorized'))).toEqual(UNAUTHORIZED);
    expect(await answer('/pets/7', auth('crash'))).toEqual(INTERNAL);
    expect(await answer('/pets/7', auth('garbage'))).toEqual(INTERNAL);
  });

  it('judges IAM policy answers against the route ARN', async () => {
    await lambdaStage(lambdaAuthorizer({ enableSimpleResponses: false }));
    expect(await answer('/pets/7', auth('allow'))).toEqual({
      status: 200,
      body: { authorizer: { lambda: { user: 'bob', level: 2 } }, usageIdentifierKey: null },
    });
    expect(await answer('/pets/7', auth('deny'))).toEqual(FORBIDDEN);
  });

  it('shares a cached answer across the authorizer’s routes, judging its policy per route', async () => {
    await lambdaStage(lambdaAuthorizer({ enableSimpleResponses: false }));
    expect((await answer('/pets/7', auth('allow-get-pets'))).status).toBe(200);
    expect(await answer('/pets', { ...auth('allow-get-pets'), method: 'POST' })).toEqual(FORBIDDEN);
    expect(functions.calls, 'the POST was judged by the cached policy').toHaveLength(1);
  });

  it('caches simple answers for every route of the authorizer, keyed by the identity sources', async () => {
    await lambdaStage();
    expect((await answer('/pets/1', auth('yes'))).status).toBe(200);
    expect((await answer('/pets', { ...auth('yes'), method: 'POST' })).status).toBe(200);
    expect(functions.calls).toHaveLength(1);
    expect(await answer('/pets/1', auth('no'))).toEqual(FORBIDDEN);
    expect(await answer('/pets/1', auth('no'))).toEqual(FORBIDDEN);
    expect(functions.calls).toHaveLength(2);
  });

  it('never caches for an authorizer without identity sources', async () => {
    await lambdaStage(lambdaAuthorizer({ identitySource: [], authorizerResultTtlInSeconds: 300 }));
    await answer('/pets/1', auth('yes'));
    await answer('/pets/1', auth('yes'));
    expect(functions.calls).toHaveLength(2);
    expect(functions.callsOf('http-auth')[0]).toMatchObject({ identitySource: [] });
  });

  it('invokes the function for every request when the TTL is 0', async () => {
    await lambdaStage(lambdaAuthorizer({ authorizerResultTtlInSeconds: 0 }));
    await answer('/pets/1', auth('yes'));
    await answer('/pets/1', auth('yes'));
    expect(functions.calls).toHaveLength(2);
  });
});

describe('Lambda authorizers, payload format 1.0', () => {
  const v1 = lambdaAuthorizer({
    authorizerPayloadFormatVersion: '1.0',
    enableSimpleResponses: undefined,
    identitySource: ['$request.header.Authorization', '$request.querystring.tenant'],
  });

  it('sends the REST-compatible event with the identity sources joined by commas', async () => {
    await lambdaStage(v1);
    expect((await answer('/pets/7?tenant=t1', auth('allow'))).status).toBe(200);
    const [event] = functions.callsOf('http-auth');
    expect(event).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: `${ROUTE_ARN_PREFIX}/GET/pets/7`,
      identitySource: 'allow,t1',
      authorizationToken: 'allow,t1',
      resource: '/pets/{id}',
      path: '/pets/7',
      httpMethod: 'GET',
      headers: { authorization: 'allow' },
      queryStringParameters: { tenant: 't1' },
      pathParameters: { id: '7' },
      requestContext: { resourcePath: '/pets/{id}', stage: '$default' },
    });
    expect(event).not.toHaveProperty('body');
  });

  it('hands a payload 1.0 integration the context flat, with principalId', async () => {
    await lambdaStage(v1, '1.0');
    expect(await answer('/pets/7?tenant=t1', auth('allow'))).toEqual({
      status: 200,
      body: { authorizer: { user: 'bob', level: 2, principalId: 'user-9' }, usageIdentifierKey: null },
    });
    expect(await answer('/pets/7?tenant=t1', auth('deny'))).toEqual(FORBIDDEN);
  });
});

describe('JWT authorizers', () => {
  let idp: IdentityProvider;
  let key: SigningKey;

  beforeAll(async () => {
    key = await signingKey('jwt-key');
    idp = await startIdentityProvider([key]);
  });
  afterAll(() => idp.close());

  const jwtAuthorizer = () => ({
    authorizerId: 'jwt',
    name: 'Jwt',
    authorizerType: 'JWT',
    identitySource: ['$request.header.Authorization'],
    jwtConfiguration: { issuer: idp.issuer, audience: ['pets-api'] },
  });

  async function jwtStage(format: '1.0' | '2.0' = '2.0') {
    const api = httpApi([jwtAuthorizer()], format);
    const shared = deps(undefined);
    await serve([
      {
        method: 'GET',
        path: '/pets',
        step: compileHttpAuthorization(api, route('GET /pets', 'JWT', { authorizerId: 'jwt' }), shared),
      },
      {
        method: 'POST',
        path: '/pets',
        step: compileHttpAuthorization(
          api,
          route('POST /pets', 'JWT', { authorizerId: 'jwt', authorizationScopes: ['pets/write'] }),
          shared,
        ),
      },
    ]);
  }

  const token = (claims: Record<string, unknown>) =>
    idp.sign(key, { sub: 'u-1', aud: 'pets-api', ...claims }, { expiresIn: 3600 });

  it('lets a valid token through with its claims as strings and no scopes', async () => {
    await jwtStage();
    const reply = await answer('/pets', auth(`Bearer ${await token({ groups: ['a', 'b'], n: 5 })}`));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      authorizer: {
        jwt: {
          claims: { sub: 'u-1', aud: 'pets-api', groups: '[a b]', n: '5', iss: idp.issuer },
          scopes: null,
        },
      },
    });
  });

  it('answers 403 Forbidden for a valid token without the route’s scopes, and lists them when present', async () => {
    await jwtStage();
    expect(await answer('/pets', { ...auth(await token({ scope: 'pets/read' })), method: 'POST' })).toEqual(
      FORBIDDEN,
    );
    const writer = await answer('/pets', {
      ...auth(await token({ scope: 'pets/read pets/write' })),
      method: 'POST',
    });
    expect(writer).toMatchObject({
      status: 200,
      body: { authorizer: { jwt: { scopes: ['pets/read', 'pets/write'] } } },
    });
  });

  it('answers 401 for a missing token, another audience, and a token that is not a JWT', async () => {
    await jwtStage();
    expect(await answer('/pets')).toEqual(UNAUTHORIZED);
    expect(await answer('/pets', auth(await token({ aud: 'other-api' })))).toEqual(UNAUTHORIZED);
    expect(await answer('/pets', auth('Bearer nonsense'))).toEqual(UNAUTHORIZED);
  });

  it('hands a payload 1.0 integration {claims, scopes} without the jwt level', async () => {
    await jwtStage('1.0');
    const reply = await answer('/pets', auth(await token({})));
    expect(reply).toMatchObject({
      status: 200,
      body: { authorizer: { claims: { sub: 'u-1' }, scopes: null } },
    });
  });
});

describe('settings refused when the stage is deployed', () => {
  const compile =
    (authorizers: Record<string, unknown>[], r: Route, d = deps(functions)) =>
    () =>
      compileHttpAuthorization(httpApi(authorizers), r, d);

  it('refuses an unknown authorizer and a function no runtime serves, and compiles IAM authorization', () => {
    // AWS_IAM needs no authorizer: test/features/auth/iam.test.ts covers it.
    expect(compile([], route('GET /pets', 'AWS_IAM'))()).toBeTypeOf('function');
    expect(compile([], route('GET /pets', 'CUSTOM', { authorizerId: 'ghost' }))).toThrow(
      'the method uses authorizer "ghost", which the API does not define',
    );
    expect(
      compile(
        [lambdaAuthorizer({ authorizerUri: lambdaUri('nobody') })],
        route('GET /pets', 'CUSTOM', { authorizerId: 'lam' }),
      ),
    ).toThrow('authorizer "LambdaAuth" calls function "nobody", which no runtime serves');
  });

  it('refuses authorizers that cannot work as configured', () => {
    const custom = route('GET /pets', 'CUSTOM', { authorizerId: 'lam' });
    expect(compile([lambdaAuthorizer({ authorizerPayloadFormatVersion: undefined })], custom)).toThrow(
      'authorizer "LambdaAuth" needs authorizerPayloadFormatVersion ("1.0" or "2.0")',
    );
    expect(compile([lambdaAuthorizer({ authorizerPayloadFormatVersion: '1.0' })], custom)).toThrow(
      'simple responses need authorizerPayloadFormatVersion "2.0"',
    );
    expect(compile([lambdaAuthorizer({ identitySource: ['method.request.header.X'] })], custom)).toThrow(
      /authorizer "LambdaAuth": Unsupported identity source/,
    );
    const jwt = route('GET /pets', 'JWT', { authorizerId: 'j' });
    const jwtAuthorizer = (jwtConfiguration: Record<string, unknown>) => ({
      authorizerId: 'j',
      authorizerType: 'JWT',
      jwtConfiguration,
    });
    expect(compile([jwtAuthorizer({ audience: ['x'] })], jwt)).toThrow(
      'authorizer "j" needs jwtConfiguration.issuer',
    );
    expect(compile([jwtAuthorizer({ issuer: 'https://idp.example.com' })], jwt)).toThrow(
      /authorizer "j" needs jwtConfiguration.audience/,
    );
    expect(compile([lambdaAuthorizer()], route('GET /pets', 'JWT', { authorizerId: 'lam' }))).toThrow(
      'route GET /pets has authorization type JWT, but authorizer "LambdaAuth" is a REQUEST authorizer',
    );
  });

  it('needs no step for routes without authorization', () => {
    expect(compileHttpAuthorization(httpApi([]), route('GET /pets', 'NONE'), deps(functions))).toBeNull();
  });
});
