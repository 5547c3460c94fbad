// Shapes of the x-amazon-apigateway-* extensions as they are written in OpenAPI files
// (lower-case enums where AWS exports them so), checked before conversion so a problem
// points into the user's document.
import { Type, type Static } from '@sinclair/typebox';
import { literals } from '../model/enum.js';
import { CONTENT_HANDLING, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, REST_METHODS } from '../model/rest-api.js';

const StringMap = Type.Record(Type.String(), Type.String());
const StatusCode = Type.String({ pattern: '^[1-5][0-9][0-9]$' });

export const REST_INTEGRATION_DOC_TYPES = ['http', 'http_proxy', 'mock', 'aws', 'aws_proxy'] as const;
export const HTTP_INTEGRATION_DOC_TYPES = ['http_proxy', 'aws_proxy', 'http', 'aws', 'mock'] as const;
export const PASSTHROUGH_DOC_BEHAVIORS = ['when_no_match', 'when_no_templates', 'never'] as const;

export const IntegrationResponseDocSchema = Type.Object({
  statusCode: StatusCode,
  responseParameters: Type.Optional(StringMap),
  responseTemplates: Type.Optional(StringMap),
  contentHandling: Type.Optional(literals(CONTENT_HANDLING)),
});

const commonIntegrationFields = {
  uri: Type.Optional(Type.String({ minLength: 1 })),
  httpMethod: Type.Optional(literals(REST_METHODS)),
  credentials: Type.Optional(Type.String()),
  requestParameters: Type.Optional(StringMap),
  requestTemplates: Type.Optional(StringMap),
  timeoutInMillis: Type.Optional(Type.Integer({ minimum: MIN_TIMEOUT_MS, maximum: MAX_TIMEOUT_MS })),
  connectionType: Type.Optional(literals(['INTERNET', 'VPC_LINK'] as const)),
  connectionId: Type.Optional(Type.String()),
};

export const RestIntegrationDocSchema = Type.Object({
  type: literals(REST_INTEGRATION_DOC_TYPES),
  ...commonIntegrationFields,
  responses: Type.Optional(Type.Record(Type.String(), IntegrationResponseDocSchema)),
  passthroughBehavior: Type.Optional(literals(PASSTHROUGH_DOC_BEHAVIORS)),
  contentHandling: Type.Optional(literals(CONTENT_HANDLING)),
  cacheNamespace: Type.Optional(Type.String()),
  cacheKeyParameters: Type.Optional(Type.Array(Type.String())),
  tlsConfig: Type.Optional(Type.Object({ insecureSkipVerification: Type.Optional(Type.Boolean()) })),
});
export type RestIntegrationDoc = Static<typeof RestIntegrationDocSchema>;

export const HttpIntegrationDocSchema = Type.Object({
  type: literals(HTTP_INTEGRATION_DOC_TYPES),
  ...commonIntegrationFields,
  payloadFormatVersion: Type.Optional(literals(['1.0', '2.0'] as const)),
  integrationSubtype: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  /** Keyed by the integration's status code, each a map of `append:header.x`-style mappings. */
  responseParameters: Type.Optional(Type.Record(Type.String(), StringMap)),
  tlsConfig: Type.Optional(Type.Object({ serverNameToVerify: Type.Optional(Type.String()) })),
});
export type HttpIntegrationDoc = Static<typeof HttpIntegrationDocSchema>;

export const GatewayResponseDocSchema = Type.Object({
  statusCode: Type.Optional(StatusCode),
  responseParameters: Type.Optional(StringMap),
  responseTemplates: Type.Optional(StringMap),
});

export const RequestValidatorDocSchema = Type.Object({
  validateRequestBody: Type.Optional(Type.Boolean()),
  validateRequestParameters: Type.Optional(Type.Boolean()),
});

export const CorsDocSchema = Type.Object({
  allowOrigins: Type.Optional(Type.Array(Type.String())),
  allowCredentials: Type.Optional(Type.Boolean()),
  exposeHeaders: Type.Optional(Type.Array(Type.String())),
  maxAge: Type.Optional(Type.Integer({ minimum: -1, maximum: 86_400 })),
  allowMethods: Type.Optional(Type.Array(Type.String())),
  allowHeaders: Type.Optional(Type.Array(Type.String())),
});

export const EndpointConfigurationDocSchema = Type.Object({
  types: Type.Optional(Type.Array(literals(['EDGE', 'REGIONAL', 'PRIVATE'] as const))),
  vpcEndpointIds: Type.Optional(Type.Array(Type.String())),
  disableExecuteApiEndpoint: Type.Optional(Type.Boolean()),
});

export const MinimumCompressionSizeSchema = Type.Integer({ minimum: 0, maximum: 10_485_760 });
export const BinaryMediaTypesSchema = Type.Array(Type.String({ minLength: 1 }));
export const ApiKeySourceSchema = literals(['HEADER', 'AUTHORIZER'] as const);

const SecurityRequirement = Type.Record(Type.String(), Type.Array(Type.String()));
export const SecuritySchema = Type.Array(SecurityRequirement);

export const AuthDocSchema = Type.Object({ type: literals(['AWS_IAM', 'NONE'] as const) });

const TtlSeconds = Type.Integer({ minimum: 0, maximum: 3600 });

export const RestAuthorizerDocSchema = Type.Object({
  type: literals(['token', 'request', 'cognito_user_pools'] as const),
  authorizerUri: Type.Optional(Type.String()),
  authorizerCredentials: Type.Optional(Type.String()),
  identitySource: Type.Optional(Type.String()),
  identityValidationExpression: Type.Optional(Type.String()),
  authorizerResultTtlInSeconds: Type.Optional(TtlSeconds),
  providerARNs: Type.Optional(Type.Array(Type.String())),
});
export type RestAuthorizerDoc = Static<typeof RestAuthorizerDocSchema>;

export const HttpAuthorizerDocSchema = Type.Object({
  type: literals(['request', 'jwt'] as const),
  authorizerUri: Type.Optional(Type.String()),
  authorizerCredentials: Type.Optional(Type.String()),
  identitySource: Type.Optional(Type.String()),
  authorizerResultTtlInSeconds: Type.Optional(TtlSeconds),
  authorizerPayloadFormatVersion: Type.Optional(literals(['1.0', '2.0'] as const)),
  enableSimpleResponses: Type.Optional(Type.Boolean()),
  jwtConfiguration: Type.Optional(
    Type.Object({ issuer: Type.Optional(Type.String()), audience: Type.Optional(Type.Array(Type.String())) }),
  ),
});
export type HttpAuthorizerDoc = Static<typeof HttpAuthorizerDocSchema>;
