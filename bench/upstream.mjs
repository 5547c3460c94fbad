// The benchmark's upstream: a tiny keep-alive HTTP server that answers every request with the
// same ~100-byte JSON body. It prints {"port":N} on stdout once listening.
//
//   node bench/upstream.mjs [--port N] [--host H]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const BODY = Buffer.from(
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

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
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
