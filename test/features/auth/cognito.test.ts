// Cognito user pool authorizers of REST APIs, against a Cognito-like provider on port 0
// reached through issuerBase: pools from providerARNs, ID versus access tokens, scopes, and
// identityValidationExpression on aud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileCognitoAuthorizer,
  parseUserPoolArn,
  userPoolIssuer,
  type CognitoAuthorizerOptions,
} from '../../../src/features/auth/cognito.js';
import { AuthConfigurationError } from '../../../src/features/auth/errors.js';
import { restClaims } from '../../../src/features/auth/claims.js';
import { answerOfAsync } from './helpers.js';
import { signingKey, startIdentityProvider, type IdentityProvider, type SigningKey } from './idp.js';

const POOL_A = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AAAAAAAAA';
const POOL_B = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_BBBBBBBBB';
const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' }, errorType: 'UnauthorizedException' };

let idp: IdentityProvider;
let key: SigningKey;

beforeAll(async () => {
  key = await signingKey('pool-key', 'RS256');
  idp = await startIdentityProvider([key]);
});

afterAll(() => idp.close());

function authorizer(options: Partial<CognitoAuthorizerOptions> = {}) {
  return compileCognitoAuthorizer({ providerARNs: [POOL_A], issuerBase: `${idp.base}/{region}`, ...options });
}

const issuerA = () => `${idp.base}/us-east-1/us-east-1_AAAAAAAAA`;
const issuerB = () => `${idp.base}/eu-west-1/eu-west-1_BBBBBBBBB`;

function idToken(claims: Record<string, unknown> = {}, issuer = issuerA()) {
  return idp.sign(
    key,
    { sub: 'u-1', aud: 'app-client-1', token_use: 'id', 'cognito:username': 'alice', ...claims },
    { expiresIn: 3600, issuer },
  );
}

function accessToken(scope: string, claims: Record<string, unknown> = {}) {
  return idp.sign(
    key,
    { sub: 'u-1', client_id: 'app-client-1', token_use: 'access', scope, ...claims },
    { expiresIn: 3600, issuer: issuerA() },
  );
}

describe('user pool issuers', () => {
  it('derives the Cognito issuer from a provider ARN', () => {
    expect(parseUserPoolArn(POOL_A)).toEqual({ region: 'us-east-1', userPoolId: 'us-east-1_AAAAAAAAA' });
    expect(userPoolIssuer(parseUserPoolArn(POOL_A))).toBe(
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AAAAAAAAA',
    );
  });

  it('puts the pool under another base for self-hosted identity providers', () => {
    expect(userPoolIssuer(parseUserPoolArn(POOL_B), 'http://localhost:9229/')).toBe(
      'http://localhost:9229/eu-west-1_BBBBBBBBB',
    );
    expect(userPoolIssuer(parseUserPoolArn(POOL_B), 'https://idp.example.com/{region}')).toBe(
      'https://idp.example.com/eu-west-1/eu-west-1_BBBBBBBBB',
    );
  });

  it('refuses what is not a user pool ARN, and an empty list', () => {
    expect(() => parseUserPoolArn('arn:aws:iam::123:role/x')).toThrow(AuthConfigurationError);
    expect(() => compileCognitoAuthorizer({ providerARNs: [] })).toThrow(/at least one providerARNs/);
    expect(() => authorizer({ identityValidationExpression: '[' })).toThrow(/not a valid regular expression/);
  });
});

describe('methods without authorization scopes take ID tokens', () => {
  it('accepts an ID token of the pool, from any app client', async () => {
    const verifier = authorizer();
    const { claims } = await verifier.verify(await idToken());
    expect(claims['cognito:username']).toBe('alice');
    await expect(
      verifier.verify(`Bearer ${await idToken({ aud: 'another-client' })}`),
    ).resolves.toBeDefined();
  });

  it('refuses an access token with 401', async () => {
    expect(await answerOfAsync(authorizer().verify(await accessToken('openid')))).toEqual(UNAUTHORIZED);
  });

  it('refuses a token from a pool not in providerARNs, and a malformed one', async () => {
    expect(await answerOfAsync(authorizer().verify(await idToken({}, issuerB())))).toEqual(UNAUTHORIZED);
    expect(await answerOfAsync(authorizer().verify('not-a-jwt'))).toEqual(UNAUTHORIZED);
  });

  it('accepts tokens of every listed pool', async () => {
    const verifier = authorizer({ providerARNs: [POOL_A, POOL_B] });
    await expect(verifier.verify(await idToken({}, issuerA()))).resolves.toBeDefined();
    await expect(verifier.verify(await idToken({}, issuerB()))).resolves.toBeDefined();
  });

  it('applies identityValidationExpression to aud', async () => {
    const verifier = authorizer({ identityValidationExpression: 'app-client-[0-9]+' });
    await expect(verifier.verify(await idToken())).resolves.toBeDefined();
    expect(await answerOfAsync(verifier.verify(await idToken({ aud: 'other-client' })))).toEqual(
      UNAUTHORIZED,
    );
  });

  it('refuses an expired token', async () => {
    const expired = await idp.sign(
      key,
      { aud: 'app-client-1', token_use: 'id' },
      { expiresIn: -3600, issuer: issuerA() },
    );
    expect(await answerOfAsync(authorizer().verify(expired))).toEqual(UNAUTHORIZED);
  });
});

describe('methods with authorization scopes take access tokens', () => {
  it('accepts an access token with one of the scopes', async () => {
    const { scopes } = await authorizer().verify(await accessToken('pets/read pets/write'), ['pets/write']);
    expect(scopes).toEqual(['pets/read', 'pets/write']);
  });

  it('answers 401, not 403, for an access token without the scopes', async () => {
    expect(await answerOfAsync(authorizer().verify(await accessToken('pets/read'), ['pets/write']))).toEqual(
      UNAUTHORIZED,
    );
  });

  it('refuses an ID token with 401', async () => {
    expect(await answerOfAsync(authorizer().verify(await idToken(), ['pets/read']))).toEqual(UNAUTHORIZED);
    const scoped = await idToken({ scope: 'pets/read' });
    expect(await answerOfAsync(authorizer().verify(scoped, ['pets/read']))).toEqual(UNAUTHORIZED);
  });
});

describe('claims for $context.authorizer.claims', () => {
  it('renders the verified claims as REST APIs show them', async () => {
    const { claims } = await authorizer().verify(
      await idToken({ email_verified: true, auth_time: 1469814773 }),
    );
    const rendered = restClaims(claims);
    expect(rendered).toMatchObject({
      sub: 'u-1',
      aud: 'app-client-1',
      token_use: 'id',
      email_verified: 'true',
      auth_time: '1469814773',
      iss: issuerA(),
    });
    expect(rendered['exp']).toMatch(
      /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/,
    );
  });
});
