// The HTTPS listener with real certificates made by openssl: a certificate per domain by SNI,
// the default certificate elsewhere, mutual TLS with a truststore per domain, and a domain whose
// files are missing failing alone.
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { deploy } from '../../../src/controlplane/deployments.js';
import { serverNameOf } from '../../../src/dataplane/domains/client-hello.js';
import { RequestContext } from '../../../src/dataplane/context.js';
import { httpApiEventV1, httpApiEventV2, restProxyEvent } from '../../../src/features/lambda-proxy/events.js';
import { startGatewayNode, type GatewayNode } from '../../../src/gateway-node.js';
import type { ApiMapping, DomainName } from '../../../src/model/domain-names.js';
import { SqliteConfigStore } from '../../../src/store/sqlite/sqlite-config-store.js';
import { mock, restApi } from '../../helpers/apis.js';
import { TestCertificates, type Pem } from './certificates.js';

const ACM_ARN = 'arn:aws:acm:us-east-1:000000000000:certificate/0b7e3c1a-wild';
const WHO =
  '{"domainName":"$context.domainName","path":"$context.path",' +
  '"subjectDN":"$context.identity.clientCert.subjectDN","issuerDN":"$context.identity.clientCert.issuerDN",' +
  '"serialNumber":"$context.identity.clientCert.serialNumber",' +
  '"notBefore":"$context.identity.clientCert.validity.notBefore",' +
  '"notAfter":"$context.identity.clientCert.validity.notAfter",' +
  '"pem":"$util.escapeJavaScript($context.identity.clientCert.clientCertPem)"}';

let certs: TestCertificates;
let serverCa: Pem;
let clientCa: Pem;
let client: Pem;
let rogueClient: Pem;
let dir: string;
let store: SqliteConfigStore;
let node: GatewayNode;
const logs: { message: string; fields: Record<string, unknown> | undefined }[] = [];
const agents: Agent[] = [];

beforeAll(async () => {
  certs = new TestCertificates();
  serverCa = certs.authority('server-ca');
  const main = certs.issue('api.example.test', serverCa, ['api.example.test', 'mtls.example.test']);
  const wild = certs.issue('wild.example.test', serverCa, ['*.wild.example.test']);
  const fallback = certs.issue('fallback', serverCa, ['localhost']);
  clientCa = certs.authority('client-ca');
  client = certs.issue('client.example.test', clientCa);
  rogueClient = certs.issue('rogue.example.test', certs.authority('rogue-ca'));

  dir = await mkdtemp(join(tmpdir(), 'gatehouse-tls-'));
  store = SqliteConfigStore.open(dir);
  node = await startGatewayNode({
    store,
    port: 0,
    host: '127.0.0.1',
    log: (message, fields) => logs.push({ message, fields }),
    tls: {
      port: 0,
      certificates: {
        main,
        [ACM_ARN]: wild,
        fallback,
        missing: { certificate: join(certs.dir, 'nope.crt'), privateKey: join(certs.dir, 'nope.key') },
      },
      defaultCertificate: 'fallback',
    },
  });
  const api = restApi({ 'GET /who': mock(200, WHO) });
  await store.createApi(api);
  await deploy(store, { apiId: api.id, stageName: 'live' });
  const domains: DomainName[] = [
    { domainName: 'api.example.test', createdDate: 0, endpointType: 'REGIONAL', certificateName: 'main' },
    { domainName: '*.wild.example.test', createdDate: 0, endpointType: 'REGIONAL', certificateArn: ACM_ARN },
    {
      domainName: 'mtls.example.test',
      createdDate: 0,
      endpointType: 'REGIONAL',
      certificateName: 'main',
      mutualTlsAuthentication: { truststoreUri: pathToFileURL(clientCa.certificate).href },
    },
    {
      domainName: 'broken.example.test',
      createdDate: 0,
      endpointType: 'REGIONAL',
      certificateName: 'missing',
    },
  ];
  for (const domain of domains) {
    await store.createDomainName(domain);
    const root: ApiMapping = {
      domainName: domain.domainName,
      apiMappingId: `m${domains.indexOf(domain)}`,
      apiMappingKey: '',
      apiId: api.id,
      stage: 'live',
    };
    await store.createApiMapping(root);
  }
  await node.loader.reload();
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await node?.stop();
  await store?.close();
  certs?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The certificate's CN the listener presents for a server name (none: no SNI). */
function presented(servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: node.tlsPort!,
      ...(servername === undefined ? {} : { servername }),
      ca: certs.read(serverCa.certificate),
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    socket.once('error', reject);
  });
}

/** The status line of a request whose Host differs from the server name of its connection. */
function statusLine(servername: string, host: string, clientPem: Pem): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: node.tlsPort!,
      servername,
      ca: certs.read(serverCa.certificate),
      cert: certs.read(clientPem.certificate),
      key: certs.read(clientPem.privateKey),
    });
    let text = '';
    socket.once('secureConnect', () =>
      socket.write(`GET /who HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.once('end', () => resolve(text.slice(0, text.indexOf('\r\n'))));
    socket.once('error', reject);
  });
}

async function get(servername: string, host: string, clientPem?: Pem) {
  const agent = new Agent({
    connect: {
      servername,
      ca: certs.read(serverCa.certificate),
      ...(clientPem && { cert: certs.read(clientPem.certificate), key: certs.read(clientPem.privateKey) }),
    },
  });
  agents.push(agent);
  const r = await request(`https://127.0.0.1:${node.tlsPort!}/who`, { dispatcher: agent, headers: { host } });
  return { status: r.statusCode, text: await r.body.text() };
}

describe('the HTTPS listener', () => {
  it('presents each domain its own certificate by SNI, and the default one elsewhere', async () => {
    expect(await presented('api.example.test')).toBe('api.example.test');
    expect(await presented('shop.wild.example.test')).toBe('wild.example.test');
    expect(await presented('unknown.example.org')).toBe('fallback');
    expect(await presented()).toBe('fallback');
  });

  it('serves custom domains over HTTPS, verified against the server CA', async () => {
    const r = await get('api.example.test', 'api.example.test');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ domainName: 'api.example.test', path: '/who', subjectDN: '' });
    const wild = await get('eu.wild.example.test', 'eu.wild.example.test');
    expect(JSON.parse(wild.text)).toMatchObject({ domainName: 'eu.wild.example.test' });
  });

  it('fails only the handshakes of a domain whose certificate files are missing, and says why', async () => {
    await expect(presented('broken.example.test')).rejects.toThrow();
    const logged = logs.find((l) => l.message.includes('broken.example.test'));
    expect(logged?.message).toBe('TLS: domain broken.example.test cannot be served over HTTPS');
    expect(String(logged?.fields?.reason)).toMatch(/nope\.(crt|key): ENOENT/);
    // Everything else keeps working.
    expect((await get('api.example.test', 'api.example.test')).status).toBe(200);
  });
});

describe('mutual TLS', () => {
  it('passes a client certificate its truststore signed, as AWS shows it in $context', async () => {
    const r = await get('mtls.example.test', 'mtls.example.test', client);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as Record<string, string>;
    expect(body.subjectDN).toBe('CN=client.example.test,O=Gatehouse,C=DE');
    expect(body.issuerDN).toBe('CN=client-ca,O=Gatehouse');
    expect(body.serialNumber).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    expect(body.notBefore).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT$/);
    expect(body.notAfter).toMatch(/ GMT$/);
    expect(body.pem).toBe(certs.read(client.certificate));
  });

  it('refuses a request without a client certificate with 403', async () => {
    const r = await get('mtls.example.test', 'mtls.example.test');
    expect(r.status).toBe(403);
    expect(r.text).toBe('{"message":"Forbidden"}');
    expect(logs.some((l) => l.message === 'mutual TLS: access denied')).toBe(true);
  });

  it('refuses a certificate from a CA outside the truststore with 403', async () => {
    const r = await get('mtls.example.test', 'mtls.example.test', rogueClient);
    expect(r.status).toBe(403);
  });

  it('refuses the domain on a connection opened for another name, or over plain HTTP', async () => {
    // undici sends the Host as the server name, so this request is written by hand.
    expect(await statusLine('api.example.test', 'mtls.example.test', client)).toBe('HTTP/1.1 403 Forbidden');
    expect(await statusLine('mtls.example.test', 'mtls.example.test', client)).toBe('HTTP/1.1 200 OK');
    const plain = await request(`${node.url}/who`, { headers: { host: 'mtls.example.test' } });
    expect(plain.statusCode).toBe(403);
    await plain.body.dump();
  });

  it('does not ask clients of other domains for a certificate', async () => {
    // The client offers one anyway; a domain without mutual TLS never requested it.
    const r = await get('api.example.test', 'api.example.test', client);
    expect(JSON.parse(r.text)).toMatchObject({ subjectDN: '' });
  });
});

describe('the client certificate in Lambda proxy events', () => {
  it('is requestContext.identity.clientCert in REST and 1.0 events, authentication.clientCert in 2.0', async () => {
    const server = createHttpsServer({
      cert: certs.read(join(certs.dir, 'api.example.test.crt')),
      key: certs.read(join(certs.dir, 'api.example.test.key')),
      ca: certs.read(clientCa.certificate),
      requestCert: true,
    });
    const events = new Promise<Record<string, Record<string, Record<string, unknown>>>[]>((resolve) =>
      server.once('request', (req: IncomingMessage, res: ServerResponse) => {
        const ctx = new RequestContext('id', req, res, 'GET', '/who', '', 'live', Date.now(), '127.0.0.1');
        const options = { body: Buffer.alloc(0), binaryMediaTypes: [] };
        resolve([
          restProxyEvent(ctx, options),
          httpApiEventV1(ctx, options),
          httpApiEventV2(ctx, options),
        ] as never);
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({
      connect: {
        servername: 'api.example.test',
        ca: certs.read(serverCa.certificate),
        cert: certs.read(client.certificate),
        key: certs.read(client.privateKey),
      },
    });
    agents.push(agent);
    const port = (server.address() as AddressInfo).port;
    await (await request(`https://127.0.0.1:${port}/who`, { dispatcher: agent })).body.dump();
    const [rest, v1, v2] = await events;
    server.close();
    const expected = expect.objectContaining({
      clientCertPem: certs.read(client.certificate),
      subjectDN: 'CN=client.example.test,O=Gatehouse,C=DE',
      issuerDN: 'CN=client-ca,O=Gatehouse',
    }) as unknown;
    expect(rest!.requestContext!.identity).toMatchObject({ clientCert: expected });
    expect(v1!.requestContext!.identity).toMatchObject({ clientCert: expected });
    expect(v2!.requestContext!.authentication).toEqual({ clientCert: expected });
  });
});

describe('reading the server name from a ClientHello', () => {
  async function helloOf(servername: string | undefined): Promise<Buffer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const first = new Promise<Buffer>((resolve) =>
      server.once('connection', (socket) => socket.once('data', (chunk: Buffer) => resolve(chunk))),
    );
    const socket = connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      ...(servername === undefined ? {} : { servername }),
    });
    socket.on('error', () => {});
    const hello = await first;
    socket.destroy();
    server.close();
    return hello.subarray(5);
  }

  it('finds the name a real client sends, and nothing when it sends none', async () => {
    expect(serverNameOf(await helloOf('api.example.test'))).toBe('api.example.test');
    expect(serverNameOf(await helloOf(undefined))).toBe('');
  });

  it('gives no name for truncated or foreign bytes', async () => {
    const hello = await helloOf('api.example.test');
    expect(serverNameOf(hello.subarray(0, 60))).toBe('');
    expect(serverNameOf(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('');
  });
});
