// An API of either kind, its immutable deployments and its stages.
import { Type, type Static } from '@sinclair/typebox';
import { HttpApiSchema, type HttpApi } from './http-api.js';
import { RestApiSchema, type RestApi } from './rest-api.js';
import { literals } from './enum.js';

export type Api = RestApi | HttpApi;
export const ApiSchema = Type.Union([RestApiSchema, HttpApiSchema]);

export function apiIdOf(api: Api): string {
  return api.protocolType === 'REST' ? api.id : api.apiId;
}

/** The HTTP API stage that is served without a stage segment in the path. */
export const DEFAULT_STAGE = '$default';

export const DeploymentSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  apiId: Type.String({ minLength: 1 }),
  createdDate: Type.Integer(),
  description: Type.Optional(Type.String()),
  /** The API exactly as it was when deployed. Never changed after creation. */
  api: ApiSchema,
});
export type Deployment = Static<typeof DeploymentSchema>;

/** AWS: at most 100 variables, keys [A-Za-z0-9_]{1,64}, values up to 512 characters. */
export const StageVariablesSchema = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }),
  Type.String({ maxLength: 512 }),
  {
    maxProperties: 100,
    additionalProperties: false,
  },
);

/** AWS's MethodSetting (GetStage `methodSettings` values). */
export const MethodSettingSchema = Type.Object({
  metricsEnabled: Type.Optional(Type.Boolean()),
  loggingLevel: Type.Optional(Type.String()),
  dataTraceEnabled: Type.Optional(Type.Boolean()),
  throttlingBurstLimit: Type.Optional(Type.Integer({ minimum: 0 })),
  throttlingRateLimit: Type.Optional(Type.Number({ minimum: 0 })),
  cachingEnabled: Type.Optional(Type.Boolean()),
  cacheTtlInSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  cacheDataEncrypted: Type.Optional(Type.Boolean()),
  requireAuthorizationForCacheControl: Type.Optional(Type.Boolean()),
  unauthorizedCacheControlHeaderStrategy: Type.Optional(
    literals(['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'] as const),
  ),
});
export type MethodSetting = Static<typeof MethodSettingSchema>;

/** AWS's CanarySettings: a share of the stage's traffic goes to another deployment. */
export const CanarySettingsSchema = Type.Object({
  percentTraffic: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  deploymentId: Type.Optional(Type.String()),
  stageVariableOverrides: Type.Optional(Type.Record(Type.String(), Type.String())),
  useStageCache: Type.Optional(Type.Boolean()),
});
export type CanarySettings = Static<typeof CanarySettingsSchema>;

export const AccessLogSettingsSchema = Type.Object({
  format: Type.Optional(Type.String()),
  destinationArn: Type.Optional(Type.String()),
});

/** apigatewayv2's RouteSettings. */
export const RouteSettingsSchema = Type.Object({
  throttlingBurstLimit: Type.Optional(Type.Integer({ minimum: 0 })),
  throttlingRateLimit: Type.Optional(Type.Number({ minimum: 0 })),
  detailedMetricsEnabled: Type.Optional(Type.Boolean()),
  dataTraceEnabled: Type.Optional(Type.Boolean()),
  loggingLevel: Type.Optional(Type.String()),
});
export type RouteSettings = Static<typeof RouteSettingsSchema>;

export const StageSchema = Type.Object({
  apiId: Type.String({ minLength: 1 }),
  stageName: Type.String({ pattern: '^(\\$default|[A-Za-z0-9_-]{1,128})$' }),
  deploymentId: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  variables: StageVariablesSchema,
  createdDate: Type.Integer(),
  lastUpdatedDate: Type.Integer(),
  /** HTTP APIs: deploy every change to this stage automatically. */
  autoDeploy: Type.Optional(Type.Boolean()),
  /** REST: per-method settings keyed `{resourcePath without the leading slash}/{METHOD}`; the key of every method is star-slash-star. */
  methodSettings: Type.Optional(Type.Record(Type.String(), MethodSettingSchema)),
  canarySettings: Type.Optional(CanarySettingsSchema),
  /** REST: the stage's response cache. cacheClusterSize is AWS's size in GB ('0.5' … '237'). */
  cacheClusterEnabled: Type.Optional(Type.Boolean()),
  cacheClusterSize: Type.Optional(Type.String()),
  tracingEnabled: Type.Optional(Type.Boolean()),
  accessLogSettings: Type.Optional(AccessLogSettingsSchema),
  /** HTTP APIs: throttling and logging for every route, then per route key. */
  defaultRouteSettings: Type.Optional(RouteSettingsSchema),
  routeSettings: Type.Optional(Type.Record(Type.String(), RouteSettingsSchema)),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Fields of AWS's Stage that Gatehouse stores and returns but does not act on (clientCertificateId, documentationVersion, webAclArn …). */
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type Stage = Static<typeof StageSchema>;

/** Validates an API against the schema of its own kind, so errors name that kind's fields only. */
export function apiSchemaOf(value: unknown): typeof RestApiSchema | typeof HttpApiSchema {
  const kind = (value as { protocolType?: unknown } | null)?.protocolType;
  return kind === 'HTTP' ? HttpApiSchema : RestApiSchema;
}
