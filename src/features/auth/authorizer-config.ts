// Authorizer definitions as the API model stores them (the `apigateway` and `apigatewayv2`
// Authorizer shapes), read into typed settings. Anything the steps cannot work with is an
// AuthConfigurationError naming the authorizer.
import type { HttpApi } from '../../model/http-api.js';
import type { RestApi } from '../../model/rest-api.js';
import { AuthConfigurationError } from './errors.js';

export interface RestAuthorizerConfig {
  id: string;
  /** For messages: the name, else the id. */
  label: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';
  authorizerUri: string | undefined;
  identitySource: string | undefined;
  identityValidationExpression: string | undefined;
  ttlSeconds: number | undefined;
  providerARNs: string[];
}

export interface HttpAuthorizerConfig {
  id: string;
  label: string;
  type: 'REQUEST' | 'JWT';
  authorizerUri: string | undefined;
  identitySource: string[];
  ttlSeconds: number | undefined;
  payloadFormatVersion: '1.0' | '2.0' | undefined;
  enableSimpleResponses: boolean;
  issuer: string | undefined;
  audience: string[] | undefined;
}

export function restAuthorizerConfig(api: RestApi, id: string | undefined): RestAuthorizerConfig {
  const raw = findAuthorizer(api.authorizers, 'id', id);
  const label = labelOf(raw, id as string);
  const type = upper(raw['type']);
  if (type !== 'TOKEN' && type !== 'REQUEST' && type !== 'COGNITO_USER_POOLS') {
    throw new AuthConfigurationError(
      `authorizer "${label}" has type ${JSON.stringify(raw['type'])}; expected TOKEN, REQUEST or COGNITO_USER_POOLS`,
    );
  }
  return {
    id: id as string,
    label,
    type,
    authorizerUri: text(raw, 'authorizerUri', label),
    identitySource: text(raw, 'identitySource', label),
    identityValidationExpression: text(raw, 'identityValidationExpression', label),
    ttlSeconds: ttl(raw, label),
    providerARNs: textList(raw, 'providerARNs', label) ?? [],
  };
}

export function httpAuthorizerConfig(api: HttpApi, id: string | undefined): HttpAuthorizerConfig {
  const raw = findAuthorizer(api.authorizers, 'authorizerId', id);
  const label = labelOf(raw, id as string);
  const type = upper(raw['authorizerType']);
  if (type !== 'REQUEST' && type !== 'JWT') {
    throw new AuthConfigurationError(
      `authorizer "${label}" has type ${JSON.stringify(raw['authorizerType'])}; expected REQUEST or JWT`,
    );
  }
  const sources = raw['identitySource'];
  const version = raw['authorizerPayloadFormatVersion'];
  if (version !== undefined && version !== '1.0' && version !== '2.0') {
    throw new AuthConfigurationError(
      `authorizer "${label}" has authorizerPayloadFormatVersion ${JSON.stringify(version)}; expected "1.0" or "2.0"`,
    );
  }
  const simple = raw['enableSimpleResponses'];
  if (simple !== undefined && typeof simple !== 'boolean') {
    throw new AuthConfigurationError(`authorizer "${label}": enableSimpleResponses must be true or false`);
  }
  const jwt = raw['jwtConfiguration'];
  const jwtConfiguration = isRecord(jwt) ? jwt : {};
  return {
    id: id as string,
    label,
    type,
    authorizerUri: text(raw, 'authorizerUri', label),
    identitySource: typeof sources === 'string' ? [sources] : (textList(raw, 'identitySource', label) ?? []),
    ttlSeconds: ttl(raw, label),
    payloadFormatVersion: version,
    enableSimpleResponses: simple === true,
    issuer: text(jwtConfiguration, 'issuer', label),
    audience: textList(jwtConfiguration, 'audience', label),
  };
}

function findAuthorizer(
  authorizers: Record<string, unknown>[] | undefined,
  idField: string,
  id: string | undefined,
): Record<string, unknown> {
  if (id === undefined || id === '') {
    throw new AuthConfigurationError(
      'the method uses an authorizer but names none (authorizerId is missing)',
    );
  }
  const found = authorizers?.find((authorizer) => authorizer[idField] === id);
  if (found === undefined) {
    throw new AuthConfigurationError(`the method uses authorizer "${id}", which the API does not define`);
  }
  return found;
}

function labelOf(raw: Record<string, unknown>, id: string): string {
  return typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : id;
}

function upper(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toUpperCase() : undefined;
}

function text(raw: Record<string, unknown>, field: string, label: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new AuthConfigurationError(`authorizer "${label}": ${field} must be a string`);
  return value;
}

function textList(raw: Record<string, unknown>, field: string, label: string): string[] | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new AuthConfigurationError(`authorizer "${label}": ${field} must be a list of strings`);
  }
  return value;
}

function ttl(raw: Record<string, unknown>, label: string): number | undefined {
  const value = raw['authorizerResultTtlInSeconds'];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 3600) {
    throw new AuthConfigurationError(
      `authorizer "${label}": authorizerResultTtlInSeconds must be a whole number from 0 to 3600`,
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
