// REST API root extensions: binary media types, API key source, compression, resource
// policy, gateway responses, request validators, and models from component schemas.
import { gatewayResponseProblems } from '../features/gateway-responses/index.js';
import { GATEWAY_RESPONSE_TYPES } from '../dataplane/gateway-responses.js';
import {
  ApiKeySourceSchema,
  BinaryMediaTypesSchema,
  GatewayResponseDocSchema,
  MinimumCompressionSizeSchema,
  RequestValidatorDocSchema,
} from './document-schemas.js';
import type { ImportContext } from './import-context.js';
import { pointer, unescapeSegment } from './pointer.js';
import { isObject, nonEmpty, optional, stringOf, type JsonObject } from './values.js';
import { REST_ROOT_EXTENSIONS } from './extensions.js';

const X = REST_ROOT_EXTENSIONS;
export const MODEL_CONTENT_TYPE = 'application/json';

export interface RestRoot {
  binaryMediaTypes: string[];
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  minimumCompressionSize?: number;
  policy?: string;
  gatewayResponses?: Record<string, JsonObject>;
  requestValidators?: JsonObject[];
  models?: JsonObject[];
}

export function restRootOf(ctx: ImportContext): RestRoot {
  return {
    binaryMediaTypes: binaryMediaTypesOf(ctx),
    apiKeySource: apiKeySourceOf(ctx),
    ...optional('minimumCompressionSize', minimumCompressionSizeOf(ctx)),
    ...optional('policy', policyOf(ctx)),
    ...optional('gatewayResponses', gatewayResponsesOf(ctx)),
    ...optional('requestValidators', requestValidatorsOf(ctx)),
    ...optional('models', modelsOf(ctx)),
  };
}

function binaryMediaTypesOf(ctx: ImportContext): string[] {
  const raw = ctx.doc[X.binaryMediaTypes];
  if (raw === undefined || !ctx.check(BinaryMediaTypesSchema, raw, pointer('', X.binaryMediaTypes)))
    return [];
  // AWS writes media types JSON-pointer escaped (application~1octet-stream) in its own exports.
  return (raw as string[]).map(unescapeSegment);
}

function apiKeySourceOf(ctx: ImportContext): 'HEADER' | 'AUTHORIZER' {
  const raw = ctx.doc[X.apiKeySource];
  const at = pointer('', X.apiKeySource);
  const value = typeof raw === 'string' ? raw.toUpperCase() : raw;
  if (value === undefined || !ctx.check(ApiKeySourceSchema, value, at)) return 'HEADER';
  if (value === 'AUTHORIZER') ctx.notYetEnforced(at, 'apiKeySourceAuthorizer');
  return value as 'HEADER' | 'AUTHORIZER';
}

function minimumCompressionSizeOf(ctx: ImportContext): number | undefined {
  const raw = ctx.doc[X.minimumCompressionSize];
  const at = pointer('', X.minimumCompressionSize);
  if (raw === undefined || !ctx.check(MinimumCompressionSizeSchema, raw, at)) return undefined;
  ctx.notYetEnforced(at, 'compression');
  return raw as number;
}

/** Stored as a JSON string, as AWS stores it; written canonically so export and import agree. */
function policyOf(ctx: ImportContext): string | undefined {
  const raw = ctx.doc[X.policy];
  const at = pointer('', X.policy);
  if (raw === undefined) return undefined;
  let policy: unknown = raw;
  if (typeof raw === 'string') {
    try {
      policy = JSON.parse(raw);
    } catch {
      policy = undefined;
    }
  }
  if (!isObject(policy))
    return void ctx.problem(`${at}: must be an IAM policy document (an object, or a string of JSON)`);
  ctx.notYetEnforced(at, 'resourcePolicy');
  return JSON.stringify(policy);
}

function gatewayResponsesOf(ctx: ImportContext): Record<string, JsonObject> | undefined {
  const raw = ctx.doc[X.gatewayResponses];
  const at = pointer('', X.gatewayResponses);
  if (raw === undefined) return undefined;
  if (!isObject(raw)) return void ctx.problem(`${at}: must be an object keyed by gateway response type`);
  const result: Record<string, JsonObject> = {};
  for (const [type, response] of Object.entries(raw)) {
    const typeAt = pointer(at, type);
    if (!(type in GATEWAY_RESPONSE_TYPES)) {
      ctx.problem(
        `${typeAt}: unknown gateway response type; must be one of ${Object.keys(GATEWAY_RESPONSE_TYPES).join(', ')}`,
      );
      continue;
    }
    const doc =
      isObject(response) && typeof response.statusCode === 'number'
        ? { ...response, statusCode: String(response.statusCode) }
        : response;
    if (ctx.check(GatewayResponseDocSchema, doc, typeAt)) result[type] = doc as JsonObject;
  }
  const problems = gatewayResponseProblems(result, at);
  problems.forEach((line) => ctx.problem(line));
  return problems.length > 0 ? undefined : nonEmpty(result);
}

function requestValidatorsOf(ctx: ImportContext): JsonObject[] | undefined {
  const raw = ctx.doc[X.requestValidators];
  const at = pointer('', X.requestValidators);
  if (raw === undefined) return undefined;
  if (!isObject(raw)) return void ctx.problem(`${at}: must be an object keyed by validator name`);
  const result: JsonObject[] = [];
  for (const [name, validator] of Object.entries(raw)) {
    if (!ctx.check(RequestValidatorDocSchema, validator, pointer(at, name))) continue;
    const doc = validator as JsonObject;
    result.push({
      id: name,
      name,
      ...doc,
      validateRequestBody: doc.validateRequestBody === true,
      validateRequestParameters: doc.validateRequestParameters === true,
    });
  }
  return nonEmpty(result);
}

/** The validator a method uses: its own, else the document's default. */
export function requestValidatorIdOf(
  ctx: ImportContext,
  operation: JsonObject,
  at: string,
  known: RestRoot,
): string | undefined {
  const own = X.requestValidator in operation;
  const raw = own ? operation[X.requestValidator] : ctx.doc[X.requestValidator];
  if (raw === undefined) return undefined;
  const where = own ? pointer(at, X.requestValidator) : pointer('', X.requestValidator);
  const name = stringOf(raw);
  if (name === undefined || !known.requestValidators?.some((validator) => validator.id === name)) {
    return void ctx.problem(`${where}: ${JSON.stringify(raw)} is not defined in /${X.requestValidators}`);
  }
  ctx.notYetEnforced(where, 'requestValidation');
  return name;
}

function modelsOf(ctx: ImportContext): JsonObject[] | undefined {
  const components = ctx.doc.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  if (!isObject(schemas)) return undefined;
  const result: JsonObject[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema)) {
      ctx.problem(`${pointer(ctx.componentPointer('schemas'), name)}: must be a JSON schema object`);
      continue;
    }
    result.push({ id: name, name, contentType: MODEL_CONTENT_TYPE, schema: JSON.stringify(schema) });
  }
  return nonEmpty(result);
}
