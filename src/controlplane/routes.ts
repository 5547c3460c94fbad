// Every management operation Gatehouse answers, v1 (`apigateway`) and v2 (`apigatewayv2`).
import { AdminRoutes } from './admin-router.js';
import { registerRestApis } from './v1/rest-apis.js';
import { registerApiKeys } from './v1/api-keys.js';
import { registerAuthorizers } from './v1/authorizers.js';
import { registerDomainNames } from './v1/domain-names.js';
import { registerGatewayResponses } from './v1/gateway-responses.js';
import { registerModels } from './v1/models.js';
import { registerRequestValidators } from './v1/request-validators.js';
import { registerTags } from './v1/tags.js';
import { registerUsagePlans } from './v1/usage-plans.js';
import { registerResources } from './v1/resources.js';
import { registerMethods } from './v1/methods.js';
import { registerIntegrations } from './v1/integrations.js';
import { registerDeployments } from './v1/deployments.js';
import { registerStages } from './v1/stages.js';
import { registerExport } from './v1/export.js';
import { registerFlush } from './v1/flush.js';
import { registerHttpApis } from './v2/index.js';

export function managementRoutes(): AdminRoutes {
  const routes = new AdminRoutes();
  registerRestApis(routes);
  registerAuthorizers(routes);
  registerModels(routes);
  registerRequestValidators(routes);
  registerGatewayResponses(routes);
  registerApiKeys(routes);
  registerUsagePlans(routes);
  registerDomainNames(routes);
  registerTags(routes);
  registerResources(routes);
  registerMethods(routes);
  registerIntegrations(routes);
  registerDeployments(routes);
  registerStages(routes);
  registerExport(routes);
  registerFlush(routes);
  registerHttpApis(routes);
  return routes;
}
