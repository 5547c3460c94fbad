import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, verifyRequest, type VerifyResult } from '../../src/sigv4/index.js';
import { KEY, SIGNED_AT, lookup } from './helpers.js';

describe('signRequest', () => {
  it('signs the AWS test suite case post-x-www-form-urlencoded as published', async () => {
    const added = await signRequest(
      {
        method: 'POST',
        url: 'https://example.amazonaws.com/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '13' },
        body: Buffer.from('Param1=value1'),
      },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      { service: 'service', region: 'us-east-1' },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(added).toEqual({
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, ' +
        'Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
      'x-amz-date': '20150830T123600Z',
      'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    });
  });

  it('adds exactly what the AWS SDK signer adds for the same request', async () => {
    const body = Buffer.from('{"a":1}');
    const credentials = { ...KEY, sessionToken: 'token/with+chars=' };
    const ours = await signRequest(
      {
        method: 'POST',
        url: 'http://127.0.0.1:9001/2015-03-31/functions/my%3Afn/invocations?Qualifier=%24LATEST&b=a%20b',
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
        body,
      },
      credentials,
      { service: 'lambda', region: 'us-west-2' },
      SIGNED_AT,
    );
    const sdk = await new SignatureV4({
      service: 'lambda',
      region: 'us-west-2',
      credentials: { ...KEY, sessionToken: 'token/with+chars=' },
      sha256: Hash.bind(null, 'sha256'),
    }).sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 9001,
        path: '/2015-03-31/functions/my%3Afn/invocations',
        query: { Qualifier: '$LATEST', b: 'a b' },
        headers: {
          host: '127.0.0.1:9001',
          'content-type': 'application/json',
          'x-amz-invocation-type': 'RequestResponse',
        },
        body,
      },
      { signingDate: SIGNED_AT },
    );
    expect(ours).toEqual({
      authorization: sdk.headers.authorization,
      'x-amz-date': '20261125T215650Z',
      'x-amz-content-sha256': sdk.headers['x-amz-content-sha256'],
      'x-amz-security-token': 'token/with+chars=',
    });
    expect(ours.authorization).toContain(
      'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-invocation-type;x-amz-security-token',
    );
  });

  it('leaves the headers AWS never signs unsigned', async () => {
    const added = await signRequest(
      {
        method: 'GET',
        url: 'https://apigateway.us-east-1.amazonaws.com/restapis',
        headers: { 'user-agent': 'gatehouse', connection: 'keep-alive', accept: 'application/json' },
        body: Buffer.alloc(0),
      },
      KEY,
      { service: 'apigateway', region: 'us-east-1' },
      SIGNED_AT,
    );
    expect(added.authorization).toContain('SignedHeaders=accept;host;x-amz-content-sha256;x-amz-date,');
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-amz-content-sha256', 'x-amz-date']);
  });
});

describe('sign, send over HTTP, verify', () => {
  let server: Server;
  let origin: string;
  const results: VerifyResult[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void verifyRequest(
          {
            method: req.method ?? '',
            path: req.url ?? '/',
            headers: req.headersDistinct,
            body: Buffer.concat(chunks),
          },
          lookup,
          { service: 'apigateway' },
        ).then((result) => {
          results.push(result);
          res.writeHead(result.ok ? 200 : result.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(result));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = async (method: string, path: string, body: string, headers: Record<string, string> = {}) => {
    const url = `${origin}${path}`;
    const payload = Buffer.from(body);
    const added = await signRequest({ method, url, headers, body: payload }, KEY, {
      service: 'apigateway',
      region: 'us-east-1',
    });
    const response = await request(url, {
      method: method as 'GET',
      headers: { ...headers, ...added },
      body: payload,
    });
    return { status: response.statusCode, result: (await response.body.json()) as VerifyResult };
  };

  it('verifies a POST with a body, a port in the host and an awkward query', async () => {
    const { status, result } = await send(
      'POST',
      '/restapis/abc%20def/resources?name=a%20b&plus=a%2Bb&slash=a%2Fb&x=%E1%88%B4&x=1',
      '{"name": "pets"}',
      { 'content-type': 'application/json', 'x-repeated': 'one' },
    );
    expect(result).toEqual({ ok: true, accessKeyId: KEY.accessKeyId, region: 'us-east-1' });
    expect(status).toBe(200);
  });

  it('verifies a request the AWS SDK signer signed as the CLI does (no content hash)', async () => {
    const headers = await sdkSignedFor(origin, '/v2/apis?maxResults=5&name=a%20b');
    expect(headers.authorization).toContain('SignedHeaders=accept;host;x-amz-date,');
    const response = await request(`${origin}/v2/apis?maxResults=5&name=a%20b`, { headers });
    expect(await response.body.json()).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: 'us-east-1',
    });
  });

  it('rejects the same request sent to another port than it was signed for', async () => {
    const url = `${origin}/restapis`;
    const added = await signRequest({ method: 'GET', url, headers: {}, body: Buffer.alloc(0) }, KEY, {
      service: 'apigateway',
      region: 'us-east-1',
    });
    const response = await request(url, { headers: { ...added, host: '127.0.0.1:1' } });
    expect(response.statusCode).toBe(403);
    expect(await response.body.json()).toMatchObject({ errorType: 'InvalidSignatureException' });
  });
});

async function sdkSignedFor(origin: string, target: string): Promise<Record<string, string>> {
  const url = new URL(target, origin);
  const signer = new SignatureV4({
    service: 'apigateway',
    region: 'us-east-1',
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, accept: 'application/json' },
  });
  return signed.headers;
}
