// The HTTP API (API Gateway v2) resource model, in the shapes and field names of the
// `apigatewayv2` service (lowerCamel on the wire).
import { Type, type Static } from '@sinclair/typebox';
import { literals } from './enum.js';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from './rest-api.js';

const StringMap = Type.Record(Type.String(), Type.String());
const Opaque = Type.Record(Type.String(), Type.Unknown());

export const HTTP_INTEGRATION_TYPES = ['HTTP_PROXY', 'AWS_PROXY', 'MOCK', 'HTTP', 'AWS'] as const;
/** HTTP APIs allow 50 ms to 30 s on AWS; Gatehouse allows more (see docs/differences.md). */
export const DEFAULT_HTTP_API_TIMEOUT_MS = 30_000;
export const HTTP_API_ROUTE_SELECTION_EXPRESSION = '${request.method} ${request.path}';

export const HttpIntegrationSchema = Type.Object({
  integrationId: Type.String({ minLength: 1 }),
  integrationType: literals(HTTP_INTEGRATION_TYPES),
  integrationUri: Type.Optional(Type.String()),
  integrationMethod: Type.Optional(Type.String()),
  integrationSubtype: Type.Optional(Type.String()),
  payloadFormatVersion: literals(['1.0', '2.0'] as const),
  timeoutInMillis: Type.Integer({ minimum: MIN_TIMEOUT_MS, maximum: MAX_TIMEOUT_MS }),
  connectionType: Type.Optional(Type.String()),
  connectionId: Type.Optional(Type.String()),
  credentialsArn: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  requestParameters: Type.Optional(StringMap),
  requestTemplates: Type.Optional(StringMap),
  responseParameters: Type.Optional(Type.Record(Type.String(), StringMap)),
  tlsConfig: Type.Optional(Opaque),
  /** apigatewayv2 IntegrationResponses, stored and returned as given (AWS uses them for WebSocket APIs). */
  integrationResponses: Type.Optional(Type.Array(Opaque)),
});
export type HttpIntegration = Static<typeof HttpIntegrationSchema>;

/** `$default`, or `METHOD /path` where METHOD may be ANY and the last segment may be `{name+}`. */
export const ROUTE_KEY_PATTERN = '^(\\$default|(ANY|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /[^ ]*)$';

export const RouteSchema = Type.Object({
  routeId: Type.String({ minLength: 1 }),
  routeKey: Type.String({ pattern: ROUTE_KEY_PATTERN }),
  target: Type.Optional(Type.String({ pattern: '^integrations/.+$' })),
  authorizationType: literals(['NONE', 'JWT', 'AWS_IAM', 'CUSTOM'] as const),
  authorizerId: Type.Optional(Type.String()),
  authorizationScopes: Type.Optional(Type.Array(Type.String())),
  apiKeyRequired: Type.Boolean(),
  operationName: Type.Optional(Type.String()),
  requestParameters: Type.Optional(Opaque),
  openapi: Type.Optional(Opaque),
  /** apigatewayv2 RouteResponses, stored and returned as given (AWS uses them for WebSocket APIs). */
  routeResponses: Type.Optional(Type.Array(Opaque)),
});
export type Route = Static<typeof RouteSchema>;

export const HttpApiSchema = Type.Object({
  protocolType: Type.Literal('HTTP'),
  apiId: Type.String({ pattern: '^[a-z0-9]{1,64}$' }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  description: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  createdDate: Type.Integer(),
  routeSelectionExpression: Type.String(),
  apiKeySelectionExpression: Type.Optional(Type.String()),
  disableExecuteApiEndpoint: Type.Optional(Type.Boolean()),
  corsConfiguration: Type.Optional(Opaque),
  tags: Type.Optional(StringMap),
  routes: Type.Array(RouteSchema),
  integrations: Type.Array(HttpIntegrationSchema),
  authorizers: Type.Optional(Type.Array(Opaque)),
  models: Type.Optional(Type.Array(Opaque)),
  openapi: Type.Optional(Opaque),
});
export type HttpApi = Static<typeof HttpApiSchema>;
