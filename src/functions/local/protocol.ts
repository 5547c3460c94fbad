// Messages between the gateway and a function's worker thread. Events and results cross as
// strings: one copy each way, and no structured-clone walk over the JSON object graph.

/** What a worker knows about its function, passed as workerData. */
export interface WorkerConfig {
  functionName: string;
  /** Lambda's handler setting, e.g. `src/app.handler`. */
  handler: string;
  codeDir: string;
  functionVersion: string;
  /** A string, as Lambda's context gives it. */
  memoryLimitInMB: string;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
}

/** Gateway → worker: run one invocation. A worker runs one at a time. */
export interface InvokeMessage {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch milliseconds at which the gateway stops waiting: context.getRemainingTimeInMillis(). */
  deadlineMs: number;
}

/** The levels Lambda's Node.js runtime gives console methods. */
export type FunctionLogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE';

/** Worker → gateway. `payload` is always JSON text, as the Invoke API returns it. */
export type WorkerMessage =
  /** The handler module loaded; the worker takes invocations. */
  | { type: 'ready' }
  /** The handler could not be loaded (Runtime.ImportModuleError, …); the worker is done. */
  | { type: 'init-error'; payload: string }
  /** The answer to the invocation in flight. `retire`: the worker must not be used again. */
  | { type: 'result'; payload: string; error: boolean; retire: boolean }
  | { type: 'log'; level: FunctionLogLevel; requestId: string | undefined; message: string }
  /** An uncaught error between invocations; the worker is done. */
  | { type: 'crash'; payload: string };
