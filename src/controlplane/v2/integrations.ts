// v2 Integrations: CreateIntegration, GetIntegration(s), UpdateIntegration, DeleteIntegration.
// HTTP APIs take HTTP_PROXY (to a URL) and AWS_PROXY (to a Lambda function) integrations.
import { DEFAULT_HTTP_API_TIMEOUT_MS, type HttpApi, type HttpIntegration } from '../../model/http-api.js';
import { newIntegrationId } from '../../model/ids.js';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { AdminError, badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import {
  assign,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringMap,
  requiredString,
  type Body,
} from '../body-fields.js';
import { invalidIntegrationId } from './identifiers.js';

const HTTP_API_INTEGRATION_TYPES = ['HTTP_PROXY', 'AWS_PROXY'] as const;

export function integrationResource(integration: HttpIntegration): Record<string, unknown> {
  return defined({
    connectionId: integration.connectionId,
    connectionType: integration.connectionType ?? 'INTERNET',
    credentialsArn: integration.credentialsArn,
    description: integration.description,
    integrationId: integration.integrationId,
    integrationMethod: integration.integrationMethod,
    integrationSubtype: integration.integrationSubtype,
    integrationType: integration.integrationType,
    integrationUri: integration.integrationUri,
    payloadFormatVersion: integration.payloadFormatVersion,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    responseParameters: integration.responseParameters,
    timeoutInMillis: integration.timeoutInMillis,
    tlsConfig: integration.tlsConfig,
  });
}

export function findIntegration(api: HttpApi, integrationId: string): HttpIntegration {
  const integration = api.integrations.find((candidate) => candidate.integrationId === integrationId);
  if (!integration) throw invalidIntegrationId(integrationId);
  return integration;
}

function responseParametersOf(body: Body): Record<string, Record<string, string>> | undefined {
  const value = optionalObject(body, 'responseParameters');
  if (value === undefined) return undefined;
  for (const [status, mapping] of Object.entries(value)) {
    if (!/^[1-5]\d\d$/.test(status)) {
      throw badRequest(`Invalid responseParameters: ${status} is not a status code from 100 to 599`);
    }
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
      throw badRequest(`Invalid responseParameters: the value of ${status} must be an object`);
    }
    optionalStringMap(value, status);
  }
  return value as Record<string, Record<string, string>>;
}

/** Applies the body's fields to `integration`, then checks the whole as AWS does. */
function applyIntegrationFields(integration: HttpIntegration, body: Body): void {
  const integrationType = optionalString(body, 'integrationType');
  if (integrationType !== undefined) {
    if (!(HTTP_API_INTEGRATION_TYPES as readonly string[]).includes(integrationType)) {
      throw badRequest(
        `Invalid integrationType ${integrationType}: HTTP APIs support ${HTTP_API_INTEGRATION_TYPES.join(' and ')}`,
      );
    }
    integration.integrationType = integrationType as HttpIntegration['integrationType'];
  }
  const connectionType = optionalString(body, 'connectionType');
  if (connectionType === 'VPC_LINK') {
    throw new AdminError(
      'NotImplementedException',
      'Gatehouse has no VPC links: integrations connect directly (connectionType INTERNET)',
    );
  }
  if (connectionType !== undefined && connectionType !== 'INTERNET') {
    throw badRequest(`Invalid connectionType ${connectionType}: it must be INTERNET or VPC_LINK`);
  }
  assign(integration, 'connectionType', connectionType);
  const payloadFormatVersion = optionalString(body, 'payloadFormatVersion');
  if (
    payloadFormatVersion !== undefined &&
    payloadFormatVersion !== '1.0' &&
    payloadFormatVersion !== '2.0'
  ) {
    throw badRequest(`Invalid payloadFormatVersion ${payloadFormatVersion}: it must be 1.0 or 2.0`);
  }
  assign(integration, 'payloadFormatVersion', payloadFormatVersion);
  assign(integration, 'integrationUri', optionalString(body, 'integrationUri'));
  assign(integration, 'integrationMethod', optionalString(body, 'integrationMethod')?.toUpperCase());
  assign(integration, 'integrationSubtype', optionalString(body, 'integrationSubtype'));
  assign(integration, 'credentialsArn', optionalString(body, 'credentialsArn'));
  assign(integration, 'description', optionalString(body, 'description'));
  assign(
    integration,
    'timeoutInMillis',
    optionalInteger(body, 'timeoutInMillis', MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
  );
  assign(integration, 'requestParameters', optionalStringMap(body, 'requestParameters'));
  assign(integration, 'requestTemplates', optionalStringMap(body, 'requestTemplates'));
  assign(integration, 'responseParameters', responseParametersOf(body));
  assign(integration, 'tlsConfig', optionalObject(body, 'tlsConfig'));
  checkIntegration(integration);
}

function checkIntegration(integration: HttpIntegration): void {
  if (integration.integrationType === 'HTTP_PROXY') {
    if (integration.payloadFormatVersion !== '1.0') {
      throw badRequest('HTTP_PROXY integrations support payloadFormatVersion 1.0 only');
    }
    if (integration.integrationUri === undefined || !/^https?:\/\//i.test(integration.integrationUri)) {
      throw badRequest('integrationUri is required: an HTTP or HTTPS URL for an HTTP_PROXY integration');
    }
    if (integration.integrationMethod === undefined) {
      throw badRequest('integrationMethod is required for an HTTP_PROXY integration');
    }
    return;
  }
  if (integration.integrationSubtype === undefined && integration.integrationUri === undefined) {
    throw badRequest('integrationUri is required: a Lambda function ARN for an AWS_PROXY integration');
  }
}

async function createIntegration(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const integrationType = requiredString(body, 'integrationType');
  const integration = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const integration: HttpIntegration = {
      integrationId: newIntegrationId(),
      integrationType: 'HTTP_PROXY',
      // AWS's defaults: Lambda proxies speak 2.0, HTTP proxies 1.0 (the only version they take).
      payloadFormatVersion: integrationType === 'AWS_PROXY' ? '2.0' : '1.0',
      timeoutInMillis: DEFAULT_HTTP_API_TIMEOUT_MS,
      ...(integrationType === 'AWS_PROXY' && { integrationMethod: 'POST' }),
    };
    applyIntegrationFields(integration, body);
    api.integrations.push(integration);
    return integration;
  });
  return { status: 201, body: integrationResource(integration) };
}

async function updateIntegration(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const integration = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const integration = findIntegration(api, request.params['integrationId']!);
    applyIntegrationFields(integration, body);
    return integration;
  });
  return { status: 200, body: integrationResource(integration) };
}

export function registerIntegrations(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/integrations', createIntegration)
    .add('GET', '/v2/apis/:apiId/integrations', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: v2List(request, api.integrations.map(integrationResource)) };
    })
    .add('GET', '/v2/apis/:apiId/integrations/:integrationId', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return {
        status: 200,
        body: integrationResource(findIntegration(api, request.params['integrationId']!)),
      };
    })
    .add('PATCH', '/v2/apis/:apiId/integrations/:integrationId', updateIntegration)
    .add('DELETE', '/v2/apis/:apiId/integrations/:integrationId', async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const integration = findIntegration(api, request.params['integrationId']!);
        const target = `integrations/${integration.integrationId}`;
        const users = api.routes.filter((route) => route.target === target).map((route) => route.routeKey);
        if (users.length > 0) {
          throw conflict(
            `Integration ${integration.integrationId} is the target of route(s) ${users.join(', ')}; change or delete them first`,
          );
        }
        api.integrations = api.integrations.filter((other) => other !== integration);
      });
      return { status: 204 };
    });
}
