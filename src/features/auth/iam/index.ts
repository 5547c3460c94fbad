// AWS_IAM authorization: the callers that may sign data-plane requests, SigV4 verification as
// execute-api does it, and the steps that judge the caller's policies.
export {
  CALLER_ACCOUNT_ID,
  compileIamCallers,
  compileIdentityPolicy,
  IamCallerError,
  IamCallers,
  type IamCaller,
  type IamCallerSettings,
} from './callers.js';
export { EXECUTE_API_MAX_SKEW_MS } from './authenticate.js';
export {
  compileCacheInvalidationCheck,
  compileHttpIamAuthorization,
  compileRestIamAuthorization,
  type CacheInvalidationCheck,
} from './steps.js';
