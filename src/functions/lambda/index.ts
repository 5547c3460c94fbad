export { DEFAULT_LAMBDA_TIMEOUT_MS, LambdaInvokeRuntime } from './lambda-invoke-runtime.js';
export type { LambdaFunctionTarget, LambdaInvokeRuntimeOptions } from './lambda-invoke-runtime.js';
