// `$context` as mapping templates, gateway responses and function events see it, built from
// the request on demand (only routes that use it pay for it).
import type { RequestContext } from './context.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** AWS's requestTime: `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

export const ACCOUNT_ID = '000000000000';

export function contextVariables(ctx: RequestContext): Record<string, unknown> {
  const header = (name: string) => {
    const value = ctx.req.headers[name];
    return Array.isArray(value) ? value.join(',') : (value ?? null);
  };
  const host = header('host') ?? '';
  return {
    accountId: ACCOUNT_ID,
    apiId: ctx.apiId,
    deploymentId: ctx.deploymentId,
    domainName: host,
    domainPrefix: host.split('.')[0] ?? '',
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.method,
    identity: {
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: ctx.sourceIp,
      user: null,
      userAgent: header('user-agent'),
      userArn: null,
    },
    isCanaryRequest: 'false',
    path: `/${ctx.stageName}${ctx.path}`,
    protocol: `HTTP/${ctx.req.httpVersion}`,
    requestId: ctx.requestId,
    requestTime: clfTime(ctx.requestTimeEpoch),
    requestTimeEpoch: ctx.requestTimeEpoch,
    resourceId: ctx.resourceId,
    resourcePath: ctx.resourcePath,
    stage: ctx.stageName,
    authorizer: authorizerVariables(ctx.authorizer),
    error: {},
  };
}

/**
 * `$context.authorizer.*`: REST authorizer context values are strings, as AWS renders them;
 * HTTP APIs' 2.0 shapes (`{lambda: …}`, `{jwt: {claims, scopes}}`) are unwrapped, so
 * `$context.authorizer.claims.sub` and `$context.authorizer.key` read as AWS documents.
 */
function authorizerVariables(authorizer: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!authorizer) return {};
  const inner = authorizer.lambda ?? authorizer.jwt;
  if (inner !== null && typeof inner === 'object' && Object.keys(authorizer).length === 1) {
    return authorizerVariables(inner as Record<string, unknown>);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(authorizer)) {
    out[key] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  }
  return out;
}
