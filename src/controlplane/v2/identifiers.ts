// apigatewayv2's NotFoundException messages: `Invalid <Resource> identifier specified <id>`,
// without the account prefix v1 puts before API ids.
import { notFound } from '../admin-errors.js';
import type { AdminError } from '../admin-errors.js';

const invalid =
  (resource: string) =>
  (id: string): AdminError =>
    notFound(`Invalid ${resource} identifier specified ${id}`);

export const invalidRouteId = invalid('Route');
export const invalidIntegrationId = invalid('Integration');
export const invalidIntegrationResponseId = invalid('IntegrationResponse');
export const invalidRouteResponseId = invalid('RouteResponse');
export const invalidAuthorizerId = invalid('Authorizer');
export const invalidModelId = invalid('Model');
export const invalidStageId = invalid('Stage');
export const invalidDeploymentId = invalid('Deployment');
export const invalidDomainName = invalid('DomainName');
export const invalidApiMappingId = invalid('ApiMapping');
