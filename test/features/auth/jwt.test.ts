// JWT authorizers (HTTP APIs) against a real OpenID provider on port 0: discovery, key
// rotation, algorithm confusion, times with tolerance, issuer, audience/client_id and scopes.
import { exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthConfigurationError } from '../../../src/features/auth/errors.js';
import {
  compileJwtAuthorizer,
  JwtRefusal,
  type JwtAuthorizerOptions,
} from '../../../src/features/auth/jwt.js';
import { answerOfAsync } from './helpers.js';
import { signingKey, startIdentityProvider, type IdentityProvider, type SigningKey } from './idp.js';

const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' }, errorType: undefined };
const FORBIDDEN = { status: 403, body: { message: 'Forbidden' }, errorType: undefined };
const AUDIENCE = ['my-api', 'other-api'];

let idp: IdentityProvider;
let rsa: SigningKey;
let ec: SigningKey;

beforeAll(async () => {
  rsa = await signingKey('rsa-1', 'RS256');
  ec = await signingKey('ec-1', 'ES256');
  idp = await startIdentityProvider([rsa, ec]);
});

afterAll(() => idp.close());

afterEach(() => {
  vi.useRealTimers();
});

function authorizer(options: Partial<JwtAuthorizerOptions> = {}) {
  return compileJwtAuthorizer({ issuer: idp.issuer, audience: AUDIENCE, ...options });
}

const hits = (path: string) => idp.hits.get(path) ?? 0;

async function refusal(promise: Promise<unknown>): Promise<JwtRefusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JwtRefusal);
  return error as JwtRefusal;
}

describe('valid tokens', () => {
  it('verifies an RS256 token with keys found through OpenID discovery, fetched once', async () => {
    const verifier = authorizer();
    const before = { discovery: hits('/.well-known/openid-configuration'), jwks: hits('/jwks') };
    const token = await idp.sign(
      rsa,
      { sub: 'alice', aud: 'my-api', email: 'a@example.com' },
      { expiresIn: 300 },
    );
    const { claims, scopes } = await verifier.verify(token);
    expect(claims).toMatchObject({ sub: 'alice', aud: 'my-api', iss: idp.issuer, email: 'a@example.com' });
    expect(scopes).toEqual([]);
    const other = await idp.sign(rsa, { sub: 'bob', aud: 'my-api' }, { expiresIn: 300 });
    await verifier.verify(other);
    expect(hits('/.well-known/openid-configuration') - before.discovery).toBe(1);
    expect(hits('/jwks') - before.jwks).toBe(1);
  });

  it('verifies an ES256 token', async () => {
    const token = await idp.sign(ec, { sub: 'carol', aud: 'other-api' }, { expiresIn: 300 });
    expect((await authorizer().verify(token)).claims.sub).toBe('carol');
  });

  it('accepts the token after "Bearer ", in any case', async () => {
    const verifier = authorizer();
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toBeDefined();
    await expect(verifier.verify(`bearer ${token}`)).resolves.toBeDefined();
  });

  it('uses jwksUri directly when given, without discovery', async () => {
    const before = hits('/.well-known/openid-configuration');
    const verifier = authorizer({ jwksUri: idp.jwksUri });
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    await verifier.verify(token);
    expect(hits('/.well-known/openid-configuration')).toBe(before);
  });

  it('checks a verified token again only for its times, not its signature', async () => {
    let now = Date.now();
    const verifier = authorizer({ now: () => now, clockToleranceSeconds: 0 });
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 60, now });
    await verifier.verify(token);
    const jwks = hits('/jwks');
    idp.keys = [ec];
    try {
      await verifier.verify(token);
      now += 61_000;
      expect(answerOf401(await refusal(verifier.verify(token)))).toBe('the token has expired');
    } finally {
      idp.keys = [rsa, ec];
    }
    expect(hits('/jwks')).toBe(jwks);
  });
});

/** The error_description of a 401 challenge. */
function answerOf401(error: JwtRefusal): string {
  expect(error.responseType).toBe('UNAUTHORIZED');
  expect(error.wwwAuthenticate).toBe(
    `Bearer scope="" error="invalid_token" error_description="${error.description}"`,
  );
  return error.description;
}

describe('refused tokens: 401 {"message":"Unauthorized"}', () => {
  it('refuses a missing or empty token', async () => {
    const verifier = authorizer();
    expect(await answerOfAsync(verifier.verify(''), 'HTTP')).toEqual(UNAUTHORIZED);
    expect(answerOf401(await refusal(verifier.verify('Bearer ')))).toBe('the token is missing');
  });

  it('refuses malformed tokens', async () => {
    const verifier = authorizer();
    for (const token of ['abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30']) {
      expect(await answerOfAsync(verifier.verify(token), 'HTTP'), token).toEqual(UNAUTHORIZED);
    }
  });

  it('refuses alg "none"', async () => {
    const token = new UnsecuredJWT({ aud: 'my-api', sub: 'mallory' })
      .setIssuer(idp.issuer)
      .setExpirationTime('5m')
      .encode();
    expect(await answerOfAsync(authorizer().verify(token), 'HTTP')).toEqual(UNAUTHORIZED);
  });

  it('refuses an HS256 token signed with the RSA public key as the secret (key confusion)', async () => {
    const publicPem = await exportSPKI(rsa.publicKey);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ aud: 'my-api', sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .setIssuer(idp.issuer)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(publicPem));
    const error = await refusal(authorizer().verify(forged));
    expect(answerOf401(error)).toBe('the token is signed with an algorithm that is not accepted');
  });

  it('refuses a token signed by a key the issuer does not publish under that kid', async () => {
    const impostor = await signingKey(rsa.kid, 'RS256');
    const token = await idp.sign(impostor, { aud: 'my-api' }, { expiresIn: 300 });
    expect(answerOf401(await refusal(authorizer().verify(token)))).toBe('the token has an invalid signature');
  });

  it('refuses a token without kid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ aud: 'my-api' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(idp.issuer)
      .setExpirationTime(now + 300)
      .sign(rsa.privateKey);
    const single = authorizer({ jwksUri: idp.jwksUri });
    expect(answerOf401(await refusal(single.verify(token)))).toBe(
      'the token was not signed by a key of the issuer',
    );
  });

  it('refuses algorithms outside the configured list', async () => {
    const token = await idp.sign(ec, { aud: 'my-api' }, { expiresIn: 300 });
    const rsaOnly = authorizer({ algorithms: ['RS256'] });
    expect(await answerOfAsync(rsaOnly.verify(token), 'HTTP')).toEqual(UNAUTHORIZED);
  });

  it('refuses an expired token, allowing the clock tolerance', async () => {
    const now = Date.now();
    const verifier = authorizer({ now: () => now, clockToleranceSeconds: 60 });
    const withinTolerance = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: -30, now });
    await expect(verifier.verify(withinTolerance)).resolves.toBeDefined();
    const expired = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: -61, now });
    expect(answerOf401(await refusal(verifier.verify(expired)))).toBe('the token has expired');
    const strict = authorizer({ now: () => now, clockToleranceSeconds: 0 });
    expect(await answerOfAsync(strict.verify(withinTolerance), 'HTTP')).toEqual(UNAUTHORIZED);
  });

  it('refuses a token that is not valid yet, allowing the clock tolerance', async () => {
    const now = Date.now();
    const verifier = authorizer({ now: () => now });
    const soon = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 600, notBefore: 30, now });
    await expect(verifier.verify(soon)).resolves.toBeDefined();
    const later = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 600, notBefore: 120, now });
    expect(answerOf401(await refusal(verifier.verify(later)))).toBe('the token is not valid yet');
  });

  it('refuses a token without exp', async () => {
    const token = await idp.sign(rsa, { aud: 'my-api' });
    expect(answerOf401(await refusal(authorizer().verify(token)))).toBe('the token has an invalid exp claim');
  });

  it('refuses a token from another issuer', async () => {
    const token = await idp.sign(
      rsa,
      { aud: 'my-api' },
      { expiresIn: 300, issuer: 'https://evil.example.com' },
    );
    expect(answerOf401(await refusal(authorizer().verify(token)))).toBe(
      'the token does not have a valid issuer',
    );
  });

  it('refuses a token longer than 8 KB before looking inside it', async () => {
    const before = hits('/jwks');
    const verifier = authorizer({ jwksUri: idp.jwksUri });
    const token = await idp.sign(rsa, { aud: 'my-api', padding: 'x'.repeat(9000) }, { expiresIn: 300 });
    expect(answerOf401(await refusal(verifier.verify(token)))).toBe('the token is too large');
    expect(hits('/jwks')).toBe(before);
    const roomy = authorizer({ maxTokenBytes: 16_384 });
    await expect(roomy.verify(token)).resolves.toBeDefined();
  });
});

describe('audience', () => {
  const description = 'the token does not have a valid audience';

  it('accepts aud naming one of the audiences, as a string or in a list', async () => {
    const verifier = authorizer();
    for (const aud of ['other-api', ['unrelated', 'my-api']]) {
      const token = await idp.sign(rsa, { aud }, { expiresIn: 300 });
      await expect(verifier.verify(token), JSON.stringify(aud)).resolves.toBeDefined();
    }
  });

  it('refuses aud naming none of them, with AWS’s challenge', async () => {
    const token = await idp.sign(rsa, { aud: 'someone-else' }, { expiresIn: 300 });
    const error = await refusal(authorizer().verify(token));
    expect(error.wwwAuthenticate).toBe(
      `Bearer scope="" error="invalid_token" error_description="${description}"`,
    );
  });

  it('judges access tokens without aud by client_id', async () => {
    const verifier = authorizer();
    const good = await idp.sign(rsa, { client_id: 'my-api', token_use: 'access' }, { expiresIn: 300 });
    await expect(verifier.verify(good)).resolves.toBeDefined();
    const bad = await idp.sign(rsa, { client_id: 'nope' }, { expiresIn: 300 });
    expect(answerOf401(await refusal(verifier.verify(bad)))).toBe(description);
    const neither = await idp.sign(rsa, { sub: 'x' }, { expiresIn: 300 });
    expect(answerOf401(await refusal(verifier.verify(neither)))).toBe(description);
  });

  it('evaluates aud, not client_id, when the token has both', async () => {
    const token = await idp.sign(rsa, { aud: 'wrong', client_id: 'my-api' }, { expiresIn: 300 });
    expect(answerOf401(await refusal(authorizer().verify(token)))).toBe(description);
  });

  it('accepts no token when the audience list is empty', async () => {
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    expect(await answerOfAsync(authorizer({ audience: [] }).verify(token), 'HTTP')).toEqual(UNAUTHORIZED);
  });
});

describe('scopes', () => {
  it('needs at least one of the route’s scopes, from scope or scp', async () => {
    const verifier = authorizer();
    const spaced = await idp.sign(rsa, { aud: 'my-api', scope: 'pets.read  pets.write' }, { expiresIn: 300 });
    expect((await verifier.verify(spaced, ['admin', 'pets.write'])).scopes).toEqual([
      'pets.read',
      'pets.write',
    ]);
    const scpList = await idp.sign(rsa, { aud: 'my-api', scp: ['pets.read'] }, { expiresIn: 300 });
    await expect(verifier.verify(scpList, ['pets.read'])).resolves.toBeDefined();
    const scpString = await idp.sign(rsa, { aud: 'my-api', scp: 'a b' }, { expiresIn: 300 });
    await expect(verifier.verify(scpString, ['b'])).resolves.toBeDefined();
  });

  it('answers 403 {"message":"Forbidden"} for a valid token without the scopes', async () => {
    const verifier = authorizer();
    const token = await idp.sign(rsa, { aud: 'my-api', scope: 'pets.read' }, { expiresIn: 300 });
    expect(await answerOfAsync(verifier.verify(token, ['pets.write', 'admin']), 'HTTP')).toEqual(FORBIDDEN);
    const error = await refusal(verifier.verify(token, ['pets.write', 'admin']));
    expect(error.wwwAuthenticate).toBe(
      'Bearer scope="pets.write admin" error="insufficient_scope" error_description="the token does not have the required scopes"',
    );
    const none = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    expect(await answerOfAsync(verifier.verify(none, ['pets.read']), 'HTTP')).toEqual(FORBIDDEN);
    await expect(verifier.verify(none, [])).resolves.toBeDefined();
  });

  it('checks scopes on every call, also for a token verified before', async () => {
    const verifier = authorizer();
    const token = await idp.sign(rsa, { aud: 'my-api', scope: 'a' }, { expiresIn: 300 });
    await verifier.verify(token, ['a']);
    expect(await answerOfAsync(verifier.verify(token, ['b']), 'HTTP')).toEqual(FORBIDDEN);
  });

  it('can answer 401 for missing scopes instead', async () => {
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    const verifier = authorizer({ insufficientScope: 'UNAUTHORIZED' });
    expect(await answerOfAsync(verifier.verify(token, ['a']), 'HTTP')).toEqual(UNAUTHORIZED);
  });
});

describe('key rotation', () => {
  it('refetches the key set once for an unknown kid, at most once per cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const verifier = authorizer({ jwksUri: idp.jwksUri, jwksCooldownSeconds: 30 });
    const first = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 3600 });
    const base = hits('/jwks');
    await verifier.verify(first);
    expect(hits('/jwks')).toBe(base + 1);

    const rotated = await signingKey('rsa-2', 'RS256');
    idp.keys = [rsa, ec, rotated];
    try {
      const fresh = await idp.sign(rotated, { aud: 'my-api' }, { expiresIn: 3600 });
      // Within the cooldown of the first fetch: no refetch, the kid is unknown.
      expect(answerOf401(await refusal(verifier.verify(fresh)))).toBe(
        'the token was not signed by a key of the issuer',
      );
      expect(hits('/jwks')).toBe(base + 1);

      vi.setSystemTime(start + 31_000);
      await expect(verifier.verify(fresh)).resolves.toBeDefined();
      expect(hits('/jwks')).toBe(base + 2);

      // Another unknown kid right after the refetch waits for the next cooldown.
      const stranger = await signingKey('rsa-3', 'RS256');
      const unknown = await idp.sign(stranger, { aud: 'my-api' }, { expiresIn: 3600 });
      expect(await answerOfAsync(verifier.verify(unknown), 'HTTP')).toEqual(UNAUTHORIZED);
      expect(hits('/jwks')).toBe(base + 2);
    } finally {
      idp.keys = [rsa, ec];
    }
  });
});

describe('an unreachable issuer', () => {
  const FAILURE = { status: 500, body: { message: 'Internal Server Error' }, errorType: undefined };

  it('answers AUTHORIZER_FAILURE when discovery fails, and waits for the cooldown before retrying', async () => {
    const now = Date.now();
    let clock = now;
    const verifier = authorizer({ now: () => clock });
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 600, now });
    idp.discoveryStatus = 503;
    const before = hits('/.well-known/openid-configuration');
    try {
      expect(await answerOfAsync(verifier.verify(token), 'HTTP')).toEqual(FAILURE);
      expect(await answerOfAsync(verifier.verify(token))).toEqual({
        status: 500,
        body: { message: null },
        errorType: 'AuthorizerFailureException',
      });
      expect(hits('/.well-known/openid-configuration')).toBe(before + 1);
    } finally {
      idp.discoveryStatus = 200;
    }
    clock += 31_000;
    await expect(verifier.verify(token)).resolves.toBeDefined();
    expect(hits('/.well-known/openid-configuration')).toBe(before + 2);
  });

  it('answers AUTHORIZER_FAILURE when the key set cannot be fetched', async () => {
    const token = await idp.sign(rsa, { aud: 'my-api' }, { expiresIn: 300 });
    const verifier = authorizer({ jwksUri: `${idp.base}/missing-jwks` });
    expect(await answerOfAsync(verifier.verify(token), 'HTTP')).toEqual(FAILURE);
    const closed = authorizer({ jwksUri: 'http://127.0.0.1:9/jwks', fetchTimeoutMs: 2000 });
    expect(await answerOfAsync(closed.verify(token), 'HTTP')).toEqual(FAILURE);
  });
});

describe('settings', () => {
  it('refuses settings that cannot work', () => {
    expect(() => compileJwtAuthorizer({ issuer: '', audience: [] })).toThrow(AuthConfigurationError);
    expect(() => compileJwtAuthorizer({ issuer: 'not a url', audience: [] })).toThrow(/not a URL/);
    expect(() => compileJwtAuthorizer({ issuer: idp.issuer, jwksUri: 'nope' })).toThrow(/jwksUri/);
    for (const alg of ['HS256', 'none']) {
      expect(() => compileJwtAuthorizer({ issuer: idp.issuer, algorithms: [alg] }), alg).toThrow(
        /is not accepted/,
      );
    }
    expect(() => compileJwtAuthorizer({ issuer: idp.issuer, clockToleranceSeconds: -1 })).toThrow(
      AuthConfigurationError,
    );
  });
});
