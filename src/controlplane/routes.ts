// Every management operation Gatehouse answers, v1 (`apigateway`) and v2 (`apigatewayv2`).
import { AdminRoutes } from './admin-router.js';
import { registerRestApis } from './v1/rest-apis.js';

export function managementRoutes(): AdminRoutes {
  const routes = new AdminRoutes();
  registerRestApis(routes);
  return routes;
}
