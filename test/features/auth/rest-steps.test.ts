// REST API authorization steps through a real HTTP server: Lambda TOKEN and REQUEST
// authorizers, the authorizer cache, resource policies around them, Cognito user pools, and the
// settings refused when a stage is deployed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../../../src/features/auth/authorizer-cache.js';
import { AuthConfigurationError } from '../../../src/features/auth/errors.js';
import {
  compileResourcePolicy,
  compileRestAuthorization,
  type AuthDeps,
} from '../../../src/features/auth/steps.js';
import { FunctionInvokeError } from '../../../src/functions/runtime.js';
import type { Method, RestApi } from '../../../src/model/rest-api.js';
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

const ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod';
const MASKED_PREFIX = 'arn:aws:execute-api:us-east-1:********9012:a1b2c3/prod';

const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' };
const CONFIGURATION_ERROR = {
  status: 500,
  body: { message: null },
  type: 'AuthorizerConfigurationException',
};
const EXPLICIT_DENY = {
  status: 403,
  body: { message: 'User is not authorized to access this resource with an explicit deny' },
  type: 'AccessDeniedException',
};
const IMPLICIT_DENY = {
  status: 403,
  body: { message: 'User is not authorized to access this resource' },
  type: 'AccessDeniedException',
};

function anonymousDenied(arn: string, explicit: boolean) {
  const base = `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn}`;
  return {
    status: 403,
    body: {
      message: explicit
        ? `${base} with an explicit deny in a resource-based policy`
        : `${base} because no resource-based policy allows the execute-api:Invoke action`,
    },
    type: 'AccessDeniedException',
  };
}

function restApi(spec: { authorizers?: Record<string, unknown>[]; policy?: unknown } = {}): RestApi {
  return {
    protocolType: 'REST',
    id: 'a1b2c3',
    name: 'pets',
    createdDate: 0,
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    resources: [],
    ...(spec.authorizers === undefined ? {} : { authorizers: spec.authorizers }),
    ...(spec.policy === undefined ? {} : { policy: JSON.stringify(spec.policy) }),
  };
}

function method(
  httpMethod: Method['httpMethod'],
  authorizationType: Method['authorizationType'],
  extra: Partial<Method> = {},
): Method {
  return { httpMethod, authorizationType, apiKeyRequired: false, ...extra };
}

function deps(functions: TestFunctions | undefined, extra: Partial<AuthDeps> = {}): AuthDeps {
  return {
    functions,
    cache: new AuthorizerCache(),
    region: 'us-east-1',
    accountId: '123456789012',
    stageName: 'prod',
    stageVariables: { authFunction: 'token-auth' },
    apiId: 'a1b2c3',
    ...extra,
  };
}

const tokenAuthorizer = (extra: Record<string, unknown> = {}) => ({
  id: 'tok',
  name: 'TokenAuth',
  type: 'TOKEN',
  authorizerUri: lambdaUri('token-auth'),
  identitySource: 'method.request.header.Authorization',
  ...extra,
});

const requestAuthorizer = (extra: Record<string, unknown> = {}) => ({
  id: 'req',
  name: 'RequestAuth',
  type: 'REQUEST',
  authorizerUri: lambdaUri('request-auth'),
  identitySource: 'method.request.header.X-User, method.request.querystring.tenant',
  ...extra,
});

/** A TOKEN authorizer's answer chosen by the token, as AWS's sample authorizer does. */
function tokenHandler(event: AuthorizerEvent): unknown {
  const arn = String(event['methodArn']);
  switch (event['authorizationToken']) {
    case 'allow':
      return policyAnswer('Allow', arn, {
        context: { stringKey: 'value', numberKey: 1, booleanKey: true },
        usageIdentifierKey: 'usage-key-1234567890',
      });
    case 'allow-get-pets':
      return policyAnswer('Allow', `${ARN_PREFIX}/GET/pets/*`);
    case 'deny':
      return policyAnswer('Deny', arn);
    case 'elsewhere':
      return policyAnswer('Allow', `${ARN_PREFIX}/DELETE/elsewhere`);
    case 'nested':
      return policyAnswer('Allow', arn, { context: { nested: { no: 'objects' } } });
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'callback-unauthorized':
      // Lambda's runtime reports callback('Unauthorized') as an error of type "string".
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'Unauthorized';
    case 'crash':
      throw new Error('Invalid token');
    case 'throttled':
      throw new FunctionInvokeError('Rate exceeded', 'throttled');
    case 'slow':
      return new Promise((resolve) => setTimeout(() => resolve(policyAnswer('Allow', arn)), 500));
    default:
      throw new Error(`unexpected token ${String(event['authorizationToken'])}`);
  }
}

function requestHandler(event: AuthorizerEvent): unknown {
  const headers = event['headers'] as Record<string, string>;
  return headers['X-User'] === 'alice'
    ? policyAnswer('Allow', `${ARN_PREFIX}/*`, { context: { user: 'alice' } })
    : policyAnswer('Deny', `${ARN_PREFIX}/*`);
}

let functions: TestFunctions;
let stage: TestStage | undefined;

beforeAll(() => {
  functions = new TestFunctions({ 'token-auth': tokenHandler, 'request-auth': requestHandler });
});

afterEach(async () => {
  await stage?.close();
  stage = undefined;
  functions.calls.length = 0;
});

async function serve(routes: RouteSpec[]): Promise<TestStage> {
  stage = await startStage('REST', routes);
  return stage;
}

async function answer(path: string, options: Parameters<TestStage['request']>[1] = {}) {
  const reply = await stage!.request(path, options);
  return { status: reply.status, body: reply.body, type: reply.headers['x-amzn-errortype'] };
}

/** One method GET /pets/{id} guarded by the token authorizer. */
async function tokenStage(authorizer = tokenAuthorizer(), extraDeps: Partial<AuthDeps> = {}) {
  const api = restApi({ authorizers: [authorizer] });
  const shared = deps(functions, extraDeps);
  const step = (verb: Method['httpMethod']) =>
    compileRestAuthorization(api, method(verb, 'CUSTOM', { authorizerId: 'tok' }), '/pets/{id}', shared);
  return serve([
    { method: 'GET', path: '/pets/{id}', step: step('GET') },
    { method: 'POST', path: '/pets/{id}', step: step('POST') },
  ]);
}

const bearer = (token: string) => ({ headers: { Authorization: token } });

describe('TOKEN authorizers', () => {
  it('lets an allowed request through with principalId and the context as strings', async () => {
    await tokenStage(tokenAuthorizer({ authorizerResultTtlInSeconds: 0 }));
    const reply = await answer('/pets/42', bearer('allow'));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      authorizer: {
        principalId: 'user-1',
        integrationLatency: expect.any(Number) as number,
        stringKey: 'value',
        numberKey: '1',
        booleanKey: 'true',
      },
      usageIdentifierKey: 'usage-key-1234567890',
    });
    expect(functions.callsOf('token-auth')).toEqual([
      { type: 'TOKEN', authorizationToken: 'allow', methodArn: `${ARN_PREFIX}/GET/pets/42` },
    ]);
  });

  it('answers 403 with the explicit-deny message for a Deny', async () => {
    await tokenStage();
    expect(await answer('/pets/42', bearer('deny'))).toEqual(EXPLICIT_DENY);
  });

  it('answers 403 "not authorized" for a policy that does not cover the method', async () => {
    await tokenStage();
    expect(await answer('/pets/42', bearer('elsewhere'))).toEqual(IMPLICIT_DENY);
  });

  it('answers 401 for a function that fails with "Unauthorized", thrown or through the callback', async () => {
    await tokenStage();
    expect(await answer('/pets/42', bearer('unauthorized'))).toEqual(UNAUTHORIZED);
    expect(await answer('/pets/42', bearer('callback-unauthorized'))).toEqual(UNAUTHORIZED);
    expect(functions.callsOf('token-auth')).toHaveLength(2);
  });

  it('answers 414 without invoking the function when the method ARN passes 1600 bytes', async () => {
    await tokenStage();
    // The ARN prefix plus `/GET/pets/` is 55 bytes; each é is two bytes once decoded.
    const longId = encodeURIComponent('é'.repeat(800));
    const reply = await answer(`/pets/${longId}`, bearer('allow'));
    expect(reply.status).toBe(414);
    expect(reply.body).toEqual({ message: 'Request-URI Too Long' });
    expect(functions.calls).toHaveLength(0);
    expect((await answer(`/pets/${'a'.repeat(1500)}`, bearer('allow'))).status).toBe(200);
  });

  it('answers 401 without invoking the function when the token header is missing or empty', async () => {
    await tokenStage();
    expect(await answer('/pets/42')).toEqual(UNAUTHORIZED);
    expect(await answer('/pets/42', bearer(''))).toEqual(UNAUTHORIZED);
    expect(functions.calls).toHaveLength(0);
  });

  it('answers 401 without invoking the function for a token failing identityValidationExpression', async () => {
    await tokenStage(tokenAuthorizer({ identityValidationExpression: 'allow|deny' }));
    expect(await answer('/pets/42', bearer('allow-get-pets'))).toEqual(UNAUTHORIZED);
    expect(functions.calls).toHaveLength(0);
    expect((await answer('/pets/42', bearer('allow'))).status).toBe(200);
    expect(functions.calls).toHaveLength(1);
  });

  it('answers 500 {"message":null} for a context value that is an object', async () => {
    await tokenStage();
    expect(await answer('/pets/42', bearer('nested'))).toEqual(CONFIGURATION_ERROR);
  });

  it('answers 500 {"message":null} for any other function error and a function that cannot run', async () => {
    await tokenStage();
    expect(await answer('/pets/42', bearer('crash'))).toEqual(CONFIGURATION_ERROR);
    expect(await answer('/pets/42', bearer('throttled'))).toEqual(CONFIGURATION_ERROR);
  });

  it('answers 500 {"message":null} when the function does not answer within the authorizer timeout', async () => {
    await tokenStage(tokenAuthorizer(), { authorizerTimeoutMs: 50 });
    const started = Date.now();
    expect(await answer('/pets/42', bearer('slow'))).toEqual(CONFIGURATION_ERROR);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('reads the function name after substituting stage variables', async () => {
    await tokenStage(
      tokenAuthorizer({
        authorizerUri:
          'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.authFunction}/invocations',
      }),
    );
    expect((await answer('/pets/42', bearer('allow'))).status).toBe(200);
  });

  it('uses /GET/ for the root resource in the method ARN', async () => {
    const api = restApi({ authorizers: [tokenAuthorizer({ authorizerResultTtlInSeconds: 0 })] });
    const step = compileRestAuthorization(
      api,
      method('GET', 'CUSTOM', { authorizerId: 'tok' }),
      '/',
      deps(functions),
    );
    await serve([{ method: 'GET', path: '/', step }]);
    expect((await answer('/', bearer('allow'))).status).toBe(200);
    expect(functions.callsOf('token-auth')[0]?.['methodArn']).toBe(`${ARN_PREFIX}/GET/`);
  });
});

describe('the authorizer cache', () => {
  it('invokes the function once for two requests with the same token', async () => {
    await tokenStage();
    expect((await answer('/pets/1', bearer('allow'))).status).toBe(200);
    const cached = await answer('/pets/1', bearer('allow'));
    expect(cached.status).toBe(200);
    expect(cached.body).toMatchObject({ authorizer: { principalId: 'user-1', integrationLatency: 0 } });
    expect(functions.calls).toHaveLength(1);
    expect((await answer('/pets/1', bearer('allow-get-pets'))).status).toBe(200);
    expect(functions.calls, 'another token is another cache key').toHaveLength(2);
  });

  it('invokes the function for every request when the TTL is 0', async () => {
    await tokenStage(tokenAuthorizer({ authorizerResultTtlInSeconds: 0 }));
    await answer('/pets/1', bearer('allow'));
    await answer('/pets/1', bearer('allow'));
    expect(functions.calls).toHaveLength(2);
  });

  it('applies a cached narrow policy to other methods: they are denied', async () => {
    await tokenStage();
    expect((await answer('/pets/1', bearer('allow-get-pets'))).status).toBe(200);
    expect(await answer('/pets/1', { ...bearer('allow-get-pets'), method: 'POST' })).toEqual(IMPLICIT_DENY);
    expect(functions.calls, 'the POST was judged by the cached policy').toHaveLength(1);
  });

  it('keeps a result until its TTL passes', async () => {
    let now = 1_000_000;
    await tokenStage(tokenAuthorizer({ authorizerResultTtlInSeconds: 60 }), {
      cache: new AuthorizerCache({ now: () => now }),
    });
    await answer('/pets/1', bearer('allow'));
    now += 59_000;
    await answer('/pets/1', bearer('allow'));
    expect(functions.calls).toHaveLength(1);
    now += 1_000;
    await answer('/pets/1', bearer('allow'));
    expect(functions.calls).toHaveLength(2);
  });
});

describe('REQUEST authorizers', () => {
  async function requestStage(authorizer = requestAuthorizer()) {
    const api = restApi({ authorizers: [authorizer] });
    const step = compileRestAuthorization(
      api,
      method('GET', 'CUSTOM', { authorizerId: 'req' }),
      '/pets/{id}',
      deps(functions, { stageVariables: { tier: 'gold' } }),
    );
    stage = await startStage('REST', [{ method: 'GET', path: '/pets/{id}', step }], {
      variables: { tier: 'gold' },
    });
  }

  it('sends the request without its body, with the method ARN', async () => {
    await requestStage();
    const reply = await answer('/pets/42?tenant=t1&tenant=t2', {
      method: 'GET',
      headers: { 'X-User': 'alice', 'User-Agent': 'tests' },
    });
    expect(reply).toMatchObject({
      status: 200,
      body: { authorizer: { principalId: 'user-1', user: 'alice' } },
    });
    const [event] = functions.callsOf('request-auth');
    expect(Object.keys(event!)).toEqual([
      'type',
      'methodArn',
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
    ]);
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: `${ARN_PREFIX}/GET/pets/42`,
      resource: '/pets/{id}',
      path: '/pets/42',
      httpMethod: 'GET',
      headers: { 'X-User': 'alice', 'User-Agent': 'tests' },
      multiValueHeaders: { 'X-User': ['alice'] },
      queryStringParameters: { tenant: 't2' },
      multiValueQueryStringParameters: { tenant: ['t1', 't2'] },
      pathParameters: { id: '42' },
      stageVariables: { tier: 'gold' },
      requestContext: {
        resourcePath: '/pets/{id}',
        httpMethod: 'GET',
        stage: 'prod',
        apiId: 'a1b2c3',
        path: '/prod/pets/42',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
  });

  it('answers 401 without invoking the function when an identity source is missing', async () => {
    await requestStage();
    expect(await answer('/pets/42', { headers: { 'X-User': 'alice' } })).toEqual(UNAUTHORIZED);
    expect(await answer('/pets/42?tenant=', { headers: { 'X-User': 'alice' } })).toEqual(UNAUTHORIZED);
    expect(functions.calls).toHaveLength(0);
  });

  it('caches by all identity source values together', async () => {
    await requestStage();
    await answer('/pets/1?tenant=t1', { headers: { 'X-User': 'alice' } });
    await answer('/pets/2?tenant=t1', { headers: { 'X-User': 'alice' } });
    expect(functions.calls).toHaveLength(1);
    expect(await answer('/pets/1?tenant=t1', { headers: { 'X-User': 'bob' } })).toEqual(EXPLICIT_DENY);
    await answer('/pets/1?tenant=t2', { headers: { 'X-User': 'alice' } });
    expect(functions.calls).toHaveLength(3);
  });

  it('invokes the function every time when it has no identity sources', async () => {
    await requestStage(requestAuthorizer({ identitySource: undefined }));
    await answer('/pets/1', { headers: { 'X-User': 'alice' } });
    await answer('/pets/1', { headers: { 'X-User': 'alice' } });
    expect(functions.calls).toHaveLength(2);
  });
});

describe('resource policies', () => {
  const ALLOWED_IP = '192.0.2.5';
  const DENIED_IP = '198.51.100.9';
  const OTHER_IP = '203.0.113.1';
  const statement = (effect: 'Allow' | 'Deny', cidr: string) => ({
    Effect: effect,
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
    Condition: { IpAddress: { 'aws:SourceIp': cidr } },
  });
  /** Allows 192.0.2.0/24, denies 198.51.100.0/24, says nothing about anyone else. */
  const ADDRESS_POLICY = {
    Version: '2012-10-17',
    Statement: [statement('Allow', '192.0.2.0/24'), statement('Deny', '198.51.100.0/24')],
  };

  it('without an authorizer, lets through only what the policy explicitly allows', async () => {
    const api = restApi({ policy: ADDRESS_POLICY });
    const step = compileRestAuthorization(api, method('GET', 'NONE'), '/open', deps(functions));
    await serve([{ method: 'GET', path: '/open', step }]);
    expect((await answer('/open', { sourceIp: ALLOWED_IP })).status).toBe(200);
    expect(await answer('/open', { sourceIp: OTHER_IP })).toEqual(
      anonymousDenied(`${MASKED_PREFIX}/GET/open`, false),
    );
    expect(await answer('/open', { sourceIp: DENIED_IP })).toEqual(
      anonymousDenied(`${MASKED_PREFIX}/GET/open`, true),
    );
  });

  it('needs no step for a method without authorization on an API without a policy', () => {
    expect(compileRestAuthorization(restApi(), method('GET', 'NONE'), '/open', deps(functions))).toBeNull();
    expect(compileResourcePolicy(restApi(), deps(functions))).toBeNull();
  });

  it('with a Lambda authorizer: denies before invoking it, then combines both (Table A)', async () => {
    const api = restApi({
      policy: ADDRESS_POLICY,
      authorizers: [tokenAuthorizer({ authorizerResultTtlInSeconds: 0 })],
    });
    const step = compileRestAuthorization(
      api,
      method('GET', 'CUSTOM', { authorizerId: 'tok' }),
      '/pets/{id}',
      deps(functions),
    );
    await serve([{ method: 'GET', path: '/pets/{id}', step }]);
    const arn = `${MASKED_PREFIX}/GET/pets/7`;

    // Resource policy Deny: refused before the authorizer runs.
    expect(await answer('/pets/7', { ...bearer('allow'), sourceIp: DENIED_IP })).toEqual(
      anonymousDenied(arn, true),
    );
    expect(functions.calls).toHaveLength(0);
    // Authorizer Allow + resource policy silent: allowed.
    expect((await answer('/pets/7', { ...bearer('allow'), sourceIp: OTHER_IP })).status).toBe(200);
    // Authorizer silent + resource policy Allow: allowed.
    expect((await answer('/pets/7', { ...bearer('elsewhere'), sourceIp: ALLOWED_IP })).status).toBe(200);
    // Both silent: the authorizer's implicit deny.
    expect(await answer('/pets/7', { ...bearer('elsewhere'), sourceIp: OTHER_IP })).toEqual(IMPLICIT_DENY);
    // Authorizer Deny beats the resource policy's Allow.
    expect(await answer('/pets/7', { ...bearer('deny'), sourceIp: ALLOWED_IP })).toEqual(EXPLICIT_DENY);
    // The identity check is the authorizer's: still a 401 without a token.
    expect(await answer('/pets/7', { sourceIp: ALLOWED_IP })).toEqual(UNAUTHORIZED);
    expect(functions.calls).toHaveLength(4);
  });

  it('refuses a policy it cannot read when the stage is deployed', () => {
    const api = { ...restApi(), policy: '{"Statement": [{"Effect": "Allow"}]}' };
    expect(() => compileRestAuthorization(api, method('GET', 'NONE'), '/open', deps(functions))).toThrow(
      /the API's resource policy cannot be enforced: Statement 1 has neither Action nor NotAction/,
    );
  });
});

describe('Cognito user pool authorizers', () => {
  const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1';
  let idp: IdentityProvider;
  let key: SigningKey;

  beforeAll(async () => {
    key = await signingKey('pool-key');
    idp = await startIdentityProvider([key]);
  });
  afterAll(() => idp.close());

  const cognitoAuthorizer = {
    id: 'pool',
    name: 'UserPool',
    type: 'COGNITO_USER_POOLS',
    providerARNs: [POOL],
    identitySource: 'method.request.header.Authorization',
  };
  const issuer = () => `${idp.base}/us-east-1_Pool1`;

  async function cognitoStage(policy?: unknown) {
    const api = restApi({ authorizers: [cognitoAuthorizer], ...(policy === undefined ? {} : { policy }) });
    const shared = deps(undefined, { cognitoIssuerBase: idp.base });
    await serve([
      {
        method: 'GET',
        path: '/me',
        step: compileRestAuthorization(
          api,
          method('GET', 'COGNITO_USER_POOLS', { authorizerId: 'pool' }),
          '/me',
          shared,
        ),
      },
      {
        method: 'POST',
        path: '/orders',
        step: compileRestAuthorization(
          api,
          method('POST', 'COGNITO_USER_POOLS', {
            authorizerId: 'pool',
            authorizationScopes: ['orders/write'],
          }),
          '/orders',
          shared,
        ),
      },
    ]);
  }

  const idToken = () =>
    idp.sign(
      key,
      {
        sub: 'u-1',
        aud: 'client-1',
        token_use: 'id',
        'cognito:groups': ['admin', 'ops'],
        email_verified: true,
      },
      { expiresIn: 3600, issuer: issuer() },
    );

  it('lets a valid ID token through with its claims as REST renders them', async () => {
    await cognitoStage();
    const reply = await answer('/me', bearer(await idToken()));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      authorizer: {
        claims: {
          sub: 'u-1',
          aud: 'client-1',
          token_use: 'id',
          'cognito:groups': '[admin, ops]',
          email_verified: 'true',
          iss: issuer(),
        },
      },
    });
    const claims = (reply.body as { authorizer: { claims: Record<string, string> } }).authorizer.claims;
    expect(claims['exp']).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  it('answers 401 for a missing token, a bad token, and a token without the method’s scopes', async () => {
    await cognitoStage();
    expect(await answer('/me')).toEqual(UNAUTHORIZED);
    expect(await answer('/me', bearer('not-a-jwt'))).toEqual(UNAUTHORIZED);
    const access = await idp.sign(
      key,
      { sub: 'u-1', client_id: 'client-1', token_use: 'access', scope: 'orders/read' },
      { expiresIn: 3600, issuer: issuer() },
    );
    expect(await answer('/orders', { ...bearer(access), method: 'POST' })).toEqual(UNAUTHORIZED);
    const writer = await idp.sign(
      key,
      { sub: 'u-1', client_id: 'client-1', token_use: 'access', scope: 'orders/read orders/write' },
      { expiresIn: 3600, issuer: issuer() },
    );
    expect((await answer('/orders', { ...bearer(writer), method: 'POST' })).status).toBe(200);
  });

  it('with a resource policy: authenticates first, then needs the policy’s explicit Allow', async () => {
    await cognitoStage({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
        },
      ],
    });
    const token = await idToken();
    expect((await answer('/me', { ...bearer(token), sourceIp: '192.0.2.77' })).status).toBe(200);
    expect(await answer('/me', { ...bearer(token), sourceIp: '203.0.113.1' })).toEqual(
      anonymousDenied(`${MASKED_PREFIX}/GET/me`, false),
    );
    expect(await answer('/me', { sourceIp: '203.0.113.1' }), 'authentication comes first').toEqual(
      UNAUTHORIZED,
    );
  });
});

describe('settings refused when the stage is deployed', () => {
  const compile =
    (api: RestApi, m: Method, d = deps(functions)) =>
    () =>
      compileRestAuthorization(api, m, '/pets', d);

  it('compiles IAM authorization, which needs no authorizer (test/features/auth/iam.test.ts)', () => {
    expect(compile(restApi(), method('GET', 'AWS_IAM'))()).toBeTypeOf('function');
  });

  it('refuses an authorizer the API does not define', () => {
    expect(compile(restApi(), method('GET', 'CUSTOM', { authorizerId: 'ghost' }))).toThrow(
      'the method uses authorizer "ghost", which the API does not define',
    );
  });

  it('refuses a function that no runtime serves, or no runtime at all', () => {
    const api = restApi({ authorizers: [tokenAuthorizer({ authorizerUri: lambdaUri('missing-fn') })] });
    const m = method('GET', 'CUSTOM', { authorizerId: 'tok' });
    expect(compile(api, m)).toThrow(
      'authorizer "TokenAuth" calls function "missing-fn", which no runtime serves: add it under "functions" in the configuration file',
    );
    expect(compile(api, m, deps(undefined))).toThrow(
      /authorizer "TokenAuth" calls function "missing-fn", but no function runtime is configured/,
    );
  });

  it('refuses authorizers that cannot be read', () => {
    const m = method('GET', 'CUSTOM', { authorizerId: 'tok' });
    const cases: [Record<string, unknown>, RegExp][] = [
      [tokenAuthorizer({ authorizerUri: undefined }), /authorizer "TokenAuth" has no authorizerUri/],
      [
        tokenAuthorizer({ authorizerUri: 'https://example.com/auth' }),
        /authorizer "TokenAuth": integration uri/,
      ],
      [
        tokenAuthorizer({ identitySource: 'method.request.querystring.token' }),
        /authorizer "TokenAuth": A TOKEN authorizer/,
      ],
      [
        tokenAuthorizer({ identityValidationExpression: '(' }),
        /authorizer "TokenAuth": identityValidationExpression/,
      ],
      [tokenAuthorizer({ type: 'JWT' }), /authorizer "TokenAuth" has type "JWT"/],
      [
        tokenAuthorizer({ type: 'COGNITO_USER_POOLS' }),
        /authorization type CUSTOM, but authorizer "TokenAuth" is a COGNITO_USER_POOLS/,
      ],
    ];
    for (const [authorizer, message] of cases) {
      expect(compile(restApi({ authorizers: [authorizer] }), m), message.source).toThrow(message);
    }
    const pool = { id: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: ['not-an-arn'] };
    expect(
      compile(
        restApi({ authorizers: [pool] }),
        method('GET', 'COGNITO_USER_POOLS', { authorizerId: 'pool' }),
      ),
    ).toThrow(/authorizer "pool": providerARNs entry "not-an-arn" is not a user pool ARN/);
  });

  it('throws AuthConfigurationError every time, for every method using the broken authorizer', () => {
    const api = restApi({ authorizers: [tokenAuthorizer({ authorizerUri: lambdaUri('missing-fn') })] });
    const shared = deps(functions);
    for (const verb of ['GET', 'POST'] as const) {
      expect(compile(api, method(verb, 'CUSTOM', { authorizerId: 'tok' }), shared)).toThrow(
        AuthConfigurationError,
      );
    }
  });
});
