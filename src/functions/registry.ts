// The function runtimes the configuration file asks for, behind one FunctionRuntime: each
// function name is served by the runtime its entry names.
import type { GatehouseConfig } from '../config/gatehouse-config.js';
import { resolveCodeDir } from '../config/gatehouse-config.js';
import type { Log } from '../observability/log.js';
import { LambdaInvokeRuntime } from './lambda/index.js';
import { LocalFunctionRuntime, type LocalFunctionConfig } from './local/index.js';
import { FunctionInvokeError, type FunctionRuntime } from './runtime.js';

export function createFunctionRuntime(
  config: GatehouseConfig,
  baseDir: string,
  log: Log,
): FunctionRuntime | undefined {
  const entries = Object.entries(config.functions ?? {});
  if (entries.length === 0) return undefined;
  const local: Record<string, LocalFunctionConfig> = {};
  const remote: Record<string, { functionName: string; qualifier?: string }> = {};
  for (const [name, settings] of entries) {
    if (settings.runtime === 'local') {
      local[name] = {
        handler: settings.handler,
        codeDir: resolveCodeDir(settings, baseDir),
        ...(settings.timeout !== undefined && { timeoutSeconds: settings.timeout }),
        ...(settings.memorySize !== undefined && { memoryMB: settings.memorySize }),
        ...(settings.concurrency !== undefined && { concurrency: settings.concurrency }),
        ...(settings.environment !== undefined && { environment: settings.environment }),
      };
    } else {
      remote[name] = {
        functionName: settings.functionName ?? name,
        ...(settings.qualifier !== undefined && { qualifier: settings.qualifier }),
      };
    }
  }
  const runtimes: FunctionRuntime[] = [];
  if (Object.keys(local).length > 0) runtimes.push(new LocalFunctionRuntime(local, { log }));
  if (Object.keys(remote).length > 0 && config.lambda) {
    const { endpoint, region, timeoutMs } = config.lambda;
    const credentials = config.lambda.credentials ?? credentialsFromEnvironment();
    runtimes.push(
      new LambdaInvokeRuntime({
        endpoint,
        region,
        functions: remote,
        ...(credentials && { credentials }),
        ...(timeoutMs !== undefined && { timeoutMs }),
      }),
    );
  }
  return new FunctionRuntimes(runtimes);
}

function credentialsFromEnvironment() {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN,
  } = process.env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(AWS_SESSION_TOKEN && { sessionToken: AWS_SESSION_TOKEN }) };
}

class FunctionRuntimes implements FunctionRuntime {
  constructor(private readonly runtimes: FunctionRuntime[]) {}

  has(functionName: string): boolean {
    return this.runtimes.some((runtime) => runtime.has(functionName));
  }

  invoke(functionName: string, event: Buffer, options: { requestId: string }) {
    const runtime = this.runtimes.find((candidate) => candidate.has(functionName));
    if (!runtime)
      return Promise.reject(new FunctionInvokeError(`no runtime serves ${functionName}`, 'not-found'));
    return runtime.invoke(functionName, event, options);
  }

  async close(): Promise<void> {
    await Promise.all(this.runtimes.map((runtime) => runtime.close()));
  }
}
