import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  INVALID_SECURITY_TOKEN,
  MISSING_AUTHENTICATION_TOKEN,
  SIGNATURE_MISMATCH,
  verifyRequest,
  type RequestToVerify,
  type VerifyOptions,
} from '../../src/sigv4/index.js';
import { capturedRequests } from './captured-requests.js';
import { KEY, SIGNED_AT, lookup, sdkSigned, signedRequest, withAuthorizationParam } from './helpers.js';

const options: VerifyOptions = { service: 'apigateway', now: SIGNED_AT };
const verify = (request: RequestToVerify, overrides: Partial<VerifyOptions> = {}) =>
  verifyRequest(request, lookup, { ...options, ...overrides });

const rejected = (errorType: string, message: string) => ({ ok: false, status: 403, errorType, message });
const mismatch = rejected('InvalidSignatureException', SIGNATURE_MISMATCH);

describe('requests the AWS CLI and SDK really sent', () => {
  const now = new Date('2026-11-25T21:57:00Z');
  const testKey = (id: string) => (id === 'test' ? 'test' : undefined);
  const received = (index: number): RequestToVerify => {
    const captured = capturedRequests[index];
    if (!captured) throw new Error(`no capture ${index}`);
    return {
      method: captured.method,
      path: captured.path,
      headers: captured.headers,
      body: Buffer.from(captured.body),
    };
  };

  it.each(capturedRequests.map((captured, index) => [captured.client, index] as const))(
    '%s verifies',
    async (_client, index) => {
      expect(await verifyRequest(received(index), testKey, { service: 'apigateway', now })).toEqual({
        ok: true,
        accessKeyId: 'test',
        region: 'us-east-1',
      });
    },
  );

  it('rejects the CLI request when its body is changed (the CLI signs no x-amz-content-sha256)', async () => {
    const request = received(6);
    const body = Buffer.from('{"name": "cats", "endpointConfiguration": {"types": ["REGIONAL"]}}');
    expect(await verifyRequest({ ...request, body }, testKey, { service: 'apigateway', now })).toEqual(
      mismatch,
    );
  });

  it('rejects the SDK request when its body no longer matches the signed x-amz-content-sha256', async () => {
    const request = received(1);
    const body = Buffer.from(
      '{"name":"cats","description":"d","endpointConfiguration":{"types":["REGIONAL"]}}',
    );
    expect(await verifyRequest({ ...request, body }, testKey, { service: 'apigateway', now })).toEqual(
      mismatch,
    );
  });

  it('rejects a captured request checked with another secret', async () => {
    expect(await verifyRequest(received(0), () => 'not-test', { service: 'apigateway', now })).toEqual(
      mismatch,
    );
  });

  it('ignores the headers the client left unsigned (CLI v1 sends amz-sdk-* unsigned)', async () => {
    const request = received(7);
    const headers = { ...request.headers, 'amz-sdk-request': 'attempt=2', 'user-agent': 'changed' };
    expect((await verifyRequest({ ...request, headers }, testKey, { service: 'apigateway', now })).ok).toBe(
      true,
    );
  });

  it('rejects a captured request whose signed header was changed', async () => {
    const request = received(0);
    const headers = { ...request.headers, 'amz-sdk-request': 'attempt=2; max=1' };
    expect(await verifyRequest({ ...request, headers }, testKey, { service: 'apigateway', now })).toEqual(
      mismatch,
    );
  });
});

// The published AWS SigV4 test suite (aws-sig-v4-test-suite, as awslabs/aws-c-auth carries it):
// AKIDEXAMPLE, 20150830T123600Z, us-east-1, service `service`, host example.amazonaws.com.
describe('the AWS SigV4 test suite', () => {
  const suiteSecret = (id: string) =>
    id === 'AKIDEXAMPLE' ? 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' : undefined;
  const suiteNow = new Date('2015-08-30T12:36:00Z');
  interface Vector {
    name: string;
    method: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: string;
    signedHeaders: string;
    signature: string;
  }
  const vectors: Vector[] = [
    {
      name: 'get-vanilla',
      method: 'GET',
      path: '/',
      signedHeaders: 'host;x-amz-date',
      signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    },
    {
      name: 'post-vanilla',
      method: 'POST',
      path: '/',
      signedHeaders: 'host;x-amz-date',
      signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    },
    {
      name: 'get-unreserved',
      method: 'GET',
      path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      signedHeaders: 'host;x-amz-date',
      signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f',
    },
    {
      name: 'get-vanilla-query-order-key-case',
      method: 'GET',
      path: '/?Param2=value2&Param1=value1',
      signedHeaders: 'host;x-amz-date',
      signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    },
    {
      name: 'get-vanilla-query-order-encoded',
      method: 'GET',
      path: '/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1',
      signedHeaders: 'host;x-amz-date',
      signature: '371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac',
    },
    {
      name: 'get-vanilla-query-unreserved',
      method: 'GET',
      path:
        '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=' +
        '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      signedHeaders: 'host;x-amz-date',
      signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
    },
    {
      name: 'get-vanilla-utf8-query',
      method: 'GET',
      path: '/?%E1%88%B4=bar',
      signedHeaders: 'host;x-amz-date',
      signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
    },
    {
      name: 'post-vanilla-query',
      method: 'POST',
      path: '/?Param1=value1',
      signedHeaders: 'host;x-amz-date',
      signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
    },
    {
      name: 'get-vanilla-with-session-token',
      method: 'GET',
      path: '/',
      headers: { 'x-amz-security-token': '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
      signedHeaders: 'host;x-amz-date;x-amz-security-token',
      signature: '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8',
    },
    {
      name: 'get-header-key-duplicate',
      method: 'GET',
      path: '/',
      headers: { 'my-header1': ['value2', 'value2', 'value1'] },
      signedHeaders: 'host;my-header1;x-amz-date',
      signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea',
    },
    {
      name: 'get-header-value-order',
      method: 'GET',
      path: '/',
      headers: { 'my-header1': ['value4', 'value1', 'value3', 'value2'] },
      signedHeaders: 'host;my-header1;x-amz-date',
      signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01',
    },
    {
      name: 'get-header-value-trim',
      method: 'GET',
      path: '/',
      headers: { 'my-header1': ' value1', 'my-header2': ' "a   b   c"' },
      signedHeaders: 'host;my-header1;my-header2;x-amz-date',
      signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
    },
    {
      name: 'post-header-value-case',
      method: 'POST',
      path: '/',
      headers: { 'my-header1': 'VALUE1' },
      signedHeaders: 'host;my-header1;x-amz-date',
      signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d',
    },
    {
      name: 'post-x-www-form-urlencoded',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': '13',
        'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
      },
      body: 'Param1=value1',
      signedHeaders: 'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
      signature: 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b',
    },
  ];

  const asReceived = (vector: Vector): RequestToVerify => ({
    method: vector.method,
    path: vector.path,
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      ...vector.headers,
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        `SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
    },
    body: Buffer.from(vector.body ?? ''),
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s verifies', async (_name, vector) => {
    const result = await verifyRequest(asReceived(vector), suiteSecret, {
      service: 'service',
      now: suiteNow,
    });
    expect(result.ok).toBe(true);
  });

  it('get-vanilla-query-order-key-case fails once a value changes', async () => {
    const vector = vectors.find((v) => v.name === 'get-vanilla-query-order-key-case');
    if (!vector) throw new Error('vector missing');
    const request = { ...asReceived(vector), path: '/?Param2=value2&Param1=value3' };
    expect(await verifyRequest(request, suiteSecret, { service: 'service', now: suiteNow })).toEqual(
      mismatch,
    );
  });
});

describe('a request Gatehouse signed', () => {
  it('verifies, naming the key and the region it was signed for', async () => {
    const request = await signedRequest({ region: 'eu-west-3' });
    expect(await verify(request)).toEqual({ ok: true, accessKeyId: KEY.accessKeyId, region: 'eu-west-3' });
  });

  it('carries its session token into the result when the token is signed', async () => {
    const request = await signedRequest({ credentials: { ...KEY, sessionToken: 'session-token-1' } });
    expect(String(request.headers.authorization)).toContain('x-amz-security-token');
    expect(await verify(request)).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: 'us-east-1',
      sessionToken: 'session-token-1',
    });
  });

  it('verifies repeated headers passed as req.headersDistinct gives them', async () => {
    const request = await signedRequest({ headers: { 'x-multi': 'a,b' } });
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name,
        name === 'x-multi' ? ['a', 'b'] : [String(value)],
      ]),
    );
    expect((await verify({ ...request, headers })).ok).toBe(true);
  });
});

describe('failures carry AWS error types and messages', () => {
  it('no Authorization header: 403 MissingAuthenticationTokenException', async () => {
    const request = await signedRequest();
    const headers = { ...request.headers };
    delete headers.authorization;
    expect(await verify({ ...request, headers })).toEqual(
      rejected('MissingAuthenticationTokenException', MISSING_AUTHENTICATION_TOKEN),
    );
    expect(MISSING_AUTHENTICATION_TOKEN).toBe('Missing Authentication Token');
  });

  it('a blank Authorization header counts as missing', async () => {
    const request = await signedRequest();
    expect(await verify({ ...request, headers: { ...request.headers, authorization: '  ' } })).toEqual(
      rejected('MissingAuthenticationTokenException', 'Missing Authentication Token'),
    );
  });

  it('a bearer token: the missing equal-sign message names the header only by its digest', async () => {
    const request = await signedRequest();
    const authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
    const digest = createHash('sha256').update(authorization).digest('base64');
    const result = await verify({ ...request, headers: { ...request.headers, authorization } });
    expect(result).toEqual(
      rejected(
        'IncompleteSignatureException',
        `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${digest}'.`,
      ),
    );
    expect(JSON.stringify(result)).not.toContain('eyJ');
  });

  it('a space after Credential= splits the pair, as AWS reads it', async () => {
    const request = await signedRequest();
    const authorization = String(request.headers.authorization).replace('Credential=', 'Credential= ');
    const result = await verify({ ...request, headers: { ...request.headers, authorization } });
    expect(result).toMatchObject({ ok: false, status: 403, errorType: 'IncompleteSignatureException' });
    expect(result.ok ? '' : result.message).toMatch(/^Invalid key=value pair \(missing equal-sign\)/);
  });

  it('a bare scheme with no date header lists everything missing', async () => {
    const request = await signedRequest();
    const headers: IncomingHttpHeaders = { ...request.headers, authorization: 'Bearer' };
    delete headers['x-amz-date'];
    expect(await verify({ ...request, headers })).toEqual(
      rejected(
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. " +
          "Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. " +
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
          'Authorization=Bearer',
      ),
    );
  });

  it('missing Signature and SignedHeaders are named, and the credential is not echoed', async () => {
    const request = await signedRequest();
    const authorization = `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20261125/us-east-1/apigateway/aws4_request`;
    const result = await verify({ ...request, headers: { ...request.headers, authorization } });
    expect(result).toEqual(
      rejected(
        'IncompleteSignatureException',
        "Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
      ),
    );
  });

  it('an unsupported algorithm', async () => {
    const request = await signedRequest();
    const authorization = String(request.headers.authorization).replace(
      'AWS4-HMAC-SHA256',
      'AWS4-HMAC-SHA512',
    );
    expect(await verify({ ...request, headers: { ...request.headers, authorization } })).toEqual(
      rejected('IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."),
    );
  });

  it('host must be signed', async () => {
    const request = withAuthorizationParam(await signedRequest(), 'SignedHeaders', 'accept;x-amz-date');
    expect(await verify(request)).toEqual(
      rejected(
        'InvalidSignatureException',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      ),
    );
  });

  it('a date not in ISO-8601 basic format', async () => {
    const request = await signedRequest();
    const headers = { ...request.headers, 'x-amz-date': '2026-11-25T21:56:50Z' };
    expect(await verify({ ...request, headers })).toEqual(
      rejected(
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format'. Got '2026-11-25T21:56:50Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      ),
    );
  });

  it('an impossible date is not rolled over into a real one', async () => {
    const request = await signedRequest();
    const headers = { ...request.headers, 'x-amz-date': '20261332T256161Z' };
    expect(await verify({ ...request, headers })).toMatchObject({
      errorType: 'IncompleteSignatureException',
    });
  });

  it('a credential without five parts', async () => {
    const request = withAuthorizationParam(
      await signedRequest(),
      'Credential',
      `${KEY.accessKeyId}/20261125/us-east-1`,
    );
    expect(await verify(request)).toEqual(
      rejected(
        'IncompleteSignatureException',
        'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
          `got '${KEY.accessKeyId}/20261125/us-east-1'`,
      ),
    );
  });

  it('a credential scoped to another service', async () => {
    const request = await signedRequest({ service: 'execute-api' });
    expect(await verify(request)).toEqual(
      rejected('InvalidSignatureException', "Credential should be scoped to correct service: 'apigateway'."),
    );
  });

  it('every scope problem at once, as AWS lists them', async () => {
    const request = withAuthorizationParam(
      await signedRequest(),
      'Credential',
      `${KEY.accessKeyId}/20261124/us-east-1/lambda/aws5_request`,
    );
    expect(await verify(request)).toEqual(
      rejected(
        'InvalidSignatureException',
        "Credential should be scoped to correct service: 'apigateway'. " +
          "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
          'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
          "'20261124' != '20261125', from '20261125T215650Z'.",
      ),
    );
  });

  it('an unknown access key: 403 UnrecognizedClientException', async () => {
    const request = await signedRequest({
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    });
    expect(await verify(request)).toEqual(rejected('UnrecognizedClientException', INVALID_SECURITY_TOKEN));
    expect(INVALID_SECURITY_TOKEN).toBe('The security token included in the request is invalid.');
  });

  it('a wrong secret: the signature mismatch message', async () => {
    const request = await signedRequest({ credentials: { ...KEY, secretAccessKey: 'wrong' } });
    expect(await verify(request)).toEqual(mismatch);
    expect(SIGNATURE_MISMATCH).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
        'Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('a signature of another length is a mismatch, not an error', async () => {
    const request = withAuthorizationParam(await signedRequest(), 'Signature', 'abc');
    expect(await verify(request)).toEqual(mismatch);
  });

  it('a changed method, path or query is a mismatch', async () => {
    const request = await signedRequest();
    expect(await verify({ ...request, method: 'DELETE' })).toEqual(mismatch);
    expect(await verify({ ...request, path: '/restapis/abc?limit=10' })).toEqual(mismatch);
    expect(await verify({ ...request, path: '/restapis?limit=11' })).toEqual(mismatch);
  });

  it('a changed signed header is a mismatch; an unsigned one is not', async () => {
    const request = await signedRequest({ headers: { accept: 'application/json', 'user-agent': 'cli/1' } });
    expect(String(request.headers.authorization)).not.toContain('user-agent');
    expect(await verify({ ...request, headers: { ...request.headers, accept: 'text/html' } })).toEqual(
      mismatch,
    );
    expect((await verify({ ...request, headers: { ...request.headers, 'user-agent': 'cli/2' } })).ok).toBe(
      true,
    );
  });

  it('a different host, or the same host without its port, is a mismatch', async () => {
    const request = await signedRequest({ url: 'http://127.0.0.1:9999/restapis' });
    expect(request.headers.host).toBe('127.0.0.1:9999');
    expect(await verify({ ...request, headers: { ...request.headers, host: '127.0.0.1' } })).toEqual(
      mismatch,
    );
    expect(await verify({ ...request, headers: { ...request.headers, host: '127.0.0.1:9998' } })).toEqual(
      mismatch,
    );
  });
});

describe('the request date may be 15 minutes off either way', () => {
  const at = (iso: string) => ({ now: new Date(iso) });

  it('accepts exactly 15 minutes late and early', async () => {
    const request = await signedRequest();
    expect((await verify(request, at('2026-11-25T22:11:50Z'))).ok).toBe(true);
    expect((await verify(request, at('2026-11-25T21:41:50Z'))).ok).toBe(true);
  });

  it('one second past 15 minutes late: Signature expired', async () => {
    const request = await signedRequest();
    expect(await verify(request, at('2026-11-25T22:11:51Z'))).toEqual(
      rejected(
        'InvalidSignatureException',
        'Signature expired: 20261125T215650Z is now earlier than 20261125T215651Z (20261125T221151Z - 15 min.)',
      ),
    );
  });

  it('one second past 15 minutes early: Signature not yet current', async () => {
    const request = await signedRequest();
    expect(await verify(request, at('2026-11-25T21:41:49Z'))).toEqual(
      rejected(
        'InvalidSignatureException',
        'Signature not yet current: 20261125T215650Z is still later than 20261125T215649Z (20261125T214149Z + 15 min.)',
      ),
    );
  });

  it('checks the clock before the key, as AWS does', async () => {
    const request = await signedRequest({
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
    });
    expect(await verify(request, at('2026-11-26T00:00:00Z'))).toMatchObject({
      errorType: 'InvalidSignatureException',
      message: expect.stringMatching(/^Signature expired: /) as unknown,
    });
  });

  it('states a window that is not whole minutes in seconds', async () => {
    const request = await signedRequest();
    expect(await verify(request, { now: new Date('2026-11-25T21:58:00Z'), maxSkewMs: 30_000 })).toEqual(
      rejected(
        'InvalidSignatureException',
        'Signature expired: 20261125T215650Z is now earlier than 20261125T215730Z (20261125T215800Z - 30 sec.)',
      ),
    );
  });
});

describe('the payload', () => {
  it('a signed x-amz-content-sha256 must match the body', async () => {
    const request = await signedRequest({ method: 'POST', body: '{"name":"pets"}' });
    expect(String(request.headers.authorization)).toContain('x-amz-content-sha256');
    expect((await verify(request)).ok).toBe(true);
    expect(await verify({ ...request, body: Buffer.from('{"name":"cats"}') })).toEqual(mismatch);
  });

  it('without x-amz-content-sha256 the raw body bytes are hashed (CLI style)', async () => {
    const body = Buffer.from('{"name": "pets", "tags": {}}');
    const request = await sdkSigned(
      { method: 'POST', path: '/restapis', headers: { 'content-type': 'application/json' }, body },
      { applyChecksum: false },
    );
    expect(String(request.headers.authorization)).not.toContain('x-amz-content-sha256');
    expect((await verify(request)).ok).toBe(true);
    // The same JSON without the spaces, as re-serialising it would give, breaks it.
    expect(await verify({ ...request, body: Buffer.from('{"name":"pets","tags":{}}') })).toEqual(mismatch);
  });

  it('UNSIGNED-PAYLOAD leaves the body out of the signature', async () => {
    const request = await signedRequest({
      method: 'PUT',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: 'original',
    });
    expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect((await verify(request)).ok).toBe(true);
    expect((await verify({ ...request, body: Buffer.from('anything else') })).ok).toBe(true);
  });

  it('an unsigned x-amz-content-sha256 is ignored and the body hashed', async () => {
    const body = Buffer.from('payload');
    const request = await sdkSigned(
      { method: 'POST', path: '/restapis', headers: {}, body },
      { applyChecksum: false },
    );
    const headers = { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    expect((await verify({ ...request, headers })).ok).toBe(true);
    expect(await verify({ ...request, headers, body: Buffer.from('other') })).toEqual(mismatch);
  });
});

describe('query strings canonicalise as AWS does', () => {
  const signedAt = (url: string) => signedRequest({ url: `http://127.0.0.1:9999/restapis${url}` });
  const verifiedAs = async (signedQuery: string, receivedQuery: string) => {
    const request = await signedAt(signedQuery);
    return (await verify({ ...request, path: `/restapis${receivedQuery}` })).ok;
  };

  it('parameter order does not matter, for names or for repeated values', async () => {
    expect(await verifiedAs('?b=2&a=1', '?a=1&b=2')).toBe(true);
    expect(await verifiedAs('?a=2&a=1&a=10', '?a=10&a=1&a=2')).toBe(true);
  });

  it('repeated names keep every value', async () => {
    expect(await verifiedAs('?a=1&a=2', '?a=1')).toBe(false);
    expect(await verifiedAs('?a=1&a=2', '?a=1&a=2&a=2')).toBe(false);
  });

  it('a space may arrive as %20 or +; a literal plus must arrive as %2B', async () => {
    expect(await verifiedAs('?name=a%20b', '?name=a+b')).toBe(true);
    expect(await verifiedAs('?name=a%20b', '?name=a%20b')).toBe(true);
    expect(await verifiedAs('?name=a%2Bb', '?name=a%2Bb')).toBe(true);
    expect(await verifiedAs('?name=a%2Bb', '?name=a+b')).toBe(false);
  });

  it('an encoded slash matches in either hex case and is not a plain slash in the path', async () => {
    expect(await verifiedAs('?path=a%2Fb', '?path=a%2fb')).toBe(true);
    expect(await verifiedAs('?path=a%2Fb', '?path=a/b')).toBe(true);
    const request = await signedRequest({ url: 'http://127.0.0.1:9999/restapis/a%2Fb' });
    expect((await verify(request)).ok).toBe(true);
    expect(await verify({ ...request, path: '/restapis/a/b' })).toEqual(mismatch);
  });

  it('a name without a value signs as name=', async () => {
    expect(await verifiedAs('?flag=', '?flag')).toBe(true);
    expect(await verifiedAs('?flag=', '?flag=x')).toBe(false);
  });

  it('unicode and reserved characters', async () => {
    expect(await verifiedAs('?q=%E1%88%B4%21%2A', '?q=%E1%88%B4!*')).toBe(true);
  });

  it('a malformed escape fails the signature instead of throwing', async () => {
    const request = await signedAt('?q=1');
    expect(await verify({ ...request, path: '/restapis?q=%E0%A4%A' })).toEqual(mismatch);
  });

  it('a parameter named __proto__ is an ordinary parameter', async () => {
    expect(await verifiedAs('?__proto__=x&a=1', '?a=1&__proto__=x')).toBe(true);
  });
});
