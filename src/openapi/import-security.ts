// An operation's `security` (or the document's, when the operation has none) and
// x-amazon-apigateway-auth → the method's or route's authorization fields.
import { AuthDocSchema, SecuritySchema } from './document-schemas.js';
import type { AuthorizerAuthorization, SecuritySchemes } from './import-authorizers.js';
import type { ImportContext } from './import-context.js';
import { pointer } from './pointer.js';
import { isObject, optional, type JsonObject } from './values.js';
import { AUTH_EXTENSION } from './extensions.js';

export interface Authorization {
  authorizationType: 'NONE' | 'AWS_IAM' | AuthorizerAuthorization;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
  /** Requirements naming schemes Gatehouse does not model, kept for export. */
  unmodeled?: JsonObject[];
}

interface Found {
  authorizer?: { name: string; type: AuthorizerAuthorization; scopes: string[] };
  iam: boolean;
  apiKey: boolean;
  unmodeled: JsonObject[];
}

export function authorizationOf(
  ctx: ImportContext,
  schemes: SecuritySchemes,
  operation: JsonObject,
  at: string,
): Authorization {
  const own = 'security' in operation;
  const securityAt = own ? `${at}/security` : '/security';
  const found = readSecurity(ctx, schemes, own ? operation.security : ctx.doc.security, securityAt);
  let iamAt = securityAt;
  if (iamRequested(ctx, operation[AUTH_EXTENSION], `${at}/${AUTH_EXTENSION}`)) {
    found.iam = true;
    iamAt = `${at}/${AUTH_EXTENSION}`;
  }
  if (found.iam && found.authorizer) {
    ctx.problem(
      `${at}: uses both IAM authorization and authorizer "${found.authorizer.name}"; a method has one authorization type`,
    );
  }
  if (found.authorizer) ctx.notYetEnforced(securityAt, 'methodAuthorizer', found.authorizer.name);
  if (found.iam) ctx.notYetEnforced(iamAt, 'iamAuthorization');
  if (found.apiKey) ctx.notYetEnforced(securityAt, 'apiKeyRequired');
  const scopes = found.authorizer?.scopes ?? [];
  return {
    authorizationType: found.authorizer?.type ?? (found.iam ? 'AWS_IAM' : 'NONE'),
    ...optional('authorizerId', found.authorizer?.name),
    ...optional('authorizationScopes', scopes.length > 0 ? scopes : undefined),
    apiKeyRequired: found.apiKey,
    ...optional('unmodeled', found.unmodeled.length > 0 ? found.unmodeled : undefined),
  };
}

function readSecurity(ctx: ImportContext, schemes: SecuritySchemes, security: unknown, at: string): Found {
  const found: Found = { iam: false, apiKey: false, unmodeled: [] };
  if (security === undefined || !ctx.check(SecuritySchema, security, at)) return found;
  (security as Record<string, string[]>[]).forEach((requirement, index) => {
    const unmodeled: JsonObject = {};
    for (const [name, scopes] of Object.entries(requirement)) {
      const kind = schemes.kinds.get(name);
      const nameAt = pointer(at, index, name);
      if (kind === undefined) {
        ctx.problem(
          `${nameAt}: security scheme "${name}" is not defined in ${ctx.componentPointer('securitySchemes')}`,
        );
      } else if (kind.kind === 'apiKey') {
        found.apiKey = true;
      } else if (kind.kind === 'sigv4') {
        found.iam = true;
      } else if (kind.kind === 'other') {
        unmodeled[name] = scopes;
        ctx.warn(
          `${nameAt}: security scheme "${name}" is kept for export only; API Gateway enforces authorizers, API keys and IAM`,
        );
      } else if (found.authorizer && found.authorizer.name !== name) {
        ctx.problem(
          `${nameAt}: a second authorizer; the method already uses "${found.authorizer.name}" and may use only one`,
        );
      } else {
        found.authorizer = { name, type: kind.authorizationType, scopes };
      }
    }
    if (Object.keys(unmodeled).length > 0) found.unmodeled.push(unmodeled);
  });
  return found;
}

function iamRequested(ctx: ImportContext, auth: unknown, at: string): boolean {
  if (auth === undefined) return false;
  const doc =
    isObject(auth) && typeof auth.type === 'string' ? { ...auth, type: auth.type.toUpperCase() } : auth;
  return ctx.check(AuthDocSchema, doc, at) && (doc as { type: string }).type === 'AWS_IAM';
}
