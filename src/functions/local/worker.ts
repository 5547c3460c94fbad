// The code that runs inside each function worker thread: Lambda's Node.js runtime contract
// (handler loading, context, callbacks, error shapes), modelled on Lambda's own runtime
// interface client so that a handler behaves here as it does there.
//
// Why a function turned into source text: the worker must start the same way from dist/
// (compiled by tsc, plain Node) and from src/ under vitest, and no file path does both. So
// `workerMain` is compiled with the module, stays type-checked and linted, and is started
// from its own text (`WORKER_SOURCE`, an eval worker). The rule that follows: `workerMain`
// must not use anything from this module's scope; it receives everything through `deps`
// (types are fine, they vanish in compilation). For the same reason test coverage must use
// the v8 provider: istanbul would insert counters that do not exist inside the worker.
import type * as fsModule from 'node:fs';
import type * as pathModule from 'node:path';
import type * as urlModule from 'node:url';
import type * as utilModule from 'node:util';
import type { MessagePort } from 'node:worker_threads';
import type { FunctionLogLevel, InvokeMessage, WorkerConfig, WorkerMessage } from './protocol.js';

export interface WorkerDeps {
  port: MessagePort;
  config: WorkerConfig;
  require: NodeJS.Require;
  importModule: (specifier: string) => Promise<unknown>;
  fs: typeof fsModule;
  path: typeof pathModule;
  url: typeof urlModule;
  util: typeof utilModule;
}

type Handler = (
  event: unknown,
  context: object,
  callback: (err?: unknown, result?: unknown) => void,
) => unknown;

interface ErrorResponse {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export function workerMain(deps: WorkerDeps): void {
  const { port, config, fs, path, url, util } = deps;

  // Lambda's runtime errors, named as its runtime names them (the class name is the errorType).
  class ImportModuleError extends Error {}
  class HandlerNotFound extends Error {}
  class MalformedHandlerName extends Error {}
  class UserCodeSyntaxError extends Error {}
  class NodeJsExit extends Error {
    constructor() {
      super(
        'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a ' +
          'Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
      );
    }
  }
  class UnhandledPromiseRejection extends Error {
    // As Lambda's runtime: the message is the reason as Error(reason) turns it into text.
    constructor(reason: unknown) {
      super(reason as string);
    }
  }
  for (const errorClass of [
    ImportModuleError,
    HandlerNotFound,
    MalformedHandlerName,
    UserCodeSyntaxError,
    NodeJsExit,
    UnhandledPromiseRejection,
  ]) {
    errorClass.prototype.name = `Runtime.${errorClass.name}`;
  }

  const post = (message: WorkerMessage): void => port.postMessage(message);

  // ---- Logs: console output goes to the gateway's log, tagged with the request id.
  let currentRequestId: string | undefined;
  const levels: Record<string, FunctionLogLevel> = {
    log: 'INFO',
    info: 'INFO',
    warn: 'WARN',
    error: 'ERROR',
    debug: 'DEBUG',
    trace: 'TRACE',
  };
  const logAt = (level: FunctionLogLevel, args: unknown[]): void =>
    post({ type: 'log', level, requestId: currentRequestId, message: util.format(...args) });
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => logAt(level, args);
  }

  // ---- Errors in the shape Lambda's Node.js runtime reports them.
  const isErrorLike = (value: unknown): value is Error => {
    const candidate = value as Partial<Record<'name' | 'message' | 'stack', unknown>> | null | undefined;
    return (
      typeof candidate?.name === 'string' &&
      candidate.name !== '' &&
      typeof candidate.message === 'string' &&
      candidate.message !== '' &&
      typeof candidate.stack === 'string' &&
      candidate.stack !== ''
    );
  };
  const formatError = (error: unknown): ErrorResponse => {
    try {
      if (util.types.isNativeError(error) || isErrorLike(error)) {
        const { name, message, stack } = error;
        return { errorType: name, errorMessage: message, trace: (stack as string).split('\n') };
      }
      return {
        errorType: typeof error,
        errorMessage: (error as { toString(): string }).toString(),
        trace: [],
      };
    } catch {
      return {
        errorType: 'handled',
        errorMessage:
          'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      };
    }
  };
  const errorPayload = (error: unknown): string => JSON.stringify(formatError(error));

  // ---- Loading the handler, as Lambda resolves `moduleRoot/module.path.to.export`.
  const hasPackageJsonTypeModule = (folder: string): boolean => {
    if (folder.endsWith(`${path.sep}node_modules`)) return false;
    const packageJson = path.join(folder, 'package.json');
    if (fs.existsSync(packageJson)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { type?: unknown } | null;
        return parsed?.type === 'module';
      } catch (error) {
        console.warn(
          `${packageJson} cannot be read, it will be ignored for ES module detection purposes.`,
          error,
        );
        return false;
      }
    }
    const parent = path.dirname(folder);
    return parent === folder ? false : hasPackageJsonTypeModule(parent);
  };
  const tryRequire = (file: string): unknown => (fs.existsSync(file) ? deps.require(file) : undefined);
  const tryImport = async (file: string): Promise<unknown> =>
    fs.existsSync(file) ? deps.importModule(url.pathToFileURL(file).href) : undefined;

  const loadModule = async (moduleRoot: string, moduleName: string): Promise<unknown> => {
    const lambdaStylePath = path.resolve(config.codeDir, moduleRoot, moduleName);
    const extensionless = tryRequire(lambdaStylePath);
    if (extensionless) return extensionless;
    const typeModule = hasPackageJsonTypeModule(path.dirname(lambdaStylePath));
    if (!typeModule) {
      const loaded = tryRequire(`${lambdaStylePath}.js`);
      if (loaded) return loaded;
    }
    const loaded =
      (typeModule && (await tryImport(`${lambdaStylePath}.js`))) ||
      (await tryImport(`${lambdaStylePath}.mjs`)) ||
      tryRequire(`${lambdaStylePath}.cjs`);
    if (loaded) return loaded;
    // As Lambda: last, a package of that name, found from the code directory.
    const resolved = deps.require.resolve(moduleName, {
      paths: [config.codeDir, path.resolve(config.codeDir, moduleRoot)],
    });
    return deps.require(resolved);
  };

  const loadHandler = async (): Promise<Handler> => {
    const full = config.handler;
    if (full.includes('..'))
      throw new MalformedHandlerName(
        `'${full}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
      );
    const base = path.basename(full);
    const moduleRoot = full.substring(0, full.indexOf(base));
    const match = /^([^.]*)\.(.*)$/.exec(base);
    if (!match) throw new MalformedHandlerName('Bad handler');
    const [, moduleName = '', handlerPath = ''] = match;
    let app: unknown;
    try {
      app = await loadModule(moduleRoot, moduleName);
    } catch (error) {
      if (error instanceof SyntaxError) throw new UserCodeSyntaxError(String(error));
      if ((error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND')
        throw new ImportModuleError(withoutRuntimeFrames(String(error)));
      throw error;
    }
    const found = handlerPath
      .split('.')
      .reduce<unknown>((nested, key) => (nested ? (nested as Record<string, unknown>)[key] : nested), app);
    if (!found) throw new HandlerNotFound(`${full} is undefined or not exported`);
    if (typeof found !== 'function') throw new HandlerNotFound(`${full} is not a function`);
    return found as Handler;
  };
  // "Require stack" lines that name this runtime's own script rather than the user's modules.
  const withoutRuntimeFrames = (message: string): string =>
    message
      .split('\n')
      .filter((line) => !line.includes('[worker eval]'))
      .join('\n')
      .replace(/\nRequire stack:$/, '');

  // ---- Invocations.
  interface Invocation {
    requestId: string;
    answered: boolean;
  }
  let handler: Handler | undefined;
  let handlerIsAsync = false;
  let active: Invocation | undefined;
  let retiring = false;

  // Lambda's runtime learns that the event loop is empty from 'beforeExit'. While an
  // invocation runs the port is unref'd, so the worker's loop can drain and fire it too.
  const noop = (): void => {};
  let beforeExit = noop;
  process.on('beforeExit', () => beforeExit());

  const answer = (invocation: Invocation, payload: string, error: boolean, retire = false): void => {
    if (invocation.answered) return;
    invocation.answered = true;
    if (active === invocation) active = undefined;
    beforeExit = noop;
    port.ref();
    post({ type: 'result', payload, error, retire });
  };

  const invoke = (message: InvokeMessage): void => {
    const invocation: Invocation = { requestId: message.requestId, answered: false };
    active = invocation;
    currentRequestId = message.requestId;
    port.unref();
    const run = handler as Handler;

    const postError = (error: unknown): void => {
      const formatted = formatError(error);
      logAt('ERROR', [`Invoke Error \t${JSON.stringify(formatted)}`]);
      answer(invocation, JSON.stringify(formatted), true);
    };
    let completeInvoked = false;
    const complete = (result: unknown): void => {
      if (completeInvoked) {
        console.error(
          'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
        );
        return;
      }
      completeInvoked = true;
      let body: string | undefined;
      try {
        body = JSON.stringify(result === undefined ? null : result);
      } catch {
        throw new Error('Unable to stringify response body');
      }
      answer(invocation, body ?? 'null', false);
    };

    // The exit listener is this invocation's only while it is unanswered: a late callback from
    // an earlier invocation must not disturb the one now running.
    const onExit = (listener: () => void): void => {
      if (!invocation.answered) beforeExit = listener;
    };
    let waitForEmptyEventLoop = true;
    const callback = (err?: unknown, result?: unknown): void => {
      onExit(noop);
      if (err !== undefined && err !== null) postError(err);
      else if (!waitForEmptyEventLoop) complete(result);
      else onExit(() => void setImmediate(() => complete(result)));
    };
    const done = (err?: unknown, result?: unknown): void => {
      onExit(noop);
      if (err !== undefined && err !== null) postError(err);
      else complete(result);
    };
    // Only the first of callback/succeed/fail/done counts, as in Lambda.
    let finished = false;
    const once =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A): void => {
        if (finished) return;
        fn(...args);
        finished = true;
      };
    const succeed = once((result?: unknown) => done(null, result));
    const fail = once((err?: unknown) =>
      err === undefined || err === null ? done('handled') : done(err, null),
    );
    const context = {
      get callbackWaitsForEmptyEventLoop(): boolean {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value: boolean) {
        waitForEmptyEventLoop = value;
      },
      succeed,
      fail,
      done: once(done),
      functionVersion: config.functionVersion,
      functionName: config.functionName,
      memoryLimitInMB: config.memoryLimitInMB,
      logGroupName: config.logGroupName,
      logStreamName: config.logStreamName,
      clientContext: undefined,
      identity: undefined,
      invokedFunctionArn: config.invokedFunctionArn,
      awsRequestId: message.requestId,
      getRemainingTimeInMillis: (): number => message.deadlineMs - Date.now(),
    };

    // The loop drained and nothing answered: an async handler's promise never settled (an
    // error), any other handler simply returned (a null result).
    beforeExit = () => {
      completeInvoked = true;
      if (handlerIsAsync) {
        const error = new NodeJsExit();
        logAt('ERROR', [`Invoke Error \t${errorPayload(error)}`]);
        answer(invocation, errorPayload(error), true);
      } else answer(invocation, 'null', false);
    };

    const wrappedCallback = once(callback);
    try {
      const result = run(JSON.parse(message.event), context, wrappedCallback);
      if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
        (result as Promise<unknown>).then(succeed, fail).catch(fail);
      }
    } catch (error) {
      wrappedCallback(error);
    }
  };

  // An error nobody caught ends this worker, as it ends Lambda's runtime process; the
  // invocation in flight, if any, answers with it.
  const fatal = (error: unknown): void => {
    retiring = true;
    const payload = errorPayload(error);
    if (active) answer(active, payload, true, true);
    else if (!handler) post({ type: 'init-error', payload });
    else post({ type: 'crash', payload });
  };
  process.on('uncaughtException', (error) => {
    logAt('ERROR', [`Uncaught Exception \t${errorPayload(error)}`]);
    fatal(error);
  });
  process.on('unhandledRejection', (reason) => {
    const error = new UnhandledPromiseRejection(reason);
    logAt('ERROR', [`Unhandled Promise Rejection \t${errorPayload(error)}`]);
    fatal(error);
  });

  port.on('message', (message: InvokeMessage) => {
    if (!retiring) invoke(message);
  });

  loadHandler().then(
    (loaded) => {
      handler = loaded;
      handlerIsAsync = loaded.constructor.name === 'AsyncFunction';
      if (!retiring) post({ type: 'ready' });
    },
    (error: unknown) => {
      if (retiring) return;
      logAt('ERROR', [`Init Error \t${errorPayload(error)}`]);
      retiring = true;
      post({ type: 'init-error', payload: errorPayload(error) });
    },
  );
}

/** The worker's whole program, for `new Worker(WORKER_SOURCE, { eval: true })`. */
export const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
(${workerMain.toString()})({
  port: parentPort,
  config: workerData,
  require,
  importModule: (specifier) => import(specifier),
  fs: require('node:fs'),
  path: require('node:path'),
  url: require('node:url'),
  util: require('node:util'),
});
`;
