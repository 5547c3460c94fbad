// One function's workers: started on demand up to the function's concurrency, each kept warm
// (handler module loaded once) and reused; one invocation per worker at a time. The gateway
// thread owns every deadline, so a handler that blocks its thread still times out: the worker
// is terminated from here and a fresh one takes its place on the next invocation.
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Log } from '../../observability/log.js';
import { FunctionInvokeError, type FunctionResult } from '../runtime.js';
import type { ResolvedFunction } from './config.js';
import { functionResult, runtimeExited, timedOut } from './outcomes.js';
import type { InvokeMessage, WorkerMessage } from './protocol.js';
import { WORKER_SOURCE } from './worker.js';

/** Lambda gives a function's initialisation 10 s of its own before the invocation's timeout. */
const INIT_LIMIT_MS = 10_000;

interface Invocation {
  requestId: string;
  event: string;
  resolve: (result: FunctionResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  /** When the current limit (initialisation, then the function's timeout) started. */
  since: number;
}

interface Slot {
  worker: Worker;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  invocation: Invocation | undefined;
  /** Set when the worker died of its heap limit; its 'exit' follows. */
  outOfMemory: boolean;
}

export class FunctionPool {
  /** Warm workers waiting for work; the most recently used is reused first. */
  private readonly idle: Slot[] = [];
  private readonly live = new Set<Slot>();
  private closed = false;

  constructor(
    private readonly fn: ResolvedFunction,
    private readonly log: Log,
  ) {}

  invoke(event: Buffer, requestId: string): Promise<FunctionResult> {
    if (this.closed)
      return Promise.reject(new FunctionInvokeError(`Function ${this.fn.name} is shut down`, 'unavailable'));
    let slot = this.idle.pop();
    if (!slot) {
      if (this.live.size >= this.fn.concurrency)
        return Promise.reject(
          new FunctionInvokeError(
            `Rate Exceeded. ${this.fn.name} is running ${this.fn.concurrency} invocations, its concurrency.`,
            'throttled',
          ),
        );
      slot = this.start();
    }
    const target = slot;
    return new Promise((resolve, reject) => {
      const invocation: Invocation = {
        requestId,
        // Lambda hands a handler {} when invoked without a payload.
        event: event.length === 0 ? '{}' : event.toString('utf8'),
        resolve,
        reject,
        timer: undefined,
        since: Date.now(),
      };
      target.invocation = invocation;
      if (target.state === 'idle') this.dispatch(target);
      else invocation.timer = setTimeout(() => this.timeOut(target), INIT_LIMIT_MS);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = [...this.live].map((slot) => {
      const invocation = this.detach(slot);
      invocation?.reject(new FunctionInvokeError(`Function ${this.fn.name} is shut down`, 'unavailable'));
      return this.retire(slot);
    });
    await Promise.all(stopping);
  }

  private start(): Slot {
    const logStreamName = logStream();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: { ...this.fn.environment, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      workerData: { ...this.fn.worker, logStreamName },
      resourceLimits: { maxOldGenerationSizeMb: this.fn.memoryMB },
      stdout: true,
      stderr: true,
    });
    // Idle workers must not keep the gateway process alive; a pending invocation's timer does.
    worker.unref();
    const slot: Slot = { worker, state: 'starting', invocation: undefined, outOfMemory: false };
    this.live.add(slot);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') slot.outOfMemory = true;
      else this.log(`Function ${this.fn.name}: worker error: ${error.message}`, this.fields(slot, 'ERROR'));
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    // Output written around console (process.stdout.write, native code) lands in the log too.
    for (const [stream, level] of [
      [worker.stdout, 'INFO'],
      [worker.stderr, 'ERROR'],
    ] as const) {
      stream.setEncoding('utf8');
      stream.on('error', () => {});
      stream.on('data', (text: string) => {
        const message = text.replace(/\n$/, '');
        if (message !== '') this.log(message, this.fields(slot, level));
      });
    }
    return slot;
  }

  private dispatch(slot: Slot): void {
    const invocation = slot.invocation;
    if (!invocation) return;
    slot.state = 'busy';
    invocation.since = Date.now();
    invocation.timer = setTimeout(() => this.timeOut(slot), this.fn.timeoutMs);
    const message: InvokeMessage = {
      requestId: invocation.requestId,
      event: invocation.event,
      deadlineMs: invocation.since + this.fn.timeoutMs,
    };
    slot.worker.postMessage(message);
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (slot.state === 'gone') return;
    switch (message.type) {
      case 'ready':
        if (slot.invocation) {
          clearTimeout(slot.invocation.timer);
          this.dispatch(slot);
        } else this.release(slot);
        return;
      case 'result':
        this.detach(slot)?.resolve(functionResult(message.payload, message.error));
        if (message.retire) void this.retire(slot);
        else this.release(slot);
        return;
      case 'init-error':
        // The worker has logged the error itself, as Lambda's runtime does.
        this.log(
          `Function ${this.fn.name} failed to initialise; the next invocation tries again`,
          this.fields(slot, 'ERROR'),
        );
        this.detach(slot)?.resolve(functionResult(message.payload, true));
        void this.retire(slot);
        return;
      case 'crash':
        // Between invocations, as far as the worker knew; one just sent to it answers with the error.
        this.log(
          `Function ${this.fn.name}: worker failed between invocations; it is replaced`,
          this.fields(slot, 'ERROR'),
        );
        this.detach(slot)?.resolve(functionResult(message.payload, true));
        void this.retire(slot);
        return;
      case 'log':
        this.log(message.message, {
          functionName: this.fn.name,
          requestId: message.requestId,
          level: message.level,
        });
        return;
      default:
        return;
    }
  }

  private timeOut(slot: Slot): void {
    const invocation = this.detach(slot);
    if (!invocation) return;
    const elapsed = Date.now() - invocation.since;
    invocation.resolve(timedOut(invocation.requestId, elapsed));
    this.log(`Function ${this.fn.name} timed out; its worker is replaced`, {
      ...this.fields(slot, 'ERROR'),
      requestId: invocation.requestId,
    });
    void this.retire(slot);
  }

  private onExit(slot: Slot, code: number): void {
    if (slot.state === 'gone') return;
    slot.state = 'gone';
    this.forget(slot);
    const invocation = this.detach(slot);
    const why = slot.outOfMemory ? 'ran out of memory' : `exited with code ${code}`;
    this.log(`Function ${this.fn.name}: worker ${why}; it is replaced`, {
      ...this.fields(slot, 'ERROR'),
      ...(invocation ? { requestId: invocation.requestId } : {}),
    });
    invocation?.resolve(runtimeExited(invocation.requestId, code, slot.outOfMemory));
  }

  /** Takes the slot's invocation, stopping its timer; the caller settles it. */
  private detach(slot: Slot): Invocation | undefined {
    const invocation = slot.invocation;
    if (!invocation) return undefined;
    slot.invocation = undefined;
    clearTimeout(invocation.timer);
    return invocation;
  }

  private release(slot: Slot): void {
    if (this.closed) {
      void this.retire(slot);
      return;
    }
    slot.state = 'idle';
    this.idle.push(slot);
  }

  private async retire(slot: Slot): Promise<void> {
    slot.state = 'gone';
    this.forget(slot);
    try {
      await slot.worker.terminate();
    } catch {
      // Already gone.
    }
  }

  private forget(slot: Slot): void {
    this.live.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at !== -1) this.idle.splice(at, 1);
  }

  private fields(slot: Slot, level: string): Record<string, unknown> {
    return {
      functionName: this.fn.name,
      level,
      ...(slot.invocation ? { requestId: slot.invocation.requestId } : {}),
    };
  }
}

/** Lambda's log stream name for one execution environment: `2024/05/01/[$LATEST]<32 hex>`. */
function logStream(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}
