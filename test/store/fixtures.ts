// Small factories for valid config-store objects. Each result is checked against the model's
// schema, so a test that passes with these fixtures passes with real APIs too.
import type { TSchema } from '@sinclair/typebox';
import {
  DeploymentSchema,
  StageSchema,
  apiIdOf,
  apiSchemaOf,
  type Api,
  type Deployment,
  type Stage,
} from '../../src/model/api.js';
import {
  ApiMappingSchema,
  DomainNameSchema,
  newApiMappingId,
  type ApiMapping,
  type DomainName,
} from '../../src/model/domain-names.js';
import type { HttpApi } from '../../src/model/http-api.js';
import { newApiId, newDeploymentId, newId } from '../../src/model/ids.js';
import type { RestApi } from '../../src/model/rest-api.js';
import {
  ApiKeySchema,
  UsagePlanSchema,
  generateApiKeyValue,
  newApiKeyId,
  newUsagePlanId,
  type ApiKey,
  type UsagePlan,
} from '../../src/model/usage-plans.js';
import { problemsOf } from '../../src/model/validate.js';

const CREATED = 1_700_000_000;

function checked<T>(schema: TSchema, value: T, what: string): T {
  const problems = problemsOf(schema, value);
  if (problems.length > 0) throw new Error(`fixture ${what} is not a valid model:\n${problems.join('\n')}`);
  return value;
}

export function restApi(overrides: Partial<Omit<RestApi, 'protocolType'>> = {}): RestApi {
  const api: RestApi = {
    protocolType: 'REST',
    id: newApiId(),
    name: 'Pet Store',
    description: 'Pets, with ümlauts and emoji 🐕 to prove text survives the round trip',
    createdDate: CREATED,
    binaryMediaTypes: ['image/png'],
    apiKeySource: 'HEADER',
    resources: [
      {
        id: 'root00',
        path: '/',
        pathPart: '',
        resourceMethods: {
          GET: {
            httpMethod: 'GET',
            authorizationType: 'NONE',
            apiKeyRequired: false,
            methodIntegration: {
              type: 'MOCK',
              timeoutInMillis: 29_000,
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              integrationResponses: { '200': { statusCode: '200' } },
            },
            methodResponses: { '200': { statusCode: '200' } },
          },
        },
      },
      {
        id: 'pets01',
        parentId: 'root00',
        path: '/pets/{id}',
        pathPart: '{id}',
        resourceMethods: {
          ANY: {
            httpMethod: 'ANY',
            authorizationType: 'NONE',
            apiKeyRequired: true,
            requestParameters: { 'method.request.path.id': true },
            methodIntegration: {
              type: 'HTTP_PROXY',
              httpMethod: 'ANY',
              uri: 'http://pets.internal/pets/{id}',
              timeoutInMillis: 10_000,
              requestParameters: { 'integration.request.path.id': 'method.request.path.id' },
            },
          },
        },
      },
    ],
    tags: { team: 'pets' },
    ...overrides,
  };
  return checked(apiSchemaOf(api), api, 'REST API');
}

export function httpApi(overrides: Partial<Omit<HttpApi, 'protocolType'>> = {}): HttpApi {
  const api: HttpApi = {
    protocolType: 'HTTP',
    apiId: newApiId(),
    name: 'Orders',
    createdDate: CREATED,
    routeSelectionExpression: '${request.method} ${request.path}',
    routes: [
      {
        routeId: 'route01',
        routeKey: 'GET /orders/{id}',
        target: 'integrations/integ01',
        authorizationType: 'NONE',
        apiKeyRequired: false,
      },
      {
        routeId: 'route02',
        routeKey: '$default',
        target: 'integrations/integ01',
        authorizationType: 'NONE',
        apiKeyRequired: false,
      },
    ],
    integrations: [
      {
        integrationId: 'integ01',
        integrationType: 'HTTP_PROXY',
        integrationMethod: 'ANY',
        integrationUri: 'http://orders.internal',
        payloadFormatVersion: '1.0',
        timeoutInMillis: 30_000,
      },
    ],
    corsConfiguration: { allowOrigins: ['https://example.com'], maxAge: 300 },
    ...overrides,
  };
  return checked(apiSchemaOf(api), api, 'HTTP API');
}

export function deploymentOf(
  api: Api,
  overrides: Partial<Omit<Deployment, 'apiId' | 'api'>> = {},
): Deployment {
  const deployment: Deployment = {
    id: newDeploymentId(),
    apiId: apiIdOf(api),
    createdDate: CREATED + 100,
    description: 'first release',
    api: structuredClone(api),
    ...overrides,
  };
  return checked(DeploymentSchema, deployment, 'deployment');
}

export function stageOf(
  api: Api,
  stageName: string,
  overrides: Partial<Omit<Stage, 'apiId' | 'stageName'>> = {},
): Stage {
  const stage: Stage = {
    apiId: apiIdOf(api),
    stageName,
    variables: { backend: 'pets.internal', version: 'v1' },
    createdDate: CREATED + 200,
    lastUpdatedDate: CREATED + 200,
    settings: { methodSettings: { '*/*': { throttlingRateLimit: 100, cachingEnabled: false } } },
    ...overrides,
  };
  return checked(StageSchema, stage, 'stage');
}

export function apiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  const key: ApiKey = {
    id: newApiKeyId(),
    value: generateApiKeyValue(),
    name: 'mobile app ✓',
    description: 'the key the mobile app sends',
    enabled: true,
    createdDate: CREATED + 300,
    lastUpdatedDate: CREATED + 300,
    customerId: 'customer-42',
    tags: { team: 'mobile' },
    ...overrides,
  };
  return checked(ApiKeySchema, key, 'API key');
}

export function usagePlan(overrides: Partial<UsagePlan> = {}): UsagePlan {
  const plan: UsagePlan = {
    id: newUsagePlanId(),
    name: 'Gold',
    description: 'for paying customers',
    apiStages: [
      {
        apiId: newApiId(),
        stage: 'prod',
        throttle: {
          '/pets/GET': { burstLimit: 5, rateLimit: 2.5 },
          '//GET': { burstLimit: 1, rateLimit: 1 },
        },
      },
      { apiId: newApiId(), stage: 'beta' },
    ],
    throttle: { burstLimit: 20, rateLimit: 10 },
    quota: { limit: 1000, offset: 0, period: 'MONTH' },
    tags: { tier: 'gold' },
    ...overrides,
  };
  return checked(UsagePlanSchema, plan, 'usage plan');
}

export function domainName(overrides: Partial<DomainName> = {}): DomainName {
  const domain: DomainName = {
    domainName: `api-${newId(8)}.example.com`,
    createdDate: CREATED + 400,
    endpointType: 'REGIONAL',
    certificateName: 'wildcard-example',
    securityPolicy: 'TLS_1_2',
    mutualTlsAuthentication: { truststoreUri: 'file:///etc/gatehouse/clients.pem' },
    apiMappingSelectionExpression: '$request.basepath',
    tags: { team: 'édge' },
    settings: { domainNameStatus: 'AVAILABLE', regionalHostedZoneId: 'Z2FDTNDATAQYW2' },
    ...overrides,
  };
  return checked(DomainNameSchema, domain, 'domain name');
}

export function apiMapping(
  domain: DomainName,
  api: Api,
  overrides: Partial<Omit<ApiMapping, 'domainName'>> = {},
): ApiMapping {
  const mapping: ApiMapping = {
    domainName: domain.domainName,
    apiMappingId: newApiMappingId(),
    apiMappingKey: 'pets',
    apiId: apiIdOf(api),
    stage: 'prod',
    ...overrides,
  };
  return checked(ApiMappingSchema, mapping, 'API mapping');
}
