// Function errors, in the shapes Lambda's Node.js runtime reports them, and a gateway that keeps
// serving after each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFunctionRuntime } from '../../../src/functions/local/index.js';
import { fixture, invoke } from './helpers.js';

// Modules that do not parse; written here because the linter would reject them as fixtures.
const brokenDir = mkdtempSync(join(tmpdir(), 'gatehouse-broken-'));
writeFileSync(join(brokenDir, 'esm.mjs'), 'export const handler = async () => { return {; };\n');
writeFileSync(join(brokenDir, 'cjs.cjs'), 'exports.handler = function ( {\n');

const runtime = new LocalFunctionRuntime({
  echo: fixture('echo.handler'),
  throws: fixture('throws.handler'),
  named: fixture('throws.named'),
  unnamed: fixture('throws.unnamed'),
  syncThrow: fixture('throws.syncThrow'),
  rejectsWithUndefined: fixture('throws.rejectsWithUndefined'),
  callbackError: fixture('throws.callbackError'),
  legacyFail: fixture('throws.legacyFail'),
  badJsonEvent: fixture('throws.badJsonEvent'),
  unauthorized: fixture('unauthorized.handler'),
  circular: fixture('results.circular'),
  bigint: fixture('results.bigint'),
  callbackCircular: fixture('results.callbackCircular'),
  neverSettles: fixture('results.neverSettles'),
  large: fixture('results.large'),
  uncaught: fixture('crashes.uncaught'),
  unhandledRejection: fixture('crashes.unhandledRejection'),
  missingModule: fixture('does-not-exist.handler'),
  missingExport: fixture('missing-export.handler'),
  notAFunction: fixture('missing-export.value'),
  noDot: fixture('index'),
  parentPath: fixture('../functions/echo.handler'),
  initThrows: fixture('init-throws.handler'),
  syntaxEsm: { handler: 'esm.handler', codeDir: brokenDir },
  syntaxCjs: { handler: 'cjs.handler', codeDir: brokenDir },
});
afterAll(async () => {
  await runtime.close();
  rmSync(brokenDir, { recursive: true, force: true });
});

async function expectStillServing(): Promise<void> {
  const answer = await invoke(runtime, 'echo', { still: 'serving' });
  expect(answer.functionError).toBeUndefined();
  expect(answer.body).toMatchObject({ event: { still: 'serving' } });
}

interface LambdaError {
  errorType?: string;
  errorMessage: string;
  trace?: string[];
}

async function failure(functionName: string, event: unknown = {}): Promise<LambdaError> {
  const answer = await invoke(runtime, functionName, event);
  expect(answer.functionError).toBe('Unhandled');
  return answer.body as LambdaError;
}

describe('function errors', () => {
  it('reports a thrown Error as errorType, errorMessage and trace', async () => {
    const error = await failure('throws');
    expect(error).toEqual({ errorType: 'Error', errorMessage: 'boom', trace: expect.any(Array) as unknown });
    expect(error.trace?.[0]).toBe('Error: boom');
    expect(error.trace?.[1]).toContain('throws.mjs');
    await expectStillServing();
  });

  it('takes errorType from error.name, as Lambda does', async () => {
    expect(await failure('named')).toMatchObject({
      errorType: 'NotFoundError',
      errorMessage: 'no such thing',
    });
    // A subclass that does not set name is still an "Error".
    expect(await failure('unnamed')).toMatchObject({
      errorType: 'Error',
      errorMessage: 'keeps the name Error',
    });
    expect(await failure('syncThrow')).toMatchObject({ errorType: 'TypeError' });
    expect(await failure('callbackError')).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
  });

  it('reports callback("Unauthorized") exactly as Lambda does', async () => {
    const answer = await invoke(runtime, 'unauthorized');
    expect(answer.functionError).toBe('Unhandled');
    expect(answer.raw).toBe('{"errorType":"string","errorMessage":"Unauthorized","trace":[]}');
  });

  it('reports non-Error failures by their type', async () => {
    expect(await failure('legacyFail')).toEqual({
      errorType: 'string',
      errorMessage: 'legacy failure',
      trace: [],
    });
    // A promise rejected with nothing fails as the string "handled".
    expect(await failure('rejectsWithUndefined')).toEqual({
      errorType: 'string',
      errorMessage: 'handled',
      trace: [],
    });
  });

  it('reports a result that is not JSON-serialisable as Lambda’s runtime does', async () => {
    for (const name of ['circular', 'bigint', 'callbackCircular']) {
      expect(await failure(name)).toMatchObject({
        errorType: 'Error',
        errorMessage: 'Unable to stringify response body',
      });
    }
    await expectStillServing();
  });

  it('reports an async handler whose promise never settles once the event loop is empty', async () => {
    expect(await failure('neverSettles')).toMatchObject({
      errorType: 'Runtime.NodeJsExit',
      errorMessage: expect.stringContaining(
        'most commonly caused by a Promise that was never settled',
      ) as unknown,
    });
    await expectStillServing();
  });

  it('refuses a response over 6 MB as Lambda does', async () => {
    expect(await failure('large', { bytes: 6_291_555 })).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    const fits = await invoke(runtime, 'large', { bytes: 6_291_554 });
    expect(fits.functionError).toBeUndefined();
  });

  it('reports an exception thrown outside the handler’s promise and replaces the worker', async () => {
    expect(await failure('uncaught')).toMatchObject({
      errorType: 'Error',
      errorMessage: 'thrown from a timer',
    });
    expect(await failure('uncaught')).toMatchObject({ errorMessage: 'thrown from a timer' });
    await expectStillServing();
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection', async () => {
    expect(await failure('unhandledRejection')).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody listened',
    });
    await expectStillServing();
  });

  it('reports an event that is not JSON as the runtime’s parse error', async () => {
    const result = await runtime.invoke('badJsonEvent', Buffer.from('{not json'), {
      requestId: 'req-bad-json',
    });
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload.toString())).toMatchObject({ errorType: 'SyntaxError' });
  });
});

describe('handlers that cannot be loaded', () => {
  it('reports a missing module as Runtime.ImportModuleError', async () => {
    const error = await failure('missingModule');
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toBe("Error: Cannot find module 'does-not-exist'");
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    expect(await failure('missingExport')).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'missing-export.handler is undefined or not exported',
    });
    expect(await failure('notAFunction')).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'missing-export.value is not a function',
    });
  });

  it('reports a malformed handler setting as Runtime.MalformedHandlerName', async () => {
    expect(await failure('noDot')).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: 'Bad handler',
    });
    expect(await failure('parentPath')).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage:
        "'../functions/echo.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    });
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError, for ES and CommonJS modules', async () => {
    for (const name of ['syntaxEsm', 'syntaxCjs']) {
      const error = await failure(name);
      expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
      expect(error.errorMessage).toMatch(/^SyntaxError: /);
    }
  });

  it('reports an error thrown while the module loads, and tries the load again on the next invocation', async () => {
    expect(await failure('initThrows')).toMatchObject({ errorType: 'Error', errorMessage: 'init failed' });
    expect(await failure('initThrows')).toMatchObject({ errorType: 'Error', errorMessage: 'init failed' });
    await expectStillServing();
  });
});
