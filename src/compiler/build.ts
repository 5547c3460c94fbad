// What every route compiler shares: the stage being compiled, its options, and the rule that a
// route whose configuration cannot work answers AWS's configuration error (with a deploy
// warning saying why) instead of failing the whole stage.
import type { Stage } from '../model/api.js';
import type { RequestStep } from '../dataplane/compiled-stage.js';
import { GatewayError } from '../dataplane/gateway-responses.js';
import type { Integration } from '../dataplane/integrations/http-proxy.js';
import type { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import type { FunctionRuntime } from '../functions/runtime.js';
import type { AuthDeps, AuthorizerCache, IamCallers } from '../features/auth/index.js';
import type { ApiKeyState } from '../features/api-keys/index.js';
import type { ResponseCaches } from '../features/cache/index.js';
import type { Throttling } from '../features/throttling/index.js';

export interface CompileOptions {
  pools: UpstreamPools;
  /** The runtimes that serve Lambda functions; undefined when none is configured. */
  functions?: FunctionRuntime | undefined;
  /** The current API keys and usage plans; without it a method that requires a key refuses every request. */
  apiKeys?: ApiKeyState | undefined;
  /** Every stage's response cache on this node; without it each compiled stage gets its own memory cache. */
  responseCaches?: ResponseCaches | undefined;
  /** Throttling and usage plan quotas for every stage on this node; without it no route is throttled. */
  throttling?: Throttling | undefined;
  /** The IAM callers that may sign requests (config file `callers`); without them AWS_IAM refuses every request. */
  iamCallers?: IamCallers | undefined;
  /** Told about each route that cannot work, with the reason. */
  warn: (message: string) => void;
  /** Told about unexpected failures while serving (bugs); clients see a 500. */
  onUnexpected?: (error: unknown) => void;
}

export interface Build {
  stage: Stage;
  binaryMediaTypes: readonly string[];
  /** Deploy-time `$context` values (apiId, stage, deploymentId, accountId …). */
  context: Record<string, string>;
  options: CompileOptions;
  /** The stage's authorizer result cache (each compiled stage has its own, as on AWS). */
  authorizerCache: AuthorizerCache<unknown>;
}

export interface RouteParts {
  requestSteps: RequestStep[] | null;
  integration: Integration;
}

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

/** Compiles one route; if it cannot work, the route answers a configuration error instead. */
export function guarded(where: string, build: Build, compile: () => RouteParts): RouteParts {
  try {
    return compile();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    build.options.warn(`stage ${build.stage.stageName}, ${where}: ${reason}; the route answers 500`);
    return {
      requestSteps: null,
      integration: () => Promise.reject(new GatewayError('API_CONFIGURATION_ERROR')),
    };
  }
}

/** Request steps in AWS's order, or null when the route needs none. */
export function stepsOf(...steps: (RequestStep | null)[]): RequestStep[] | null {
  const present = steps.filter((step) => step !== null);
  return present.length > 0 ? present : null;
}

/** One set of authorization dependencies per stage, so every route shares its authorizers. */
export function authDeps(apiId: string, build: Build): AuthDeps {
  return {
    functions: build.options.functions,
    cache: build.authorizerCache,
    region: REGION,
    accountId: ACCOUNT_ID,
    stageName: build.stage.stageName,
    stageVariables: build.stage.variables,
    apiId,
    ...(build.options.iamCallers && { iamCallers: build.options.iamCallers }),
  };
}
