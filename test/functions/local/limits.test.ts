// Timeouts, crashes, memory, concurrency and shutdown: the runtime answers as Lambda does and
// the gateway process lives on.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFunctionRuntime } from '../../../src/functions/local/index.js';
import { FunctionInvokeError } from '../../../src/functions/runtime.js';
import { eventually, FIXTURES, fixture, invoke, logCollector } from './helpers.js';

const logs = logCollector();
const runtime = new LocalFunctionRuntime(
  {
    echo: fixture('echo.handler'),
    slow: fixture('slow.handler', { timeoutSeconds: 1 }),
    busy: fixture('busy.handler', { timeoutSeconds: 1 }),
    exit: fixture('exit.handler'),
    oom: fixture('oom.handler', { memoryMB: 32 }),
    moody: fixture('moody.handler', { timeoutSeconds: 1, memoryMB: 32, concurrency: 1 }),
    limited: fixture('slow.handler', { concurrency: 2 }),
  },
  { log: logs.log },
);
afterAll(() => runtime.close());

const TIMEOUT_MESSAGE =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+) Task timed out after (\d+\.\d\d) seconds$/;

async function expectStillServing(): Promise<void> {
  const answer = await invoke(runtime, 'echo', { still: 'serving' });
  expect(answer.body).toMatchObject({ event: { still: 'serving' } });
}

/** After a crash, moody's next invocation must run in a fresh worker: its count starts again. */
async function expectFreshWorker(): Promise<void> {
  expect((await invoke(runtime, 'moody', { action: 'count' })).body).toEqual({ invocations: 1 });
}

async function warmMoody(): Promise<void> {
  const first = (await invoke(runtime, 'moody', { action: 'count' })).body as { invocations: number };
  const second = (await invoke(runtime, 'moody', { action: 'count' })).body as { invocations: number };
  expect(second.invocations).toBe(first.invocations + 1);
}

describe('timeouts', () => {
  it('times out a handler that never answers, as Lambda reports it', async () => {
    const started = Date.now();
    const answer = await invoke(runtime, 'slow', {}, 'req-slow');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.functionError).toBe('Unhandled');
    expect(Object.keys(answer.body as object)).toEqual(['errorMessage']);
    const match = TIMEOUT_MESSAGE.exec((answer.body as { errorMessage: string }).errorMessage);
    expect(match?.[1]).toBe('req-slow');
    expect(Number(match?.[2])).toBeGreaterThanOrEqual(1);
    await expectStillServing();
  });

  it('times out a handler that blocks its thread, by terminating the worker', async () => {
    const started = Date.now();
    const answer = await invoke(runtime, 'busy', {}, 'req-busy');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.functionError).toBe('Unhandled');
    expect(TIMEOUT_MESSAGE.exec((answer.body as { errorMessage: string }).errorMessage)?.[1]).toBe(
      'req-busy',
    );
    // The next invocation gets a new worker, which times out in turn rather than queueing behind the spinning one.
    expect((await invoke(runtime, 'busy')).functionError).toBe('Unhandled');
    await expectStillServing();
  });

  it('replaces the worker of a function that timed out', async () => {
    for (const action of ['sleep', 'spin']) {
      await warmMoody();
      const answer = await invoke(runtime, 'moody', { action });
      expect((answer.body as { errorMessage: string }).errorMessage).toMatch(TIMEOUT_MESSAGE);
      await expectFreshWorker();
    }
  });
});

describe('a runtime that ends', () => {
  it('reports process.exit() as Runtime.ExitError', async () => {
    const failed = await invoke(runtime, 'exit', { code: 2 }, 'req-exit-2');
    expect(failed.functionError).toBe('Unhandled');
    expect(failed.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-exit-2 Error: Runtime exited with error: exit status 2',
    });
    const clean = await invoke(runtime, 'exit', { code: 0 }, 'req-exit-0');
    expect(clean.body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-exit-0 Error: Runtime exited without providing a reason',
    });
    await expectStillServing();
  });

  it('reports running out of memory as Runtime.OutOfMemory', async () => {
    const started = Date.now();
    const answer = await invoke(runtime, 'oom', {}, 'req-oom');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.body).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: 'RequestId: req-oom Error: Runtime exited with error: signal: killed',
    });
    await expectStillServing();
  });

  it('replaces a worker that exited, crashed or ran out of memory', async () => {
    for (const action of ['exit', 'hoard', 'throw-later']) {
      await warmMoody();
      expect((await invoke(runtime, 'moody', { action })).functionError).toBe('Unhandled');
      await expectFreshWorker();
    }
  });

  it('replaces a worker that failed between invocations', async () => {
    await warmMoody();
    expect((await invoke(runtime, 'moody', { action: 'throw-after-answer' })).functionError).toBeUndefined();
    await eventually(() =>
      expect(logs.entries.map((entry) => entry.message)).toContain(
        'Function moody: worker failed between invocations; it is replaced',
      ),
    );
    expect(logs.entries).toContainEqual({
      message: expect.stringContaining('Uncaught Exception') as unknown,
      fields: expect.objectContaining({ functionName: 'moody', level: 'ERROR' }) as unknown,
    });
    await expectFreshWorker();
  });

  it('logs what happened to the worker', () => {
    const messages = logs.entries.map((entry) => entry.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Function slow timed out; its worker is replaced',
        'Function exit: worker exited with code 2; it is replaced',
        'Function oom: worker ran out of memory; it is replaced',
      ]),
    );
  });
});

describe('concurrency', () => {
  it('throttles an invocation beyond the function’s concurrency, then serves again', async () => {
    const running = [invoke(runtime, 'limited', { ms: 300 }), invoke(runtime, 'limited', { ms: 300 })];
    const third = invoke(runtime, 'limited', { ms: 1 });
    await expect(third).rejects.toBeInstanceOf(FunctionInvokeError);
    await expect(third).rejects.toMatchObject({ reason: 'throttled' });
    expect((await Promise.all(running)).map((a) => a.body)).toEqual([{ slept: 300 }, { slept: 300 }]);
    expect((await invoke(runtime, 'limited', { ms: 1 })).body).toEqual({ slept: 1 });
  });

  it('does not count a timed-out invocation against the concurrency once its worker is gone', async () => {
    // moody has a concurrency of 1: after the timeout the function is free again.
    await invoke(runtime, 'moody', { action: 'sleep' });
    expect((await invoke(runtime, 'moody', { action: 'count' })).functionError).toBeUndefined();
  });
});

describe('runtime', () => {
  it('rejects an unknown function as not-found', async () => {
    const answer = runtime.invoke('nope', Buffer.from('{}'), { requestId: 'req-nope' });
    await expect(answer).rejects.toMatchObject({
      name: 'FunctionInvokeError',
      reason: 'not-found',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
  });

  it('close() ends invocations in flight and refuses new ones', async () => {
    const own = new LocalFunctionRuntime({
      slow: fixture('slow.handler', { timeoutSeconds: 30 }),
      echo: fixture('echo.handler'),
    });
    expect((await invoke(own, 'echo')).functionError).toBeUndefined();
    const inFlight = invoke(own, 'slow', { ms: 20_000 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await inFlight).toMatchObject({ name: 'FunctionInvokeError', reason: 'unavailable' });
    await expect(invoke(own, 'echo')).rejects.toMatchObject({ reason: 'unavailable' });
  });
});

describe('settings', () => {
  const make = (settings: Record<string, unknown>) => () =>
    new LocalFunctionRuntime({ f: { handler: 'echo.handler', codeDir: FIXTURES, ...settings } });

  it('refuses the settings Lambda refuses', () => {
    expect(make({ environment: { AWS_REGION: 'eu-west-1', _HANDLER: 'x.y' } })).toThrow(
      /Local function f: .*reserved keys.*Reserved keys used in this request: AWS_REGION, _HANDLER/,
    );
    expect(make({ environment: { 'not-valid': 'x' } })).toThrow(/environment variable name/);
    expect(make({ timeoutSeconds: 0 })).toThrow(/timeoutSeconds/);
    expect(make({ timeoutSeconds: 901 })).toThrow(/timeoutSeconds/);
    expect(make({ timeoutSeconds: 1.5 })).toThrow(/timeoutSeconds/);
    expect(make({ memoryMB: 0 })).toThrow(/memoryMB/);
    expect(make({ concurrency: 0 })).toThrow(/concurrency/);
    expect(make({ handler: 'has space.handler' })).toThrow(/handler/);
    expect(make({ codeDir: 'relative/dir' })).toThrow(/absolute/);
    expect(make({ codeDir: `${FIXTURES}/no-such-dir` })).toThrow(/not a directory/);
  });

  it('accepts the settings a function may change, such as TZ and PATH', () => {
    const runtime = make({
      environment: { TZ: 'UTC', PATH: '/bin', MY_SETTING: 'on' },
      timeoutSeconds: 900,
    })();
    expect(runtime.has('f')).toBe(true);
    return runtime.close();
  });
});
