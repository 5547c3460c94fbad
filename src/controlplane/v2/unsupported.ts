// apigatewayv2 operations Gatehouse cannot perform: VPC links (it reaches integrations
// directly), routing rules (domains route by API mappings only) and developer portals. Each
// answers NotImplementedException, never a pretended success.
import type { AdminRoutes } from '../admin-router.js';

export function registerUnsupported(routes: AdminRoutes): void {
  routes
    .unsupported('POST', '/v2/vpclinks', 'CreateVpcLink')
    .unsupported('GET', '/v2/vpclinks', 'GetVpcLinks')
    .unsupported('GET', '/v2/vpclinks/:vpcLinkId', 'GetVpcLink')
    .unsupported('PATCH', '/v2/vpclinks/:vpcLinkId', 'UpdateVpcLink')
    .unsupported('DELETE', '/v2/vpclinks/:vpcLinkId', 'DeleteVpcLink')
    .unsupported('POST', '/v2/domainnames/:domainName/routingrules', 'CreateRoutingRule')
    .unsupported('GET', '/v2/domainnames/:domainName/routingrules', 'ListRoutingRules')
    .unsupported('GET', '/v2/domainnames/:domainName/routingrules/:routingRuleId', 'GetRoutingRule')
    .unsupported('PUT', '/v2/domainnames/:domainName/routingrules/:routingRuleId', 'PutRoutingRule')
    .unsupported('DELETE', '/v2/domainnames/:domainName/routingrules/:routingRuleId', 'DeleteRoutingRule')
    .unsupported('POST', '/v2/portals', 'CreatePortal')
    .unsupported('GET', '/v2/portals', 'ListPortals')
    .unsupported('GET', '/v2/portals/:portalId', 'GetPortal')
    .unsupported('PATCH', '/v2/portals/:portalId', 'UpdatePortal')
    .unsupported('DELETE', '/v2/portals/:portalId', 'DeletePortal')
    .unsupported('POST', '/v2/portals/:portalId/publish', 'PublishPortal')
    .unsupported('POST', '/v2/portalproducts', 'CreatePortalProduct')
    .unsupported('GET', '/v2/portalproducts', 'ListPortalProducts')
    .unsupported('GET', '/v2/portalproducts/:portalProductId', 'GetPortalProduct')
    .unsupported('PATCH', '/v2/portalproducts/:portalProductId', 'UpdatePortalProduct')
    .unsupported('DELETE', '/v2/portalproducts/:portalProductId', 'DeletePortalProduct');
}
