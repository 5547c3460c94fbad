// Integrations back to x-amazon-apigateway-integration, in the lower-case spelling AWS
// exports, with the fields Gatehouse kept from the original document put back.
import type { HttpIntegration } from '../model/http-api.js';
import type { Integration, IntegrationResponse } from '../model/rest-api.js';
import { DEFAULT_RESPONSE_KEY } from './import-rest-integration.js';
import { isObject, optional, type JsonObject } from './values.js';

export function restIntegrationDocOf(integration: Integration, kept: unknown): JsonObject {
  const extra = isObject(kept) ? kept : {};
  const { responses: keptResponses, ...keptRest } = extra;
  return {
    type: integration.type.toLowerCase(),
    ...optional('httpMethod', integration.httpMethod),
    ...optional('uri', integration.uri),
    ...optional('credentials', integration.credentials),
    ...optional('requestParameters', integration.requestParameters),
    ...optional('requestTemplates', integration.requestTemplates),
    ...optional('responses', responsesDocOf(integration.integrationResponses, keptResponses)),
    ...optional('passthroughBehavior', integration.passthroughBehavior?.toLowerCase()),
    ...optional('contentHandling', integration.contentHandling),
    timeoutInMillis: integration.timeoutInMillis,
    ...optional('cacheNamespace', integration.cacheNamespace),
    ...optional('cacheKeyParameters', integration.cacheKeyParameters),
    ...optional('connectionType', integration.connectionType),
    ...optional('connectionId', integration.connectionId),
    ...optional('tlsConfig', integration.tlsConfig),
    ...keptRest,
  };
}

/** Keyed by selection pattern; the response without one is `default`. */
function responsesDocOf(
  responses: Record<string, IntegrationResponse> | undefined,
  kept: unknown,
): JsonObject | undefined {
  if (!responses) return undefined;
  const keptByPattern = isObject(kept) ? kept : {};
  const result: JsonObject = {};
  for (const response of Object.values(responses)) {
    const key = response.selectionPattern ?? DEFAULT_RESPONSE_KEY;
    const extra = keptByPattern[key];
    result[key] = {
      statusCode: response.statusCode,
      ...optional('responseParameters', response.responseParameters),
      ...optional('responseTemplates', response.responseTemplates),
      ...optional('contentHandling', response.contentHandling),
      ...(isObject(extra) ? extra : {}),
    };
  }
  return result;
}

export function httpIntegrationDocOf(integration: HttpIntegration, kept: unknown): JsonObject {
  return {
    type: integration.integrationType.toLowerCase(),
    ...optional('httpMethod', integration.integrationMethod),
    ...optional('uri', integration.integrationUri),
    ...optional('integrationSubtype', integration.integrationSubtype),
    payloadFormatVersion: integration.payloadFormatVersion,
    ...optional('connectionType', integration.connectionType),
    ...optional('connectionId', integration.connectionId),
    ...optional('credentials', integration.credentialsArn),
    ...optional('description', integration.description),
    ...optional('requestParameters', integration.requestParameters),
    ...optional('requestTemplates', integration.requestTemplates),
    ...optional('responseParameters', integration.responseParameters),
    timeoutInMillis: integration.timeoutInMillis,
    ...optional('tlsConfig', integration.tlsConfig),
    ...(isObject(kept) ? kept : {}),
  };
}
