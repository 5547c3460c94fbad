// API keys, usage plans and the links between them, in the shapes and field names of the
// `apigateway` service (ApiKey, UsagePlan, ApiStage, ThrottleSettings, QuotaSettings). Keys and
// plans belong to the account, not to an API: a plan names the API stages it covers.
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { literals } from './enum.js';
import { newId } from './ids.js';
import { assertValid, ModelValidationError } from './validate.js';

export const API_KEY_VALUE_MIN_LENGTH = 20;
export const API_KEY_VALUE_MAX_LENGTH = 128;
export const API_KEY_NAME_MAX_LENGTH = 1024;
export const API_KEY_DESCRIPTION_MAX_LENGTH = 125_000;
/** The length of the values AWS generates when CreateApiKey is given none. */
export const GENERATED_API_KEY_VALUE_LENGTH = 40;
/** AWS allows at most 20 method-level throttle settings per API stage of a plan. */
export const MAX_METHOD_THROTTLES_PER_STAGE = 20;

/** AWS's BadRequestException messages for CreateApiKey, as recorded. */
export const API_KEY_MESSAGES = {
  valueTooShort: 'API Key value should be at least 20 characters',
  valueTooLong: 'API Key value exceeds maximum size of 128 characters',
  nameTooLong: 'Invalid API Key name, can be at most 1024 characters.',
  descriptionTooLong: 'Invalid API Key description specified.',
} as const;

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

const StringMap = Type.Record(Type.String(), Type.String());

export const ApiKeySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  value: Type.String({ minLength: API_KEY_VALUE_MIN_LENGTH, maxLength: API_KEY_VALUE_MAX_LENGTH }),
  /** AWS accepts a key without a name (and drops an empty one). */
  name: Type.Optional(Type.String({ maxLength: API_KEY_NAME_MAX_LENGTH })),
  description: Type.Optional(Type.String({ maxLength: API_KEY_DESCRIPTION_MAX_LENGTH })),
  /** False unless asked for at creation, as on AWS. */
  enabled: Type.Boolean(),
  /** Seconds since the epoch, like every date in the model. */
  createdDate: Type.Integer(),
  lastUpdatedDate: Type.Integer(),
  /** The AWS Marketplace customer the key belongs to; stored, not used. */
  customerId: Type.Optional(Type.String()),
  /** `apiId/stage` pairs AWS keeps on a key (stageKeys); stored and returned, access comes from usage plans. */
  stageKeys: Type.Optional(Type.Array(Type.String())),
  tags: Type.Optional(StringMap),
});
export type ApiKey = Static<typeof ApiKeySchema>;

/** Token bucket: `rateLimit` requests per second on average, bursts of up to `burstLimit`. */
export const ThrottleSettingsSchema = Type.Object({
  burstLimit: Type.Integer({ minimum: 0 }),
  rateLimit: Type.Number({ minimum: 0 }),
});
export type ThrottleSettings = Static<typeof ThrottleSettingsSchema>;

export const QuotaSettingsSchema = Type.Object({
  /** Requests per period, per API key, summed over every stage of the plan. */
  limit: Type.Integer({ minimum: 0 }),
  offset: Type.Integer({ minimum: 0 }),
  period: literals(QUOTA_PERIODS),
});
export type QuotaSettings = Static<typeof QuotaSettingsSchema>;

// `{resourcePath}/{httpMethod}`: `/pets/GET`, the root `//GET`, every method of the stage `/*/*`.
export const METHOD_THROTTLE_KEY_PATTERN = '^/.*/([A-Z]+|\\*)$';

export const ApiStageSchema = Type.Object({
  apiId: Type.String({ minLength: 1 }),
  stage: Type.String({ minLength: 1 }),
  throttle: Type.Optional(
    Type.Record(Type.String({ pattern: METHOD_THROTTLE_KEY_PATTERN }), ThrottleSettingsSchema, {
      maxProperties: MAX_METHOD_THROTTLES_PER_STAGE,
      additionalProperties: false,
    }),
  ),
});
export type ApiStage = Static<typeof ApiStageSchema>;

export const UsagePlanSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  apiStages: Type.Array(ApiStageSchema),
  throttle: Type.Optional(ThrottleSettingsSchema),
  quota: Type.Optional(QuotaSettingsSchema),
  tags: Type.Optional(StringMap),
});
export type UsagePlan = Static<typeof UsagePlanSchema>;

/** An API key's membership of a usage plan (CreateUsagePlanKey with keyType API_KEY). */
export const UsagePlanKeySchema = Type.Object({
  usagePlanId: Type.String({ minLength: 1 }),
  keyId: Type.String({ minLength: 1 }),
});
export type UsagePlanKey = Static<typeof UsagePlanKeySchema>;

/** How AWS shows a key of a usage plan (GetUsagePlanKeys items). */
export interface UsagePlanKeyResource {
  id: string;
  type: 'API_KEY';
  value: string;
  name?: string;
}

export function usagePlanKeyResource(key: ApiKey): UsagePlanKeyResource {
  const resource: UsagePlanKeyResource = { id: key.id, type: 'API_KEY', value: key.value };
  if (key.name !== undefined) resource.name = key.name;
  return resource;
}

/** Identifiers shaped like AWS's: 10 characters for keys, 6 for usage plans. */
export const newApiKeyId = (): string => newId(10);
export const newUsagePlanId = (): string => newId(6);

const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random key value like the ones AWS generates: 40 letters and digits. */
export function generateApiKeyValue(length = GENERATED_API_KEY_VALUE_LENGTH): string {
  let value = '';
  while (value.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: bytes above it are skipped so every character is equally likely.
      if (byte < 248 && value.length < length) value += VALUE_ALPHABET[byte % VALUE_ALPHABET.length];
    }
  }
  return value;
}

/**
 * The first problem AWS reports for these fields, in AWS's words, or undefined. Checked before
 * the schema so that a caller sees exactly the message AWS would have answered.
 */
export function apiKeyFieldProblem(fields: {
  value?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
}): string | undefined {
  if (fields.name !== undefined && fields.name.length > API_KEY_NAME_MAX_LENGTH) {
    return API_KEY_MESSAGES.nameTooLong;
  }
  if (fields.value !== undefined) {
    if (fields.value.length > API_KEY_VALUE_MAX_LENGTH) return API_KEY_MESSAGES.valueTooLong;
    if (fields.value.length < API_KEY_VALUE_MIN_LENGTH) return API_KEY_MESSAGES.valueTooShort;
  }
  if (fields.description !== undefined && fields.description.length > API_KEY_DESCRIPTION_MAX_LENGTH) {
    return API_KEY_MESSAGES.descriptionTooLong;
  }
  return undefined;
}

/** Throws ModelValidationError whose message is AWS's own when AWS has one for the problem. */
export function assertValidApiKey(key: unknown): asserts key is ApiKey {
  if (typeof key === 'object' && key !== null) {
    const { value, name, description } = key as Record<string, unknown>;
    const problem = apiKeyFieldProblem({
      value: typeof value === 'string' ? value : undefined,
      name: typeof name === 'string' ? name : undefined,
      description: typeof description === 'string' ? description : undefined,
    });
    if (problem !== undefined) throw new ModelValidationError([problem]);
  }
  assertValid(ApiKeySchema, key);
}

export interface NewApiKeyInput {
  name?: string | undefined;
  /** Empty or absent: a value is generated, as AWS does. */
  value?: string | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
  customerId?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/** A new key as CreateApiKey makes it: disabled unless asked, a generated value unless given. */
export function newApiKey(input: NewApiKeyInput, now: number = Date.now()): ApiKey {
  const date = Math.floor(now / 1000);
  const key: ApiKey = {
    id: newApiKeyId(),
    value: input.value === undefined || input.value === '' ? generateApiKeyValue() : input.value,
    enabled: input.enabled ?? false,
    createdDate: date,
    lastUpdatedDate: date,
  };
  // AWS stores no name at all when given an empty one.
  if (input.name !== undefined && input.name !== '') key.name = input.name;
  if (input.description !== undefined) key.description = input.description;
  if (input.customerId !== undefined) key.customerId = input.customerId;
  if (input.tags !== undefined) key.tags = { ...input.tags };
  assertValidApiKey(key);
  return key;
}

/** Checks a plan against the schema, and that no API stage appears in it twice. */
export function assertValidUsagePlan(plan: unknown): asserts plan is UsagePlan {
  assertValid(UsagePlanSchema, plan);
  const seen = new Set<string>();
  for (const [index, { apiId, stage }] of plan.apiStages.entries()) {
    const key = `${apiId}:${stage}`;
    if (seen.has(key)) {
      throw new ModelValidationError([`/apiStages/${index}: API stage ${key} appears twice in the plan`]);
    }
    seen.add(key);
  }
}

export type NewUsagePlanInput = Omit<UsagePlan, 'id'>;

export function newUsagePlan(input: NewUsagePlanInput): UsagePlan {
  const plan: UsagePlan = { ...structuredClone(input), id: newUsagePlanId() };
  assertValidUsagePlan(plan);
  return plan;
}
