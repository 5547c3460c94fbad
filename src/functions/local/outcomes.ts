// The answers Lambda itself gives (rather than the function's runtime) when an invocation ends
// badly: a timeout, a runtime that exited or ran out of memory, a result too large to return.
import type { FunctionResult } from '../runtime.js';

/** Lambda's limit on a synchronous invocation's response. */
export const MAX_RESPONSE_BYTES = 6_291_556;

export function functionResult(payload: string, failed: boolean): FunctionResult {
  const bytes = Buffer.from(payload, 'utf8');
  if (bytes.length > MAX_RESPONSE_BYTES)
    return unhandled({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    });
  return failed ? { payload: bytes, functionError: 'Unhandled' } : { payload: bytes };
}

export function timedOut(requestId: string, elapsedMs: number): FunctionResult {
  const seconds = (elapsedMs / 1000).toFixed(2);
  return unhandled({
    errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`,
  });
}

/** The worker ended during the invocation: process.exit(), a fatal error, or its heap limit. */
export function runtimeExited(requestId: string, exitCode: number, outOfMemory: boolean): FunctionResult {
  if (outOfMemory)
    return unhandled({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    });
  const reason =
    exitCode === 0
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: exit status ${exitCode}`;
  return unhandled({
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: ${reason}`,
  });
}

function unhandled(error: { errorType?: string; errorMessage: string }): FunctionResult {
  return { payload: Buffer.from(JSON.stringify(error), 'utf8'), functionError: 'Unhandled' };
}
