// HTTP API proxy responses, payload formats 1.0 and 2.0: the rows of LocalStack's aws-validated
// test_aws_proxy_response_payload_format_validation_v1/_v2 and AWS's documented 2.0 inference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, ownLines, type Answer } from './client.js';
import { startResponseServer, type ResponseServer } from './harness.js';

let server: ResponseServer;

beforeAll(async () => {
  server = await startResponseServer();
});
afterAll(() => server.close());

const v1 = (returned: unknown) => answer(server, 'http-v1', returned);
const v2 = (returned: unknown) => answer(server, 'http-v2', returned);

function expectInternalServerError(answered: Answer): void {
  expect(answered.status).toBe(500);
  expect(answered.text).toBe('{"message":"Internal Server Error"}');
  expect(answered.headers['content-type']).toBe('application/json');
  expect(answered.headers['x-amzn-errortype']).toBeUndefined();
}

describe('payload format 1.0', () => {
  it('{"statusCode":200}: 200 with an empty body', async () => {
    const answered = await v1({ statusCode: 200 });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('');
    expect(ownLines(answered)).toEqual([
      ['Content-Type', 'application/json'],
      ['content-length', '0'],
    ]);
  });

  it('headers with a boolean value', async () => {
    const answered = await v1({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } });
    expect(answered.headers['test-header']).toBe('value');
    expect(answered.headers['header-bool']).toBe('true');
  });

  it('an unknown top-level key is ignored', async () => {
    const answered = await v1({ statusCode: 200, wrongValue: 'value' });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('');
  });

  it('an empty object has no statusCode: 500', async () => {
    expectInternalServerError(await v1({}));
  });

  it('isBase64Encoded is honoured without any binary media type', async () => {
    const answered = await v1({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true });
    expect(answered.body).toEqual(Buffer.from('test-data'));
  });

  it('without isBase64Encoded the body is the text', async () => {
    expect((await v1({ statusCode: 200, body: 'dGVzdC1kYXRh' })).text).toBe('dGVzdC1kYXRh');
  });

  it('multiValueHeaders', async () => {
    const answered = await v1({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } });
    expect(answered.headers['test-multi']).toBe('value1, value2');
  });

  it('multiValueHeaders and headers merge', async () => {
    const answered = await v1({
      statusCode: 200,
      multiValueHeaders: { 'test-multi': ['value-multi'] },
      headers: { 'test-multi': 'value-solo' },
    });
    expect(answered.headers['test-multi']).toBe('value-multi, value-solo');
  });

  it('a multiValueHeaders value that is not a list: 500', async () => {
    expectInternalServerError(
      await v1({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } }),
    );
  });

  it('statusCode "test": 500', async () => {
    expectInternalServerError(await v1({ statusCode: 'test' }));
  });

  it('statusCode "201": 201', async () => {
    expect((await v1({ statusCode: '201' })).status).toBe(201);
  });

  it('a JSON string: 500', async () => {
    expectInternalServerError(await v1(JSON.stringify('justAString')));
  });

  it('only headers, no statusCode: 500', async () => {
    expectInternalServerError(await v1({ headers: { 'test-header': 'value' } }));
  });

  it('a function error: 500', async () => {
    expectInternalServerError(await v1({ errorMessage: 'boom', errorType: 'Error' }));
  });

  it('headers that are not an object, or a header value that is not a string or boolean: 500', async () => {
    expectInternalServerError(await v1({ statusCode: 200, headers: 'x' }));
    expectInternalServerError(await v1({ statusCode: 200, headers: { 'test-header': 1 } }));
  });
});

describe('payload format 2.0', () => {
  it('{"statusCode":200}: 200 with an empty body', async () => {
    const answered = await v2({ statusCode: 200 });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('');
    expect(answered.headers['content-type']).toBe('application/json');
  });

  it('headers with a boolean value', async () => {
    const answered = await v2({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } });
    expect(answered.headers['test-header']).toBe('value');
    expect(answered.headers['header-bool']).toBe('true');
  });

  it('an unknown top-level key next to a statusCode is ignored', async () => {
    const answered = await v2({ statusCode: 200, wrongValue: 'value' });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('');
  });

  it('an empty object is inferred: 200 with "{}" as the body', async () => {
    const answered = await v2({});
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('{}');
    expect(answered.headers['content-type']).toBe('application/json');
  });

  it('isBase64Encoded is honoured', async () => {
    expect((await v2({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true })).body).toEqual(
      Buffer.from('test-data'),
    );
    expect((await v2({ statusCode: 200, body: 'dGVzdC1kYXRh' })).text).toBe('dGVzdC1kYXRh');
  });

  it('each cookie becomes its own Set-Cookie header', async () => {
    const answered = await v2({
      statusCode: 200,
      cookies: ['test-cookie=value', 'test-cookie2=value1', 'test-cookie3=value2'],
    });
    expect(answered.lines.filter(([name]) => name.toLowerCase() === 'set-cookie')).toEqual([
      ['set-cookie', 'test-cookie=value'],
      ['set-cookie', 'test-cookie2=value1'],
      ['set-cookie', 'test-cookie3=value2'],
    ]);
  });

  it('cookies next to a Set-Cookie header: both are sent', async () => {
    const answered = await v2({ statusCode: 200, headers: { 'Set-Cookie': 'a=1' }, cookies: ['b=2'] });
    expect(answered.lines.filter(([name]) => name.toLowerCase() === 'set-cookie')).toEqual([
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
  });

  it('cookies that are not a list of strings: 500', async () => {
    expectInternalServerError(await v2({ statusCode: 200, cookies: { 'test-cookies-invalid': 'value1' } }));
    expectInternalServerError(await v2({ statusCode: 200, cookies: [1] }));
  });

  it('statusCode "test": 500; statusCode "201": 201', async () => {
    expectInternalServerError(await v2({ statusCode: 'test' }));
    expect((await v2({ statusCode: '201' })).status).toBe(201);
  });

  it('a JSON string is the body itself', async () => {
    const answered = await v2(JSON.stringify('justAString'));
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('justAString');
    expect(ownLines(answered)).toEqual([
      ['Content-Type', 'application/json'],
      ['content-length', '11'],
    ]);
  });

  it('AWS\'s examples: "Hello from Lambda!" and {"message": "Hello from Lambda!"}', async () => {
    expect((await v2(JSON.stringify('Hello from Lambda!'))).text).toBe('Hello from Lambda!');
    const object = await v2('{ "message": "Hello from Lambda!" }');
    expect(object.status).toBe(200);
    expect(object.text).toBe('{"message":"Hello from Lambda!"}');
    expect(object.headers['content-type']).toBe('application/json');
  });

  it('only headers, no statusCode: the whole object is the body', async () => {
    const answered = await v2({ headers: { 'test-header': 'value' } });
    expect(answered.status).toBe(200);
    expect(answered.text).toBe('{"headers":{"test-header":"value"}}');
    expect(answered.headers['test-header']).toBeUndefined();
  });

  it('any other object without a statusCode is the body', async () => {
    const answered = await v2({ random: { 'json-body': 'value' } });
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toEqual({ random: { 'json-body': 'value' } });
  });

  it('what a failed function returns, an object with errorMessage, is a 500', async () => {
    expectInternalServerError(await v2({ errorMessage: 'test fake error message' }));
  });

  it('strings that look like something else are still just the body', async () => {
    expect((await v2(JSON.stringify('null'))).text).toBe('null');
    expect((await v2(JSON.stringify(''))).text).toBe('');
    expect((await v2(JSON.stringify('errorMessage'))).text).toBe('errorMessage');
  });

  it('other JSON values are the body as JSON', async () => {
    expect((await v2('[1,2]')).text).toBe('[1,2]');
    expect((await v2('42')).text).toBe('42');
    expect((await v2('null')).text).toBe('null');
  });

  it('a payload that is not JSON: 500', async () => {
    expectInternalServerError(await v2('Hello from Lambda!'));
    expectInternalServerError(await v2(''));
  });

  it('multiValueHeaders is not part of 2.0 and is ignored', async () => {
    const answered = await v2({ statusCode: 200, multiValueHeaders: { 'test-multi': ['a', 'b'] } });
    expect(answered.status).toBe(200);
    expect(answered.headers['test-multi']).toBeUndefined();
  });
});
