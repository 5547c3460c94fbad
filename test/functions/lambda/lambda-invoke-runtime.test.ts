import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LambdaInvokeRuntime, type LambdaInvokeRuntimeOptions } from '../../../src/functions/lambda/index.js';
import { FunctionInvokeError } from '../../../src/functions/runtime.js';
import { HandledError, LambdaApiError, startFakeLambda, type FakeLambda } from './fake-lambda.js';

const credentials = { accessKeyId: 'AKIDLAMBDA', secretAccessKey: 'lambda-secret/key+1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let lambda: FakeLambda;
const runtimes: LambdaInvokeRuntime[] = [];

beforeAll(async () => {
  lambda = await startFakeLambda({
    keys: { [credentials.accessKeyId]: credentials.secretAccessKey, AKIDSESSION: 'session-secret' },
    functions: {
      echo: (event) => ({ received: event }),
      boom: () => {
        throw new TypeError('boom');
      },
      handled: () => {
        throw new HandledError('handled failure');
      },
      busy: () => {
        throw new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', {
          Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
          Type: 'User',
          message: 'Rate Exceeded.',
        });
      },
      broken: () => {
        throw new LambdaApiError(500, 'ServiceException', 'An internal error occurred.');
      },
      crashed: () => {
        throw new LambdaApiError(502, 'InvalidRuntimeException', 'The runtime failed to start.');
      },
      slow: async () => {
        await sleep(600);
        return 'late';
      },
    },
  });
});
afterAll(async () => {
  await lambda.close();
});
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
});

function runtime(overrides: Partial<LambdaInvokeRuntimeOptions> = {}): LambdaInvokeRuntime {
  const created = new LambdaInvokeRuntime({
    endpoint: lambda.origin,
    region: 'us-east-1',
    credentials,
    functions: {
      echo: { functionName: 'echo' },
      'echo-live': { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo', qualifier: 'live' },
      boom: { functionName: 'boom' },
      handled: { functionName: 'handled' },
      busy: { functionName: 'busy' },
      broken: { functionName: 'broken' },
      crashed: { functionName: 'crashed' },
      slow: { functionName: 'slow' },
      deleted: { functionName: 'deleted-in-lambda' },
    },
    ...overrides,
  });
  runtimes.push(created);
  return created;
}

const event = (value: unknown) => Buffer.from(JSON.stringify(value));
const invokeOptions = { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' };

async function invokeError(promise: Promise<unknown>): Promise<FunctionInvokeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FunctionInvokeError) return error;
    throw error;
  }
  throw new Error('the invocation succeeded');
}

describe('a successful invocation', () => {
  it('POSTs the event, signed for lambda, and returns the payload bytes', async () => {
    const before = lambda.seen.length;
    const body = Buffer.from('{"path": "/pets",  "spaced": true}');
    const result = await runtime().invoke('echo', body, invokeOptions);
    expect(result).toEqual({
      payload: Buffer.from(JSON.stringify({ received: { path: '/pets', spaced: true } })),
    });
    const seen = lambda.seen[before];
    expect(seen?.target).toBe('/2015-03-31/functions/echo/invocations');
    expect(seen?.body.equals(body)).toBe(true);
    expect(seen?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(seen?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-invocation-type, Signature=[0-9a-f]{64}$/,
    );
  });

  it('sends an ARN URL-encoded with its qualifier, still verifying', async () => {
    const before = lambda.seen.length;
    const result = await runtime().invoke('echo-live', event({ a: 1 }), invokeOptions);
    expect(JSON.parse(result.payload.toString())).toEqual({ received: { a: 1 } });
    expect(lambda.seen[before]?.target).toBe(
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations?Qualifier=live',
    );
  });

  it('signs with a session token', async () => {
    const before = lambda.seen.length;
    const withSession = runtime({
      credentials: {
        accessKeyId: 'AKIDSESSION',
        secretAccessKey: 'session-secret',
        sessionToken: 'FwoGZXIvYXdz/token=',
      },
    });
    await withSession.invoke('echo', event(1), invokeOptions);
    expect(lambda.seen[before]?.headers['x-amz-security-token']).toBe('FwoGZXIvYXdz/token=');
  });

  it('keeps the endpoint path prefix', async () => {
    const before = lambda.seen.length;
    await runtime({ endpoint: `${lambda.origin}/lambda/` }).invoke('echo', event(1), invokeOptions);
    expect(lambda.seen[before]?.target).toBe('/lambda/2015-03-31/functions/echo/invocations');
  });
});

describe('function errors come back as results, as Lambda reports them', () => {
  it('an unhandled error: functionError Unhandled and the error payload', async () => {
    const result = await runtime().invoke('boom', event({}), invokeOptions);
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload.toString())).toEqual({
      errorType: 'TypeError',
      errorMessage: 'boom',
      trace: [],
    });
  });

  it('a handled error: functionError Handled', async () => {
    const result = await runtime().invoke('handled', event({}), invokeOptions);
    expect(result.functionError).toBe('Handled');
    expect(JSON.parse(result.payload.toString())).toMatchObject({ errorMessage: 'handled failure' });
  });
});

describe('Lambda API errors reject with FunctionInvokeError', () => {
  it('429 TooManyRequestsException: throttled', async () => {
    const error = await invokeError(runtime().invoke('busy', event({}), invokeOptions));
    expect(error.reason).toBe('throttled');
    expect(error.message).toBe(
      'Lambda throttled the invocation of busy (TooManyRequestsException: Rate Exceeded.)',
    );
  });

  it('404 ResourceNotFoundException: not-found', async () => {
    const error = await invokeError(runtime().invoke('deleted', event({}), invokeOptions));
    expect(error.reason).toBe('not-found');
    expect(error.message).toBe(
      'Lambda function deleted-in-lambda was not found (ResourceNotFoundException: Function not found: ' +
        'arn:aws:lambda:us-east-1:123456789012:function:deleted-in-lambda)',
    );
  });

  it('500 ServiceException and 502 runtime errors: unavailable', async () => {
    const broken = await invokeError(runtime().invoke('broken', event({}), invokeOptions));
    expect(broken.reason).toBe('unavailable');
    expect(broken.message).toBe(
      'Lambda answered 500 to the invocation of broken (ServiceException: An internal error occurred.)',
    );
    const crashed = await invokeError(runtime().invoke('crashed', event({}), invokeOptions));
    expect(crashed.reason).toBe('unavailable');
    expect(crashed.message).toContain('502');
  });

  it('a name Gatehouse was not configured with: not-found, without a request', async () => {
    const before = lambda.seen.length;
    const configured = runtime();
    expect(configured.has('echo')).toBe(true);
    expect(configured.has('nope')).toBe(false);
    const error = await invokeError(configured.invoke('nope', event({}), invokeOptions));
    expect(error.reason).toBe('not-found');
    expect(lambda.seen.length).toBe(before);
  });
});

describe('signing failures are unavailable, and never show the secret', () => {
  it('a wrong secret: InvalidSignatureException', async () => {
    const wrong = runtime({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const error = await invokeError(wrong.invoke('echo', event({}), invokeOptions));
    expect(error.reason).toBe('unavailable');
    expect(error.message).toBe(
      'Lambda answered 403 to the invocation of echo (InvalidSignatureException: The request signature we ' +
        'calculated does not match the signature you provided. Check your AWS Secret Access Key and signing ' +
        'method. Consult the service documentation for details.)',
    );
    expect(error.message).not.toContain('not-the-secret');
  });

  it('an unknown key: UnrecognizedClientException', async () => {
    const unknown = runtime({ credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } });
    const error = await invokeError(unknown.invoke('echo', event({}), invokeOptions));
    expect(error.message).toBe(
      'Lambda answered 403 to the invocation of echo ' +
        '(UnrecognizedClientException: The security token included in the request is invalid.)',
    );
  });

  it('an error that quotes the canonical request has the session token redacted', async () => {
    const quoting = await startFakeLambda({
      functions: {
        echo: () => {
          throw new LambdaApiError(403, 'InvalidSignatureException', '', {
            message: 'Signature mismatch for x-amz-security-token:SECRET-SESSION-TOKEN and more',
          });
        },
      },
    });
    try {
      const quoted = runtime({
        endpoint: quoting.origin,
        credentials: { accessKeyId: 'AKID', secretAccessKey: 'sk', sessionToken: 'SECRET-SESSION-TOKEN' },
      });
      const error = await invokeError(quoted.invoke('echo', event({}), invokeOptions));
      expect(error.message).toContain('x-amz-security-token:[redacted]');
      expect(error.message).not.toContain('SECRET-SESSION-TOKEN');
    } finally {
      await quoting.close();
    }
  });
});

describe('the Runtime Interface Emulator', () => {
  let emulator: FakeLambda;
  beforeAll(async () => {
    // The emulator serves one function at /2015-03-31/functions/function/invocations, unsigned.
    emulator = await startFakeLambda({ functions: { function: (e) => ({ handled: e }) } });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('is invoked unsigned when no credentials are given', async () => {
    const rie = new LambdaInvokeRuntime({
      endpoint: emulator.origin,
      region: 'us-east-1',
      functions: { pets: { functionName: 'function' } },
    });
    runtimes.push(rie);
    const result = await rie.invoke('pets', event({ id: 7 }), invokeOptions);
    expect(JSON.parse(result.payload.toString())).toEqual({ handled: { id: 7 } });
    const seen = emulator.seen.at(-1);
    expect(seen?.target).toBe('/2015-03-31/functions/function/invocations');
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers['x-amz-date']).toBeUndefined();
  });
});

describe('connections', () => {
  it('reuses kept-alive connections for invocations in sequence', async () => {
    const isolated = await startFakeLambda({ functions: { echo: (e) => e } });
    try {
      const pooled = runtime({ endpoint: isolated.origin });
      // undici frees a connection a tick after its response ends, so an invocation sent at once
      // after the very first one may open a second connection; after that none are opened.
      await pooled.invoke('echo', event(0), invokeOptions);
      await pooled.invoke('echo', event(1), invokeOptions);
      const warm = isolated.connections();
      expect(warm).toBeLessThanOrEqual(2);
      for (let i = 2; i < 12; i += 1) await pooled.invoke('echo', event(i), invokeOptions);
      expect(isolated.seen.length).toBe(12);
      expect(isolated.connections()).toBe(warm);
    } finally {
      await isolated.close();
    }
  });

  it('runs invocations concurrently, each answered with its own payload', async () => {
    const concurrent = runtime();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => concurrent.invoke('echo', event({ i }), invokeOptions)),
    );
    expect(results.map((result) => JSON.parse(result.payload.toString()) as unknown)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ received: { i } })),
    );
  });

  it('times out a slow invocation as unavailable and keeps working afterwards', async () => {
    const impatient = runtime({ timeoutMs: 100 });
    const started = Date.now();
    const error = await invokeError(impatient.invoke('slow', event({}), invokeOptions));
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.reason).toBe('unavailable');
    expect(error.message).toBe('Lambda did not answer the invocation of slow within 100 ms');
    expect((await impatient.invoke('echo', event('after'), invokeOptions)).payload.toString()).toBe(
      '{"received":"after"}',
    );
  });

  it('an endpoint nobody listens on: unavailable, saying what failed', async () => {
    const port = await closedPort();
    const error = await invokeError(
      runtime({ endpoint: `http://127.0.0.1:${port}` }).invoke('echo', event({}), invokeOptions),
    );
    expect(error.reason).toBe('unavailable');
    expect(error.message).toMatch(
      new RegExp(`^Could not invoke echo at http://127.0.0.1:${port}: ECONNREFUSED`),
    );
  });

  it('after close, invocations are unavailable', async () => {
    const closing = runtime();
    await closing.close();
    const error = await invokeError(closing.invoke('echo', event({}), invokeOptions));
    expect(error.reason).toBe('unavailable');
  });

  it('refuses an endpoint that is not http or https', () => {
    expect(
      () => new LambdaInvokeRuntime({ endpoint: 'ftp://example.com', region: 'us-east-1', functions: {} }),
    ).toThrow(/http or https/);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
