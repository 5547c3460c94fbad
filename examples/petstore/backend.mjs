// The example's backend: a tiny in-memory pet store on node:http.
import { createServer } from 'node:http';

const pets = new Map([
  ['1', { id: 1, type: 'dog', price: 249.99 }],
  ['2', { id: 2, type: 'cat', price: 124.99 }],
  ['3', { id: 3, type: 'fish', price: 0.99 }],
]);

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://backend');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'pets')
    return send(res, 200, { echo: { method: req.method, path: url.pathname, query: url.search } });
  if (parts.length === 1 && req.method === 'GET') return send(res, 200, [...pets.values()]);
  if (parts.length === 1 && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        const pet = { ...JSON.parse(body || '{}'), id: pets.size + 1 };
        pets.set(String(pet.id), pet);
        send(res, 201, pet);
      } catch {
        send(res, 400, { message: 'body must be JSON' });
      }
    });
    return undefined;
  }
  const pet = pets.get(parts[1] ?? '');
  if (!pet) return send(res, 404, { message: `no pet ${parts[1]}` });
  return send(res, 200, parts[2] === 'status' ? { id: pet.id, status: 'available' } : pet);
}

export function startBackend(port = 0) {
  const server = createServer(handle);
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
