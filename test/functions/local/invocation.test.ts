// Successful invocations: Lambda's Node.js handler contract as local handler modules see it.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFunctionRuntime } from '../../../src/functions/local/index.js';
import { eventually, FIXTURES, fixture, invoke, logCollector } from './helpers.js';

// Set before the runtime starts, so a leak into the function's environment would show.
process.env['GATEHOUSE_TEST_SECRET'] = 'must-not-reach-functions';

const logs = logCollector();
const runtime = new LocalFunctionRuntime(
  {
    echo: fixture('echo.handler'),
    callback: fixture('callback.handler'),
    context: fixture('context.handler', { timeoutSeconds: 7, memoryMB: 256 }),
    env: fixture('env.handler', { environment: { GREETING: 'hello', TZ: 'Europe/Paris' } }),
    counter: fixture('counter.handler', { concurrency: 1 }),
    esmJs: fixture('esm-pkg/app.handlers.main'),
    cjsJs: fixture('cjs-pkg/app.handler'),
    nothing: fixture('results.nothing'),
    syncReturn: fixture('results.syncReturn'),
    legacySucceed: fixture('results.legacySucceed'),
    twice: fixture('results.twice'),
    waits: fixture('results.waits'),
    doesNotWait: fixture('results.doesNotWait', { timeoutSeconds: 30 }),
    logs: fixture('logs.handler'),
  },
  { log: logs.log },
);
afterAll(() => runtime.close());

describe('LocalFunctionRuntime', () => {
  it('serves the functions it was given, and only those', () => {
    expect(runtime.has('echo')).toBe(true);
    expect(runtime.has('nope')).toBe(false);
  });

  it('runs an async handler and answers with its JSON result', async () => {
    const answer = await invoke(runtime, 'echo', { hello: ['world', 1, null] }, 'req-echo-1');
    expect(answer.functionError).toBeUndefined();
    expect(answer.body).toEqual({ event: { hello: ['world', 1, null] }, requestId: 'req-echo-1' });
  });

  it('hands the handler {} when invoked without a payload', async () => {
    const result = await runtime.invoke('echo', Buffer.alloc(0), { requestId: 'req-empty' });
    expect(JSON.parse(result.payload.toString())).toEqual({ event: {}, requestId: 'req-empty' });
  });

  it('runs a callback handler (event, context, callback)', async () => {
    const answer = await invoke(runtime, 'callback', { n: 2 });
    expect(answer.functionError).toBeUndefined();
    expect(answer.body).toEqual({ style: 'callback', event: { n: 2 } });
  });

  it('gives the handler a context object shaped as Lambda’s', async () => {
    const answer = await invoke(runtime, 'context', {}, 'req-context');
    const context = answer.body as Record<string, unknown>;
    expect(context).toMatchObject({
      awsRequestId: 'req-context',
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:context',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/context',
      callbackWaitsForEmptyEventLoop: true,
      legacy: ['function', 'function', 'function'],
    });
    expect(context['logStreamName']).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context['remainingTimeInMillis']).toBeGreaterThan(2_000);
    expect(context['remainingTimeInMillis']).toBeLessThanOrEqual(7_000);
  });

  it('gives the function its environment and Lambda’s variables, never the gateway’s', async () => {
    const env = (await invoke(runtime, 'env')).body as Record<string, string>;
    expect(env).toMatchObject({
      GREETING: 'hello',
      TZ: 'Europe/Paris',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      LAMBDA_TASK_ROOT: FIXTURES,
      _HANDLER: 'env.handler',
      LANG: 'en_US.UTF-8',
    });
    expect(env['AWS_EXECUTION_ENV']).toMatch(/^AWS_Lambda_nodejs\d+\.x$/);
    expect(env['AWS_LAMBDA_LOG_STREAM_NAME']).toMatch(/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env).not.toHaveProperty('GATEHOUSE_TEST_SECRET');
    expect(env).not.toHaveProperty('HOME');
    const allowed = new Set([
      'PATH',
      'LANG',
      'TZ',
      'GREETING',
      '_HANDLER',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_EXECUTION_ENV',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_INITIALIZATION_TYPE',
      'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_LAMBDA_LOG_STREAM_NAME',
      'LAMBDA_TASK_ROOT',
    ]);
    expect(Object.keys(env).filter((key) => !allowed.has(key))).toEqual([]);
  });

  it('loads the handler module once per worker and keeps it warm', async () => {
    const seen: Array<{ invocations: number; loadedAt: number }> = [];
    for (let i = 0; i < 5; i++) seen.push((await invoke(runtime, 'counter')).body as (typeof seen)[number]);
    expect(seen.map((s) => s.invocations)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(seen.map((s) => s.loadedAt)).size).toBe(1);
  });

  it('finds .js modules as Lambda does: ES module under "type": "module", CommonJS otherwise', async () => {
    expect((await invoke(runtime, 'esmJs')).body).toEqual({ kind: 'esm .js', nested: true });
    expect((await invoke(runtime, 'cjsJs')).body).toEqual({ kind: 'commonjs .js' });
  });

  it('answers null for an undefined result', async () => {
    const answer = await invoke(runtime, 'nothing');
    expect(answer.functionError).toBeUndefined();
    expect(answer.raw).toBe('null');
  });

  it('answers null when a non-async handler returns without calling back, as Lambda does', async () => {
    const answer = await invoke(runtime, 'syncReturn');
    expect(answer.functionError).toBeUndefined();
    expect(answer.raw).toBe('null');
  });

  it('supports the legacy context.succeed', async () => {
    expect((await invoke(runtime, 'legacySucceed')).body).toEqual({ legacy: 'succeed' });
  });

  it('takes the first callback only', async () => {
    expect((await invoke(runtime, 'twice')).body).toBe('first');
  });

  it('waits for the event loop to empty after a callback unless callbackWaitsForEmptyEventLoop is false', async () => {
    let started = Date.now();
    const waited = await invoke(runtime, 'waits', { pendingMs: 300 });
    expect(waited.functionError).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    started = Date.now();
    const notWaited = await invoke(runtime, 'doesNotWait', { pendingMs: 20_000 });
    expect(notWaited.functionError).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends console output to the gateway log with the function and request, never to the client', async () => {
    const answer = await invoke(runtime, 'logs', {}, 'req-logs');
    expect(answer.body).toBe('logged');
    await eventually(() => {
      const mine = logs.entries.filter((entry) => entry.fields['functionName'] === 'logs');
      expect(mine).toEqual(
        expect.arrayContaining([
          {
            message: 'hello from logs { n: 1 }',
            fields: { functionName: 'logs', requestId: 'req-logs', level: 'INFO' },
          },
          { message: 'careful', fields: { functionName: 'logs', requestId: 'req-logs', level: 'WARN' } },
          { message: 'bad thing', fields: { functionName: 'logs', requestId: 'req-logs', level: 'ERROR' } },
          expect.objectContaining({ message: 'raw stdout line' }),
        ]),
      );
    });
  });

  it('runs invocations of one function side by side, one worker each', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => invoke(runtime, 'echo', { i }, `req-parallel-${i}`)),
    );
    expect(answers.map((a) => a.body)).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ event: { i }, requestId: `req-parallel-${i}` })),
    );
  });
});
