// The REST proxy response (payload 1.0): every row of the recorded table (LocalStack's
// aws-validated test_aws_proxy_response_payload_format_validation), the definition of
// malformed, the headers merge and when a base64 body is decoded.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer, ownLines, type Answer } from './client.js';
import { startResponseServer, type ResponseServer } from './harness.js';

let server: ResponseServer;

beforeAll(async () => {
  server = await startResponseServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.binaryMediaTypes = [];
});

const rest = (returned: unknown, accept?: string) => answer(server, 'rest', returned, accept);

function expectMalformed(answered: Answer): void {
  expect(answered.status).toBe(502);
  expect(JSON.parse(answered.text)).toEqual({ message: 'Internal server error' });
  expect(answered.headers['content-type']).toBe('application/json');
  expect(answered.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
}

describe('the recorded table', () => {
  it('{"statusCode":200}: 200, an empty body, Content-Type application/json, Content-Length 0', async () => {
    const answered = await rest({ statusCode: 200 });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('');
    expect(ownLines(answered)).toEqual([
      ['Content-Type', 'application/json'],
      ['content-length', '0'],
    ]);
  });

  it('headers with a boolean value: the boolean is sent as "true"', async () => {
    const answered = await rest({
      statusCode: 200,
      headers: { 'test-header': 'value', 'header-bool': true },
    });
    expect(answered.status).toBe(200);
    expect(ownLines(answered)).toEqual([
      ['test-header', 'value'],
      ['header-bool', 'true'],
      ['Content-Type', 'application/json'],
      ['content-length', '0'],
    ]);
  });

  it('headers null is allowed', async () => {
    const answered = await rest({ statusCode: 200, headers: null });
    expect(answered.status).toBe(200);
    expect(answered.headers['content-type']).toBe('application/json');
  });

  it('an unknown top-level key is malformed: 502', async () => {
    expectMalformed(await rest({ statusCode: 200, wrongValue: 'value' }));
  });

  it('a function error (what a failed invocation returns) is a 502', async () => {
    expectMalformed(
      await rest({
        errorMessage: 'boom',
        errorType: 'Error',
        stackTrace: ['Error: boom', '    at Runtime.handler (file:///var/task/index.mjs:2:9)'],
      }),
    );
  });

  it('a JSON string instead of an object is a 502', async () => {
    expectMalformed(await rest(JSON.stringify('justAString')));
  });

  it('statusCode "test" is a 502', async () => {
    expectMalformed(await rest({ statusCode: 'test' }));
  });

  it('statusCode "201" is a 201', async () => {
    const answered = await rest({ statusCode: '201' });
    expect(answered.status).toBe(201);
    expect(answered.text).toBe('');
  });

  it('no statusCode is a 200', async () => {
    const answered = await rest({ headers: { 'test-header': 'value' } });
    expect(answered.status).toBe(200);
    expect(answered.headers['test-header']).toBe('value');
  });

  it('multiValueHeaders: one header, its values read as "value1, value2"', async () => {
    const answered = await rest({
      statusCode: 200,
      multiValueHeaders: { 'test-multi': ['value1', 'value2'] },
    });
    expect(answered.status).toBe(200);
    expect(answered.headers['test-multi']).toBe('value1, value2');
  });

  it('multiValueHeaders and headers merge, multi values first', async () => {
    const answered = await rest({
      statusCode: 200,
      multiValueHeaders: { 'test-multi': ['value-multi'] },
      headers: { 'test-multi': 'value-solo' },
    });
    expect(answered.headers['test-multi']).toBe('value-multi, value-solo');
  });

  it('the multiValueHeaders spelling wins', async () => {
    const answered = await rest({
      statusCode: 200,
      multiValueHeaders: { 'tesT-Multi': ['value-multi'] },
      headers: { 'test-multi': 'value-solo' },
    });
    expect(answered.lines.filter(([name]) => name.toLowerCase() === 'test-multi')).toEqual([
      ['tesT-Multi', 'value-multi, value-solo'],
    ]);
    expect(answered.headers['test-multi']).toBe('value-multi, value-solo');
  });

  it('a multiValueHeaders value that is not a list is a 502', async () => {
    expectMalformed(await rest({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } }));
  });

  it('isBase64Encoded without a matching binary media type: the base64 text as it is', async () => {
    const answered = await rest({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('dGVzdC1kYXRh');
  });

  it('isBase64Encoded absent: the base64 text as it is', async () => {
    const answered = await rest({ statusCode: 200, body: 'dGVzdC1kYXRh' });
    expect(answered.text).toBe('dGVzdC1kYXRh');
  });
});

describe('what else is malformed', () => {
  it.each([
    ['not JSON at all', 'Hello from Lambda!'],
    ['an empty payload', ''],
    ['a JSON array', '[{"statusCode":200}]'],
    ['JSON null', 'null'],
    ['a JSON number', '200'],
  ])('the payload is %s', async (_, payload) => {
    expectMalformed(await rest(payload));
  });

  it.each([
    ['a string', 'test-header: value'],
    ['an array', [['test-header', 'value']]],
  ])('headers is %s', async (_, headers) => {
    expectMalformed(await rest({ statusCode: 200, headers }));
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { value: 'x' }],
    ['a list', ['a', 'b']],
  ])('a header value is %s', async (_, value) => {
    expectMalformed(await rest({ statusCode: 200, headers: { 'test-header': value } }));
  });

  it('multiValueHeaders is not an object, or a listed value is not a string or boolean', async () => {
    expectMalformed(await rest({ statusCode: 200, multiValueHeaders: ['test-multi'] }));
    expectMalformed(await rest({ statusCode: 200, multiValueHeaders: { 'test-multi': ['a', 7] } }));
  });

  it.each([200.5, '2O1', '', true, 42, 600])('statusCode %j', async (statusCode) => {
    expectMalformed(await rest({ statusCode }));
  });

  it('a body that is not a string, and an isBase64Encoded that is not a boolean', async () => {
    expectMalformed(await rest({ statusCode: 200, body: { message: 'hello' } }));
    expectMalformed(await rest({ statusCode: 200, body: 'x', isBase64Encoded: 'true' }));
  });

  it('a header name or value that cannot be sent', async () => {
    expectMalformed(await rest({ statusCode: 200, headers: { 'bad header': 'value' } }));
    expectMalformed(await rest({ statusCode: 200, headers: { 'x-injected': 'a\r\nset-cookie: b' } }));
  });
});

describe('valid responses', () => {
  it('the body as text with the function status, headers null and multiValueHeaders null', async () => {
    const answered = await rest({
      statusCode: 404,
      headers: null,
      multiValueHeaders: null,
      body: '{"error":"no such pet"}',
      isBase64Encoded: false,
    });
    expect(answered.status).toBe(404);
    expect(answered.text).toBe('{"error":"no such pet"}');
  });

  it('the same name and value in both maps is sent once', async () => {
    const answered = await rest({
      statusCode: 200,
      multiValueHeaders: { 'X-Same': ['one', 'two'] },
      headers: { 'x-same': 'two' },
    });
    expect(answered.lines.filter(([name]) => name === 'X-Same')).toEqual([['X-Same', 'one, two']]);
  });

  it("the function's Content-Type, in any spelling, replaces the default", async () => {
    const answered = await rest({
      statusCode: 200,
      headers: { 'content-type': 'text/html' },
      body: '<p>hi</p>',
    });
    expect(ownLines(answered)).toEqual([
      ['content-type', 'text/html'],
      ['content-length', '9'],
    ]);
  });

  it('Set-Cookie values stay separate header lines', async () => {
    const answered = await rest({
      statusCode: 302,
      multiValueHeaders: { 'Set-Cookie': ['a=1; Path=/', 'b=2; HttpOnly'] },
      headers: { Location: '/home' },
    });
    expect(answered.status).toBe(302);
    expect(answered.lines.filter(([name]) => name === 'Set-Cookie')).toEqual([
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2; HttpOnly'],
    ]);
    expect(answered.headers.location).toBe('/home');
  });

  it("the function's own Content-Length does not replace the real one", async () => {
    const answered = await rest({ statusCode: 200, headers: { 'Content-Length': '999' }, body: 'four' });
    expect(answered.headers['content-length']).toBe('4');
    expect(answered.text).toBe('four');
  });
});

describe('base64 bodies', () => {
  const encoded = { statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true };

  it('are decoded when the first Accept type is a binary media type', async () => {
    server.binaryMediaTypes = ['image/png'];
    expect((await rest(encoded, 'image/png')).text).toBe('test-data');
  });

  it('are not decoded when the binary type is only a later Accept type', async () => {
    server.binaryMediaTypes = ['image/png'];
    expect((await rest(encoded, 'text/html, image/png')).text).toBe('dGVzdC1kYXRh');
  });

  it('match wildcard binary media types and ignore Accept parameters', async () => {
    server.binaryMediaTypes = ['application/octet-stream', 'image/*'];
    expect((await rest(encoded, 'IMAGE/JPEG;q=0.9, */*;q=0.1')).text).toBe('test-data');
    expect((await rest(encoded, 'text/plain')).text).toBe('dGVzdC1kYXRh');
  });

  it('are always decoded with */*, even without an Accept header', async () => {
    server.binaryMediaTypes = ['*/*'];
    const answered = await rest({ ...encoded, headers: { 'Content-Type': 'image/png' } });
    expect(answered.body).toEqual(Buffer.from('test-data'));
    expect(answered.headers['content-type']).toBe('image/png');
  });

  it('are left alone when isBase64Encoded is false, whatever the Accept', async () => {
    server.binaryMediaTypes = ['*/*'];
    expect((await rest({ statusCode: 200, body: 'dGVzdC1kYXRh' }, 'image/png')).text).toBe('dGVzdC1kYXRh');
  });
});
