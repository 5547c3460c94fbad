// AWS_IAM authorization against a real gateway listener on port 0: requests signed with
// Gatehouse's signer and with the AWS SDK's SignatureV4 (service execute-api), refusals with
// AWS's statuses, bodies and x-amzn-ErrorType, identity and resource policies combined as IAM
// combines them, and the caller as $context.identity and Lambda proxy events show it.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStage } from '../../../src/compiler/compile-stage.js';
import { UpstreamPools } from '../../../src/dataplane/integrations/upstream-pools.js';
import { createGatewayServer } from '../../../src/dataplane/listener.js';
import { StageRegistry } from '../../../src/dataplane/stage-registry.js';
import type { CompiledStage } from '../../../src/dataplane/compiled-stage.js';
import { compileIamCallers, type IamCallerSettings } from '../../../src/features/auth/index.js';
import type { Deployment, Stage } from '../../../src/model/api.js';
import type { HttpApi } from '../../../src/model/http-api.js';
import type { Integration, RestApi } from '../../../src/model/rest-api.js';
import { Sha256 } from '../../../src/sigv4/canonical.js';
import { signRequest, SIGNATURE_MISMATCH } from '../../../src/sigv4/index.js';
import { deploymentOf, httpApi, mock, restApi, stageOf } from '../../helpers/apis.js';
import { TestFunctions } from './stage.js';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111122223333';
const user = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;
const arnPrefix = 'arn:aws:execute-api:*:*:*';

const CALLERS: Record<string, IamCallerSettings> = {
  'ci-bot': {
    accessKeyId: 'AKIACIBOT000000000001',
    secretAccessKey: 'ci-bot-secret',
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: [`${arnPrefix}/prod/*`, `${arnPrefix}/$default/*`],
        },
        { Effect: 'Deny', Action: 'execute-api:*', Resource: `${arnPrefix}/*/*/admin` },
      ],
    },
  },
  reader: {
    accessKeyId: 'AKIAREADER0000000001',
    secretAccessKey: 'reader-secret',
    // As a JSON string, the other form the config file takes.
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arnPrefix}/prod/GET/pets*` },
    }),
  },
  admin: { accessKeyId: 'AKIAADMIN00000000001', secretAccessKey: 'admin-secret' },
  partner: {
    accessKeyId: 'AKIAPARTNER000000001',
    secretAccessKey: 'partner-secret',
    policy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    },
  },
  outsider: {
    accessKeyId: 'AKIAOUTSIDER00000001',
    secretAccessKey: 'outsider-secret',
    arn: user('outsider', OTHER_ACCOUNT),
  },
};

const credentialsOf = (name: string) => ({
  accessKeyId: CALLERS[name]!.accessKeyId,
  secretAccessKey: CALLERS[name]!.secretAccessKey,
});

const LAMBDA_URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:echo/invocations';

const lambdaProxy: Integration = {
  type: 'AWS_PROXY',
  httpMethod: 'POST',
  uri: LAMBDA_URI,
  timeoutInMillis: 29_000,
};

const IDENTITY_TEMPLATE = JSON.stringify({
  accessKey: '$context.identity.accessKey',
  accountId: '$context.identity.accountId',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  userArn: '$context.identity.userArn',
  cognitoIdentityId: '$context.identity.cognitoIdentityId',
  cognitoAuthenticationType: '$context.identity.cognitoAuthenticationType',
});

function iam(api: RestApi): RestApi {
  for (const resource of api.resources) {
    for (const method of Object.values(resource.resourceMethods)) method.authorizationType = 'AWS_IAM';
  }
  return api;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface SendOptions {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sign as this caller; omitted, the request goes unsigned. */
  as?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  signedAt?: Date;
  /** Send this body instead of the signed one. */
  sendBody?: string;
}

async function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const method = options.method ?? 'GET';
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  let headers: Record<string, string> = { ...options.headers };
  const credentials =
    options.credentials ?? (options.as === undefined ? undefined : credentialsOf(options.as));
  if (credentials) {
    const signed = await signRequest(
      { method, url, headers, body },
      credentials,
      { service: 'execute-api', region: options.region ?? 'us-east-1' },
      options.signedAt,
    );
    headers = { ...headers, ...signed };
  }
  const response = await request(url, {
    method: method as 'GET',
    headers,
    ...(body.length > 0 || options.sendBody !== undefined ? { body: options.sendBody ?? body } : {}),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    text: await response.body.text(),
  };
}

const json = (reply: Reply) => JSON.parse(reply.text) as Record<string, unknown>;
const masked = (apiId: string, tail: string) =>
  `arn:aws:execute-api:us-east-1:********0000:${apiId}/prod/${tail}`;

let registry: StageRegistry;
let baseUrl = '';
let close: () => Promise<void>;
const functions = new TestFunctions({
  echo: (event) => ({ statusCode: 200, body: JSON.stringify(event) }),
});
const warnings: string[] = [];

function serve(stages: [Deployment, Stage][]): void {
  const pools = new UpstreamPools();
  const callers = compileIamCallers(CALLERS);
  const apis = new Map<string, { protocol: 'REST' | 'HTTP'; stages: Map<string, CompiledStage> }>();
  for (const [deployment, stage] of stages) {
    const compiled = compileStage(deployment, stage, {
      pools,
      functions,
      iamCallers: callers,
      warn: (m) => warnings.push(m),
      onUnexpected: (error) => warnings.push(String(error)),
    });
    let entry = apis.get(deployment.apiId);
    if (!entry)
      apis.set(deployment.apiId, (entry = { protocol: deployment.api.protocolType, stages: new Map() }));
    entry.stages.set(stage.stageName, compiled);
  }
  registry.replace(apis);
}

const restPets = iam(
  restApi({
    'GET /pets': lambdaProxy,
    'POST /orders': lambdaProxy,
    'GET /admin': mock(200, '{"admin":true}'),
    'GET /context': {
      ...mock(200),
      integrationResponses: {
        '200': { statusCode: '200', responseTemplates: { 'application/json': IDENTITY_TEMPLATE } },
      },
    },
  }),
);
restPets.resources.find((r) => r.path === '/')!.resourceMethods.GET = {
  httpMethod: 'GET',
  authorizationType: 'NONE',
  apiKeyRequired: false,
  methodIntegration: mock(200, '{"open":true}'),
};

const sharedPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: [user('partner'), user('outsider', OTHER_ACCOUNT)] },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/prod/GET/shared',
    },
    {
      Effect: 'Deny',
      Principal: { AWS: user('ci-bot') },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/prod/GET/secret',
    },
    // Naming the account delegates to the account's identity policies: it rescues no one.
    {
      Effect: 'Allow',
      Principal: { AWS: ACCOUNT },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    },
    // Statements for everyone else do not reach IAM callers they do not name… but `*` does.
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/prod/GET/public',
    },
  ],
};
const restShared = iam(
  restApi(
    {
      'GET /shared': mock(200, '{"shared":true}'),
      'GET /secret': mock(200, '{"secret":true}'),
      'GET /public': mock(200, '{"public":true}'),
    },
    { policy: JSON.stringify(sharedPolicy) },
  ),
);

function iamRoutes(api: HttpApi): HttpApi {
  for (const route of api.routes) route.authorizationType = 'AWS_IAM';
  return api;
}
const http = iamRoutes(
  httpApi({
    'GET /items': { integrationType: 'AWS_PROXY', integrationUri: LAMBDA_URI, payloadFormatVersion: '2.0' },
    'GET /legacy': { integrationType: 'AWS_PROXY', integrationUri: LAMBDA_URI, payloadFormatVersion: '1.0' },
    'GET /admin': { integrationType: 'AWS_PROXY', integrationUri: LAMBDA_URI, payloadFormatVersion: '2.0' },
  }),
);

const restUrl = (path: string) => `${baseUrl}/_aws/execute-api/${restPets.id}/prod${path}`;
const sharedUrl = (path: string) => `${baseUrl}/_aws/execute-api/${restShared.id}/prod${path}`;
const httpUrl = (path: string) => `${baseUrl}/_aws/execute-api/${http.apiId}${path}`;

beforeAll(async () => {
  registry = new StageRegistry();
  const server = createGatewayServer({ registry, log: () => undefined });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const pets = deploymentOf(restPets);
  const shared = deploymentOf(restShared);
  const httpDeployment = deploymentOf(http);
  serve([
    [pets, stageOf(pets, 'prod')],
    [shared, stageOf(shared, 'prod')],
    [httpDeployment, stageOf(httpDeployment, '$default')],
  ]);
});

afterAll(async () => {
  await close();
});

describe('AWS_IAM on REST methods: the signature', () => {
  it('compiles every method without a warning', () => {
    expect(warnings).toEqual([]);
  });

  it('lets a caller whose policy allows the method through, signed for any region', async () => {
    const reply = await send(restUrl('/pets'), { as: 'ci-bot', region: 'eu-west-1' });
    expect(reply.status).toBe(200);
    const event = json(reply) as { requestContext: { identity: Record<string, unknown> } };
    expect(event.requestContext.identity).toEqual({
      accessKey: 'AKIACIBOT000000000001',
      accountId: ACCOUNT,
      caller: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '127.0.0.1',
      user: event.requestContext.identity.caller,
      userAgent: null,
      userArn: user('ci-bot'),
    });
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers an unsigned request 403 Missing Authentication Token', async () => {
    const invocations = functions.calls.length;
    const reply = await send(restUrl('/pets'));
    expect(reply.status).toBe(403);
    expect(reply.text).toBe('{"message":"Missing Authentication Token"}');
    expect(reply.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(functions.calls.length, 'the integration is not called').toBe(invocations);
  });

  it('refuses an access key no caller has', async () => {
    const reply = await send(restUrl('/pets'), {
      credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'whatever' },
    });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe('{"message":"The security token included in the request is invalid."}');
    expect(reply.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('refuses a signature made with the wrong secret', async () => {
    const reply = await send(restUrl('/pets'), {
      credentials: { accessKeyId: CALLERS['ci-bot']!.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({ message: SIGNATURE_MISMATCH });
    expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('refuses a signature older than five minutes and takes one four minutes old', async () => {
    const sixMinutesAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 6 * 60_000);
    const stamp = sixMinutesAgo
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    const reply = await send(restUrl('/pets'), { as: 'ci-bot', signedAt: sixMinutesAgo });
    expect(reply.status).toBe(403);
    expect(json(reply).message).toMatch(
      new RegExp(
        `^Signature expired: ${stamp} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$`,
      ),
    );
    expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    const recent = await send(restUrl('/pets'), {
      as: 'ci-bot',
      signedAt: new Date(Date.now() - 4 * 60_000),
    });
    expect(recent.status).toBe(200);
  });

  it('refuses a body changed after signing, and passes the signed body to the integration', async () => {
    const tampered = await send(restUrl('/orders'), {
      method: 'POST',
      as: 'ci-bot',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":1}',
      sendBody: '{"amount":9}',
    });
    expect(tampered.status).toBe(403);
    expect(json(tampered)).toEqual({ message: SIGNATURE_MISMATCH });
    expect(tampered.headers['x-amzn-errortype']).toBe('InvalidSignatureException');

    const signed = await send(restUrl('/orders'), {
      method: 'POST',
      as: 'ci-bot',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":1}',
    });
    expect(signed.status).toBe(200);
    expect(json(signed).body).toBe('{"amount":1}');
  });

  it('verifies a compressed body against the bytes that were sent, and decodes it for the integration', async () => {
    const reply = await send(restUrl('/orders'), {
      method: 'POST',
      as: 'ci-bot',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"zipped":true}'),
    });
    expect(reply.status).toBe(200);
    expect(json(reply).body).toBe('{"zipped":true}');
  });

  it('answers a malformed Authorization header with the verifier’s message', async () => {
    const token = await send(restUrl('/pets'), { headers: { authorization: 'Bearer abc.def' } });
    expect(token.status).toBe(403);
    const digest = createHash('sha256').update('Bearer abc.def').digest('base64');
    expect(json(token)).toEqual({
      message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${digest}'.`,
    });
    expect(token.headers['x-amzn-errortype']).toBe('InvalidSignatureException');

    const reply = await send(restUrl('/pets'), { headers: { authorization: 'Bearer' } });
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
        "a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer",
    });
    expect(reply.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('refuses a signature scoped to another service', async () => {
    const url = restUrl('/pets');
    const signed = await signRequest(
      { method: 'GET', url, headers: {}, body: Buffer.alloc(0) },
      credentialsOf('ci-bot'),
      { service: 'lambda', region: 'us-east-1' },
    );
    const response = await request(url, { headers: signed });
    expect(response.statusCode).toBe(403);
    expect(await response.body.json()).toEqual({
      message: "Credential should be scoped to correct service: 'execute-api'.",
    });
  });

  it('accepts the AWS SDK’s SignatureV4, with a hashed payload and with UNSIGNED-PAYLOAD', async () => {
    const url = new URL(restUrl('/orders'));
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'us-west-2',
      credentials: credentialsOf('admin'),
      sha256: Sha256,
    });
    for (const payloadHash of [undefined, 'UNSIGNED-PAYLOAD']) {
      const body = '{"sdk":true}';
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: {
          host: url.host,
          'content-type': 'application/json',
          ...(payloadHash && { 'x-amz-content-sha256': payloadHash }),
        },
        body,
      });
      const response = await request(url, { method: 'POST', headers: signed.headers, body });
      expect(response.statusCode, payloadHash ?? 'hashed').toBe(200);
      expect(((await response.body.json()) as { body: string }).body).toBe(body);
    }
  });

  it('leaves a method with authorization NONE open beside AWS_IAM ones', async () => {
    const reply = await send(restUrl('/'));
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"open":true}');
  });
});

describe('AWS_IAM on REST methods: the identity policy', () => {
  it('refuses an explicit deny in the caller’s policy', async () => {
    const reply = await send(restUrl('/admin'), { as: 'ci-bot' });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(
      JSON.stringify({
        message: `User: ${user('ci-bot')} is not authorized to perform: execute-api:Invoke on resource: ${masked(restPets.id, 'GET/admin')} with an explicit deny in an identity-based policy`,
      }),
    );
    expect(reply.headers['x-amzn-errortype']).toBe('AccessDeniedException');
  });

  it('refuses a method no statement allows', async () => {
    const reply = await send(restUrl('/orders'), { method: 'POST', as: 'reader', body: '{}' });
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({
      message: `User: ${user('reader')} is not authorized to perform: execute-api:Invoke on resource: ${masked(restPets.id, 'POST/orders')} because no identity-based policy allows the execute-api:Invoke action`,
    });
    expect(reply.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect((await send(restUrl('/pets'), { as: 'reader' })).status).toBe(200);
  });

  it('lets a caller without a policy invoke everything', async () => {
    expect((await send(restUrl('/admin'), { as: 'admin' })).status).toBe(200);
  });

  it('shows the caller as $context.identity in mapping templates', async () => {
    const reply = await send(restUrl('/context'), { as: 'ci-bot' });
    expect(reply.status).toBe(200);
    const identity = json(reply);
    expect(identity).toEqual({
      accessKey: 'AKIACIBOT000000000001',
      accountId: ACCOUNT,
      caller: identity.user,
      user: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      userArn: user('ci-bot'),
      cognitoIdentityId: '',
      cognitoAuthenticationType: '',
    });
    // Each caller has its own, stable principal id.
    const again = json(await send(restUrl('/context'), { as: 'ci-bot' }));
    const other = json(await send(restUrl('/context'), { as: 'admin' }));
    expect(again.user).toBe(identity.user);
    expect(other.user).not.toBe(identity.user);
  });
});

describe('AWS_IAM on REST methods: with a resource policy', () => {
  it('lets a caller the resource policy names through without an identity-policy allow', async () => {
    const reply = await send(sharedUrl('/shared'), { as: 'partner' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('{"shared":true}');
  });

  it('refuses that caller where neither policy allows', async () => {
    const reply = await send(sharedUrl('/secret'), { as: 'partner' });
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({
      message: `User: ${user('partner')} is not authorized to perform: execute-api:Invoke on resource: ${masked(restShared.id, 'GET/secret')} because no identity-based policy allows the execute-api:Invoke action`,
    });
  });

  it('refuses a caller the resource policy denies, whatever its identity policy allows', async () => {
    const reply = await send(sharedUrl('/secret'), { as: 'ci-bot' });
    expect(reply.status).toBe(403);
    expect(json(reply)).toEqual({
      message: `User: ${user('ci-bot')} is not authorized to perform: execute-api:Invoke on resource: ${masked(restShared.id, 'GET/secret')} with an explicit deny in a resource-based policy`,
    });
    expect(reply.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect((await send(sharedUrl('/shared'), { as: 'ci-bot' })).status).toBe(200);
  });

  it('does not let an Allow naming the account stand in for the caller’s own permission', async () => {
    const reply = await send(sharedUrl('/shared'), { as: 'reader' });
    expect(reply.status).toBe(403);
    expect(json(reply).message).toBe(
      `User: ${user('reader')} is not authorized to perform: execute-api:Invoke on resource: ${masked(restShared.id, 'GET/shared')} because no identity-based policy allows the execute-api:Invoke action`,
    );
  });

  it('applies statements for everyone to IAM callers too', async () => {
    expect((await send(sharedUrl('/public'), { as: 'partner' })).status).toBe(200);
  });

  it('needs the resource policy to allow a caller of another account', async () => {
    expect((await send(sharedUrl('/shared'), { as: 'outsider' })).status).toBe(200);
    const reply = await send(sharedUrl('/secret'), { as: 'outsider' });
    expect(reply.status).toBe(403);
    expect(json(reply).message).toBe(
      `User: ${user('outsider', OTHER_ACCOUNT)} is not authorized to perform: execute-api:Invoke on resource: ${masked(restShared.id, 'GET/secret')} because no resource-based policy allows the execute-api:Invoke action`,
    );
    // Without a resource policy nothing grants another account access.
    expect((await send(restUrl('/pets'), { as: 'outsider' })).status).toBe(403);
  });

  it('still judges unsigned requests by their signature first', async () => {
    const reply = await send(sharedUrl('/public'));
    expect(reply.status).toBe(403);
    expect(reply.text).toBe('{"message":"Missing Authentication Token"}');
  });
});

describe('AWS_IAM on HTTP API routes', () => {
  it('puts the caller in requestContext.authorizer.iam of a payload 2.0 event', async () => {
    const reply = await send(httpUrl('/items'), { as: 'reader', region: 'ap-southeast-2' });
    expect(reply.status).toBe(403);
    const allowed = await send(httpUrl('/items'), { as: 'admin' });
    expect(allowed.status).toBe(200);
    const event = json(allowed) as { requestContext: { authorizer: { iam: Record<string, unknown> } } };
    const iam = event.requestContext.authorizer.iam;
    expect(iam).toEqual({
      accessKey: 'AKIAADMIN00000000001',
      accountId: ACCOUNT,
      callerId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: user('admin'),
      userId: iam.callerId,
    });
  });

  it('shows the caller in requestContext.identity of a payload 1.0 event', async () => {
    const reply = await send(httpUrl('/legacy'), { as: 'ci-bot' });
    expect(reply.status).toBe(200);
    const event = json(reply) as {
      requestContext: { identity: Record<string, unknown>; authorizer?: unknown };
    };
    expect(event.requestContext.identity).toMatchObject({
      accessKey: 'AKIACIBOT000000000001',
      accountId: ACCOUNT,
      userArn: user('ci-bot'),
      cognitoIdentityId: null,
    });
    expect(event.requestContext.identity.caller).toBe(event.requestContext.identity.user);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers HTTP API refusals without x-amzn-ErrorType', async () => {
    const unsigned = await send(httpUrl('/items'));
    expect(unsigned.status).toBe(403);
    expect(unsigned.text).toBe('{"message":"Forbidden"}');
    expect(unsigned.headers['x-amzn-errortype']).toBeUndefined();

    const denied = await send(httpUrl('/admin'), { as: 'ci-bot' });
    expect(denied.status).toBe(403);
    expect(json(denied)).toEqual({
      message: `User: ${user('ci-bot')} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:${http.apiId}/$default/GET/admin with an explicit deny in an identity-based policy`,
    });

    const wrong = await send(httpUrl('/items'), {
      credentials: { accessKeyId: CALLERS.admin!.accessKeyId, secretAccessKey: 'wrong' },
    });
    expect(wrong.status).toBe(403);
    expect(json(wrong)).toEqual({ message: SIGNATURE_MISMATCH });
    expect(wrong.headers['x-amzn-errortype']).toBeUndefined();
  });
});
