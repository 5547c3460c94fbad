// The request steps that enforce authorization, compiled per method (REST) or route (HTTP API)
// when a stage is deployed. In AWS's method request order they come first: resource policy and
// authorizer (one step), then API key, then request validation.
export type { AuthDeps } from './deps.js';
export { DEFAULT_AUTHORIZER_TIMEOUT_MS } from './deps.js';
export {
  authorizerUsageIdentifierKey,
  compileResourcePolicy,
  compileRestAuthorization,
  type ResourcePolicyCheck,
} from './rest-authorization.js';
export { compileHttpAuthorization } from './http-authorization.js';
