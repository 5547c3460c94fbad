// What bench/auth.mjs deploys: an HTTP API and a REST API (OpenAPI documents), the two local
// functions they call (handler modules), and the configuration file that tells
// `gatehouse serve` how to run them. Kept apart from the benchmark so the documents can be
// written out and imported on their own, e.g. to see what `gatehouse import` says about them:
//
//   node -e "import('./bench/auth-apis.mjs').then((m) => m.writeDocuments('/tmp/auth-apis'))"
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_ACCOUNT_LIMITS } from './lib/gatehouse.mjs';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The audience the JWT authorizer accepts and the benchmark's token carries. */
export const AUDIENCE = 'gatehouse-bench';

/** The TTL of the Lambda authorizer's cached answers. */
export const AUTHORIZER_TTL_SECONDS = 300;

/** The function behind the TOKEN authorizer, and the one the local function route calls. */
export const AUTHORIZER_FUNCTION = 'authorizer';
export const HELLO_FUNCTION = 'hello';

/** Routes, as paths under each API's stage. */
export const PATHS = {
  httpOpen: '/open',
  jwt: '/jwt',
  restOpen: '/open',
  authorized: '/authorized',
  function: '/function',
};

/** The invocation URI of a Lambda function, as API Gateway writes it. */
export const lambdaUri = (name) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/` +
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}/invocations`;

/** The ~100-byte JSON the local function answers, the same size as the upstream's. */
export const HELLO_BODY = {
  id: 1,
  name: 'gatehouse-bench',
  status: 'ok',
  region: 'local',
  tags: ['function', 'keep-alive'],
  n: 42,
};

const proxyIntegration = (path) => ({
  type: 'http_proxy',
  httpMethod: 'GET',
  uri: `http://\${stageVariables.upstream}${path}`,
});

/**
 * The HTTP API: `GET /open`, an HTTP_PROXY integration to the upstream, and `GET /jwt`, the
 * same integration behind a JWT authorizer that accepts RS256 tokens from `issuer` for AUDIENCE.
 */
export function httpApiDocument(issuer) {
  const operation = (description, security) => ({
    ...(security ? { security } : {}),
    responses: { default: { description } },
    'x-amazon-apigateway-integration': { ...proxyIntegration('/open'), payloadFormatVersion: '1.0' },
  });
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench-auth-http', version: '1' },
    'x-amazon-apigateway-importexport-version': '1.0',
    components: {
      securitySchemes: {
        benchJwt: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            jwtConfiguration: { issuer, audience: [AUDIENCE] },
            identitySource: '$request.header.Authorization',
          },
        },
      },
    },
    paths: {
      [PATHS.httpOpen]: { get: operation("the upstream's answer") },
      [PATHS.jwt]: { get: operation("the upstream's answer, for a valid token", [{ benchJwt: [] }]) },
    },
  };
}

/**
 * The REST API: `GET /open`, an HTTP_PROXY integration to the upstream; `GET /authorized`, the
 * same integration behind a cached TOKEN authorizer (the local function AUTHORIZER_FUNCTION);
 * and `GET /function`, an AWS_PROXY integration to the local function HELLO_FUNCTION.
 */
export function restApiDocument() {
  const proxied = (description, security) => ({
    ...(security ? { security } : {}),
    responses: { 200: { description } },
    'x-amazon-apigateway-integration': proxyIntegration('/open'),
  });
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench-auth-rest', version: '1' },
    components: {
      securitySchemes: {
        benchToken: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: lambdaUri(AUTHORIZER_FUNCTION),
            authorizerResultTtlInSeconds: AUTHORIZER_TTL_SECONDS,
          },
        },
      },
    },
    paths: {
      [PATHS.restOpen]: { get: proxied("the upstream's answer") },
      [PATHS.authorized]: {
        get: proxied("the upstream's answer, when the authorizer allows", [{ benchToken: [] }]),
      },
      [PATHS.function]: {
        get: {
          responses: { 200: { description: "the function's answer" } },
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: lambdaUri(HELLO_FUNCTION),
          },
        },
      },
    },
  };
}

/**
 * The TOKEN authorizer's handler: it notes every invocation (one line in the file named by
 * BENCH_INVOCATION_LOG, so the benchmark can tell whether answers came from the cache), refuses
 * any token but BENCH_ACCEPTED_TOKEN with "Unauthorized" (401), and allows that one everything.
 */
const AUTHORIZER_SOURCE = `import { appendFileSync } from 'node:fs';

export async function handler(event) {
  appendFileSync(process.env.BENCH_INVOCATION_LOG, \`\${event.methodArn}\\n\`);
  if (event.authorizationToken !== process.env.BENCH_ACCEPTED_TOKEN) throw new Error('Unauthorized');
  return {
    principalId: 'bench-user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
    },
    context: { plan: 'bench' },
  };
}
`;

/** The local function route's handler: a Lambda proxy answer with HELLO_BODY. */
const HELLO_SOURCE = `const body = ${JSON.stringify(JSON.stringify(HELLO_BODY))};

export async function handler() {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}
`;

/**
 * Writes both handler modules into `dir`/functions and a configuration file naming them into
 * `dir`; returns the configuration file's path.
 *
 * @param {string} dir
 * @param {{acceptedToken: string, invocationLog: string, authorizerConcurrency: number, helloConcurrency: number}} settings
 */
export function writeFunctions(
  dir,
  { acceptedToken, invocationLog, authorizerConcurrency, helloConcurrency },
) {
  const codeDir = join(dir, 'functions');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, `${AUTHORIZER_FUNCTION}.mjs`), AUTHORIZER_SOURCE);
  writeFileSync(join(codeDir, `${HELLO_FUNCTION}.mjs`), HELLO_SOURCE);
  writeFileSync(invocationLog, '');
  const config = {
    // AWS's account limit (10,000/s) would refuse part of the load: measure the routes, not it.
    throttling: BENCH_ACCOUNT_LIMITS,
    functions: {
      [AUTHORIZER_FUNCTION]: {
        runtime: 'local',
        handler: `${AUTHORIZER_FUNCTION}.handler`,
        codeDir: './functions',
        concurrency: authorizerConcurrency,
        environment: { BENCH_ACCEPTED_TOKEN: acceptedToken, BENCH_INVOCATION_LOG: invocationLog },
      },
      [HELLO_FUNCTION]: {
        runtime: 'local',
        handler: `${HELLO_FUNCTION}.handler`,
        codeDir: './functions',
        concurrency: helloConcurrency,
      },
    },
  };
  const file = join(dir, 'gatehouse-config.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * Writes both OpenAPI documents, the handlers and the configuration file into `dir`, with a
 * placeholder issuer, for importing them by hand.
 */
export function writeDocuments(dir, issuer = 'http://127.0.0.1:9999') {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'http-api.json'), `${JSON.stringify(httpApiDocument(issuer), null, 2)}\n`);
  writeFileSync(join(dir, 'rest-api.json'), `${JSON.stringify(restApiDocument(), null, 2)}\n`);
  return writeFunctions(dir, {
    acceptedToken: 'Bearer placeholder',
    invocationLog: join(dir, 'authorizer-invocations.log'),
    authorizerConcurrency: 10,
    helloConcurrency: 10,
  });
}
