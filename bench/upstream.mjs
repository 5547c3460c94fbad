// The benchmark's upstream: a tiny keep-alive HTTP server that answers every request with the
// same JSON body, by default ~100 bytes. It prints {"port":N} on stdout once listening.
//
//   node bench/upstream.mjs [--port N] [--host H] [--body FILE] [--record]
//
// --body FILE   answer with the bytes of FILE (JSON) instead of the built-in body.
// --record      keep the last request received (method, path, headers, body) and answer
//               GET /_last with it as JSON, so a benchmark can check what reached the upstream.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    body: { type: 'string' },
    record: { type: 'boolean', default: false },
  },
});

const BODY = values.body
  ? readFileSync(values.body)
  : Buffer.from(
      JSON.stringify({
        id: 1,
        name: 'gatehouse-bench',
        status: 'ok',
        region: 'local',
        tags: ['upstream', 'keep-alive'],
        n: 42,
      }),
    );
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

let last = null;

function answerLast(res) {
  const body = Buffer.from(JSON.stringify(last));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (values.record) {
    if (req.method === 'GET' && req.url === '/_last') {
      req.resume();
      answerLast(res);
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      last = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      res.writeHead(200, HEADERS);
      res.end(BODY);
    });
    return;
  }
  // Drain any request body so the connection can be reused, then answer.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
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
