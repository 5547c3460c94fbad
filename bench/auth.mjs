#!/usr/bin/env node
// The authorization benchmark: what a route pays for a JWT authorizer and for a cached Lambda
// authorizer, each compared with the same route without one, plus the throughput of a route
// that calls a local function. docs/benchmarks.md explains the method and how to read the output.
//
//   npm run build && node bench/auth.mjs [--duration 10] [--rounds 4] [--warmup 3]
//                                        [--connections 64] [--function-concurrency 10] [--json]
//
// One Gatehouse (the real CLI: two `import`s, then `serve --config`) serves two APIs, whose
// documents, handlers and configuration are in bench/auth-apis.mjs:
//   HTTP API  GET /open         HTTP_PROXY to the upstream, no authorization (the JWT baseline)
//             GET /jwt          the same, behind a JWT authorizer; the benchmark is the issuer
//                               (discovery document and an RS256 key set, served from here)
//   REST API  GET /open         HTTP_PROXY to the upstream, no authorization (the authorizer baseline)
//             GET /authorized   the same, behind a TOKEN authorizer, a local function whose
//                               answers are cached for 300 s
//             GET /function     AWS_PROXY to a local function answering ~100 bytes of JSON
// wrk sends every route the same request: GET with `Authorization: Bearer <token>`, one RS256
// JWT that both authorizers accept. Before measuring, each route is checked: the open routes and
// the function answer 200; the protected ones 401 without a token and with a wrong one, and 200
// with the benchmark's token. Anything else stops the benchmark with exit code 1.
// Gatehouse runs on core 0; the upstream, the issuer and wrk on core 1. Every route is warmed up,
// then all are measured in alternating rounds (A B C D E, E D C B A, …) and the medians
// compared: the targets are JWT >= 0.80x its open route's requests/s, and cached authorizer
// >= 0.90x its own open route's. The local function route has no target.
//
// The run is a measurement, not a test: it exits 0 whether or not the targets are met, and 1
// only when it cannot measure (no wrk, no build, a route that does not start or answer right).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  AUDIENCE,
  AUTHORIZER_TTL_SECONDS,
  HELLO_BODY,
  httpApiDocument,
  PATHS,
  restApiDocument,
  writeFunctions,
} from './auth-apis.mjs';
import {
  checkErrors,
  checkOthersOnProxyCore,
  checkSaturated,
  checkStderr,
  checkSteal,
} from './lib/disturbance.mjs';
import {
  fmtRatio,
  fmtRoundRatios,
  fmtSignedUs,
  pinningLine,
  summaryHeader,
  summaryRow,
  table,
  verdict,
  warningLines,
} from './lib/format.mjs';
import { importApi, serveGatehouse, stopRun } from './lib/gatehouse.mjs';
import { send } from './lib/http.mjs';
import { prepareRun, runBenchmark } from './lib/main.mjs';
import { measurementSettings, readMeasurementOptions } from './lib/options.mjs';
import { benchFile } from './lib/paths.mjs';
import { LOAD_CORE, PROXY_CORE } from './lib/pinning.mjs';
import { makeTempDir, startServer } from './lib/processes.mjs';
import { progress } from './lib/progress.mjs';
import { reportedPort, waitUntilReady } from './lib/readiness.mjs';
import { labelRuns, warmUpAndAlternate } from './lib/rounds.mjs';
import { compareSummaries, summarize } from './lib/summary.mjs';
import { requestScript } from './lib/wrk-scripts.mjs';

/** The JWT route's req/s must be at least this fraction of its open route's. */
const JWT_TARGET = 0.8;
/** The cached-authorizer route's req/s must be at least this fraction of its open route's. */
const AUTHORIZER_TARGET = 0.9;

const STAGE = 'bench';
const KEY_ID = 'gatehouse-bench-1';

const USAGE = `usage: node bench/auth.mjs [options]

Measures Gatehouse routes behind a JWT authorizer (HTTP API) and a cached Lambda TOKEN authorizer
(REST API), each against the same route without authorization, and a route calling a local
function. Needs wrk and a built Gatehouse (npm run build).

Options:
  --duration <s>               seconds per measurement (default 10)
  --rounds <n>                 alternating rounds over all routes; medians are reported (default 4)
  --warmup <s>                 warm-up seconds per route before measuring (default 3)
  --connections <n>            wrk connections for every route but the local function (default 64)
  --function-concurrency <n>   the local function's concurrency, and the wrk connections its
                               route is measured with (default 10, Lambda's and Gatehouse's)
  --json                       print the results as JSON on stdout (progress stays on stderr)
  -h, --help                   show this help
`;

// ---------------------------------------------------------------------------------------------
// The issuer: an OpenID Connect discovery document and an RS256 key set, served from this
// process (on the load core, with wrk), and the token every request carries

/**
 * Starts the issuer on 127.0.0.1 and a free port. Resolves with its URL, the benchmark's token
 * (valid for two hours), a token for the same claims signed with a key the issuer does not
 * publish, and how often each document was fetched.
 */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const { privateKey: strangerKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' }] };
  const fetches = { discovery: 0, jwks: 0, other: 0 };
  let issuer = '';
  const server = createServer((req, res) => {
    let body;
    if (req.url === '/.well-known/openid-configuration') {
      fetches.discovery++;
      body = { issuer, jwks_uri: `${issuer}/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] };
    } else if (req.url === '/jwks.json') {
      fetches.jwks++;
      body = jwks;
    } else {
      fetches.other++;
    }
    const text = JSON.stringify(body ?? { message: 'not found' });
    res.writeHead(body ? 200 : 404, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      connection: 'close',
    });
    res.end(text);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // Never the reason this process stays alive: it ends with the benchmark, however that ends.
  server.unref();
  issuer = `http://127.0.0.1:${server.address().port}`;
  const sign = (key) =>
    new SignJWT({ scope: 'bench/read', client_id: 'gatehouse-bench-client' })
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject('bench-user')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(key);
  return {
    issuer,
    token: await sign(privateKey),
    strangerToken: await sign(strangerKey),
    fetches,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Starting and checking the routes

async function startRoutes(dir, issuer, { connections, functionConcurrency }) {
  const upstreamProc = startServer('upstream', LOAD_CORE, [benchFile('upstream.mjs')]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;

  const invocationLog = join(dir, 'authorizer-invocations.log');
  const config = writeFunctions(dir, {
    acceptedToken: `Bearer ${issuer.token}`,
    invocationLog,
    // Were the cache to expire during a run, every connection could miss it at once; a
    // throttled authorizer would then answer 500s that have nothing to do with its cost.
    authorizerConcurrency: Math.max(10, connections),
    helloConcurrency: functionConcurrency,
  });
  const deployment = { stage: STAGE, variables: { upstream: upstreamHost }, config };
  const httpApi = await importApi(dir, httpApiDocument(issuer.issuer), {
    ...deployment,
    fileName: 'http-api.json',
  });
  const restApi = await importApi(dir, restApiDocument(), { ...deployment, fileName: 'rest-api.json' });
  const server = await serveGatehouse(httpApi.data, PROXY_CORE, { config });

  const route = (key, name, apiId, path, routeConnections = connections) => ({
    key,
    name,
    path,
    proc: server.proc,
    pid: server.pid,
    core: PROXY_CORE,
    url: server.invokeUrl(apiId, STAGE, path),
    connections: routeConnections,
  });
  const routes = {
    httpOpen: route('httpOpen', 'HTTP API open', httpApi.apiId, PATHS.httpOpen),
    jwt: route('jwt', 'JWT authorizer', httpApi.apiId, PATHS.jwt),
    restOpen: route('restOpen', 'REST API open', restApi.apiId, PATHS.restOpen),
    authorized: route('authorized', 'Lambda authorizer', restApi.apiId, PATHS.authorized),
    function: route('function', 'local function', restApi.apiId, PATHS.function, functionConcurrency),
  };
  await waitUntilReady(routes.httpOpen);
  await waitUntilReady(routes.restOpen);
  const importWarnings = [httpApi.importWarnings, restApi.importWarnings].filter(Boolean).join('\n');
  return { routes, upstreamHost, invocationLog, importWarnings, server };
}

const parseJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const authorizerInvocations = (log) => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;

/**
 * The open routes must answer 200 with the upstream's body, the function 200 with its own; each
 * protected route 401 (or 403) without a token and with a wrong one, and 200 with the upstream's
 * body with the benchmark's token. Throws with every answer that was not as expected; resolves
 * with what each check got.
 */
async function checkRoutes({ routes, upstreamHost, invocationLog, importWarnings }, issuer) {
  const upstreamBody = (await send(`http://${upstreamHost}/open`)).body;
  const bearer = (token) => ({ headers: { Authorization: `Bearer ${token}` } });
  const refused = (status) => status === 401 || status === 403;
  const checks = [
    [routes.httpOpen, 'no token', {}, 200, upstreamBody],
    [routes.jwt, 'no token', {}, refused],
    [
      routes.jwt,
      'a token signed with a key the issuer does not publish',
      bearer(issuer.strangerToken),
      refused,
    ],
    [routes.jwt, "the benchmark's token", bearer(issuer.token), 200, upstreamBody],
    [routes.restOpen, 'no token', {}, 200, upstreamBody],
    [routes.authorized, 'no token', {}, refused],
    [routes.authorized, 'a token the authorizer refuses', bearer('not-the-benchmark-token'), refused],
    [routes.authorized, "the benchmark's token", bearer(issuer.token), 200, upstreamBody],
    [routes.function, "the benchmark's token", bearer(issuer.token), 200, JSON.stringify(HELLO_BODY)],
  ];
  const results = [];
  const problems = [];
  for (const [route, what, request, expected, expectedBody] of checks) {
    const answer = await send(route.url, request);
    const statusOk = typeof expected === 'function' ? expected(answer.status) : answer.status === expected;
    const bodyOk =
      expectedBody === undefined || isDeepStrictEqual(parseJson(answer.body), parseJson(expectedBody));
    const wanted = typeof expected === 'function' ? '401 or 403' : String(expected);
    results.push({
      route: route.key,
      request: what,
      expected: wanted,
      status: answer.status,
      ok: statusOk && bodyOk,
    });
    if (!statusOk || !bodyOk) {
      problems.push(
        `GET ${route.path} (${route.name}) with ${what}: expected ${wanted}` +
          `${expectedBody === undefined ? '' : ` with ${expectedBody}`}, got ${answer.status} ${answer.body.slice(0, 300)}`,
      );
    }
  }
  if (problems.length) {
    const unprotected = results.some((r) => r.expected === '401 or 403' && r.status === 200);
    throw new Error(
      `the routes do not answer as expected:\n  ${problems.join('\n  ')}` +
        (unprotected
          ? `\nA protected route let a request through: this build of Gatehouse does not enforce its authorizer.`
          : '') +
        (importWarnings ? `\ngatehouse import said:\n${importWarnings}` : ''),
    );
  }
  return { results, authorizerInvocations: authorizerInvocations(invocationLog) };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main() {
  const options = readMeasurementOptions(USAGE, {
    rounds: 4,
    more: { 'function-concurrency': { default: 10, min: 1, max: 1000, key: 'functionConcurrency' } },
  });
  const warnings = prepareRun();

  const { duration, rounds, warmup, connections, functionConcurrency } = options;
  const estimate = 5 * warmup + 5 * rounds * duration + 3;
  progress(
    `Gatehouse authorizer benchmark: ${duration} s per measurement, ${rounds} round(s) of 5 routes, about ${Math.ceil(estimate / 10) * 10} s`,
  );

  const tempDir = makeTempDir();
  const issuer = await startIssuer();
  progress('starting the upstream and Gatehouse');
  const deployed = await startRoutes(tempDir, issuer, { connections, functionConcurrency });
  const { routes } = deployed;
  if (deployed.importWarnings) warnings.push(`gatehouse import said: ${deployed.importWarnings}`);
  progress('checking every route');
  const checked = await checkRoutes(deployed, issuer);
  const gatehouseStderrAtStart = deployed.server.proc.stderrBytes;
  const issuerFetchesAfterChecks = { ...issuer.fetches };

  const authorization = `Bearer ${issuer.token}`;
  const script = requestScript(tempDir, 'get-with-token', {
    method: 'GET',
    headers: { Authorization: authorization },
  });
  const settingsOf = (route) => ({ duration, connections: route.connections, script });
  const order = [routes.httpOpen, routes.jwt, routes.restOpen, routes.authorized, routes.function];
  const runs = await warmUpAndAlternate(order, { warmup, rounds }, settingsOf);

  const peak = { connections, functionConnections: functionConcurrency };
  for (const [i, route] of order.entries()) peak[route.key] = summarize(runs[i]);
  const comparisons = {
    jwt: compareSummaries(peak.jwt, peak.httpOpen),
    authorizer: compareSummaries(peak.authorized, peak.restOpen),
  };

  const invocationsDuringRuns = authorizerInvocations(deployed.invocationLog) - checked.authorizerInvocations;
  const issuerFetchesDuringRuns = {
    discovery: issuer.fetches.discovery - issuerFetchesAfterChecks.discovery,
    jwks: issuer.fetches.jwks - issuerFetchesAfterChecks.jwks,
  };

  // Anything that makes the figures less trustworthy.
  const labelled = labelRuns(order, runs);
  checkErrors(warnings, labelled);
  for (const [label, r] of labelled) {
    if (!r.requests)
      warnings.push(`${label}: wrk completed no requests, so Gatehouse stalled for the whole run`);
  }
  checkSaturated(
    warnings,
    order.map((route) => [`Gatehouse (${route.name})`, peak[route.key]]),
  );
  checkOthersOnProxyCore(warnings, runs.flat());
  checkSteal(warnings, runs.flat());
  // At most one cache miss per TTL period; several at once only if every connection missed together.
  const ttlPeriods = Math.ceil((5 * rounds * duration + 5 * warmup) / AUTHORIZER_TTL_SECONDS);
  if (invocationsDuringRuns > ttlPeriods * Math.max(10, connections)) {
    warnings.push(
      `the authorizer function ran ${invocationsDuringRuns} times during the runs: its answers were not served from the cache`,
    );
  }
  checkStderr(warnings, 'Gatehouse', deployed.server.proc, gatehouseStderrAtStart);

  await stopRun([deployed.server.proc], warnings);
  issuer.close();

  const results = {
    settings: measurementSettings(options, { functionConnections: functionConcurrency }),
    request: { method: 'GET', authorizationHeaderBytes: Buffer.byteLength(authorization) },
    routes: Object.fromEntries(order.map((route) => [route.key, { name: route.name, path: route.path }])),
    authorizers: {
      jwt: { issuer: issuer.issuer, audience: AUDIENCE, algorithm: 'RS256' },
      lambda: { type: 'TOKEN', ttlSeconds: AUTHORIZER_TTL_SECONDS },
    },
    checks: checked.results,
    documents: { httpApi: httpApiDocument(issuer.issuer), restApi: restApiDocument() },
    peak,
    comparisons,
    authorizerFunction: {
      invocationsDuringChecks: checked.authorizerInvocations,
      invocationsDuringRuns,
    },
    issuerFetches: { duringChecks: issuerFetchesAfterChecks, duringRuns: issuerFetchesDuringRuns },
    targets: {
      jwt: { target: JWT_TARGET, value: comparisons.jwt.ratio, met: comparisons.jwt.ratio >= JWT_TARGET },
      cachedAuthorizer: {
        target: AUTHORIZER_TARGET,
        value: comparisons.authorizer.ratio,
        met: comparisons.authorizer.ratio >= AUTHORIZER_TARGET,
      },
    },
    warnings,
  };

  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(report(results));
}

/** One line per route: its name, API, method and path, and what is in front of the upstream. */
function describeRoutes(routes, settings, ttlSeconds) {
  const rows = [
    [routes.httpOpen, 'HTTP API', 'HTTP_PROXY to the upstream, no authorization'],
    [routes.jwt, 'HTTP API', 'the same, behind a JWT authorizer (RS256, issuer served by the benchmark)'],
    [routes.restOpen, 'REST API', 'HTTP_PROXY to the upstream, no authorization'],
    [routes.authorized, 'REST API', `the same, behind a Lambda TOKEN authorizer cached ${ttlSeconds} s`],
    [
      routes.function,
      'REST API',
      `AWS_PROXY to a local function (concurrency ${settings.functionConnections}), no authorization`,
    ],
  ].map(([route, api, what]) => [route.name, api, `GET ${route.path}`, what]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('   ')}`);
}

function report(results) {
  const {
    settings,
    request,
    routes,
    peak,
    comparisons,
    authorizerFunction,
    issuerFetches,
    targets,
    warnings,
  } = results;
  const pin = pinningLine(settings, 'the upstream, the issuer and wrk');
  const keys = ['httpOpen', 'jwt', 'restOpen', 'authorized', 'function'];
  const fetched = (f) => `${f.discovery} discovery, ${f.jwks} key set`;
  const lines = [
    '',
    `Gatehouse authorizer benchmark (wrk -t1, keep-alive; ${pin})`,
    '',
    `Every request: GET with a ${request.authorizationHeaderBytes}-byte Authorization: Bearer <RS256 JWT>, the same for every route.`,
    ...describeRoutes(routes, settings, results.authorizers.lambda.ttlSeconds),
    '',
    `Peak throughput: ${peak.connections} connections (the local function: ${peak.functionConnections}), ` +
      `${settings.duration} s per run, medians of ${settings.rounds} alternating round(s)`,
    table([
      summaryHeader(PROXY_CORE, 'Gatehouse CPU'),
      ...keys.map((key) => summaryRow(routes[key].name, peak[key], true)),
    ]),
    '',
    table([
      ['JWT / HTTP API open', fmtRatio(comparisons.jwt.ratio), fmtRoundRatios(comparisons.jwt.roundRatios)],
      [
        'JWT / HTTP API open, by CPU time per request',
        fmtRatio(comparisons.jwt.cpuPerRequestRatio),
        'open CPU/request ÷ JWT CPU/request',
      ],
      [
        'CPU the JWT authorizer adds per request',
        fmtSignedUs(comparisons.jwt.addedCpuUsPerRequest),
        'JWT CPU/request - open CPU/request',
      ],
      [
        'Lambda authorizer / REST API open',
        fmtRatio(comparisons.authorizer.ratio),
        fmtRoundRatios(comparisons.authorizer.roundRatios),
      ],
      [
        'Lambda authorizer / REST API open, by CPU time per request',
        fmtRatio(comparisons.authorizer.cpuPerRequestRatio),
        'open CPU/request ÷ authorizer CPU/request',
      ],
      [
        'CPU the cached authorizer adds per request',
        fmtSignedUs(comparisons.authorizer.addedCpuUsPerRequest),
        'authorizer CPU/request - open CPU/request',
      ],
    ]),
    '',
    `The authorizer function ran ${authorizerFunction.invocationsDuringChecks} time(s) during the checks and ` +
      `${authorizerFunction.invocationsDuringRuns} during the runs; the issuer served ` +
      `${fetched(issuerFetches.duringChecks)} fetch(es) during the checks and ${fetched(issuerFetches.duringRuns)} during the runs.`,
    '',
    'Targets',
    table([
      [
        `JWT >= ${JWT_TARGET.toFixed(2)}x its open route's req/s`,
        fmtRatio(targets.jwt.value),
        verdict(targets.jwt.met),
      ],
      [
        `cached authorizer >= ${AUTHORIZER_TARGET.toFixed(2)}x its open route's req/s`,
        fmtRatio(targets.cachedAuthorizer.value),
        verdict(targets.cachedAuthorizer.met),
      ],
    ]),
    ...warningLines(warnings),
  ];
  return `${lines.join('\n')}\n`;
}

await runBenchmark(main);
