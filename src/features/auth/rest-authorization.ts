// REST API methods: resource policy, Lambda (TOKEN / REQUEST) and Cognito user pool
// authorizers and AWS_IAM (iam/), enforced as one request step per method in AWS's order.
//
// AWS evaluates a resource policy around the authorizer, not beside it
// (apigateway-authorization-flow):
// - no authorizer: the resource policy alone decides, and only an explicit Allow lets the
//   request through;
// - Lambda authorizer: an explicit Deny in the resource policy refuses at once, before the
//   authorizer is invoked; otherwise the authorizer's policy and the resource policy are
//   combined by Table A, where either one's Allow suffices and any explicit Deny wins;
// - Cognito user pools: the token is verified first, then the resource policy must explicitly
//   allow the request.
// Because Table A needs the authorizer's own decision (its implicit deny is rescued by the
// resource policy's Allow), the phases live in one step, which keeps the per-request state in
// local variables rather than on the request context.
import type { RequestStep } from '../../dataplane/compiled-stage.js';
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { Method, RestApi } from '../../model/rest-api.js';
import { authorizerTtlSeconds } from './authorizer-cache.js';
import { restAuthorizerConfig, type RestAuthorizerConfig } from './authorizer-config.js';
import { restRequestAuthorizerEvent, tokenAuthorizerEvent } from './authorizer-events.js';
import { compileAuthorizerFunction } from './authorizer-function.js';
import { authorizerOutcome, type RestAuthorizerResult } from './authorizer-result.js';
import { restClaims } from './claims.js';
import { compileCognitoAuthorizer } from './cognito.js';
import { compileRestIamAuthorization } from './iam/steps.js';
import { memoized, stageArns, type AuthDeps, type StageArns } from './deps.js';
import { AuthConfigurationError, withAuthorizerName as named } from './errors.js';
import { compileIdentitySources, type IdentityExtractor } from './identity-sources.js';
import type { JwtAuthorizer, VerifiedToken } from './jwt.js';
import { PolicyError, type PolicyDecision } from './policy.js';
import {
  AUTHORIZER_EXPLICIT_DENY,
  AUTHORIZER_IMPLICIT_DENY,
  compileResourcePolicyDocument,
  enforceResourcePolicy,
} from './resource-policy.js';

/** The resource policy's decision for a request and its method ARN. */
export type ResourcePolicyCheck = (ctx: RequestContext, arn: string) => PolicyDecision;

/**
 * The API's resource policy, compiled once per stage, or null when the API has none. Throws
 * AuthConfigurationError when the policy cannot be read. compileRestAuthorization applies it;
 * the compiler does not need to call this itself.
 */
export function compileResourcePolicy(api: RestApi, deps: AuthDeps): ResourcePolicyCheck | null {
  const document = api.policy;
  if (document === undefined || document.trim() === '') return null;
  return memoized(deps, 'resource-policy', () => {
    let policy;
    try {
      policy = compileResourcePolicyDocument(document, deps);
    } catch (error) {
      if (error instanceof PolicyError) {
        throw new AuthConfigurationError(`the API's resource policy cannot be enforced: ${error.message}`);
      }
      throw error;
    }
    return (ctx, arn) => policy({ arn, sourceIp: ctx.sourceIp });
  });
}

/**
 * The step that authorizes requests to one method, or null when the method needs none
 * (authorization NONE and no resource policy). Throws AuthConfigurationError for settings that
 * cannot work: an authorizer the API does not define, a function no runtime serves, an identity
 * source or resource policy that cannot be read.
 *
 * Pass the same `deps` object for every method of a stage: authorizers are compiled once per
 * stage and share their cache entries.
 */
export function compileRestAuthorization(
  api: RestApi,
  method: Method,
  resourcePath: string,
  deps: AuthDeps,
): RequestStep | null {
  const policy = compileResourcePolicy(api, deps);
  const arns = memoized(deps, 'arns', () => stageArns(deps));
  switch (method.authorizationType) {
    case 'NONE':
      return policy === null ? null : resourcePolicyStep(policy, arns);
    case 'AWS_IAM':
      return compileRestIamAuthorization(api, deps);
    case 'CUSTOM': {
      const config = memoized(deps, `rest:${method.authorizerId}`, () =>
        restAuthorizerConfig(api, method.authorizerId),
      );
      if (config.type === 'COGNITO_USER_POOLS') {
        throw new AuthConfigurationError(
          `${method.httpMethod} ${resourcePath} has authorization type CUSTOM, but authorizer "${config.label}" is a COGNITO_USER_POOLS authorizer`,
        );
      }
      const authorizer = memoized(deps, `rest-lambda:${config.id}`, () =>
        compileLambdaAuthorizer(config, deps),
      );
      return lambdaStep(authorizer, policy, arns);
    }
    case 'COGNITO_USER_POOLS': {
      const config = memoized(deps, `rest:${method.authorizerId}`, () =>
        restAuthorizerConfig(api, method.authorizerId),
      );
      if (config.type !== 'COGNITO_USER_POOLS') {
        throw new AuthConfigurationError(
          `${method.httpMethod} ${resourcePath} has authorization type COGNITO_USER_POOLS, but authorizer "${config.label}" is a ${config.type} authorizer`,
        );
      }
      const authorizer = memoized(deps, `rest-cognito:${config.id}`, () =>
        compileUserPoolAuthorizer(config, deps),
      );
      return cognitoStep(authorizer, method.authorizationScopes ?? [], policy, arns);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Resource policy alone

function resourcePolicyStep(policy: ResourcePolicyCheck, arns: StageArns): RequestStep {
  return (ctx) => {
    const arn = arns.of(ctx);
    const decision = policy(ctx, arn);
    if (decision !== 'allow') enforceResourcePolicy(decision, undefined, arns.masked(arn));
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Lambda authorizers (TOKEN, REQUEST)

/** What the stage's cache keeps for a REST Lambda authorizer: the parsed answer and its context as strings. */
interface RestCacheEntry {
  result: RestAuthorizerResult;
  /** `$context.authorizer.<key>` and the proxy event's requestContext.authorizer show strings. */
  context: Record<string, string>;
}

interface LambdaAuthorizer {
  authorize(ctx: RequestContext, arn: string): Promise<{ entry: RestCacheEntry; latencyMs: number }>;
}

function compileLambdaAuthorizer(config: RestAuthorizerConfig, deps: AuthDeps): LambdaAuthorizer {
  const fn = compileAuthorizerFunction(config.label, config.authorizerUri, deps);
  const token = config.type === 'TOKEN';
  const identity = named(config.label, () =>
    compileIdentitySources(
      config.identitySource,
      token ? 'TOKEN' : 'REQUEST',
      config.identityValidationExpression === undefined
        ? {}
        : { identityValidationExpression: config.identityValidationExpression },
    ),
  );
  // A REQUEST authorizer without identity sources has nothing to key a cached answer by.
  const keyless = !token && (config.identitySource ?? '').trim() === '';
  const ttl = keyless ? 0 : authorizerTtlSeconds(config.ttlSeconds);
  const { cache } = deps;
  const id = config.id;

  return {
    async authorize(ctx, arn) {
      const values = identity(ctx);
      if (values === undefined) throw new GatewayError('UNAUTHORIZED');
      if (ttl > 0) {
        const cached = cache.get(id, values.cacheKey) as RestCacheEntry | undefined;
        if (cached !== undefined) return { entry: cached, latencyMs: 0 };
      }
      const event = token
        ? tokenAuthorizerEvent(values.values[0]!, arn)
        : restRequestAuthorizerEvent(ctx, arn);
      const started = performance.now();
      const result = authorizerOutcome(await fn.invoke(ctx, event));
      const latencyMs = Math.round(performance.now() - started);
      const entry: RestCacheEntry = { result, context: stringContext(result.context) };
      if (ttl > 0) cache.set(id, values.cacheKey, entry, ttl);
      return { entry, latencyMs };
    },
  };
}

function stringContext(context: RestAuthorizerResult['context']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    // The authorizer's principalId and the measured latency are the gateway's to report.
    if (key === 'principalId' || key === 'integrationLatency' || key === '__proto__') continue;
    out[key] = String(value);
  }
  return out;
}

const usageIdentifierKeys = new WeakMap<RequestContext, string>();

/**
 * The `usageIdentifierKey` the request's Lambda authorizer returned: the API key to meter when
 * the API's apiKeySource is AUTHORIZER.
 */
export function authorizerUsageIdentifierKey(ctx: RequestContext): string | undefined {
  return usageIdentifierKeys.get(ctx);
}

function lambdaStep(
  authorizer: LambdaAuthorizer,
  policy: ResourcePolicyCheck | null,
  arns: StageArns,
): RequestStep {
  return async (ctx) => {
    const arn = arns.of(ctx);
    let resource: PolicyDecision | undefined;
    if (policy !== null) {
      resource = policy(ctx, arn);
      if (resource === 'deny') enforceResourcePolicy(resource, undefined, arns.masked(arn));
    }
    const { entry, latencyMs } = await authorizer.authorize(ctx, arn);
    const { result } = entry;
    // Set before the decision: gateway responses for a refusal can show $context.authorizer.*.
    ctx.authorizer = { principalId: result.principalId, integrationLatency: latencyMs, ...entry.context };
    if (result.usageIdentifierKey !== undefined) usageIdentifierKeys.set(ctx, result.usageIdentifierKey);
    // A cached policy is the whole policy: a narrow one denies the methods it does not name.
    const decision = result.policy.evaluate(arn);
    if (decision === 'allow') return undefined;
    if (resource !== undefined) {
      enforceResourcePolicy(resource, decision, arns.masked(arn));
    } else {
      throw new GatewayError(
        'ACCESS_DENIED',
        decision === 'deny' ? AUTHORIZER_EXPLICIT_DENY : AUTHORIZER_IMPLICIT_DENY,
      );
    }
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// Cognito user pools

interface UserPoolAuthorizer {
  identity: IdentityExtractor;
  verifier: JwtAuthorizer;
  /** `{claims}` per verified token: the verifier hands back the same frozen object for a remembered token. */
  contexts: WeakMap<VerifiedToken, Record<string, unknown>>;
}

function compileUserPoolAuthorizer(config: RestAuthorizerConfig, deps: AuthDeps): UserPoolAuthorizer {
  // identityValidationExpression of a user pool authorizer applies to the token's aud (cognito.ts).
  const identity = named(config.label, () =>
    compileIdentitySources(config.identitySource ?? 'method.request.header.Authorization', 'TOKEN'),
  );
  const verifier = named(config.label, () =>
    compileCognitoAuthorizer({
      providerARNs: config.providerARNs,
      ...(deps.cognitoIssuerBase === undefined ? {} : { issuerBase: deps.cognitoIssuerBase }),
      ...(config.identityValidationExpression === undefined
        ? {}
        : { identityValidationExpression: config.identityValidationExpression }),
    }),
  );
  return { identity, verifier, contexts: new WeakMap() };
}

function cognitoStep(
  authorizer: UserPoolAuthorizer,
  scopes: readonly string[],
  policy: ResourcePolicyCheck | null,
  arns: StageArns,
): RequestStep {
  const { identity, verifier, contexts } = authorizer;
  return async (ctx) => {
    const values = identity(ctx);
    if (values === undefined) throw new GatewayError('UNAUTHORIZED');
    const verified = await verifier.verify(values.values[0]!, scopes);
    let context = contexts.get(verified);
    if (context === undefined) contexts.set(verified, (context = { claims: restClaims(verified.claims) }));
    ctx.authorizer = context;
    if (policy !== null) {
      const arn = arns.of(ctx);
      const decision = policy(ctx, arn);
      if (decision !== 'allow') enforceResourcePolicy(decision, undefined, arns.masked(arn));
    }
    return undefined;
  };
}
