// HTTP API routes: Lambda (REQUEST) and JWT authorizers and AWS_IAM (iam/), one request step per
// route.
//
// What the route's integration sees in requestContext.authorizer depends on its payload format:
// 2.0 nests the authorizer's output (`{lambda: context}`, `{jwt: {claims, scopes}}`); 1.0, the
// REST-compatible format, has it flat (`{...context, principalId}`, `{claims, scopes}`), which is
// also what `$context.authorizer.*` reads in parameter mappings of HTTP integrations.
import type { RequestStep } from '../../dataplane/compiled-stage.js';
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { HttpApi, Route } from '../../model/http-api.js';
import { authorizerTtlSeconds } from './authorizer-cache.js';
import { httpAuthorizerConfig, type HttpAuthorizerConfig } from './authorizer-config.js';
import { httpAuthorizerEventV1, httpAuthorizerEventV2 } from './authorizer-events.js';
import { compileAuthorizerFunction } from './authorizer-function.js';
import {
  enforceHttpAuthorizerResult,
  httpAuthorizerOutcome,
  type HttpAuthorizerResult,
  type HttpAuthorizerSettings,
} from './authorizer-result.js';
import { httpApiClaims } from './claims.js';
import { memoized, stageArns, type AuthDeps, type StageArns } from './deps.js';
import { AuthConfigurationError, withAuthorizerName as named } from './errors.js';
import { compileHttpIamAuthorization } from './iam/steps.js';
import { compileIdentitySources, type IdentityExtractor } from './identity-sources.js';
import { compileJwtAuthorizer, type JwtAuthorizer, type VerifiedToken } from './jwt.js';

/**
 * The step that authorizes requests to one route, or null for authorization NONE. Throws
 * AuthConfigurationError for settings that cannot work (see compileRestAuthorization). Pass the
 * same `deps` object for every route of a stage.
 */
export function compileHttpAuthorization(api: HttpApi, route: Route, deps: AuthDeps): RequestStep | null {
  switch (route.authorizationType) {
    case 'NONE':
      return null;
    case 'AWS_IAM':
      return compileHttpIamAuthorization(deps, integrationFormat(api, route));
    case 'JWT': {
      const config = memoized(deps, `http:${route.authorizerId}`, () =>
        httpAuthorizerConfig(api, route.authorizerId),
      );
      if (config.type !== 'JWT') {
        throw new AuthConfigurationError(
          `route ${route.routeKey} has authorization type JWT, but authorizer "${config.label}" is a ${config.type} authorizer`,
        );
      }
      const authorizer = memoized(deps, `http-jwt:${config.id}`, () => compileJwtRouteAuthorizer(config));
      return jwtStep(authorizer, route.authorizationScopes ?? [], integrationFormat(api, route));
    }
    case 'CUSTOM': {
      const config = memoized(deps, `http:${route.authorizerId}`, () =>
        httpAuthorizerConfig(api, route.authorizerId),
      );
      if (config.type !== 'REQUEST') {
        throw new AuthConfigurationError(
          `route ${route.routeKey} has authorization type CUSTOM, but authorizer "${config.label}" is a ${config.type} authorizer`,
        );
      }
      const authorizer = memoized(deps, `http-lambda:${config.id}`, () =>
        compileLambdaAuthorizer(config, deps),
      );
      const arns = memoized(deps, 'arns', () => stageArns(deps));
      return lambdaStep(authorizer, arns, integrationFormat(api, route));
    }
  }
}

/** The payload format of the route's integration; routes whose target is missing fail elsewhere. */
function integrationFormat(api: HttpApi, route: Route): '1.0' | '2.0' {
  const id = route.target?.replace(/^integrations\//, '');
  const integration = api.integrations.find((candidate) => candidate.integrationId === id);
  return integration?.payloadFormatVersion ?? '2.0';
}

// ---------------------------------------------------------------------------------------------
// Lambda authorizers

interface HttpCacheEntry {
  result: HttpAuthorizerResult;
  /** requestContext.authorizer for payload format 2.0 and 1.0 integrations, made once per answer. */
  v2: Record<string, unknown>;
  v1: Record<string, unknown>;
}

interface LambdaAuthorizer {
  authorize(ctx: RequestContext, arn: string): Promise<HttpCacheEntry>;
}

function compileLambdaAuthorizer(config: HttpAuthorizerConfig, deps: AuthDeps): LambdaAuthorizer {
  const version = config.payloadFormatVersion;
  if (version === undefined) {
    throw new AuthConfigurationError(
      `authorizer "${config.label}" needs authorizerPayloadFormatVersion ("1.0" or "2.0")`,
    );
  }
  if (config.enableSimpleResponses && version !== '2.0') {
    throw new AuthConfigurationError(
      `authorizer "${config.label}": simple responses need authorizerPayloadFormatVersion "2.0"`,
    );
  }
  const fn = compileAuthorizerFunction(config.label, config.authorizerUri, deps);
  const identity: IdentityExtractor = named(config.label, () =>
    compileIdentitySources(config.identitySource, 'HTTP'),
  );
  // Caching needs at least one identity source to key the answers by.
  const ttl = config.identitySource.length === 0 ? 0 : authorizerTtlSeconds(config.ttlSeconds);
  const settings: HttpAuthorizerSettings = {
    payloadFormatVersion: version,
    enableSimpleResponses: config.enableSimpleResponses,
  };
  const event = version === '2.0' ? httpAuthorizerEventV2 : httpAuthorizerEventV1;
  const { cache } = deps;
  const id = config.id;

  return {
    async authorize(ctx, arn) {
      const values = identity(ctx);
      if (values === undefined) throw new GatewayError('UNAUTHORIZED');
      if (ttl > 0) {
        const cached = cache.get(id, values.cacheKey) as HttpCacheEntry | undefined;
        if (cached !== undefined) return cached;
      }
      const result = httpAuthorizerOutcome(await fn.invoke(ctx, event(ctx, arn, values.values)), settings);
      const flat: Record<string, unknown> = { ...result.context };
      if (result.kind === 'policy') flat['principalId'] = result.principalId;
      const entry: HttpCacheEntry = {
        result,
        v2: Object.freeze({ lambda: result.context }),
        v1: Object.freeze(flat),
      };
      if (ttl > 0) cache.set(id, values.cacheKey, entry, ttl);
      return entry;
    },
  };
}

function lambdaStep(authorizer: LambdaAuthorizer, arns: StageArns, format: '1.0' | '2.0'): RequestStep {
  return async (ctx) => {
    const arn = arns.of(ctx);
    const entry = await authorizer.authorize(ctx, arn);
    ctx.authorizer = format === '2.0' ? entry.v2 : entry.v1;
    // A cached answer serves every route of the authorizer; its policy is judged per route.
    enforceHttpAuthorizerResult(entry.result, arn);
    return undefined;
  };
}

// ---------------------------------------------------------------------------------------------
// JWT authorizers

interface JwtRouteAuthorizer {
  identity: IdentityExtractor;
  verifier: JwtAuthorizer;
}

function compileJwtRouteAuthorizer(config: HttpAuthorizerConfig): JwtRouteAuthorizer {
  if (config.issuer === undefined || config.issuer === '') {
    throw new AuthConfigurationError(`authorizer "${config.label}" needs jwtConfiguration.issuer`);
  }
  if (config.audience === undefined || config.audience.length === 0) {
    throw new AuthConfigurationError(
      `authorizer "${config.label}" needs jwtConfiguration.audience: the token's aud (or client_id) must name one of them`,
    );
  }
  const sources =
    config.identitySource.length === 0 ? ['$request.header.Authorization'] : config.identitySource;
  const identity = named(config.label, () => compileIdentitySources(sources, 'HTTP'));
  const { issuer, audience } = config;
  const verifier = named(config.label, () => compileJwtAuthorizer({ issuer, audience }));
  return { identity, verifier };
}

function jwtStep(
  authorizer: JwtRouteAuthorizer,
  scopes: readonly string[],
  format: '1.0' | '2.0',
): RequestStep {
  const { identity, verifier } = authorizer;
  // The verifier hands back the same frozen object for a token it remembers.
  const contexts = new WeakMap<VerifiedToken, Record<string, unknown>>();
  return async (ctx) => {
    // A missing token gets the verifier's own refusal, with its WWW-Authenticate challenge.
    const verified = await verifier.verify(identity(ctx)?.values[0] ?? '', scopes);
    let context = contexts.get(verified);
    if (context === undefined) {
      // AWS lists the token's scopes only for routes that require scopes; otherwise null.
      const jwt = {
        claims: httpApiClaims(verified.claims),
        scopes: scopes.length > 0 ? [...verified.scopes] : null,
      };
      context = format === '2.0' ? { jwt } : jwt;
      contexts.set(verified, context);
    }
    ctx.authorizer = context;
    return undefined;
  };
}
