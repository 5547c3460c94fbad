// A local function's settings, checked the way Lambda's CreateFunction checks them, and the
// environment its workers see.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { WorkerConfig } from './protocol.js';

export interface LocalFunctionConfig {
  /**
   * Lambda's handler setting: `path/to/module.export`, the module path relative to `codeDir`
   * without its extension (.js, .mjs or .cjs are found as Lambda's Node.js runtime finds them).
   * As in Lambda, the module name ends at its first dot and the rest is the export, which may
   * be nested: `index.handlers.main` is `handlers.main` of `index`.
   */
  handler: string;
  /** Absolute path of the function's code: Lambda's /var/task. */
  codeDir: string;
  /** 1–900, default 3, as Lambda. */
  timeoutSeconds?: number;
  /** Default 128. Caps the worker's V8 heap. Lambda's floor of 128 is not enforced, so tests can provoke an out-of-memory quickly. */
  memoryMB?: number;
  /** Most invocations running at once, default 10 (Lambda's reserved concurrency); one more is throttled. */
  concurrency?: number;
  environment?: Record<string, string>;
}

export interface RuntimeIdentity {
  region: string;
  accountId: string;
}

/** A function's settings after defaults, ready to start workers from. */
export interface ResolvedFunction {
  name: string;
  timeoutMs: number;
  memoryMB: number;
  concurrency: number;
  /** The worker's whole process.env, except AWS_LAMBDA_LOG_STREAM_NAME, which is per worker. */
  environment: Record<string, string>;
  worker: Omit<WorkerConfig, 'logStreamName'>;
}

const FUNCTION_VERSION = '$LATEST';

/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export function resolveFunction(
  name: string,
  config: LocalFunctionConfig,
  identity: RuntimeIdentity,
): ResolvedFunction {
  const fail = (problem: string): never => {
    throw new Error(`Local function ${name}: ${problem}`);
  };
  const { handler, codeDir, timeoutSeconds = 3, memoryMB = 128, concurrency = 10, environment = {} } = config;

  if (typeof handler !== 'string' || !/^\S{1,128}$/.test(handler))
    fail(`handler must be a string of 1 to 128 non-space characters, e.g. "index.handler"`);
  if (typeof codeDir !== 'string' || !isAbsolute(codeDir)) fail(`codeDir must be an absolute path`);
  if (!isDirectory(codeDir)) fail(`codeDir ${codeDir} is not a directory`);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900)
    fail(`timeoutSeconds must be a whole number from 1 to 900`);
  if (!Number.isInteger(memoryMB) || memoryMB < 1 || memoryMB > 10240)
    fail(`memoryMB must be a whole number from 1 to 10240`);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`concurrency must be a whole number from 1`);
  const reserved = Object.keys(environment).filter((key) => RESERVED.has(key));
  if (reserved.length > 0)
    fail(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        'provided contains reserved keys that are currently not supported for modification. ' +
        `Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  for (const [key, value] of Object.entries(environment)) {
    if (!/^[a-zA-Z]\w+$/.test(key)) fail(`environment variable name ${JSON.stringify(key)} is not valid`);
    if (typeof value !== 'string') fail(`environment variable ${key} must be a string`);
  }

  const logGroupName = `/aws/lambda/${name}`;
  const nodeMajor = process.versions.node.split('.')[0] ?? '20';
  return {
    name,
    timeoutMs: timeoutSeconds * 1000,
    memoryMB,
    concurrency,
    environment: {
      // Lambda's defaults that a function may replace.
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...environment,
      // Lambda's own, which a function cannot replace (checked above).
      _HANDLER: handler,
      AWS_REGION: identity.region,
      AWS_DEFAULT_REGION: identity.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${nodeMajor}.x`,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMB),
      AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      LAMBDA_TASK_ROOT: codeDir,
    },
    worker: {
      functionName: name,
      handler,
      codeDir,
      functionVersion: FUNCTION_VERSION,
      memoryLimitInMB: String(memoryMB),
      invokedFunctionArn: `arn:aws:lambda:${identity.region}:${identity.accountId}:function:${name}`,
      logGroupName,
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
