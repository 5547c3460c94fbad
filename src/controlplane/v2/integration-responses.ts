// v2 IntegrationResponses of an integration: Create, Get, GetAll, Update, Delete. Stored on the
// integration and returned as given; AWS uses them for WebSocket APIs, and the HTTP API data
// plane does not read them.
import type { HttpIntegration } from '../../model/http-api.js';
import { newId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import { optionalString, optionalStringMap, requiredString, type Body } from '../body-fields.js';
import { invalidIntegrationResponseId } from './identifiers.js';
import { findIntegration } from './integrations.js';

type IntegrationResponse = Record<string, unknown>;

const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'];

function integrationResponseResource(response: IntegrationResponse): Record<string, unknown> {
  return defined({
    contentHandlingStrategy: response['contentHandlingStrategy'],
    integrationResponseId: response['integrationResponseId'],
    integrationResponseKey: response['integrationResponseKey'],
    responseParameters: response['responseParameters'],
    responseTemplates: response['responseTemplates'],
    templateSelectionExpression: response['templateSelectionExpression'],
  });
}

function findResponse(integration: HttpIntegration, id: string): IntegrationResponse {
  const found = integration.integrationResponses?.find(
    (response) => response['integrationResponseId'] === id,
  );
  if (!found) throw invalidIntegrationResponseId(id);
  return found;
}

function applyFields(response: IntegrationResponse, body: Body): void {
  const key = optionalString(body, 'integrationResponseKey');
  if (key !== undefined) response['integrationResponseKey'] = key;
  const strategy = optionalString(body, 'contentHandlingStrategy');
  if (strategy !== undefined && !CONTENT_HANDLING.includes(strategy)) {
    throw badRequest(
      `Invalid contentHandlingStrategy ${strategy}: it must be ${CONTENT_HANDLING.join(' or ')}`,
    );
  }
  const fields = {
    contentHandlingStrategy: strategy,
    responseParameters: optionalStringMap(body, 'responseParameters'),
    responseTemplates: optionalStringMap(body, 'responseTemplates'),
    templateSelectionExpression: optionalString(body, 'templateSelectionExpression'),
  };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) response[name] = value;
}

async function create(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  requiredString(body, 'integrationResponseKey');
  const response = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const integration = findIntegration(api, request.params['integrationId']!);
    const response: IntegrationResponse = { integrationResponseId: newId(6) };
    applyFields(response, body);
    (integration.integrationResponses ??= []).push(response);
    return response;
  });
  return { status: 201, body: integrationResponseResource(response) };
}

const BASE = '/v2/apis/:apiId/integrations/:integrationId/integrationresponses';

export function registerIntegrationResponses(routes: AdminRoutes): void {
  routes
    .add('POST', BASE, create)
    .add('GET', BASE, async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      const integration = findIntegration(api, request.params['integrationId']!);
      const all = (integration.integrationResponses ?? []).map(integrationResponseResource);
      return { status: 200, body: v2List(request, all) };
    })
    .add('GET', `${BASE}/:integrationResponseId`, async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      const integration = findIntegration(api, request.params['integrationId']!);
      const response = findResponse(integration, request.params['integrationResponseId']!);
      return { status: 200, body: integrationResponseResource(response) };
    })
    .add('PATCH', `${BASE}/:integrationResponseId`, async (request, ctx) => {
      const body = jsonBody(request);
      const response = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const integration = findIntegration(api, request.params['integrationId']!);
        const response = findResponse(integration, request.params['integrationResponseId']!);
        applyFields(response, body);
        return response;
      });
      return { status: 200, body: integrationResponseResource(response) };
    })
    .add('DELETE', `${BASE}/:integrationResponseId`, async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const integration = findIntegration(api, request.params['integrationId']!);
        const response = findResponse(integration, request.params['integrationResponseId']!);
        integration.integrationResponses = integration.integrationResponses!.filter(
          (other) => other !== response,
        );
        if (integration.integrationResponses.length === 0) delete integration.integrationResponses;
      });
      return { status: 204 };
    });
}
