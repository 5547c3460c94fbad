// Cognito user pool authorizers of REST APIs (type COGNITO_USER_POOLS): JWT verification
// against each user pool named in providerARNs. A user pool's issuer is
// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`; `issuerBase` points Gatehouse at
// another Cognito-compatible identity provider (cognito-local, a test IdP, …), whose issuer
// is then `{issuerBase}/{userPoolId}` with `{region}` in issuerBase replaced by the pool's region.
//
// What AWS checks beyond the signature and the times: the token's issuer is one of the pools;
// a method without authorization scopes takes an ID token (`token_use: id`), a method with
// scopes takes an access token carrying at least one of them; a failed check of either kind is a 401.
// The authorizer has no audience setting, so any app client of the pool is accepted, unless
// identityValidationExpression is set: then `aud` must match it.
import { decodeJwt } from 'jose';
import { AuthConfigurationError } from './errors.js';
import {
  compileJwtAuthorizer,
  JwtRefusal,
  stripBearer,
  type JwtAuthorizer,
  type JwtAuthorizerOptions,
  type VerifiedToken,
} from './jwt.js';

export const COGNITO_ISSUER_BASE = 'https://cognito-idp.{region}.amazonaws.com';

export interface CognitoAuthorizerOptions extends Omit<
  JwtAuthorizerOptions,
  'issuer' | 'audience' | 'jwksUri' | 'insufficientScope'
> {
  /** `arn:aws:cognito-idp:{region}:{account}:userpool/{userPoolId}`, one per accepted pool. */
  providerARNs: readonly string[];
  /** Default COGNITO_ISSUER_BASE. */
  issuerBase?: string;
  /** A regular expression the token's whole `aud` must match. */
  identityValidationExpression?: string;
}

export interface UserPool {
  region: string;
  userPoolId: string;
}

export function parseUserPoolArn(arn: string): UserPool {
  const match = /^arn:[^:]+:cognito-idp:([^:]+):[^:]*:userpool\/([^/]+)$/.exec(arn);
  if (match === null) {
    throw new AuthConfigurationError(
      `providerARNs entry ${JSON.stringify(arn)} is not a user pool ARN (arn:aws:cognito-idp:{region}:{account}:userpool/{id})`,
    );
  }
  return { region: match[1] as string, userPoolId: match[2] as string };
}

export function userPoolIssuer(pool: UserPool, issuerBase: string = COGNITO_ISSUER_BASE): string {
  return `${issuerBase.replaceAll('{region}', pool.region).replace(/\/+$/, '')}/${pool.userPoolId}`;
}

export function compileCognitoAuthorizer(options: CognitoAuthorizerOptions): JwtAuthorizer {
  const { providerARNs, issuerBase, identityValidationExpression, ...jwtOptions } = options;
  if (providerARNs.length === 0) {
    throw new AuthConfigurationError('A COGNITO_USER_POOLS authorizer needs at least one providerARNs entry');
  }
  const byIssuer = new Map<string, JwtAuthorizer>();
  for (const arn of providerARNs) {
    const issuer = userPoolIssuer(parseUserPoolArn(arn), issuerBase);
    byIssuer.set(issuer, compileJwtAuthorizer({ ...jwtOptions, issuer, insufficientScope: 'UNAUTHORIZED' }));
  }
  const audiencePattern = compileAudiencePattern(identityValidationExpression);

  return {
    async verify(token: string, requiredScopes: readonly string[] = []): Promise<VerifiedToken> {
      const issuer = unverifiedIssuer(token);
      if (issuer === null) throw refusal('the token is malformed', requiredScopes);
      const verifier = byIssuer.get(issuer ?? '');
      if (verifier === undefined) throw refusal('the token does not have a valid issuer', requiredScopes);
      const verified = await verifier.verify(token, requiredScopes);
      const tokenUse = verified.claims['token_use'];
      // Tokens from identity providers that do not set token_use are judged by their scopes alone.
      const expected = requiredScopes.length === 0 ? 'id' : 'access';
      if (tokenUse !== undefined && tokenUse !== expected) {
        throw refusal(`the method accepts ${expected} tokens only`, requiredScopes);
      }
      if (audiencePattern !== undefined) {
        const aud = verified.claims.aud;
        if (typeof aud !== 'string' || !audiencePattern.test(aud)) {
          throw refusal('the token does not have a valid audience', requiredScopes);
        }
      }
      return verified;
    },
  };
}

/** Picks the pool to verify against; the pool's verifier then checks `iss` for real. Null: not a JWT. */
function unverifiedIssuer(token: string): string | undefined | null {
  try {
    const iss = decodeJwt(stripBearer(token)).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return null;
  }
}

function compileAudiencePattern(expression: string | undefined): RegExp | undefined {
  if (expression === undefined || expression === '') return undefined;
  try {
    return new RegExp(`^(?:${expression})$`);
  } catch (error) {
    throw new AuthConfigurationError(
      `identityValidationExpression ${JSON.stringify(expression)} is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

function refusal(description: string, requiredScopes: readonly string[]): JwtRefusal {
  return new JwtRefusal(
    'UNAUTHORIZED',
    `Bearer scope="${requiredScopes.join(' ')}" error="invalid_token" error_description="${description}"`,
    description,
  );
}
