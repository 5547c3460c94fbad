import type { IncomingHttpHeaders } from 'node:http';
import { signRequest, type RequestToVerify, type SigningCredentials } from '../../src/sigv4/index.js';

export const KEY: SigningCredentials = { accessKeyId: 'AKIDGATEHOUSE', secretAccessKey: 'gatehouse/secret+key' };
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

/**
 * Signs a request with `signRequest` and returns it as a server receives it: the raw target,
 * lower-case headers including `host` and the signature headers.
 */
export async function signedRequest(outgoing: Outgoing = {}): Promise<RequestToVerify> {
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
export function withAuthorizationParam(request: RequestToVerify, name: string, value: string): RequestToVerify {
  const authorization = String(request.headers.authorization);
  const replaced = authorization.replace(new RegExp(`${name}=[^,]*`), `${name}=${value}`);
  return { ...request, headers: { ...request.headers, authorization: replaced } };
}
