export { signRequest } from './sign.js';
export type { RequestToSign, SignatureHeaders, SigningCredentials, SigningScope } from './sign.js';
export {
  DEFAULT_MAX_SKEW_MS,
  INVALID_SECURITY_TOKEN,
  MISSING_AUTHENTICATION_TOKEN,
  SIGNATURE_MISMATCH,
  verifyRequest,
} from './verify.js';
export type {
  RejectedRequest,
  RequestToVerify,
  SecretLookup,
  SignatureErrorType,
  VerifiedRequest,
  VerifyOptions,
  VerifyResult,
} from './verify.js';
