// v2 DomainNames: CreateDomainName, GetDomainName(s), UpdateDomainName, DeleteDomainName, over
// the model v1 shares (src/model/domain-names.ts). v2 wraps the endpoint and certificate in a
// one-element `domainNameConfigurations` list.
import { ENDPOINT_TYPES, type DomainName } from '../../model/domain-names.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { AdminError, badRequest } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, serialised } from '../api-updates.js';
import { v2List } from '../paging.js';
import {
  optionalObject,
  optionalString,
  optionalStringMap,
  requiredString,
  type Body,
} from '../body-fields.js';
import { invalidDomainName } from './identifiers.js';

const API_MAPPING_SELECTION_EXPRESSION = '$request.basepath';

/** Where the domain's DNS should point: Gatehouse's own data plane host. */
function gatewayHostOf(ctx: AdminContext): string | undefined {
  return ctx.invokeBaseUrl === undefined ? undefined : new URL(ctx.invokeBaseUrl).hostname;
}

export function domainNameResource(ctx: AdminContext, domain: DomainName): Record<string, unknown> {
  return defined({
    apiMappingSelectionExpression: domain.apiMappingSelectionExpression ?? API_MAPPING_SELECTION_EXPRESSION,
    domainName: domain.domainName,
    domainNameConfigurations: [
      defined({
        apiGatewayDomainName: gatewayHostOf(ctx),
        certificateArn: domain.certificateArn,
        certificateName: domain.certificateName,
        domainNameStatus: 'AVAILABLE',
        endpointType: domain.endpointType,
        securityPolicy: domain.securityPolicy,
      }),
    ],
    mutualTlsAuthentication: domain.mutualTlsAuthentication,
    routingMode: 'API_MAPPING_ONLY',
    tags: domain.tags ?? {},
  });
}

export async function readDomainName(ctx: AdminContext, domainName: string): Promise<DomainName> {
  const domain = await ctx.store.getDomainName(domainName);
  if (!domain) throw invalidDomainName(domainName);
  return domain;
}

function applyFields(domain: DomainName, body: Body): void {
  const routingMode = optionalString(body, 'routingMode');
  if (routingMode !== undefined && routingMode !== 'API_MAPPING_ONLY') {
    throw new AdminError(
      'NotImplementedException',
      `Gatehouse does not support routingMode ${routingMode}: domains route by API mappings only`,
    );
  }
  const configurations = body['domainNameConfigurations'];
  if (configurations !== undefined && configurations !== null) {
    if (!Array.isArray(configurations) || configurations.length !== 1) {
      throw badRequest('domainNameConfigurations must hold exactly one configuration');
    }
    const configuration = configurations[0] as unknown;
    if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
      throw badRequest('domainNameConfigurations[0] must be an object');
    }
    const config = configuration as Body;
    const endpointType = optionalString(config, 'endpointType');
    if (endpointType !== undefined) {
      if (!(ENDPOINT_TYPES as readonly string[]).includes(endpointType)) {
        throw badRequest(
          `Invalid endpointType ${endpointType}: it must be one of ${ENDPOINT_TYPES.join(', ')}`,
        );
      }
      domain.endpointType = endpointType as DomainName['endpointType'];
    }
    const securityPolicy = optionalString(config, 'securityPolicy');
    if (securityPolicy !== undefined) {
      if (securityPolicy !== 'TLS_1_0' && securityPolicy !== 'TLS_1_2') {
        throw badRequest(`Invalid securityPolicy ${securityPolicy}: it must be TLS_1_0 or TLS_1_2`);
      }
      domain.securityPolicy = securityPolicy;
    }
    const certificateArn = optionalString(config, 'certificateArn');
    if (certificateArn !== undefined) domain.certificateArn = certificateArn;
    const certificateName = optionalString(config, 'certificateName');
    if (certificateName !== undefined) domain.certificateName = certificateName;
  }
  const mutualTls = optionalObject(body, 'mutualTlsAuthentication');
  if (mutualTls !== undefined) {
    const truststoreUri = requiredString(mutualTls, 'truststoreUri');
    const truststoreVersion = optionalString(mutualTls, 'truststoreVersion');
    domain.mutualTlsAuthentication = {
      truststoreUri,
      ...(truststoreVersion !== undefined && { truststoreVersion }),
    };
  }
}

async function createDomainName(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const domain: DomainName = {
    // Domain names are case-insensitive; AWS keeps them in lower case.
    domainName: requiredString(body, 'domainName').toLowerCase(),
    createdDate: epochSeconds(ctx),
    endpointType: 'REGIONAL',
    // apigatewayv2's default.
    securityPolicy: 'TLS_1_2',
    apiMappingSelectionExpression: API_MAPPING_SELECTION_EXPRESSION,
  };
  applyFields(domain, body);
  const tags = optionalStringMap(body, 'tags');
  if (tags !== undefined) domain.tags = tags;
  await ctx.store.createDomainName(domain);
  return { status: 201, body: domainNameResource(ctx, domain) };
}

async function updateDomainName(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = request.params['domainName']!;
  const domain = await serialised(`domain:${name}`, async () => {
    const domain = await readDomainName(ctx, name);
    applyFields(domain, body);
    await ctx.store.updateDomainName(domain);
    return domain;
  });
  return { status: 200, body: domainNameResource(ctx, domain) };
}

export function registerDomainNames(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/domainnames', createDomainName)
    .add('GET', '/v2/domainnames', async (request, ctx) => {
      const domains = await ctx.store.listDomainNames();
      return {
        status: 200,
        body: v2List(
          request,
          domains.map((domain) => domainNameResource(ctx, domain)),
        ),
      };
    })
    .add('GET', '/v2/domainnames/:domainName', async (request, ctx) => ({
      status: 200,
      body: domainNameResource(ctx, await readDomainName(ctx, request.params['domainName']!)),
    }))
    .add('PATCH', '/v2/domainnames/:domainName', updateDomainName)
    .add('DELETE', '/v2/domainnames/:domainName', async (request, ctx) => {
      const name = request.params['domainName']!;
      await serialised(`domain:${name}`, async () => {
        await readDomainName(ctx, name);
        await ctx.store.deleteDomainName(name);
      });
      return { status: 204 };
    });
}
