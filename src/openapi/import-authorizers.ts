// Security schemes → authorizers. A scheme with x-amazon-apigateway-authorizer becomes an
// authorizer whose id is the scheme's name; the API key scheme and SigV4 are recognised so
// operations can require them; any other scheme is kept for export as written.
import { HttpAuthorizerDocSchema, RestAuthorizerDocSchema } from './document-schemas.js';
import type { HttpAuthorizerDoc, RestAuthorizerDoc } from './document-schemas.js';
import type { ImportContext } from './import-context.js';
import { pointer } from './pointer.js';
import { isObject, nonEmpty, omit, optional, stringOf, type JsonObject } from './values.js';
import { AUTHORIZER_EXTENSION, AUTHTYPE_EXTENSION } from './extensions.js';

export type Protocol = 'REST' | 'HTTP';
export type AuthorizerAuthorization = 'CUSTOM' | 'COGNITO_USER_POOLS' | 'JWT';
export type SchemeKind =
  | { kind: 'authorizer'; authorizationType: AuthorizerAuthorization }
  | { kind: 'apiKey' }
  | { kind: 'sigv4' }
  | { kind: 'other' };

export interface SecuritySchemes {
  kinds: Map<string, SchemeKind>;
  authorizers: JsonObject[];
  /** Schemes Gatehouse does not model, as written, for export. */
  kept: JsonObject;
}

export function importSecuritySchemes(ctx: ImportContext, protocol: Protocol): SecuritySchemes {
  const result: SecuritySchemes = { kinds: new Map(), authorizers: [], kept: {} };
  const components = ctx.doc.components;
  const schemes =
    isObject(components) && isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, raw] of Object.entries(schemes)) {
    const resolved = ctx.resolve(raw, pointer(ctx.componentPointer('securitySchemes'), name));
    if (!resolved) continue;
    if (!isObject(resolved.value)) {
      ctx.problem(`${resolved.pointer}: must be an object`);
      continue;
    }
    const kind = kindOf(resolved.value, protocol);
    result.kinds.set(name, kind);
    if (kind.kind === 'other') result.kept[name] = raw;
    if (kind.kind === 'authorizer') {
      const authorizer =
        protocol === 'REST'
          ? restAuthorizerOf(ctx, name, resolved.value, resolved.pointer)
          : httpAuthorizerOf(ctx, name, resolved.value, resolved.pointer);
      if (!authorizer) continue;
      result.authorizers.push(authorizer);
      ctx.notYetEnforced(`${resolved.pointer}/${AUTHORIZER_EXTENSION}`, 'authorizers');
    }
  }
  return result;
}

function kindOf(scheme: JsonObject, protocol: Protocol): SchemeKind {
  const extension = scheme[AUTHORIZER_EXTENSION];
  if (extension !== undefined) {
    const type = isObject(extension) ? stringOf(extension.type)?.toLowerCase() : undefined;
    if (type === 'cognito_user_pools') return { kind: 'authorizer', authorizationType: 'COGNITO_USER_POOLS' };
    return { kind: 'authorizer', authorizationType: type === 'jwt' ? 'JWT' : 'CUSTOM' };
  }
  if (stringOf(scheme[AUTHTYPE_EXTENSION])?.toLowerCase() === 'awssigv4') return { kind: 'sigv4' };
  // API keys are a REST API feature; on an HTTP API such a scheme is only documentation.
  const apiKey =
    scheme.type === 'apiKey' &&
    scheme.in === 'header' &&
    stringOf(scheme.name)?.toLowerCase() === 'x-api-key';
  return apiKey && protocol === 'REST' ? { kind: 'apiKey' } : { kind: 'other' };
}

function extensionOf(ctx: ImportContext, scheme: JsonObject, at: string): JsonObject | undefined {
  const extension = scheme[AUTHORIZER_EXTENSION];
  if (isObject(extension)) {
    const doc = { ...extension };
    if (typeof doc.type === 'string') doc.type = doc.type.toLowerCase();
    if (typeof doc.authorizerPayloadFormatVersion === 'number') {
      doc.authorizerPayloadFormatVersion = doc.authorizerPayloadFormatVersion.toFixed(1);
    }
    return doc;
  }
  ctx.problem(`${at}/${AUTHORIZER_EXTENSION}: must be an object`);
  return undefined;
}

/** The scheme as written minus what the authorizer models, for export. */
function keptSchemeOf(scheme: JsonObject, knownKeys: string[], modeled: string[]): JsonObject | undefined {
  const extension = scheme[AUTHORIZER_EXTENSION] as JsonObject;
  const kept = omit(scheme, [AUTHORIZER_EXTENSION, ...modeled]);
  const extra = nonEmpty(omit(extension, knownKeys));
  if (extra) kept[AUTHORIZER_EXTENSION] = extra;
  return nonEmpty(kept);
}

function restAuthorizerOf(
  ctx: ImportContext,
  name: string,
  scheme: JsonObject,
  at: string,
): JsonObject | undefined {
  const extAt = `${at}/${AUTHORIZER_EXTENSION}`;
  const doc = extensionOf(ctx, scheme, at);
  if (!doc || !ctx.check(RestAuthorizerDocSchema, doc, extAt)) return undefined;
  const valid = doc as RestAuthorizerDoc;
  if (valid.type !== 'cognito_user_pools' && valid.authorizerUri === undefined) {
    return void ctx.problem(
      `${extAt}: missing required field "authorizerUri" (a ${valid.type} authorizer calls a function)`,
    );
  }
  if (valid.type === 'cognito_user_pools' && valid.providerARNs === undefined) {
    return void ctx.problem(`${extAt}: missing required field "providerARNs" (the user pools to accept)`);
  }
  const type = valid.type.toUpperCase();
  const header = scheme.in === 'header' ? stringOf(scheme.name) : undefined;
  const defaultSource = type !== 'REQUEST' && header ? `method.request.header.${header}` : undefined;
  return {
    id: name,
    name,
    type,
    ...optional('authType', stringOf(scheme[AUTHTYPE_EXTENSION])),
    ...optional('authorizerUri', valid.authorizerUri),
    ...optional('authorizerCredentials', valid.authorizerCredentials),
    ...optional('identitySource', valid.identitySource ?? defaultSource),
    ...optional('identityValidationExpression', valid.identityValidationExpression),
    ...optional('authorizerResultTtlInSeconds', valid.authorizerResultTtlInSeconds),
    ...optional('providerARNs', valid.providerARNs),
    ...optional(
      'openapi',
      keptSchemeOf(scheme, Object.keys(RestAuthorizerDocSchema.properties), [AUTHTYPE_EXTENSION]),
    ),
  };
}

function httpAuthorizerOf(
  ctx: ImportContext,
  name: string,
  scheme: JsonObject,
  at: string,
): JsonObject | undefined {
  const extAt = `${at}/${AUTHORIZER_EXTENSION}`;
  const doc = extensionOf(ctx, scheme, at);
  if (!doc || !ctx.check(HttpAuthorizerDocSchema, doc, extAt)) return undefined;
  const valid = doc as HttpAuthorizerDoc;
  if (valid.type === 'jwt' && valid.jwtConfiguration === undefined) {
    return void ctx.problem(
      `${extAt}: missing required field "jwtConfiguration" (the issuer and audience to accept)`,
    );
  }
  if (valid.type === 'request' && valid.authorizerUri === undefined) {
    return void ctx.problem(
      `${extAt}: missing required field "authorizerUri" (a request authorizer calls a function)`,
    );
  }
  return {
    authorizerId: name,
    name,
    authorizerType: valid.type.toUpperCase(),
    ...optional('authorizerUri', valid.authorizerUri),
    ...optional('authorizerCredentialsArn', valid.authorizerCredentials),
    ...optional(
      'identitySource',
      valid.identitySource?.split(',').map((source) => source.trim()),
    ),
    ...optional('authorizerResultTtlInSeconds', valid.authorizerResultTtlInSeconds),
    ...optional('authorizerPayloadFormatVersion', valid.authorizerPayloadFormatVersion),
    ...optional('enableSimpleResponses', valid.enableSimpleResponses),
    ...optional('jwtConfiguration', valid.jwtConfiguration),
    ...optional('openapi', keptSchemeOf(scheme, Object.keys(HttpAuthorizerDocSchema.properties), [])),
  };
}
