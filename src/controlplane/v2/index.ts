// Every apigatewayv2 operation Gatehouse answers, for HTTP APIs, under /v2/.
import type { AdminRoutes } from '../admin-router.js';
import { registerApiMappings } from './api-mappings.js';
import { registerApis } from './apis.js';
import { registerAuthorizers } from './authorizers.js';
import { registerDeployments } from './deployments.js';
import { registerDomainNames } from './domain-names.js';
import { registerExportApi } from './export.js';
import { registerImportApi } from './import-api.js';
import { registerIntegrationResponses } from './integration-responses.js';
import { registerIntegrations } from './integrations.js';
import { registerModels } from './models.js';
import { registerRouteResponses } from './route-responses.js';
import { registerRoutes } from './routes.js';
import { registerStages } from './stages.js';
import { registerTags } from './tags.js';
import { registerUnsupported } from './unsupported.js';

export function registerHttpApis(routes: AdminRoutes): void {
  registerApis(routes);
  registerImportApi(routes);
  registerExportApi(routes);
  registerRoutes(routes);
  registerRouteResponses(routes);
  registerIntegrations(routes);
  registerIntegrationResponses(routes);
  registerAuthorizers(routes);
  registerModels(routes);
  registerStages(routes);
  registerDeployments(routes);
  registerDomainNames(routes);
  registerApiMappings(routes);
  registerTags(routes);
  registerUnsupported(routes);
}
