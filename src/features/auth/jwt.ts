// JWT authorizers of HTTP APIs (and, through cognito.ts, Cognito user pool authorizers of REST
// APIs), verified in the gateway with jose. Compiled once per deployment: the issuer's key set
// is fetched on first use and cached, a token whose `kid` is not in the cached set triggers at
// most one refetch per cooldown (jose's remote key set does this), and tokens that verified are
// remembered for a short while, because signature checks are the main CPU cost of a request
// (about 60–100 µs for RS256).
//
// AWS's checks, in AWS's order: the identity source holds the token, optionally after `Bearer `;
// the signature verifies with a key from the issuer's jwks_uri; `kid` names a key of that set;
// `iss` equals the issuer; `aud`, or `client_id` when the token has no `aud`, is one of the
// audiences; `exp` is in the future and `nbf` in the past; and, when the route lists scopes, the
// token's `scope` (space-separated) or `scp` includes at least one of them.
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTPayload,
} from 'jose';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { AuthConfigurationError } from './errors.js';
import { LruMap } from './lru.js';

/**
 * Signature algorithms accepted by default: public-key ones only, so a token cannot pass an
 * HMAC signature made with a public key as the secret, and `none` is never accepted. AWS
 * documents RSA algorithms only; pass `algorithms` to hold Gatehouse to that.
 */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

export interface JwtAuthorizerOptions {
  /** jwtConfiguration.issuer: compared with `iss` exactly. */
  issuer: string;
  /**
   * jwtConfiguration.audience. Undefined skips the audience check (REST Cognito authorizers
   * have no audience setting); an empty list accepts no token.
   */
  audience?: readonly string[];
  /** Where the keys are; by default the `jwks_uri` of `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Leeway for `exp` and `nbf` against this gateway's clock. Default 60. */
  clockToleranceSeconds?: number;
  /** Accepted `alg` values, a subset of ASYMMETRIC_ALGORITHMS. */
  algorithms?: readonly string[];
  /** Longer tokens are refused before any parsing. Default 8192 bytes. */
  maxTokenBytes?: number;
  /** After a key-set fetch, how long a token with an unknown `kid` waits for the next one. Default 30. */
  jwksCooldownSeconds?: number;
  /** How long a fetched key set is used before it is fetched again. Default 7200, as AWS caches keys for up to two hours. */
  jwksMaxAgeSeconds?: number;
  /** Timeout for fetching the discovery document and the key set. Default 5000 ms. */
  fetchTimeoutMs?: number;
  /**
   * What a valid token that lacks every required scope gets: HTTP APIs answer 403 Forbidden
   * (the default, `ACCESS_DENIED`); REST Cognito authorizers answer 401 (`UNAUTHORIZED`).
   */
  insufficientScope?: 'ACCESS_DENIED' | 'UNAUTHORIZED';
  /** Milliseconds since the epoch, for `exp`/`nbf` and the verified-token cache. Key-set timings follow the system clock. */
  now?: () => number;
}

export interface VerifiedToken {
  claims: JWTPayload;
  /** The token's scopes, from `scope` and `scp`. */
  scopes: readonly string[];
}

export interface JwtAuthorizer {
  /**
   * Resolves with the token's claims, or rejects with a GatewayError: UNAUTHORIZED (401) for a
   * token that is missing, malformed, badly signed, expired, not yet valid, from another issuer
   * or for another audience; `insufficientScope` when it has none of `requiredScopes`;
   * AUTHORIZER_FAILURE (500) when the issuer's keys cannot be fetched.
   */
  verify(token: string, requiredScopes?: readonly string[]): Promise<VerifiedToken>;
}

/**
 * A refused token. Besides the gateway response type it carries the WWW-Authenticate
 * challenge HTTP APIs send with the refusal, e.g.
 * `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`.
 */
export class JwtRefusal extends GatewayError {
  constructor(
    type: 'UNAUTHORIZED' | 'ACCESS_DENIED',
    readonly wwwAuthenticate: string,
    readonly description: string,
  ) {
    super(type, type === 'ACCESS_DENIED' ? 'Forbidden' : undefined, undefined, undefined, {
      'www-authenticate': wwwAuthenticate,
    });
  }
}

const DEFAULTS = {
  clockToleranceSeconds: 60,
  maxTokenBytes: 8192,
  jwksCooldownSeconds: 30,
  jwksMaxAgeSeconds: 7200,
  fetchTimeoutMs: 5000,
};

/** A verified token is trusted again without a signature check for at most this long. */
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const VERIFIED_TOKEN_CACHE_SIZE = 2000;

export function compileJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
  if (typeof options.issuer !== 'string' || options.issuer === '') {
    throw new AuthConfigurationError('A JWT authorizer needs jwtConfiguration.issuer');
  }
  const algorithms = options.algorithms ?? ASYMMETRIC_ALGORITHMS;
  for (const alg of algorithms) {
    if (!ASYMMETRIC_ALGORITHMS.includes(alg)) {
      throw new AuthConfigurationError(
        `JWT algorithm ${JSON.stringify(alg)} is not accepted; choose from ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
      );
    }
  }
  const jwksUri = options.jwksUri === undefined ? undefined : parseUrl(options.jwksUri, 'jwksUri');
  const discoveryUrl =
    jwksUri === undefined
      ? parseUrl(`${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, 'issuer')
      : undefined;
  const now = options.now ?? Date.now;
  const keys = new KeySource(
    jwksUri,
    discoveryUrl,
    {
      cooldownMs: nonNegative(options.jwksCooldownSeconds, DEFAULTS.jwksCooldownSeconds) * 1000,
      maxAgeMs: nonNegative(options.jwksMaxAgeSeconds, DEFAULTS.jwksMaxAgeSeconds) * 1000,
      timeoutMs: Math.trunc(nonNegative(options.fetchTimeoutMs, DEFAULTS.fetchTimeoutMs)),
    },
    now,
  );
  return new JwtVerifier(
    {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...algorithms],
      clockToleranceSeconds: nonNegative(options.clockToleranceSeconds, DEFAULTS.clockToleranceSeconds),
      maxTokenBytes: nonNegative(options.maxTokenBytes, DEFAULTS.maxTokenBytes),
      insufficientScope: options.insufficientScope ?? 'ACCESS_DENIED',
    },
    keys,
    now,
  );
}

interface VerifierSettings {
  issuer: string;
  audience: readonly string[] | undefined;
  algorithms: string[];
  clockToleranceSeconds: number;
  maxTokenBytes: number;
  insufficientScope: 'ACCESS_DENIED' | 'UNAUTHORIZED';
}

interface CachedToken {
  verified: VerifiedToken;
  expiresAt: number;
}

class JwtVerifier implements JwtAuthorizer {
  private readonly verifiedTokens = new LruMap<string, CachedToken>(VERIFIED_TOKEN_CACHE_SIZE);

  constructor(
    private readonly settings: VerifierSettings,
    private readonly keys: KeySource,
    private readonly now: () => number,
  ) {}

  async verify(token: string, requiredScopes: readonly string[] = []): Promise<VerifiedToken> {
    const raw = stripBearer(token);
    if (raw === '') throw invalidToken('the token is missing', requiredScopes);
    if (raw.length > this.settings.maxTokenBytes)
      throw invalidToken('the token is too large', requiredScopes);
    const now = this.now();
    const cached = this.verifiedTokens.get(raw);
    let verified: VerifiedToken;
    if (cached !== undefined && now < cached.expiresAt) {
      verified = cached.verified;
    } else {
      if (cached !== undefined) this.verifiedTokens.delete(raw);
      verified = await this.verifyToken(raw, now, requiredScopes);
    }
    if (requiredScopes.length > 0 && !requiredScopes.some((scope) => verified.scopes.includes(scope))) {
      throw new JwtRefusal(
        this.settings.insufficientScope,
        challenge(requiredScopes, 'insufficient_scope', 'the token does not have the required scopes'),
        'the token does not have the required scopes',
      );
    }
    return verified;
  }

  private async verifyToken(
    raw: string,
    now: number,
    requiredScopes: readonly string[],
  ): Promise<VerifiedToken> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(raw, this.keys.getKey, {
        issuer: this.settings.issuer,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockToleranceSeconds,
        currentDate: new Date(now),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw refusalFor(error, requiredScopes);
    }
    if (this.settings.audience !== undefined && !audienceMatches(claims, this.settings.audience)) {
      throw invalidToken('the token does not have a valid audience', requiredScopes);
    }
    // Frozen: a remembered token's claims are handed to every later request that presents it.
    const verified: VerifiedToken = Object.freeze({
      claims: Object.freeze(claims),
      scopes: Object.freeze(scopesOf(claims)),
    });
    // jose has checked that exp is a number.
    const expiresAt = Math.min(
      ((claims.exp as number) + this.settings.clockToleranceSeconds) * 1000,
      now + VERIFIED_TOKEN_TTL_MS,
    );
    if (expiresAt > now) this.verifiedTokens.set(raw, { verified, expiresAt });
    return verified;
  }
}

/** AWS accepts the token alone or after `Bearer `. */
export function stripBearer(value: string): string {
  const trimmed = value.trim();
  return /^bearer(?:\s|$)/i.test(trimmed) ? trimmed.slice(6).trim() : trimmed;
}

/** `aud` must name one of the audiences; only a token without `aud` is judged by `client_id` (Cognito access tokens). */
function audienceMatches(claims: JWTPayload, audience: readonly string[]): boolean {
  const aud = claims.aud;
  if (aud !== undefined) {
    const list = typeof aud === 'string' ? [aud] : aud;
    return list.some((entry) => audience.includes(entry));
  }
  const clientId = claims['client_id'];
  return typeof clientId === 'string' && audience.includes(clientId);
}

function scopesOf(claims: JWTPayload): string[] {
  const scopes = new Set<string>();
  for (const claim of [claims['scope'], claims['scp']]) {
    if (typeof claim === 'string') {
      for (const scope of claim.split(' ')) if (scope !== '') scopes.add(scope);
    } else if (Array.isArray(claim)) {
      for (const scope of claim) if (typeof scope === 'string' && scope !== '') scopes.add(scope);
    }
  }
  return [...scopes];
}

function refusalFor(error: unknown, requiredScopes: readonly string[]): GatewayError {
  if (error instanceof KeysUnavailable) {
    const failure = new GatewayError('AUTHORIZER_FAILURE');
    failure.cause = error.cause;
    return failure;
  }
  if (error instanceof errors.JWTExpired) return invalidToken('the token has expired', requiredScopes);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const description =
      error.claim === 'nbf'
        ? 'the token is not valid yet'
        : error.claim === 'iss'
          ? 'the token does not have a valid issuer'
          : `the token has an invalid ${error.claim} claim`;
    return invalidToken(description, requiredScopes);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalidToken('the token has an invalid signature', requiredScopes);
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalidToken('the token was not signed by a key of the issuer', requiredScopes);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return invalidToken('the token is signed with an algorithm that is not accepted', requiredScopes);
  }
  if (error instanceof errors.JOSEError) return invalidToken('the token is malformed', requiredScopes);
  // Not a verdict on the token: a fault in Gatehouse, left for the request path to report as one.
  throw error;
}

function invalidToken(description: string, requiredScopes: readonly string[]): JwtRefusal {
  return new JwtRefusal('UNAUTHORIZED', challenge(requiredScopes, 'invalid_token', description), description);
}

function challenge(requiredScopes: readonly string[], error: string, description: string): string {
  return `Bearer scope="${requiredScopes.join(' ')}" error="${error}" error_description="${description}"`;
}

// ---------------------------------------------------------------------------------------------
// The issuer's keys

/** The key set could not be fetched: the issuer is down or misconfigured, not the token bad. */
class KeysUnavailable extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'KeysUnavailable';
  }
}

interface KeyTimings {
  cooldownMs: number;
  maxAgeMs: number;
  timeoutMs: number;
}

type KeyResolver = ReturnType<typeof createRemoteJWKSet>;

class KeySource {
  private remote: KeyResolver | undefined;
  private discovering: Promise<KeyResolver> | undefined;
  private discoveryFailedAt = Number.NEGATIVE_INFINITY;

  constructor(
    jwksUri: URL | undefined,
    private readonly discoveryUrl: URL | undefined,
    private readonly timings: KeyTimings,
    private readonly now: () => number,
  ) {
    if (jwksUri !== undefined) this.remote = this.remoteSet(jwksUri);
  }

  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    // AWS requires `kid`; without it jose would try every key of a matching type.
    if (typeof header.kid !== 'string') throw new errors.JWKSNoMatchingKey();
    const resolver = this.remote ?? (await this.discover());
    try {
      return await resolver(header, token);
    } catch (error) {
      if (fetchFailed(error)) throw new KeysUnavailable('The issuer key set could not be fetched', error);
      throw error;
    }
  };

  private remoteSet(url: URL): KeyResolver {
    return createRemoteJWKSet(url, {
      cooldownDuration: this.timings.cooldownMs,
      cacheMaxAge: this.timings.maxAgeMs,
      timeoutDuration: this.timings.timeoutMs,
    });
  }

  /** One discovery at a time, and after a failure none again until the cooldown has passed. */
  private discover(): Promise<KeyResolver> {
    if (this.discovering !== undefined) return this.discovering;
    if (this.now() - this.discoveryFailedAt < this.timings.cooldownMs) {
      return Promise.reject(new KeysUnavailable('OpenID discovery failed recently', undefined));
    }
    const url = this.discoveryUrl as URL;
    this.discovering = fetchJwksUri(url, this.timings.timeoutMs).then(
      (jwksUri) => {
        this.remote = this.remoteSet(jwksUri);
        this.discovering = undefined;
        return this.remote;
      },
      (error: unknown) => {
        this.discoveryFailedAt = this.now();
        this.discovering = undefined;
        throw new KeysUnavailable(`OpenID discovery at ${url.href} failed`, error);
      },
    );
    return this.discovering;
  }
}

async function fetchJwksUri(discoveryUrl: URL, timeoutMs: number): Promise<URL> {
  const response = await fetch(discoveryUrl, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) throw new Error(`The discovery document answered ${response.status}`);
  const document = await response.json();
  const jwksUri =
    typeof document === 'object' && document !== null
      ? (document as Record<string, unknown>)['jwks_uri']
      : undefined;
  if (typeof jwksUri !== 'string') throw new Error('The discovery document has no jwks_uri');
  return new URL(jwksUri);
}

/** Failures of the key-set fetch, as opposed to verdicts on the token. */
function fetchFailed(error: unknown): boolean {
  if (error instanceof KeysUnavailable) return false;
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose reports a non-200 answer or a body that is not JSON with its generic error class.
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  // fetch() rejects with a TypeError when the connection fails.
  return error instanceof TypeError || (error instanceof Error && error.name === 'AbortError');
}

function parseUrl(value: string, setting: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new AuthConfigurationError(`JWT authorizer ${setting} ${JSON.stringify(value)} is not a URL`);
  }
}

function nonNegative(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new AuthConfigurationError(`JWT authorizer settings must be non-negative numbers, got ${value}`);
  }
  return value;
}
