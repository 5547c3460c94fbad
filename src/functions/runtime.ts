// The function runtimes behind AWS and AWS_PROXY integrations and Lambda authorizers.
export interface FunctionResult {
  /** The function's result as the Lambda Invoke API returns it: JSON bytes. For a function error, the error object {errorMessage, errorType, stackTrace?}. */
  payload: Buffer;
  /** Set when the function failed, as Lambda's X-Amz-Function-Error header: 'Unhandled' (threw, timed out, crashed) or 'Handled'. */
  functionError?: 'Unhandled' | 'Handled';
}
export interface InvokeOptions {
  /** Becomes context.awsRequestId. */ requestId: string;
}
export interface FunctionRuntime {
  /** Names of the functions this runtime serves (checked at deploy time). */
  has(functionName: string): boolean;
  /** Invokes synchronously (RequestResponse). Rejects only with FunctionInvokeError when the function could not be run at all (throttled, misconfigured, runtime unreachable). */
  invoke(functionName: string, event: Buffer, options: InvokeOptions): Promise<FunctionResult>;
  close(): Promise<void>;
}
export class FunctionInvokeError extends Error {
  constructor(
    message: string,
    readonly reason: 'throttled' | 'not-found' | 'unavailable',
  ) {
    super(message);
    this.name = 'FunctionInvokeError';
  }
}
