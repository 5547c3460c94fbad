// Authorization building blocks: IAM policies (Lambda authorizer answers and REST resource
// policies), identity sources, the per-stage authorizer cache, and JWT / Cognito verification.
// Each is compiled at deploy time; the request path only calls what a route needs. The steps
// that put them together are compileRestAuthorization and compileHttpAuthorization (steps.ts).
export { AuthConfigurationError } from './errors.js';
export {
  CALLER_ACCOUNT_ID,
  compileCacheInvalidationCheck,
  compileIamCallers,
  IamCallerError,
  IamCallers,
  type CacheInvalidationCheck,
  type IamCaller,
  type IamCallerSettings,
} from './iam/index.js';
export {
  authorizerUsageIdentifierKey,
  compileHttpAuthorization,
  compileResourcePolicy,
  compileRestAuthorization,
  DEFAULT_AUTHORIZER_TIMEOUT_MS,
  type AuthDeps,
  type ResourcePolicyCheck,
} from './steps.js';
export {
  compilePolicy,
  methodArn,
  PolicyError,
  type CompiledPolicy,
  type ConditionValues,
  type MethodArnParts,
  type PolicyDecision,
} from './policy.js';
export {
  anonymousDeniedMessage,
  AUTHORIZER_EXPLICIT_DENY,
  AUTHORIZER_IMPLICIT_DENY,
  compileResourcePolicyDocument,
  enforceResourcePolicy,
  enforceResourcePolicyPreAuth,
  type ResourcePolicy,
  type ResourcePolicyRequest,
} from './resource-policy.js';
export {
  authorizerOutcome,
  enforceAuthorizerPolicy,
  enforceHttpAuthorizerResult,
  httpAuthorizerOutcome,
  parseHttpAuthorizerResult,
  parseRestAuthorizerResult,
  type AuthorizerContextValue,
  type AuthorizerFunctionResult,
  type HttpAuthorizerResult,
  type HttpAuthorizerSettings,
  type RestAuthorizerResult,
} from './authorizer-result.js';
export {
  compileIdentitySources,
  type IdentityExtractor,
  type IdentitySourceKind,
  type IdentityValues,
} from './identity-sources.js';
export {
  AuthorizerCache,
  authorizerTtlSeconds,
  DEFAULT_AUTHORIZER_TTL_SECONDS,
  MAX_AUTHORIZER_TTL_SECONDS,
} from './authorizer-cache.js';
export {
  ASYMMETRIC_ALGORITHMS,
  compileJwtAuthorizer,
  JwtRefusal,
  type JwtAuthorizer,
  type JwtAuthorizerOptions,
  type VerifiedToken,
} from './jwt.js';
export {
  COGNITO_ISSUER_BASE,
  compileCognitoAuthorizer,
  parseUserPoolArn,
  userPoolIssuer,
  type CognitoAuthorizerOptions,
} from './cognito.js';
export { httpApiClaims, restClaims } from './claims.js';
