// Runs functions from local handler modules the way Lambda's Node.js runtime runs them, each
// function in its own pool of worker threads. Workers isolate a function's module state,
// environment and heap from the gateway, not its process: handlers are trusted code.
import type { Log } from '../../observability/log.js';
import {
  FunctionInvokeError,
  type FunctionResult,
  type FunctionRuntime,
  type InvokeOptions,
} from '../runtime.js';
import { resolveFunction, type LocalFunctionConfig } from './config.js';
import { FunctionPool } from './pool.js';

export type { LocalFunctionConfig } from './config.js';

export interface LocalFunctionRuntimeOptions {
  /** Receives function output (console.log …, tagged with functionName, requestId and level) and worker lifecycle events. */
  log?: Log;
  /** AWS_REGION and the region in invokedFunctionArn; default us-east-1. */
  region?: string;
  /** The account in invokedFunctionArn; default 000000000000. */
  accountId?: string;
}

export class LocalFunctionRuntime implements FunctionRuntime {
  private readonly pools = new Map<string, FunctionPool>();

  /** Throws when a function's settings are ones Lambda would refuse (see LocalFunctionConfig). */
  constructor(functions: Record<string, LocalFunctionConfig>, options: LocalFunctionRuntimeOptions = {}) {
    const identity = {
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '000000000000',
    };
    const log = options.log ?? (() => {});
    for (const [name, config] of Object.entries(functions)) {
      this.pools.set(name, new FunctionPool(resolveFunction(name, config, identity), log));
    }
    this.arnPrefix = `arn:aws:lambda:${identity.region}:${identity.accountId}:function:`;
  }

  private readonly arnPrefix: string;

  has(functionName: string): boolean {
    return this.pools.has(functionName);
  }

  invoke(functionName: string, event: Buffer, options: InvokeOptions): Promise<FunctionResult> {
    const pool = this.pools.get(functionName);
    if (!pool)
      return Promise.reject(
        new FunctionInvokeError(`Function not found: ${this.arnPrefix}${functionName}`, 'not-found'),
      );
    return pool.invoke(event, options.requestId);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}
