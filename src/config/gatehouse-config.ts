// Gatehouse's own configuration file (`gatehouse serve --config gatehouse.yaml`): which
// runtime serves each function named in Lambda integration URIs. docs/configuration.md
// documents the format; every error names the file and a JSON pointer.
import { dirname, isAbsolute, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { loadDocument } from '../openapi/parse.js';
import { problemsOf } from '../model/validate.js';
import { compileIamCallers, IamCallerError } from '../features/auth/index.js';

// Lambda's rule for variable names.
const Environment = Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]+$' }), Type.String(), {
  additionalProperties: false,
});

const LocalFunctionSchema = Type.Object(
  {
    runtime: Type.Literal('local'),
    /** Lambda's handler setting, `file.export`, relative to codeDir. */
    handler: Type.String({ pattern: '^[^.]+\\..+$' }),
    /** Directory of the code, relative to the config file; default: the config file's directory. */
    codeDir: Type.Optional(Type.String({ minLength: 1 })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, maximum: 900 })),
    memorySize: Type.Optional(Type.Integer({ minimum: 16, maximum: 10_240 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    environment: Type.Optional(Environment),
  },
  { additionalProperties: false },
);

const LambdaFunctionSchema = Type.Object(
  {
    runtime: Type.Literal('lambda'),
    /** The function's name in Lambda; default: the name used in the integration URI. */
    functionName: Type.Optional(Type.String({ minLength: 1 })),
    qualifier: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const LambdaEndpointSchema = Type.Object(
  {
    endpoint: Type.String({ pattern: '^https?://' }),
    region: Type.String({ minLength: 1 }),
    /** Absent: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN from the environment, else unsigned. */
    credentials: Type.Optional(
      Type.Object(
        {
          accessKeyId: Type.String({ minLength: 1 }),
          secretAccessKey: Type.String({ minLength: 1 }),
          sessionToken: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 50 })),
  },
  { additionalProperties: false },
);

const AccountThrottleSchema = Type.Object(
  {
    rateLimit: Type.Number({ minimum: 0 }),
    burstLimit: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

const RuntimeStateSchema = Type.Object(
  {
    /** `memory` (the default) or a Redis URL: redis://, rediss://, redis-cluster://host:port,host:port. */
    url: Type.Optional(Type.String({ pattern: '^(memory|rediss?://.+|redis-cluster://.+)$' })),
    /** Redis unreachable: `open` decides with a bucket in memory, `closed` refuses (429). */
    failure: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    /** The longest a request waits for Redis, in ms (default 50). */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Processes sharing limits share the prefix (default `gatehouse:`). */
    keyPrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** An IAM identity that may sign data-plane requests (docs/configuration.md, "Callers"). */
const CallerSchema = Type.Object(
  {
    /** Letters, digits and underscores, as AWS's access key ids (16–128 characters there). */
    accessKeyId: Type.String({ pattern: '^\\w{1,128}$' }),
    secretAccessKey: Type.String({ minLength: 1 }),
    /** Default `arn:aws:iam::000000000000:user/{name}`. */
    arn: Type.Optional(Type.String({ minLength: 1 })),
    /** An IAM identity policy (object or JSON string); absent, the caller may invoke everything. */
    policy: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Object({})])),
  },
  { additionalProperties: false },
);

export const GatehouseConfigSchema = Type.Object(
  {
    functions: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_-]{1,140}$' }),
        Type.Union([LocalFunctionSchema, LambdaFunctionSchema]),
        {
          additionalProperties: false,
        },
      ),
    ),
    lambda: Type.Optional(LambdaEndpointSchema),
    /** The account-level throttle (default AWS's: 10,000 requests/s, bursts of 5,000); false: no throttling or quotas at all. */
    throttling: Type.Optional(Type.Union([AccountThrottleSchema, Type.Literal(false)])),
    /** Where throttle buckets, quota counters and usage live (docs/throttling.md). */
    state: Type.Optional(RuntimeStateSchema),
    /** Who may sign management API requests: `KEY:SECRET[,KEY2:SECRET2]` (GATEHOUSE_ADMIN_CREDENTIALS wins). */
    adminCredentials: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * PEM files for the HTTPS listener, by name. A custom domain's certificateName or
     * certificateArn names one, so an ACM ARN can be used as the name.
     */
    certificates: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1 }),
        Type.Object(
          {
            certificate: Type.String({ minLength: 1 }),
            privateKey: Type.String({ minLength: 1 }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** The certificate for hosts that are no custom domain (and domains naming none). */
    defaultCertificate: Type.Optional(Type.String({ minLength: 1 })),
    /** IAM identities that may sign requests to AWS_IAM methods and routes, by user name. */
    callers: Type.Optional(
      Type.Record(Type.String({ pattern: '^[\\w+=,.@-]{1,64}$' }), CallerSchema, {
        additionalProperties: false,
      }),
    ),
  },
  { additionalProperties: false },
);

export type GatehouseConfig = Static<typeof GatehouseConfigSchema>;
export type LocalFunctionSettings = Static<typeof LocalFunctionSchema>;

export interface LoadedConfig {
  config: GatehouseConfig;
  /** Directory relative paths in the file are resolved against. */
  baseDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const document = (await loadDocument(path)) ?? {};
  const problems = problemsOf(GatehouseConfigSchema, document).map((line) => `${path}: ${line}`);
  const config = document as GatehouseConfig;
  const usesLambda = Object.values(config.functions ?? {}).some((f) => f.runtime === 'lambda');
  if (problems.length === 0 && usesLambda && !config.lambda) {
    problems.push(`${path}: /lambda: required when a function uses runtime "lambda" (endpoint and region)`);
  }
  if (
    problems.length === 0 &&
    config.defaultCertificate !== undefined &&
    !Object.hasOwn(config.certificates ?? {}, config.defaultCertificate)
  ) {
    problems.push(`${path}: /defaultCertificate: "${config.defaultCertificate}" is not in /certificates`);
  }
  if (problems.length === 0 && config.callers) {
    try {
      compileIamCallers(config.callers);
    } catch (error) {
      if (!(error instanceof IamCallerError)) throw error;
      problems.push(...error.problems.map((problem) => `${path}: ${problem}`));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { config, baseDir: dirname(resolve(path)) };
}

export function resolveCodeDir(settings: LocalFunctionSettings, baseDir: string): string {
  const dir = settings.codeDir ?? '.';
  return isAbsolute(dir) ? dir : resolve(baseDir, dir);
}

/** The configured certificates with their PEM paths made absolute (relative to the config file). */
export function certificateFiles(
  config: GatehouseConfig,
  baseDir: string,
): Record<string, { certificate: string; privateKey: string }> {
  const files: Record<string, { certificate: string; privateKey: string }> = {};
  for (const [name, entry] of Object.entries(config.certificates ?? {})) {
    files[name] = {
      certificate: resolve(baseDir, entry.certificate),
      privateKey: resolve(baseDir, entry.privateKey),
    };
  }
  return files;
}
