// v1 DomainNames (CreateDomainName, GetDomainName(s), UpdateDomainName, DeleteDomainName) and
// BasePathMappings (Create/Get/GetAll/Update/Delete). Both are views of the shared custom domain
// model that apigatewayv2's DomainNames and ApiMappings also use: a base path mapping is an API
// mapping whose key is the base path, `(none)` standing for the domain's root.
import { REGION } from '../../compiler/build.js';
import {
  DomainNameSchema,
  ENDPOINT_TYPES,
  newApiMappingId,
  ROOT_BASE_PATH,
  type ApiMapping,
  type DomainName,
} from '../../model/domain-names.js';
import { assertValid } from '../../model/validate.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, serialised } from '../api-updates.js';
import { isRecord, optionalString } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, requireValue, segments, type PatchOperation } from '../patch.js';

/** Fields of AWS's DomainName Gatehouse keeps in `settings` and returns as given. */
const KEPT = ['policy', 'routingMode', 'ownershipVerificationCertificateArn', 'endpointAccessMode'] as const;

export const domainNameNotFound = (): Error => notFound('Invalid domain name identifier specified');
const mappingNotFound = (): Error => notFound('Invalid base path mapping identifier specified');

export const domainNameArn = (domainName: string): string =>
  `arn:aws:apigateway:${REGION}::/domainnames/${domainName}`;

/**
 * The DomainName as AWS answers it. AWS's generated host names (regionalDomainName,
 * distributionDomainName) are where DNS should point; with Gatehouse that is the gateway
 * itself, so both are the domain name.
 */
export function domainNameResource(domain: DomainName): Record<string, unknown> {
  const settings = domain.settings ?? {};
  const regional = domain.endpointType !== 'EDGE';
  const resource: Record<string, unknown> = {
    domainName: domain.domainName,
    domainNameArn: domainNameArn(domain.domainName),
    certificateName: regional ? undefined : domain.certificateName,
    certificateArn: regional ? undefined : domain.certificateArn,
    certificateUploadDate:
      domain.certificateArn !== undefined || domain.certificateName !== undefined
        ? domain.createdDate
        : undefined,
    regionalDomainName: regional ? domain.domainName : undefined,
    regionalCertificateName: regional ? domain.certificateName : undefined,
    regionalCertificateArn: regional ? domain.certificateArn : undefined,
    distributionDomainName: regional ? undefined : domain.domainName,
    endpointConfiguration: settings['endpointConfiguration'] ?? { types: [domain.endpointType] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: domain.securityPolicy,
    mutualTlsAuthentication: domain.mutualTlsAuthentication,
    tags: domain.tags,
  };
  for (const field of KEPT) resource[field] = settings[field];
  return defined(resource);
}

export async function readDomainName(ctx: AdminContext, domainName: string): Promise<DomainName> {
  const domain = await ctx.store.getDomainName(domainName);
  if (!domain) throw domainNameNotFound();
  return domain;
}

function endpointTypeOf(configuration: unknown): DomainName['endpointType'] {
  if (configuration === undefined || configuration === null) return 'EDGE';
  const types = isRecord(configuration) ? configuration['types'] : undefined;
  if (
    !Array.isArray(types) ||
    types.length !== 1 ||
    !(ENDPOINT_TYPES as readonly unknown[]).includes(types[0])
  )
    throw badRequest(`endpointConfiguration.types must list one of ${ENDPOINT_TYPES.join(', ')}`);
  return types[0] as DomainName['endpointType'];
}

function checkDomain(domain: DomainName): void {
  assertValid(DomainNameSchema, domain);
}

async function createDomainName(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  // Domain names are case-insensitive; AWS keeps them in lower case.
  const domainName = optionalString(body, 'domainName')?.toLowerCase();
  if (domainName === undefined || domainName === '') throw badRequest('No Domain Name specified');
  for (const upload of ['certificateBody', 'certificatePrivateKey', 'certificateChain']) {
    if (body[upload] !== undefined && body[upload] !== null) {
      throw badRequest(
        `Gatehouse does not take uploaded certificates (${upload}): add the certificate to the ` +
          `configuration file's certificates and give its name as certificateName or regionalCertificateName`,
      );
    }
  }
  const endpointType = endpointTypeOf(body['endpointConfiguration']);
  const regional = endpointType !== 'EDGE';
  const certificateArn = optionalString(body, regional ? 'regionalCertificateArn' : 'certificateArn');
  const certificateName = optionalString(body, regional ? 'regionalCertificateName' : 'certificateName');
  const settings: Record<string, unknown> = {};
  if (isRecord(body['endpointConfiguration']))
    settings['endpointConfiguration'] = body['endpointConfiguration'];
  for (const field of KEPT) {
    const value = optionalString(body, field);
    if (value !== undefined) settings[field] = value;
  }
  const mtls = body['mutualTlsAuthentication'];
  const domain = defined({
    domainName,
    createdDate: epochSeconds(ctx),
    endpointType,
    certificateArn,
    certificateName,
    securityPolicy: optionalString(body, 'securityPolicy') as DomainName['securityPolicy'],
    mutualTlsAuthentication: isRecord(mtls)
      ? (defined({ ...mtls }) as DomainName['mutualTlsAuthentication'])
      : undefined,
    tags: isRecord(body['tags']) ? (body['tags'] as Record<string, string>) : undefined,
    settings: Object.keys(settings).length > 0 ? settings : undefined,
  }) as DomainName;
  checkDomain(domain);
  await ctx.store.createDomainName(domain);
  return { status: 201, body: domainNameResource(domain) };
}

function patchDomain(domain: DomainName, op: PatchOperation): void {
  const parts = segments(op.path);
  const set = op.op === 'replace' || op.op === 'add';
  if (!set && op.op !== 'remove') throw invalidPath(op);
  const regional = domain.endpointType !== 'EDGE';
  const field = parts.join('/');
  switch (field) {
    case 'certificateArn':
    case 'regionalCertificateArn':
    case 'certificateName':
    case 'regionalCertificateName': {
      if (field.startsWith('regional') !== regional) throw invalidPath(op);
      const target = field.endsWith('Arn') ? 'certificateArn' : 'certificateName';
      if (set) domain[target] = requireValue(op);
      else delete domain[target];
      return;
    }
    case 'securityPolicy':
      if (!set) throw invalidPath(op);
      domain.securityPolicy = requireValue(op) as NonNullable<DomainName['securityPolicy']>;
      return;
    case 'endpointConfiguration/types/0': {
      if (!set) throw invalidPath(op);
      const type = requireValue(op);
      if (!(ENDPOINT_TYPES as readonly string[]).includes(type))
        throw badRequest(`Invalid endpoint type ${type}: it must be one of ${ENDPOINT_TYPES.join(', ')}`);
      domain.endpointType = type as DomainName['endpointType'];
      const settings = { ...domain.settings };
      settings['endpointConfiguration'] = {
        ...(isRecord(settings['endpointConfiguration']) ? settings['endpointConfiguration'] : {}),
        types: [type],
      };
      domain.settings = settings;
      return;
    }
    case 'mutualTlsAuthentication/truststoreUri':
    case 'mutualTlsAuthentication/truststoreVersion': {
      const key = parts[1] as 'truststoreUri' | 'truststoreVersion';
      const mtls: Record<string, string> = { ...domain.mutualTlsAuthentication };
      if (set) mtls[key] = requireValue(op);
      else delete mtls[key];
      if (Object.keys(mtls).length === 0) delete domain.mutualTlsAuthentication;
      else domain.mutualTlsAuthentication = mtls as NonNullable<DomainName['mutualTlsAuthentication']>;
      return;
    }
    case 'mutualTlsAuthentication':
      if (op.op !== 'remove') throw invalidPath(op);
      delete domain.mutualTlsAuthentication;
      return;
    default:
      if ((KEPT as readonly string[]).includes(field)) {
        const settings = { ...domain.settings };
        if (set) settings[field] = requireValue(op);
        else delete settings[field];
        domain.settings = settings;
        return;
      }
      throw invalidPath(op);
  }
}

/** Read-modify-write of one domain name, serialised within the process. */
export function updateDomainName<T>(
  ctx: AdminContext,
  domainName: string,
  change: (domain: DomainName) => T,
): Promise<T> {
  return serialised(`domain:${domainName}`, async () => {
    const domain = structuredClone(await readDomainName(ctx, domainName));
    const result = change(domain);
    checkDomain(domain);
    await ctx.store.updateDomainName(domain);
    return result;
  });
}

async function updateDomainNameOperation(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const domain = await updateDomainName(ctx, request.params['domain_name']!, (domain) => {
    for (const op of ops) patchDomain(domain, op);
    return domain;
  });
  return { status: 200, body: domainNameResource(domain) };
}

// ---------------------------------------------------------------------------------------------
// Base path mappings

const BASE_PATH = /^[A-Za-z0-9._~-]+$/;

function basePathMappingResource(mapping: ApiMapping): Record<string, unknown> {
  return {
    basePath: mapping.apiMappingKey === '' ? ROOT_BASE_PATH : mapping.apiMappingKey,
    restApiId: mapping.apiId,
    stage: mapping.stage,
  };
}

/** The mapping key of a v1 base path: `(none)` and empty are the root. */
function mappingKeyOf(basePath: string): string {
  if (basePath === '' || basePath === ROOT_BASE_PATH) return '';
  if (basePath.includes('/')) {
    throw badRequest(
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. " +
        'To create a multi-level base path mapping, use API Gateway V2.',
    );
  }
  if (!BASE_PATH.test(basePath))
    throw badRequest(`Invalid base path ${basePath}: use letters, digits and . _ ~ - only`);
  return basePath;
}

async function checkTarget(ctx: AdminContext, restApiId: string, stage: string | undefined): Promise<string> {
  const api = await ctx.store.getApi(restApiId);
  if (api?.protocolType !== 'REST') throw badRequest('Invalid REST API identifier specified');
  // AWS allows a mapping without a stage (the client then names the stage in the path);
  // Gatehouse maps a base path to one stage.
  if (stage === undefined || stage === '')
    throw badRequest('Gatehouse needs the stage a base path mapping leads to: give stage');
  if (!(await ctx.store.getStage(restApiId, stage))) throw badRequest('Invalid stage identifier specified');
  return stage;
}

async function findMapping(ctx: AdminContext, domainName: string, basePath: string): Promise<ApiMapping> {
  await readDomainName(ctx, domainName);
  const key = basePath === ROOT_BASE_PATH ? '' : basePath;
  const found = (await ctx.store.listApiMappings(domainName)).find(
    (mapping) => mapping.apiMappingKey === key,
  );
  if (!found) throw mappingNotFound();
  return found;
}

async function createBasePathMapping(request: AdminRequest, ctx: AdminContext) {
  const domainName = request.params['domain_name']!;
  const body = jsonBody(request);
  const restApiId = optionalString(body, 'restApiId');
  if (restApiId === undefined) throw badRequest('Invalid REST API identifier specified');
  const apiMappingKey = mappingKeyOf(optionalString(body, 'basePath') ?? '');
  await readDomainName(ctx, domainName);
  const stage = await checkTarget(ctx, restApiId, optionalString(body, 'stage'));
  const mapping: ApiMapping = {
    domainName,
    apiMappingId: newApiMappingId(),
    apiMappingKey,
    apiId: restApiId,
    stage,
  };
  await ctx.store.createApiMapping(mapping);
  return { status: 201, body: basePathMappingResource(mapping) };
}

async function updateBasePathMapping(request: AdminRequest, ctx: AdminContext) {
  const domainName = request.params['domain_name']!;
  const basePath = request.params['base_path']!;
  const ops = patchOperations(request);
  const mapping = await serialised(`domain:${domainName}`, async () => {
    const mapping = { ...(await findMapping(ctx, domainName, basePath)) };
    for (const op of ops) {
      if (op.op !== 'replace') throw invalidPath(op);
      const parts = segments(op.path);
      const field = parts.length === 1 ? parts[0] : undefined;
      if (field === 'basePath') mapping.apiMappingKey = mappingKeyOf(op.value ?? '');
      else if (field === 'restapiId' || field === 'restApiId') mapping.apiId = requireValue(op);
      else if (field === 'stage') mapping.stage = requireValue(op);
      else throw invalidPath(op);
    }
    await checkTarget(ctx, mapping.apiId, mapping.stage);
    await ctx.store.updateApiMapping(mapping);
    return mapping;
  });
  return { status: 200, body: basePathMappingResource(mapping) };
}

export function registerDomainNames(routes: AdminRoutes): void {
  routes
    .add('POST', '/domainnames', createDomainName)
    .add('GET', '/domainnames', async (request, ctx) => ({
      status: 200,
      body: v1List(request, (await ctx.store.listDomainNames()).map(domainNameResource)),
    }))
    .add('GET', '/domainnames/:domain_name', async (request, ctx) => ({
      status: 200,
      body: domainNameResource(await readDomainName(ctx, request.params['domain_name']!)),
    }))
    .add('PATCH', '/domainnames/:domain_name', updateDomainNameOperation)
    .add('DELETE', '/domainnames/:domain_name', async (request, ctx) => {
      const domainName = request.params['domain_name']!;
      await serialised(`domain:${domainName}`, async () => {
        await readDomainName(ctx, domainName);
        await ctx.store.deleteDomainName(domainName);
      });
      return { status: 202 };
    })
    .add('POST', '/domainnames/:domain_name/basepathmappings', createBasePathMapping)
    .add('GET', '/domainnames/:domain_name/basepathmappings', async (request, ctx) => {
      const domainName = request.params['domain_name']!;
      await readDomainName(ctx, domainName);
      const mappings = await ctx.store.listApiMappings(domainName);
      return { status: 200, body: v1List(request, mappings.map(basePathMappingResource)) };
    })
    .add('GET', '/domainnames/:domain_name/basepathmappings/:base_path', async (request, ctx) => {
      const domainName = request.params['domain_name']!;
      const basePath = request.params['base_path']!;
      return { status: 200, body: basePathMappingResource(await findMapping(ctx, domainName, basePath)) };
    })
    .add('PATCH', '/domainnames/:domain_name/basepathmappings/:base_path', updateBasePathMapping)
    .add('DELETE', '/domainnames/:domain_name/basepathmappings/:base_path', async (request, ctx) => {
      const domainName = request.params['domain_name']!;
      const basePath = request.params['base_path']!;
      await serialised(`domain:${domainName}`, async () => {
        const mapping = await findMapping(ctx, domainName, basePath);
        await ctx.store.deleteApiMapping(domainName, mapping.apiMappingId);
      });
      return { status: 202 };
    })
    .unsupported('POST', '/domainnameaccessassociations', 'CreateDomainNameAccessAssociation')
    .unsupported('GET', '/domainnameaccessassociations', 'GetDomainNameAccessAssociations')
    .unsupported('DELETE', '/domainnameaccessassociations/:arn', 'DeleteDomainNameAccessAssociation')
    .unsupported('POST', '/rejectdomainnameaccessassociations', 'RejectDomainNameAccessAssociation');
}
