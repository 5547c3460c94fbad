// Quick create: CreateApi with `target` builds, as AWS does, an integration to the target (an
// HTTP URL → HTTP_PROXY, a Lambda function ARN → AWS_PROXY with payload 2.0), a route to it
// (`routeKey`, default `$default`) and a `$default` stage with autoDeploy, already deployed.
import { DEFAULT_STAGE } from '../../model/api.js';
import {
  DEFAULT_HTTP_API_TIMEOUT_MS,
  ROUTE_KEY_PATTERN,
  type HttpApi,
  type HttpIntegration,
} from '../../model/http-api.js';
import { newIntegrationId, newRouteId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest } from '../admin-errors.js';
import { AUTO_DEPLOYMENT_DESCRIPTION, deployToStage } from './deploying.js';
import { optionalString, type Body } from '../body-fields.js';

export interface QuickCreateTarget {
  target: string;
  routeKey: string;
  credentialsArn: string | undefined;
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:(lambda|apigateway):/;
const HTTP_URL = /^https?:\/\/[^/\s]+/i;

export function quickCreateTarget(body: Body): QuickCreateTarget | undefined {
  const target = optionalString(body, 'target');
  if (target === undefined) return undefined;
  if (!LAMBDA_ARN.test(target) && !HTTP_URL.test(target)) {
    throw badRequest(`Invalid target ${target}: it must be an HTTP or HTTPS URL or a Lambda function ARN`);
  }
  const routeKey = optionalString(body, 'routeKey') ?? '$default';
  if (!new RegExp(ROUTE_KEY_PATTERN).test(routeKey)) throw badRequest(`Invalid routeKey ${routeKey}`);
  return { target, routeKey, credentialsArn: optionalString(body, 'credentialsArn') };
}

/** Stores `api` with the target's integration and route, then its deployed `$default` stage. */
export async function quickCreate(ctx: AdminContext, api: HttpApi, quick: QuickCreateTarget): Promise<void> {
  const lambda = LAMBDA_ARN.test(quick.target);
  const integration: HttpIntegration = lambda
    ? {
        integrationId: newIntegrationId(),
        integrationType: 'AWS_PROXY',
        integrationUri: quick.target,
        integrationMethod: 'POST',
        payloadFormatVersion: '2.0',
        timeoutInMillis: DEFAULT_HTTP_API_TIMEOUT_MS,
        connectionType: 'INTERNET',
      }
    : {
        integrationId: newIntegrationId(),
        integrationType: 'HTTP_PROXY',
        integrationUri: quick.target,
        integrationMethod: 'ANY',
        payloadFormatVersion: '1.0',
        timeoutInMillis: DEFAULT_HTTP_API_TIMEOUT_MS,
        connectionType: 'INTERNET',
      };
  if (quick.credentialsArn !== undefined) integration.credentialsArn = quick.credentialsArn;
  api.integrations.push(integration);
  api.routes.push({
    routeId: newRouteId(),
    routeKey: quick.routeKey,
    target: `integrations/${integration.integrationId}`,
    authorizationType: 'NONE',
    apiKeyRequired: false,
  });
  await ctx.store.createApi(api);
  try {
    const now = epochSeconds(ctx);
    await ctx.store.putStage({
      apiId: api.apiId,
      stageName: DEFAULT_STAGE,
      variables: {},
      createdDate: now,
      lastUpdatedDate: now,
      autoDeploy: true,
      settings: { apiGatewayManaged: true },
    });
    await deployToStage(ctx, api.apiId, DEFAULT_STAGE, AUTO_DEPLOYMENT_DESCRIPTION);
  } catch (error) {
    // Half an API would surprise whoever retries the call: take it back.
    await ctx.store.deleteApi(api.apiId).catch(() => undefined);
    throw error;
  }
}
