// The Node ceiling for an HTTP pass-through: node:http in front of an undici Pool, with nothing
// else. Gatehouse's HTTP_PROXY integration does this plus routing, stage resolution, request
// parameters and AWS's headers and error handling; bench/proxy.mjs compares the two.
//
//   node bench/minimal-proxy.mjs --upstream HOST:PORT [--port N] [--host H]
//
// It forwards the method, path and headers (minus hop-by-hop ones), streams the request body
// to the upstream and pipes the response body back. It prints {"port":N} once listening.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values.upstream) {
  process.stderr.write('usage: node bench/minimal-proxy.mjs --upstream HOST:PORT [--port N]\n');
  process.exit(2);
}

const upstreamHost = values.upstream;
// The same pool settings as Gatehouse's upstream pools, so the comparison is like for like.
const pool = new Pool(`http://${upstreamHost}`, {
  connections: 256,
  keepAliveTimeout: 30_000,
  headersTimeout: 0,
  bodyTimeout: 0,
});

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers minus hop-by-hop ones, including any the Connection header names. */
function endToEnd(headers) {
  const connection = headers.connection;
  const named = connection
    ? new Set(
        String(connection)
          .split(',')
          .map((token) => token.trim().toLowerCase()),
      )
    : null;
  const out = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || named?.has(name)) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function hasBody(req) {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const headers = endToEnd(req.headers);
  headers.host = upstreamHost;
  pool.request({ method: req.method, path: req.url, headers, body: hasBody(req) ? req : null }).then(
    (upstream) => {
      res.writeHead(upstream.statusCode, endToEnd(upstream.headers));
      upstream.body.on('error', () => res.destroy());
      res.on('close', () => {
        if (!upstream.body.readableEnded) upstream.body.destroy();
      });
      upstream.body.pipe(res);
    },
    () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"message":"Bad gateway"}');
    },
  );
});
server.headersTimeout = 0;
server.requestTimeout = 0;

server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
