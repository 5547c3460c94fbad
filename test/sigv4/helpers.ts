import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest, type RequestToVerify, type SigningCredentials } from '../../src/sigv4/index.js';

export const KEY: SigningCredentials = {
  accessKeyId: 'AKIDGATEHOUSE',
  secretAccessKey: 'gatehouse/secret+key',
};
export const SIGNED_AT = new Date('2026-11-25T21:56:50Z');

export const lookup = (accessKeyId: string): string | undefined =>
  accessKeyId === KEY.accessKeyId ? KEY.secretAccessKey : undefined;

export interface Outgoing {
  method?: string;
  /** Absolute URL the client signs. */
  url?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials?: SigningCredentials;
  service?: string;
  region?: string;
  at?: Date;
}

/** A request as `node:http` hands it over: single-string headers. */
export interface ReceivedRequest extends RequestToVerify {
  headers: IncomingHttpHeaders;
}

/**
 * Signs a request with `signRequest` and returns it as a server receives it: the raw target,
 * lower-case headers including `host` and the signature headers.
 */
export async function signedRequest(outgoing: Outgoing = {}): Promise<ReceivedRequest> {
  const url = outgoing.url ?? 'http://127.0.0.1:9999/restapis?limit=10';
  const body = Buffer.from(outgoing.body ?? '');
  const headers = outgoing.headers ?? { accept: 'application/json' };
  const added = await signRequest(
    { method: outgoing.method ?? 'GET', url, headers, body },
    outgoing.credentials ?? KEY,
    { service: outgoing.service ?? 'apigateway', region: outgoing.region ?? 'us-east-1' },
    outgoing.at ?? SIGNED_AT,
  );
  const parsed = new URL(url);
  const received: IncomingHttpHeaders = { host: parsed.host };
  for (const [name, value] of Object.entries({ ...headers, ...added })) received[name.toLowerCase()] = value;
  return { method: outgoing.method ?? 'GET', path: parsed.pathname + parsed.search, headers: received, body };
}

/** Replaces one parameter of the Authorization header. */
export function withAuthorizationParam(
  request: ReceivedRequest,
  name: string,
  value: string,
): ReceivedRequest {
  const authorization = String(request.headers.authorization);
  const replaced = authorization.replace(new RegExp(`${name}=[^,]*`), `${name}=${value}`);
  return { ...request, headers: { ...request.headers, authorization: replaced } };
}

export interface SdkRequest {
  method: string;
  /** Path and query as they go on the wire. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Signs with `@smithy/signature-v4` directly, configured as the AWS SDK (applyChecksum) or the
 * AWS CLI (no x-amz-content-sha256) configure it, independently of Gatehouse's `signRequest`.
 */
export async function sdkSigned(
  request: SdkRequest,
  { applyChecksum = true, credentials = KEY, at = SIGNED_AT } = {},
): Promise<ReceivedRequest> {
  const host = '127.0.0.1:9999';
  const [path = '/', rawQuery = ''] = request.path.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const existing = query[name];
    query[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const signer = new SignatureV4({
    service: 'apigateway',
    region: 'us-east-1',
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9999,
      path,
      query,
      headers: { host, ...request.headers },
      body: request.body,
    },
    { signingDate: at },
  );
  return { method: request.method, path: request.path, headers: signed.headers, body: request.body };
}
