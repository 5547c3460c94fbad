// Signs an outgoing request the way the AWS SDK does, with the SDK's own signer, so that AWS
// (or anything verifying like AWS) accepts it.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256, queryBag } from './canonical.js';

export interface RequestToSign {
  method: string;
  /** Absolute URL; its host (with a non-default port) is signed as the `host` header. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SigningScope {
  service: string;
  region: string;
}

/** Headers `signRequest` adds; the request must be sent with them and nothing else changed. */
export type SignatureHeaders = Record<string, string>;

const ADDED_HEADERS = ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

/**
 * Returns `authorization`, `x-amz-date`, `x-amz-content-sha256` and, with a session token,
 * `x-amz-security-token`. Every header passed in is signed except those AWS never signs
 * (`user-agent`, `connection`, …), so the request must go out with exactly these values.
 */
export async function signRequest(
  request: RequestToSign,
  credentials: SigningCredentials,
  scope: SigningScope,
  now: Date = new Date(),
): Promise<SignatureHeaders> {
  const url = new URL(request.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;

  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    sha256: Sha256,
    applyChecksum: true,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: queryBag(url.search.slice(1)),
      headers,
      body: request.body,
    },
    { signingDate: now },
  );

  const added: SignatureHeaders = {};
  for (const name of ADDED_HEADERS) {
    const value = signed.headers[name];
    if (value !== undefined) added[name] = value;
  }
  return added;
}
