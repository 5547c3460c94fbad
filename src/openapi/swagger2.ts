// Swagger 2.0 documents are upgraded to OpenAPI 3 shape before import, so the importer reads
// one shape and what Gatehouse keeps for export is already OpenAPI 3. Paths, operations and
// every x-amazon-apigateway-* extension keep their place, so pointers in problems still match
// the user's file there.
import { rewriteRefs } from './refs.js';
import { clone, isObject, listOf, omit, type JsonObject } from './values.js';

/** Schema keywords a Swagger 2.0 parameter or header carries itself rather than in `schema`. */
export const SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
];
/** Swagger 2.0's collectionFormat and the OpenAPI 3 style/explode pair each one stands for. */
export const COLLECTION_FORMATS: Record<string, JsonObject> = {
  csv: { style: 'form', explode: false },
  ssv: { style: 'spaceDelimited', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
  multi: { style: 'form', explode: true },
};
const OPERATION_KEYS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'x-amazon-apigateway-any-method',
];
const OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};

interface Defaults {
  consumes: string[];
  produces: string[];
  /** Root `parameters`, to tell a reference to a body parameter from one to an ordinary one. */
  parameters: JsonObject;
}

export function upgradeSwagger2(source: JsonObject): JsonObject {
  const defaults: Defaults = {
    consumes: mediaTypes(source.consumes),
    produces: mediaTypes(source.produces),
    parameters: isObject(source.parameters) ? source.parameters : {},
  };
  const upgraded: JsonObject = { openapi: '3.0.1' };
  for (const [key, value] of Object.entries(source)) {
    if (key === 'swagger') continue;
    if (['host', 'basePath', 'schemes', 'consumes', 'produces'].includes(key)) continue;
    if (['definitions', 'parameters', 'responses', 'securityDefinitions'].includes(key)) continue;
    upgraded[key] = key === 'paths' && isObject(value) ? upgradePaths(value, defaults) : clone(value);
  }
  const servers = serversOf(source);
  if (servers) upgraded.servers = servers;
  const components = componentsOf(source, defaults);
  if (Object.keys(components).length > 0) upgraded.components = components;
  return rewriteRefs(upgraded, REF_PREFIXES) as JsonObject;
}

function mediaTypes(value: unknown): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0
    ? value
    : ['application/json'];
}

function serversOf(source: JsonObject): JsonObject[] | undefined {
  const basePath = typeof source.basePath === 'string' ? source.basePath : '';
  if (typeof source.host !== 'string') return basePath ? [{ url: basePath }] : undefined;
  const schemes = Array.isArray(source.schemes) && source.schemes.length > 0 ? source.schemes : ['https'];
  return schemes.map((scheme) => ({ url: `${String(scheme)}://${source.host as string}${basePath}` }));
}

function componentsOf(source: JsonObject, defaults: Defaults): JsonObject {
  const components: JsonObject = {};
  if (isObject(source.definitions)) components.schemas = clone(source.definitions);
  const parameters: JsonObject = {};
  const requestBodies: JsonObject = {};
  for (const [name, parameter] of Object.entries(defaults.parameters)) {
    if (isObject(parameter) && parameter.in === 'body')
      requestBodies[name] = bodyOf(parameter, defaults.consumes);
    else if (isObject(parameter)) parameters[name] = upgradeParameter(parameter);
  }
  if (Object.keys(parameters).length > 0) components.parameters = parameters;
  if (Object.keys(requestBodies).length > 0) components.requestBodies = requestBodies;
  if (isObject(source.responses))
    components.responses = upgradeResponses(source.responses, defaults.produces);
  if (isObject(source.securityDefinitions)) {
    const schemes: JsonObject = {};
    for (const [name, scheme] of Object.entries(source.securityDefinitions))
      schemes[name] = upgradeScheme(scheme);
    components.securitySchemes = schemes;
  }
  return components;
}

function upgradePaths(paths: JsonObject, defaults: Defaults): JsonObject {
  const result: JsonObject = {};
  for (const [path, item] of Object.entries(paths)) {
    result[path] = isObject(item) ? upgradePathItem(item, defaults) : clone(item);
  }
  return result;
}

function upgradePathItem(item: JsonObject, defaults: Defaults): JsonObject {
  const shared = listOf(item.parameters);
  // A body or form parameter shared by a whole path item becomes each operation's request body.
  const sharedBodies = shared.filter((p) => isBodyLike(p, defaults));
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters' && Array.isArray(value)) {
      const plain = value.filter((p) => !isBodyLike(p, defaults));
      if (plain.length > 0) result.parameters = plain.map((p) => upgradeParameterOrRef(p));
    } else if (OPERATION_KEYS.includes(key) && isObject(value)) {
      result[key] = upgradeOperation(value, sharedBodies, defaults);
    } else {
      result[key] = clone(value);
    }
  }
  return result;
}

function isBodyLike(parameter: unknown, defaults: Defaults): boolean {
  if (!isObject(parameter)) return false;
  const target = typeof parameter.$ref === 'string' ? rootParameter(parameter.$ref, defaults) : parameter;
  return isObject(target) && (target.in === 'body' || target.in === 'formData');
}

function rootParameter(ref: string, defaults: Defaults): unknown {
  return ref.startsWith('#/parameters/') ? defaults.parameters[ref.slice('#/parameters/'.length)] : undefined;
}

function upgradeOperation(operation: JsonObject, sharedBodies: unknown[], defaults: Defaults): JsonObject {
  const consumes = Array.isArray(operation.consumes) ? mediaTypes(operation.consumes) : defaults.consumes;
  const produces = Array.isArray(operation.produces) ? mediaTypes(operation.produces) : defaults.produces;
  const own = listOf(operation.parameters);
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(omit(operation, ['consumes', 'produces']))) {
    if (key === 'parameters') {
      const plain = own.filter((p) => !isBodyLike(p, defaults));
      if (plain.length > 0) result.parameters = plain.map((p) => upgradeParameterOrRef(p));
      const body = requestBodyOf(
        [...sharedBodies, ...own.filter((p) => isBodyLike(p, defaults))],
        consumes,
        defaults,
      );
      if (body) result.requestBody = body;
    } else if (key === 'responses' && isObject(value)) {
      result.responses = upgradeResponses(value, produces);
    } else {
      result[key] = clone(value);
    }
  }
  if (!('parameters' in operation) && sharedBodies.length > 0) {
    const body = requestBodyOf(sharedBodies, consumes, defaults);
    if (body) result.requestBody = body;
  }
  return result;
}

function requestBodyOf(
  parameters: unknown[],
  consumes: string[],
  defaults: Defaults,
): JsonObject | undefined {
  const body = parameters.find((p) => {
    const target = isObject(p) && typeof p.$ref === 'string' ? rootParameter(p.$ref, defaults) : p;
    return isObject(target) && target.in === 'body';
  });
  if (isObject(body) && typeof body.$ref === 'string') {
    return { $ref: body.$ref.replace('#/parameters/', '#/components/requestBodies/') };
  }
  if (isObject(body)) return bodyOf(body, consumes);
  const fields = parameters.filter((p): p is JsonObject => isObject(p) && p.in === 'formData');
  return fields.length > 0 ? formBodyOf(fields, consumes) : undefined;
}

function bodyOf(parameter: JsonObject, consumes: string[]): JsonObject {
  const content: JsonObject = {};
  for (const mediaType of consumes) content[mediaType] = { schema: clone(parameter.schema ?? {}) };
  return {
    ...(typeof parameter.description === 'string' ? { description: parameter.description } : {}),
    ...(parameter.required === true ? { required: true } : {}),
    content,
    ...extensionsOf(parameter),
  };
}

function formBodyOf(fields: JsonObject[], consumes: string[]): JsonObject {
  const properties: JsonObject = {};
  for (const field of fields) {
    properties[String(field.name)] = {
      ...schemaOf(field),
      ...(typeof field.description === 'string' ? { description: field.description } : {}),
    };
  }
  const required = fields.filter((f) => f.required === true).map((f) => String(f.name));
  const schema = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  const mediaType = consumes.includes('multipart/form-data')
    ? 'multipart/form-data'
    : 'application/x-www-form-urlencoded';
  return { content: { [mediaType]: { schema } } };
}

function upgradeParameterOrRef(parameter: unknown): unknown {
  return isObject(parameter) && !('$ref' in parameter) ? upgradeParameter(parameter) : clone(parameter);
}

function upgradeParameter(parameter: JsonObject): JsonObject {
  const rest = omit(parameter, [...SCHEMA_KEYS, 'collectionFormat']);
  const style =
    typeof parameter.collectionFormat === 'string'
      ? COLLECTION_FORMATS[parameter.collectionFormat]
      : undefined;
  return { ...clone(rest), ...(style ?? {}), schema: schemaOf(parameter) };
}

function schemaOf(source: JsonObject): JsonObject {
  const schema: JsonObject = {};
  for (const key of SCHEMA_KEYS) if (key in source) schema[key] = clone(source[key]);
  // OpenAPI 3 has no file type; an uploaded file is binary string content.
  if (schema.type === 'file') Object.assign(schema, { type: 'string', format: 'binary' });
  if (isObject(schema.items) && !('$ref' in schema.items))
    schema.items = schemaOf(omit(schema.items, ['collectionFormat']));
  return schema;
}

function upgradeResponses(responses: JsonObject, produces: string[]): JsonObject {
  const result: JsonObject = {};
  for (const [code, response] of Object.entries(responses)) {
    result[code] =
      isObject(response) && !('$ref' in response) ? upgradeResponse(response, produces) : clone(response);
  }
  return result;
}

function upgradeResponse(response: JsonObject, produces: string[]): JsonObject {
  const result: JsonObject = clone(omit(response, ['schema', 'headers', 'examples']));
  if (isObject(response.headers)) {
    const headers: JsonObject = {};
    for (const [name, header] of Object.entries(response.headers)) {
      headers[name] = isObject(header) ? upgradeHeader(header) : clone(header);
    }
    result.headers = headers;
  }
  if (response.schema !== undefined) {
    const examples = isObject(response.examples) ? response.examples : {};
    const content: JsonObject = {};
    for (const mediaType of produces) {
      content[mediaType] = {
        schema: clone(response.schema),
        ...(mediaType in examples ? { example: clone(examples[mediaType]) } : {}),
      };
    }
    result.content = content;
  }
  return result;
}

function upgradeHeader(header: JsonObject): JsonObject {
  return { ...clone(omit(header, [...SCHEMA_KEYS, 'collectionFormat'])), schema: schemaOf(header) };
}

function upgradeScheme(scheme: unknown): unknown {
  if (!isObject(scheme)) return clone(scheme);
  if (scheme.type === 'basic') return { ...clone(omit(scheme, ['type'])), type: 'http', scheme: 'basic' };
  if (scheme.type !== 'oauth2') return clone(scheme);
  const flowName = typeof scheme.flow === 'string' ? (OAUTH_FLOWS[scheme.flow] ?? scheme.flow) : 'implicit';
  const flow: JsonObject = { scopes: clone(scheme.scopes ?? {}) };
  if (scheme.authorizationUrl !== undefined) flow.authorizationUrl = scheme.authorizationUrl;
  if (scheme.tokenUrl !== undefined) flow.tokenUrl = scheme.tokenUrl;
  const rest = omit(scheme, ['flow', 'authorizationUrl', 'tokenUrl', 'scopes']);
  return { ...clone(rest), flows: { [flowName]: flow } };
}

function extensionsOf(source: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (key.startsWith('x-')) result[key] = clone(value);
  return result;
}

const REF_PREFIXES: [string, string][] = [
  ['#/definitions/', '#/components/schemas/'],
  ['#/parameters/', '#/components/parameters/'],
  ['#/responses/', '#/components/responses/'],
  ['#/securityDefinitions/', '#/components/securitySchemes/'],
];
