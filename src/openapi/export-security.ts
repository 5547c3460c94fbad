// Authorization back to OpenAPI: a security requirement per operation, and the security
// schemes it names (authorizers, the API key, SigV4) in components.securitySchemes.
import type { Api } from '../model/api.js';
import { isObject, listOf, omit, optional, stringOf, type JsonObject } from './values.js';
import { AUTHORIZER_EXTENSION, AUTHTYPE_EXTENSION } from './extensions.js';

export const API_KEY_SCHEME = 'api_key';
export const SIGV4_SCHEME = 'sigv4';
const API_KEY_SCHEME_DOC = { type: 'apiKey', name: 'x-api-key', in: 'header' };
const SIGV4_SCHEME_DOC = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  [AUTHTYPE_EXTENSION]: 'awsSigv4',
};

export interface Authorized {
  authorizationType: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
}

/** Authorizer id → the scheme name it is exported under. */
export function authorizerNames(api: Api): Map<string, string> {
  const names = new Map<string, string>();
  for (const authorizer of api.authorizers ?? []) {
    const id = stringOf(api.protocolType === 'REST' ? authorizer.id : authorizer.authorizerId);
    if (id !== undefined) names.set(id, stringOf(authorizer.name) ?? id);
  }
  return names;
}

/** The operation's `security`: the modeled requirement first, then any kept from the document. */
export function securityOf(
  target: Authorized,
  kept: unknown,
  names: Map<string, string>,
  protocol: 'REST' | 'HTTP',
): unknown[] | undefined {
  const requirement: Record<string, string[]> = {};
  const authorizer =
    target.authorizerId === undefined ? undefined : (names.get(target.authorizerId) ?? target.authorizerId);
  if (
    authorizer !== undefined &&
    target.authorizationType !== 'NONE' &&
    target.authorizationType !== 'AWS_IAM'
  ) {
    requirement[authorizer] = target.authorizationScopes ?? [];
  }
  // HTTP APIs write IAM as x-amazon-apigateway-auth, and have no API keys.
  if (protocol === 'REST' && target.authorizationType === 'AWS_IAM') requirement[SIGV4_SCHEME] = [];
  if (protocol === 'REST' && target.apiKeyRequired) requirement[API_KEY_SCHEME] = [];
  const result = [...(Object.keys(requirement).length > 0 ? [requirement] : []), ...listOf(kept)];
  return result.length > 0 ? result : undefined;
}

/** components.securitySchemes: kept schemes, authorizers, and the API key / SigV4 schemes when used. */
export function securitySchemesOf(
  api: Api,
  kept: unknown,
  uses: { apiKey: boolean; sigv4: boolean },
): JsonObject {
  const schemes: JsonObject = isObject(kept) ? { ...kept } : {};
  for (const authorizer of api.authorizers ?? []) {
    const name =
      stringOf(authorizer.name) ??
      stringOf(authorizer.id) ??
      stringOf(authorizer.authorizerId) ??
      'authorizer';
    schemes[name] = api.protocolType === 'REST' ? restSchemeOf(authorizer) : httpSchemeOf(authorizer);
  }
  if (uses.apiKey) schemes[API_KEY_SCHEME] = { ...API_KEY_SCHEME_DOC };
  if (uses.sigv4) schemes[SIGV4_SCHEME] = { ...SIGV4_SCHEME_DOC };
  return schemes;
}

function keptParts(authorizer: JsonObject): { scheme: JsonObject; extension: JsonObject } {
  const kept = isObject(authorizer.openapi) ? authorizer.openapi : {};
  const extension = kept[AUTHORIZER_EXTENSION];
  return { scheme: omit(kept, [AUTHORIZER_EXTENSION]), extension: isObject(extension) ? extension : {} };
}

function restSchemeOf(authorizer: JsonObject): JsonObject {
  const { scheme, extension } = keptParts(authorizer);
  const source = stringOf(authorizer.identitySource);
  const header = source?.match(/^method\.request\.header\.(.+)$/)?.[1];
  return {
    type: 'apiKey',
    name: header ?? 'Authorization',
    in: 'header',
    ...scheme,
    ...optional(AUTHTYPE_EXTENSION, authorizer.authType),
    [AUTHORIZER_EXTENSION]: {
      type: stringOf(authorizer.type)?.toLowerCase(),
      ...optional('authorizerUri', authorizer.authorizerUri),
      ...optional('authorizerCredentials', authorizer.authorizerCredentials),
      ...optional('identitySource', authorizer.identitySource),
      ...optional('identityValidationExpression', authorizer.identityValidationExpression),
      ...optional('authorizerResultTtlInSeconds', authorizer.authorizerResultTtlInSeconds),
      ...optional('providerARNs', authorizer.providerARNs),
      ...extension,
    },
  };
}

function httpSchemeOf(authorizer: JsonObject): JsonObject {
  const { scheme, extension } = keptParts(authorizer);
  const type = stringOf(authorizer.authorizerType)?.toLowerCase();
  const base =
    type === 'jwt' ? { type: 'oauth2', flows: {} } : { type: 'apiKey', name: 'Authorization', in: 'header' };
  const sources = authorizer.identitySource;
  return {
    ...base,
    ...scheme,
    [AUTHORIZER_EXTENSION]: {
      type,
      ...optional('authorizerUri', authorizer.authorizerUri),
      ...optional('authorizerCredentials', authorizer.authorizerCredentialsArn),
      ...optional('identitySource', Array.isArray(sources) ? sources.join(', ') : sources),
      ...optional('authorizerResultTtlInSeconds', authorizer.authorizerResultTtlInSeconds),
      ...optional('authorizerPayloadFormatVersion', authorizer.authorizerPayloadFormatVersion),
      ...optional('enableSimpleResponses', authorizer.enableSimpleResponses),
      ...optional('jwtConfiguration', authorizer.jwtConfiguration),
      ...extension,
    },
  };
}
