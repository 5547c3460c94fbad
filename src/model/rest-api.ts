// The REST API (API Gateway v1) resource model, in the shapes and field names of the
// `apigateway` service, so the management API can serve these objects as they are.
import { Type, type Static } from '@sinclair/typebox';
import { literals } from './enum.js';

const StringMap = Type.Record(Type.String(), Type.String());

export const REST_INTEGRATION_TYPES = ['HTTP', 'HTTP_PROXY', 'MOCK', 'AWS', 'AWS_PROXY'] as const;
export const PASSTHROUGH_BEHAVIORS = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'] as const;
export const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] as const;
export const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
export const REST_METHODS = [...HTTP_METHODS, 'ANY'] as const;

/** Default and bounds of an integration's timeout. AWS caps REST at 29 s by default; Gatehouse allows more. */
export const DEFAULT_REST_TIMEOUT_MS = 29_000;
export const MIN_TIMEOUT_MS = 50;
export const MAX_TIMEOUT_MS = 900_000;

export const IntegrationResponseSchema = Type.Object({
  statusCode: Type.String({ pattern: '^[1-5][0-9][0-9]$' }),
  selectionPattern: Type.Optional(Type.String()),
  responseParameters: Type.Optional(StringMap),
  responseTemplates: Type.Optional(StringMap),
  contentHandling: Type.Optional(literals(CONTENT_HANDLING)),
});
export type IntegrationResponse = Static<typeof IntegrationResponseSchema>;

export const IntegrationSchema = Type.Object({
  type: literals(REST_INTEGRATION_TYPES),
  httpMethod: Type.Optional(Type.String()),
  uri: Type.Optional(Type.String()),
  connectionType: Type.Optional(Type.String()),
  connectionId: Type.Optional(Type.String()),
  credentials: Type.Optional(Type.String()),
  requestParameters: Type.Optional(StringMap),
  requestTemplates: Type.Optional(StringMap),
  passthroughBehavior: Type.Optional(literals(PASSTHROUGH_BEHAVIORS)),
  contentHandling: Type.Optional(literals(CONTENT_HANDLING)),
  timeoutInMillis: Type.Integer({ minimum: MIN_TIMEOUT_MS, maximum: MAX_TIMEOUT_MS }),
  cacheNamespace: Type.Optional(Type.String()),
  cacheKeyParameters: Type.Optional(Type.Array(Type.String())),
  integrationResponses: Type.Optional(Type.Record(Type.String(), IntegrationResponseSchema)),
  tlsConfig: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type Integration = Static<typeof IntegrationSchema>;

export const MethodResponseSchema = Type.Object({
  statusCode: Type.String({ pattern: '^[1-5][0-9][0-9]$' }),
  responseParameters: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
  responseModels: Type.Optional(StringMap),
});
export type MethodResponse = Static<typeof MethodResponseSchema>;

export const MethodSchema = Type.Object({
  httpMethod: literals(REST_METHODS),
  authorizationType: literals(AUTHORIZATION_TYPES),
  authorizerId: Type.Optional(Type.String()),
  authorizationScopes: Type.Optional(Type.Array(Type.String())),
  apiKeyRequired: Type.Boolean(),
  operationName: Type.Optional(Type.String()),
  requestParameters: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
  requestModels: Type.Optional(StringMap),
  requestValidatorId: Type.Optional(Type.String()),
  methodResponses: Type.Optional(Type.Record(Type.String(), MethodResponseSchema)),
  methodIntegration: Type.Optional(IntegrationSchema),
  /** Parts of the OpenAPI operation Gatehouse keeps for export (summary, parameters, x-… it does not model). */
  openapi: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type Method = Static<typeof MethodSchema>;

export const ResourceSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  parentId: Type.Optional(Type.String()),
  pathPart: Type.String(),
  path: Type.String({ pattern: '^/' }),
  resourceMethods: Type.Record(Type.String(), MethodSchema),
});
export type Resource = Static<typeof ResourceSchema>;

/** Objects that later features enforce; stored and exported faithfully meanwhile. */
const Opaque = Type.Record(Type.String(), Type.Unknown());

export const RestApiSchema = Type.Object({
  protocolType: Type.Literal('REST'),
  id: Type.String({ pattern: '^[a-z0-9]{1,64}$' }),
  name: Type.String({ minLength: 1, maxLength: 1024 }),
  description: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  createdDate: Type.Integer(),
  binaryMediaTypes: Type.Array(Type.String()),
  apiKeySource: literals(['HEADER', 'AUTHORIZER'] as const),
  minimumCompressionSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_485_760 })),
  disableExecuteApiEndpoint: Type.Optional(Type.Boolean()),
  endpointConfiguration: Type.Optional(Opaque),
  policy: Type.Optional(Type.String()),
  tags: Type.Optional(StringMap),
  resources: Type.Array(ResourceSchema),
  authorizers: Type.Optional(Type.Array(Opaque)),
  models: Type.Optional(Type.Array(Opaque)),
  requestValidators: Type.Optional(Type.Array(Opaque)),
  gatewayResponses: Type.Optional(Type.Record(Type.String(), Opaque)),
  /** Root-level OpenAPI content kept for export: x-… extensions Gatehouse does not model, info, servers, components. */
  openapi: Type.Optional(Opaque),
});
export type RestApi = Static<typeof RestApiSchema>;
