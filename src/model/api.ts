// An API of either kind, its immutable deployments and its stages.
import { Type, type Static } from '@sinclair/typebox';
import { HttpApiSchema, type HttpApi } from './http-api.js';
import { RestApiSchema, type RestApi } from './rest-api.js';

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
  /** Settings later features enforce (methodSettings, canarySettings, throttling, cache …), stored as given. */
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type Stage = Static<typeof StageSchema>;

/** Validates an API against the schema of its own kind, so errors name that kind's fields only. */
export function apiSchemaOf(value: unknown): typeof RestApiSchema | typeof HttpApiSchema {
  const kind = (value as { protocolType?: unknown } | null)?.protocolType;
  return kind === 'HTTP' ? HttpApiSchema : RestApiSchema;
}
