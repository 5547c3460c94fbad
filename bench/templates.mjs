#!/usr/bin/env node
// The mapping-template benchmark: what a REST route pays for a request template and a response
// template, compared with the same route without them. docs/benchmarks.md explains the method
// and how to read the output.
//
//   npm run build && node bench/templates.mjs [--duration 10] [--rounds 4] [--warmup 3]
//                                             [--connections 64] [--json]
//
// Gatehouse (the real CLI, `import`, then `serve`) serves one REST API with three routes, each an
// HTTP (non-proxy) integration that POSTs to the same upstream, which answers a ~1 KB JSON order:
//   POST /plain    no templates: the body passes through to the upstream, the upstream's back;
//   POST /parsed   the least a template reading both bodies as JSON does: the request template
//                  parses the order and prints its id, the response template prints the
//                  upstream's order id ($input.path);
//   POST /mapped   a 20-line request template (#set, #foreach with $foreach.hasNext, #if,
//                  $util.escapeJavaScript, $input.params, $context.requestId, $stageVariables)
//                  and a 12-line response template reading $input.path('$.…').
// wrk POSTs the same ~1 KB JSON order to all three. Before measuring, one request per route
// checks that each answers 200 with the expected body and that the upstream received what the
// route should send; anything else stops the benchmark with exit code 1.
// Gatehouse runs on core 0; the upstream and wrk run on core 1. The routes are warmed up, then
// measured alternately for --rounds rounds, and the medians compared: the target is
// mapped >= 0.70x plain's requests/s. The parsed route shows how much of the cost is reading
// the two bodies as JSON, which no template that reads them avoids. Gatehouse's CPU time per
// request, from /proc, is the cross-check that a shared machine disturbs much less.
//
// The run is a measurement, not a test: it exits 0 whether or not the target is met, and 1
// only when it cannot measure (no wrk, no build, a route that does not start or answer right).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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
  summaryHeader,
  summaryRow,
  table,
  verdict,
  warningLines,
} from './lib/format.mjs';
import { importApi, serveGatehouse, stopRun } from './lib/gatehouse.mjs';
import { send } from './lib/http.mjs';
import { prepareRun, runBenchmark } from './lib/main.mjs';
import { round } from './lib/numbers.mjs';
import { measurementSettings, readMeasurementOptions } from './lib/options.mjs';
import { benchFile } from './lib/paths.mjs';
import { LOAD_CORE, PROXY_CORE } from './lib/pinning.mjs';
import { makeTempDir, startServer } from './lib/processes.mjs';
import { progress } from './lib/progress.mjs';
import { reportedPort, waitUntilReady } from './lib/readiness.mjs';
import { labelRuns, warmUpAndAlternate } from './lib/rounds.mjs';
import { compareSummaries, summarize } from './lib/summary.mjs';
import { requestScript } from './lib/wrk-scripts.mjs';

/** The mapped route's req/s must be at least this fraction of the plain route's. */
const THROUGHPUT_TARGET = 0.7;

const STAGE = 'bench';
const ENV = 'bench';
const CHANNEL = 'web';

const USAGE = `usage: node bench/templates.mjs [options]

Measures a Gatehouse REST route with a request and a response mapping template against the
same route without templates, with wrk. Build Gatehouse first (npm run build).
See docs/benchmarks.md.

  --duration <s>      seconds per measurement (default 10)
  --rounds <n>        alternating plain/mapped rounds; medians are reported (default 4)
  --warmup <s>        warm-up seconds per route before measuring (default 3)
  --connections <n>   wrk connections (default 64)
  --json              print the results as JSON on stdout (progress stays on stderr)
  -h, --help          show this help
`;

// ---------------------------------------------------------------------------------------------
// The payloads: the order a client POSTs, and the order the upstream answers with

const ITEMS = [
  ['SKU-10482', 'Water bottle, 750 ml', 2, 18.9, false],
  ['SKU-20931', 'Running socks', 1, 24.5, false],
  ['SKU-33017', 'Headlamp, 400 lm', 1, 39.95, true],
  ['SKU-41125', 'Merino beanie', 2, 29, false],
  ['SKU-50268', 'Energy gel x12', 3, 21.6, false],
  ['SKU-61744', 'Collapsible cup', 4, 6.5, false],
  ['SKU-72390', 'Rain jacket "Storm" size M', 1, 149, true],
  ['SKU-83306', 'First-aid kit', 1, 27.8, false],
  ['SKU-94151', 'Trekking poles/carbon', 1, 89.9, false],
  ['SKU-99027', 'Trail map Côte d’Azur', 1, 12.4, false],
];

/** The ~1 KB order wrk POSTs to every route. */
const REQUEST_ORDER = {
  orderId: 'ord-2024-000123',
  customer: { id: 'cus-4821', name: 'Zoë "Z" Müller', email: 'zoe.mueller@example.com' },
  currency: 'EUR',
  items: ITEMS.map(([sku, name, quantity, price, giftWrap]) => ({ sku, name, quantity, price, giftWrap })),
  shippingAddress: { city: 'Nice', country: 'FR' },
  note: 'Leave at the back door / ring twice',
};

const total = round(
  ITEMS.reduce((sum, [, , quantity, price]) => sum + quantity * price, 0),
  2,
);

/** The ~1 KB order the upstream answers every request with. */
const UPSTREAM_ORDER = {
  orderId: REQUEST_ORDER.orderId,
  status: 'CONFIRMED',
  currency: 'EUR',
  total,
  customer: { id: 'cus-4821', name: REQUEST_ORDER.customer.name },
  items: ITEMS.map(([sku, , quantity, price]) => ({
    sku,
    quantity,
    price,
    lineTotal: round(quantity * price, 2),
  })),
  shipping: {
    method: 'standard',
    estimatedDelivery: '2024-06-14',
    trackingUrl: 'https://track.example.com/p/ord-2024-000123',
  },
  createdAt: '2024-06-11T09:30:12Z',
};

// ---------------------------------------------------------------------------------------------
// The templates, and what they must produce from the payloads above

/** The parsed route's templates: both bodies read as JSON, one value of each printed. */
const PARSE_ONLY_REQUEST_TEMPLATE = "#set($b = $input.path('$'))$b.orderId";
const PARSE_ONLY_RESPONSE_TEMPLATE = "$input.path('$.orderId')";

const REQUEST_TEMPLATE = `#set($b = $input.path('$'))
{
  "orderId": "$util.escapeJavaScript($b.orderId)",
  "requestId": "$context.requestId",
  "env": "$stageVariables.env",
  "channel": "$util.escapeJavaScript($input.params('channel'))",
  "customer": {
    "id": "$util.escapeJavaScript($b.customer.id)",
    "name": "$util.escapeJavaScript($b.customer.name)",
    "email": "$util.escapeJavaScript($b.customer.email)"
  },
#if($b.note != "")
  "note": "$util.escapeJavaScript($b.note)",
#end
  "lines": [
#foreach($item in $b.items)
    {"sku": "$util.escapeJavaScript($item.sku)", "qty": $item.quantity, "unitPrice": $item.price#if($item.giftWrap), "giftWrap": true#end}#if($foreach.hasNext),#end
#end
  ]
}`;

const RESPONSE_TEMPLATE = `#set($items = $input.path('$.items'))
{
  "id": "$input.path('$.orderId')",
  "status": "$input.path('$.status')",
  "total": $input.path('$.total'),
  "currency": "$input.path('$.currency')",
  "itemCount": $items.size(),
  "customer": "$util.escapeJavaScript($input.path('$.customer.name'))",
  "delivery": "$input.path('$.shipping.estimatedDelivery')",
  "tracking": "$input.path('$.shipping.trackingUrl')",
  "requestId": "$context.requestId"
}`;

/** What the request template sends the upstream for REQUEST_ORDER. */
const expectedMappedRequest = (requestId) => ({
  orderId: REQUEST_ORDER.orderId,
  requestId,
  env: ENV,
  channel: CHANNEL,
  customer: REQUEST_ORDER.customer,
  note: REQUEST_ORDER.note,
  lines: REQUEST_ORDER.items.map(({ sku, quantity, price, giftWrap }) => ({
    sku,
    qty: quantity,
    unitPrice: price,
    ...(giftWrap ? { giftWrap: true } : {}),
  })),
});

/** What the response template answers for UPSTREAM_ORDER. */
const expectedMappedResponse = (requestId) => ({
  id: UPSTREAM_ORDER.orderId,
  status: UPSTREAM_ORDER.status,
  total: UPSTREAM_ORDER.total,
  currency: UPSTREAM_ORDER.currency,
  itemCount: UPSTREAM_ORDER.items.length,
  customer: UPSTREAM_ORDER.customer.name,
  delivery: UPSTREAM_ORDER.shipping.estimatedDelivery,
  tracking: UPSTREAM_ORDER.shipping.trackingUrl,
  requestId,
});

function openApiDocument() {
  /** @param {{request: string, response: string} | null} templates */
  const integration = (templates) => ({
    type: 'http',
    httpMethod: 'POST',
    uri: 'http://${stageVariables.upstream}/orders',
    passthroughBehavior: 'when_no_match',
    ...(templates ? { requestTemplates: { 'application/json': templates.request } } : {}),
    responses: {
      default: {
        statusCode: '200',
        ...(templates ? { responseTemplates: { 'application/json': templates.response } } : {}),
      },
    },
  });
  const operation = (description, templates) => ({
    parameters: [{ name: 'channel', in: 'query', required: false, schema: { type: 'string' } }],
    responses: { 200: { description } },
    'x-amazon-apigateway-integration': integration(templates),
  });
  return {
    openapi: '3.0.1',
    info: { title: 'gatehouse-bench-templates', version: '1' },
    paths: {
      '/plain': { post: operation("the upstream's order", null) },
      '/parsed': {
        post: operation("the upstream's order id", {
          request: PARSE_ONLY_REQUEST_TEMPLATE,
          response: PARSE_ONLY_RESPONSE_TEMPLATE,
        }),
      },
      '/mapped': {
        post: operation('the mapped order', { request: REQUEST_TEMPLATE, response: RESPONSE_TEMPLATE }),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Starting and checking the routes

const REQUEST_BODY = JSON.stringify(REQUEST_ORDER);
const POST_ORDER = {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: REQUEST_BODY,
};

async function startRoutes(dir) {
  const upstreamFile = join(dir, 'upstream-order.json');
  writeFileSync(upstreamFile, JSON.stringify(UPSTREAM_ORDER));
  const upstreamProc = startServer('upstream', LOAD_CORE, [
    benchFile('upstream.mjs'),
    '--body',
    upstreamFile,
    '--record',
  ]);
  const upstreamHost = `127.0.0.1:${await reportedPort(upstreamProc)}`;

  const { apiId, data, importWarnings } = await importApi(dir, openApiDocument(), {
    stage: STAGE,
    variables: { upstream: upstreamHost, env: ENV },
  });
  const server = await serveGatehouse(data, PROXY_CORE);
  const route = (name, path) => ({
    name,
    proc: server.proc,
    pid: server.pid,
    core: PROXY_CORE,
    url: server.invokeUrl(apiId, STAGE, `${path}?channel=${CHANNEL}`),
  });
  const plain = route('plain route', '/plain');
  const parsed = route('parsed route', '/parsed');
  const mapped = route('mapped route', '/mapped');
  await waitUntilReady(plain, { request: POST_ORDER });
  return { upstreamHost, plain, parsed, mapped, importWarnings };
}

const parseJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const show = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2)).slice(0, 2000);

/**
 * One request per route: each must answer 200 with the expected body, and the upstream must
 * have received the order itself (plain) or the request template's output (mapped). Throws
 * with what differed; returns the sizes of the bodies involved.
 */
async function checkRoutes({ upstreamHost, plain, parsed, mapped }) {
  const problems = [];
  const lastUpstreamRequest = async () => (await send(`http://${upstreamHost}/_last`)).body;
  const sizes = { request: Buffer.byteLength(REQUEST_BODY), upstreamResponse: 0 };

  const plainAnswer = await send(plain.url, POST_ORDER);
  const plainSent = parseJson(await lastUpstreamRequest());
  sizes.upstreamResponse = Buffer.byteLength(plainAnswer.body);
  if (plainAnswer.status !== 200 || !isDeepStrictEqual(parseJson(plainAnswer.body), UPSTREAM_ORDER)) {
    problems.push(
      `POST /plain answered ${plainAnswer.status}; expected 200 with the upstream's order, got:\n${show(plainAnswer.body)}`,
    );
  }
  if (plainSent?.method !== 'POST' || plainSent.path !== '/orders' || plainSent.body !== REQUEST_BODY) {
    problems.push(
      `POST /plain should pass the order through to POST /orders; the upstream got:\n${show(plainSent)}`,
    );
  }

  const parsedAnswer = await send(parsed.url, POST_ORDER);
  const parsedSent = parseJson(await lastUpstreamRequest());
  if (parsedAnswer.status !== 200 || parsedAnswer.body !== UPSTREAM_ORDER.orderId) {
    problems.push(
      `POST /parsed answered ${parsedAnswer.status}; expected 200 with ${UPSTREAM_ORDER.orderId}, got:\n${show(parsedAnswer.body)}`,
    );
  }
  if (
    parsedSent?.method !== 'POST' ||
    parsedSent.path !== '/orders' ||
    parsedSent.body !== REQUEST_ORDER.orderId
  ) {
    problems.push(
      `POST /parsed should send ${REQUEST_ORDER.orderId} to POST /orders; the upstream got:\n${show(parsedSent)}`,
    );
  }

  const mappedAnswer = await send(mapped.url, POST_ORDER);
  const mappedSent = parseJson(await lastUpstreamRequest());
  sizes.mappedRequest = Buffer.byteLength(mappedSent?.body ?? '');
  sizes.mappedResponse = Buffer.byteLength(mappedAnswer.body);
  const requestId = mappedAnswer.headers['x-amzn-requestid'];
  if (typeof requestId !== 'string' || requestId === '') {
    problems.push('POST /mapped answered without an x-amzn-RequestId header');
  }
  const mappedBody = parseJson(mappedAnswer.body);
  if (mappedAnswer.status !== 200 || !isDeepStrictEqual(mappedBody, expectedMappedResponse(requestId))) {
    problems.push(
      `POST /mapped answered ${mappedAnswer.status}; expected 200 with the response template's output:\n` +
        `${show(expectedMappedResponse(requestId))}\ngot:\n${show(mappedAnswer.body)}`,
    );
  }
  const templateOutput = parseJson(mappedSent?.body ?? '');
  if (
    mappedSent?.method !== 'POST' ||
    mappedSent.path !== '/orders' ||
    !isDeepStrictEqual(templateOutput, expectedMappedRequest(requestId))
  ) {
    problems.push(
      `POST /mapped should send the request template's output to POST /orders:\n` +
        `${show(expectedMappedRequest(requestId))}\nthe upstream got ${mappedSent?.method} ${mappedSent?.path}` +
        `${templateOutput === undefined ? ' (not valid JSON)' : ''}:\n` +
        `${show(templateOutput ?? mappedSent?.body ?? '')}`,
    );
  }
  if (problems.length) throw new Error(`the routes do not answer as expected:\n${problems.join('\n\n')}`);
  return sizes;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

async function main() {
  const options = readMeasurementOptions(USAGE, { rounds: 4 });
  const warnings = prepareRun();

  const { duration, rounds, warmup, connections } = options;
  const estimate = 3 * warmup + 3 * rounds * duration + 2;
  progress(
    `Gatehouse mapping-template benchmark: ${duration} s per measurement, ${rounds} round(s), about ${Math.ceil(estimate / 10) * 10} s`,
  );

  const tempDir = makeTempDir();
  progress('starting the upstream and Gatehouse');
  const routes = await startRoutes(tempDir);
  const { plain, parsed, mapped } = routes;
  if (routes.importWarnings) warnings.push(`gatehouse import said: ${routes.importWarnings}`);
  progress('checking the routes');
  const sizes = await checkRoutes(routes);
  const gatehouseStderrAtStart = plain.proc.stderrBytes;

  const settings = {
    duration,
    connections,
    script: requestScript(tempDir, 'post-order', POST_ORDER),
  };
  const order = [plain, parsed, mapped];
  const runs = await warmUpAndAlternate(order, { warmup, rounds }, () => settings);

  const peak = {
    connections,
    plain: summarize(runs[0]),
    parsed: summarize(runs[1]),
    mapped: summarize(runs[2]),
  };
  const comparison = compareSummaries(peak.mapped, peak.plain);
  peak.mappedVsPlain = comparison.ratio;
  peak.roundRatios = comparison.roundRatios;
  peak.cpuPerRequestRatio = comparison.cpuPerRequestRatio;
  peak.templateCpuUsPerRequest = comparison.addedCpuUsPerRequest;
  const floor = compareSummaries(peak.parsed, peak.plain);
  peak.parsedVsPlain = floor.ratio;
  peak.parsedRoundRatios = floor.roundRatios;
  peak.parsedCpuPerRequestRatio = floor.cpuPerRequestRatio;
  peak.parsingCpuUsPerRequest = floor.addedCpuUsPerRequest;
  peak.renderingCpuUsPerRequest = compareSummaries(peak.mapped, peak.parsed).addedCpuUsPerRequest;

  // Anything that makes the figures less trustworthy.
  const labelled = labelRuns(order, runs);
  checkErrors(warnings, labelled);
  checkSaturated(warnings, [
    ['Gatehouse (plain route)', peak.plain],
    ['Gatehouse (parsed route)', peak.parsed],
    ['Gatehouse (mapped route)', peak.mapped],
  ]);
  checkOthersOnProxyCore(warnings, runs.flat());
  checkSteal(warnings, runs.flat());
  checkStderr(warnings, 'Gatehouse', plain.proc, gatehouseStderrAtStart);

  await stopRun([plain.proc], warnings);

  const results = {
    settings: measurementSettings(options),
    bodies: sizes,
    templates: {
      request: REQUEST_TEMPLATE,
      response: RESPONSE_TEMPLATE,
      parseOnlyRequest: PARSE_ONLY_REQUEST_TEMPLATE,
      parseOnlyResponse: PARSE_ONLY_RESPONSE_TEMPLATE,
    },
    peak,
    targets: {
      throughput: {
        target: THROUGHPUT_TARGET,
        value: peak.mappedVsPlain,
        met: peak.mappedVsPlain >= THROUGHPUT_TARGET,
      },
    },
    warnings,
  };

  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(report(results));
}

function report({ settings, bodies, peak, targets, warnings }) {
  const pin =
    settings.proxyCore === null
      ? 'unpinned'
      : `Gatehouse on core ${settings.proxyCore}, upstream and wrk on core ${settings.loadCore}`;
  const lines = [
    '',
    `Gatehouse mapping-template benchmark (wrk -t1, keep-alive; ${pin})`,
    '',
    `Every request POSTs a ${bodies.request}-byte JSON order; the upstream answers ${bodies.upstreamResponse} bytes.`,
    `  plain route:  no templates, both bodies pass through`,
    `  parsed route: templates that read both bodies as JSON and print the order ids`,
    `  mapped route: the request template sends the upstream ${bodies.mappedRequest} bytes, ` +
      `the response template answers ${bodies.mappedResponse} bytes`,
    '',
    `Peak throughput: ${peak.connections} connections, ${settings.duration} s per run, ` +
      `medians of ${settings.rounds} alternating round(s)`,
    table([
      summaryHeader(PROXY_CORE, 'Gatehouse CPU'),
      summaryRow('plain route', peak.plain, true),
      summaryRow('parsed route', peak.parsed, true),
      summaryRow('mapped route', peak.mapped, true),
    ]),
    '',
    table([
      ['mapped / plain', fmtRatio(peak.mappedVsPlain), fmtRoundRatios(peak.roundRatios)],
      [
        'mapped / plain, by CPU time per request',
        fmtRatio(peak.cpuPerRequestRatio),
        'plain CPU/request ÷ mapped CPU/request',
      ],
      [
        'CPU the templates add per request',
        fmtSignedUs(peak.templateCpuUsPerRequest),
        'mapped CPU/request - plain CPU/request',
      ],
      ['parsed / plain', fmtRatio(peak.parsedVsPlain), fmtRoundRatios(peak.parsedRoundRatios)],
      [
        'parsed / plain, by CPU time per request',
        fmtRatio(peak.parsedCpuPerRequestRatio),
        'the most templates that read both bodies can keep',
      ],
      [
        '  of which reading both bodies as JSON',
        fmtSignedUs(peak.parsingCpuUsPerRequest),
        'parsed CPU/request - plain CPU/request',
      ],
      [
        '  of which rendering the templates',
        fmtSignedUs(peak.renderingCpuUsPerRequest),
        'mapped CPU/request - parsed CPU/request',
      ],
    ]),
    '',
    'Target',
    table([
      [
        `mapped >= ${THROUGHPUT_TARGET.toFixed(2)}x the plain route's req/s`,
        fmtRatio(targets.throughput.value),
        verdict(targets.throughput.met),
      ],
    ]),
    ...warningLines(warnings),
  ];
  return `${lines.join('\n')}\n`;
}

await runBenchmark(main);
