// `$context` as mapping templates, gateway responses and function events see it, built from
// the request on demand (only routes that use it pay for it).
import type { RequestContext } from './context.js';
import { clientCertOf } from './domains/client-cert.js';
import { hostnameOf } from './domains/domain-table.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The last second clfTime formatted: requests arriving within one second share the text. */
let lastSecond = Number.NaN;
let lastText = '';

/** AWS's requestTime: `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function clfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastText;
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
  lastSecond = second;
  lastText = text;
  return text;
}

export const ACCOUNT_ID = '000000000000';

function header(ctx: RequestContext, name: string): string | null {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? null);
}

/**
 * `$context.identity` and a REST Lambda event's `requestContext.identity`: the caller as
 * Gatehouse knows it. A SigV4-signed caller (AWS_IAM) fills the IAM fields; Cognito identity
 * pools do not exist here. `apiKey`/`apiKeyId` appear when given (a template always shows
 * them, a Lambda event only for methods that required a key); the client certificate only on
 * a custom domain with mutual TLS.
 */
export function callerIdentity(
  ctx: RequestContext,
  userAgent: string | null,
  apiKey?: { apiKey: string | null; apiKeyId: string | null },
): Record<string, unknown> {
  const iam = ctx.iamIdentity;
  const identity: Record<string, unknown> = {
    accessKey: iam?.accessKey ?? null,
    accountId: iam?.accountId ?? null,
    ...apiKey,
    caller: iam?.principalId ?? null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: ctx.sourceIp,
    user: iam?.principalId ?? null,
    userAgent,
    userArn: iam?.userArn ?? null,
  };
  const clientCert = clientCertOf(ctx.req.socket);
  if (clientCert) identity['clientCert'] = clientCert;
  return identity;
}

export function contextVariables(ctx: RequestContext): Record<string, unknown> {
  // The name the client used, as on AWS: no port, and on custom domains the domain itself.
  const host = hostnameOf(header(ctx, 'host') ?? '');
  const dot = host.indexOf('.');
  const identity = callerIdentity(ctx, header(ctx, 'user-agent'), {
    apiKey: ctx.apiKey?.value ?? null,
    apiKeyId: ctx.apiKey?.id ?? null,
  });
  return {
    accountId: ACCOUNT_ID,
    apiId: ctx.apiId,
    deploymentId: ctx.deploymentId,
    domainName: host,
    domainPrefix: dot === -1 ? host : host.slice(0, dot),
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.method,
    identity,
    isCanaryRequest: ctx.isCanaryRequest ? 'true' : 'false',
    path: pathOf(ctx),
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
 * The path the client requested: on execute-api hosts `/{stage}/…`, on a custom domain the
 * base path (if any) and the rest, since no stage appears in such a URL.
 */
function pathOf(ctx: RequestContext): string {
  if (ctx.basePath === undefined) return `/${ctx.stageName}${ctx.path}`;
  return ctx.basePath === '' ? ctx.path : `/${ctx.basePath}${ctx.path}`;
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
