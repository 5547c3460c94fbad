// The method request's API key check (REST APIs, methods with apiKeyRequired). A request
// passes only with the value of an enabled key that some usage plan attaches to this API
// stage; anything else is AWS's 403 {"message":"Forbidden"} (INVALID_API_KEY). The check is
// synchronous and costs one Map lookup against the current index.
import type { RequestStep } from '../../dataplane/compiled-stage.js';
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { stageKeyOf, type ApiKeyIdentity, type ApiKeyState } from './api-key-index.js';

export type ApiKeySourceType = 'HEADER' | 'AUTHORIZER';

export interface ApiKeyCheckOptions {
  /** The method's apiKeyRequired. */
  required: boolean;
  /** The API's apiKeySource. */
  apiKeySource: ApiKeySourceType;
  apiId: string;
  stageName: string;
  state: ApiKeyState;
  /**
   * Where an AUTHORIZER-sourced key is read from: the `usageIdentifierKey` the request's
   * Lambda authorizer returned. By default `ctx.authorizer.usageIdentifierKey`.
   */
  usageIdentifierKey?: (ctx: RequestContext) => string | undefined;
}

/** The key the request was accepted with, for `$context.identity.apiKey` and `apiKeyId`. */
export function apiKeyOf(ctx: RequestContext): ApiKeyIdentity | undefined {
  return ctx.apiKey;
}

/** The `x-api-key` header; Node has already lower-cased header names. */
function headerKey(ctx: RequestContext): string | undefined {
  const value = ctx.req.headers['x-api-key'];
  return typeof value === 'string' ? value : undefined;
}

function authorizerContextKey(ctx: RequestContext): string | undefined {
  const value = ctx.authorizer?.['usageIdentifierKey'];
  return typeof value === 'string' ? value : undefined;
}

/** Null when the method does not require a key: the route then has no step at all. */
export function compileApiKeyCheck(options: ApiKeyCheckOptions): RequestStep | null {
  if (!options.required) return null;
  const { state } = options;
  const stageKey = stageKeyOf(options.apiId, options.stageName);
  const presented =
    options.apiKeySource === 'HEADER' ? headerKey : (options.usageIdentifierKey ?? authorizerContextKey);
  return (ctx) => {
    const value = presented(ctx);
    const entry = value === undefined ? undefined : state.current.get(value);
    if (entry === undefined || !entry.enabled || !entry.stages.has(stageKey)) {
      throw new GatewayError('INVALID_API_KEY');
    }
    ctx.apiKey = entry.identity;
    return undefined;
  };
}
