// A REST API → an OpenAPI 3 document: a path item per resource, an operation per method.
import type { Method, RestApi } from '../model/rest-api.js';
import { ImportContext } from './import-context.js';
import { METHOD_KEYS } from './import-paths.js';
import { restIntegrationDocOf } from './export-integration.js';
import { parametersFor, requestBodyFor, responsesFor, type Lookup } from './export-operation.js';
import { componentsOf, documentOf, keptPathItems, type ExportOptions } from './export-root.js';
import { authorizerNames, securityOf, securitySchemesOf } from './export-security.js';
import { isObject, nonEmpty, omit, optional, stringOf, type JsonObject } from './values.js';
import {
  ANY_METHOD_KEY,
  ENDPOINT_CONFIGURATION_EXTENSION,
  INTEGRATION_EXTENSION,
  REQUEST_VALIDATOR_EXTENSION,
  REST_ROOT_EXTENSIONS as X,
} from './extensions.js';

const DOCUMENT_KEY_OF: Record<string, string> = Object.fromEntries(
  Object.entries(METHOD_KEYS).map(([key, method]) => [method, key]),
);

export function exportRestApi(api: RestApi, opts: ExportOptions): JsonObject {
  const methods = api.resources.flatMap((resource) => Object.values(resource.resourceMethods));
  const keptComponents = isObject(api.openapi?.components) ? api.openapi.components : {};
  const components = componentsOf(api, {
    schemas: schemasOf(api),
    securitySchemes: securitySchemesOf(api, keptComponents.securitySchemes, {
      apiKey: methods.some((m) => m.apiKeyRequired),
      sigv4: methods.some((m) => m.authorizationType === 'AWS_IAM'),
    }),
  });
  const lookup: Lookup = {
    ctx: new ImportContext({ components }, false),
    models: new Set((api.models ?? []).map((model) => String(model.name))),
  };
  return documentOf(api, opts, { paths: pathsOf(api, lookup), components, extensions: extensionsOf(api) });
}

function pathsOf(api: RestApi, lookup: Lookup): JsonObject {
  const keptItems = keptPathItems(api);
  const parents = new Set(api.resources.map((resource) => resource.parentId));
  const names = authorizerNames(api);
  const validators = new Map((api.requestValidators ?? []).map((v) => [stringOf(v.id), stringOf(v.name)]));
  const paths: JsonObject = {};
  for (const resource of api.resources) {
    const kept = keptItems[resource.path];
    const item: JsonObject = isObject(kept) ? { ...kept } : {};
    for (const method of Object.values(resource.resourceMethods)) {
      const context = { names, validators, lookup, sharedParameters: item.parameters };
      item[DOCUMENT_KEY_OF[method.httpMethod] ?? ANY_METHOD_KEY] = operationOf(method, context);
    }
    // Intermediate resources come back from their children's paths; a leaf needs its own.
    const leaf = !parents.has(resource.id) && resource.path !== '/';
    if (Object.keys(item).length > 0 || leaf) paths[resource.path] = item;
  }
  return paths;
}

interface OperationContext {
  names: Map<string, string>;
  validators: Map<string | undefined, string | undefined>;
  lookup: Lookup;
  sharedParameters: unknown;
}

function operationOf(method: Method, context: OperationContext): JsonObject {
  const kept = method.openapi ?? {};
  const rest = omit(kept, [INTEGRATION_EXTENSION, 'security', 'parameters', 'requestBody', 'responses']);
  const validator =
    method.requestValidatorId === undefined
      ? undefined
      : (context.validators.get(method.requestValidatorId) ?? method.requestValidatorId);
  return {
    ...optional('operationId', method.operationName),
    ...rest,
    ...optional(
      'parameters',
      parametersFor(method, kept.parameters, context.sharedParameters, context.lookup),
    ),
    ...optional('requestBody', requestBodyFor(method, kept.requestBody, context.lookup)),
    ...optional('responses', responsesFor(method, kept.responses, context.lookup)),
    ...optional('security', securityOf(method, kept.security, context.names, 'REST')),
    ...optional(REQUEST_VALIDATOR_EXTENSION, validator),
    ...optional(
      INTEGRATION_EXTENSION,
      method.methodIntegration
        ? restIntegrationDocOf(method.methodIntegration, kept[INTEGRATION_EXTENSION])
        : undefined,
    ),
  };
}

function schemasOf(api: RestApi): JsonObject {
  const schemas: JsonObject = {};
  for (const model of api.models ?? []) {
    const name = stringOf(model.name);
    if (name === undefined) continue;
    schemas[name] = typeof model.schema === 'string' ? parseOr(model.schema) : (model.schema ?? {});
  }
  return schemas;
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function extensionsOf(api: RestApi): JsonObject {
  const endpoint = nonEmpty({
    ...api.endpointConfiguration,
    ...optional('disableExecuteApiEndpoint', api.disableExecuteApiEndpoint),
  });
  return {
    ...optional(X.binaryMediaTypes, nonEmpty(api.binaryMediaTypes)),
    ...optional(X.apiKeySource, api.apiKeySource === 'HEADER' ? undefined : api.apiKeySource),
    ...optional(X.minimumCompressionSize, api.minimumCompressionSize),
    ...optional(X.policy, api.policy === undefined ? undefined : parseOr(api.policy)),
    ...optional(ENDPOINT_CONFIGURATION_EXTENSION, endpoint),
    ...optional(X.gatewayResponses, api.gatewayResponses),
    ...optional(X.requestValidators, validatorsOf(api)),
  };
}

function validatorsOf(api: RestApi): JsonObject | undefined {
  const result: JsonObject = {};
  for (const validator of api.requestValidators ?? []) {
    const name = stringOf(validator.name) ?? stringOf(validator.id);
    if (name !== undefined) result[name] = omit(validator, ['id', 'name']);
  }
  return nonEmpty(result);
}
