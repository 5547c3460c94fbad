// Verifies a SigV4-signed request the way AWS does: the same checks in the same order, the
// same error types and messages, and the signature recomputed by the AWS SDK's own signer.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  ALGORITHM,
  Sha256,
  UNSIGNED_PAYLOAD,
  amzDate,
  queryBag,
  sha256Hex,
  splitTarget,
} from './canonical.js';

export interface RequestToVerify {
  method: string;
  /** The raw request target as received: path and query, still percent-encoded. */
  path: string;
  /**
   * `req.headers`, or `req.headersDistinct` to have repeated headers joined the SigV4 way
   * (`a,b`) rather than Node's way (`a, b`).
   */
  headers: IncomingHttpHeaders | NodeJS.Dict<string[]>;
  body: Buffer;
}

export interface VerifyOptions {
  /** The signing name the credential scope must carry (`apigateway`, `execute-api`, `lambda`…). */
  service: string;
  now?: Date;
  /** How far `X-Amz-Date` may be from `now` either way; AWS allows 15 minutes. */
  maxSkewMs?: number;
}

/** Returns the secret access key for an access key id, or undefined when the key is unknown. */
export type SecretLookup = (accessKeyId: string) => string | undefined;

export type SignatureErrorType =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

export interface VerifiedRequest {
  ok: true;
  accessKeyId: string;
  /** The region the client signed for; any region is accepted. */
  region: string;
  sessionToken?: string;
}

export interface RejectedRequest {
  ok: false;
  /** API Gateway and Lambda, being REST services, answer every signature failure with 403. */
  status: 400 | 403;
  errorType: SignatureErrorType;
  message: string;
}

export type VerifyResult = VerifiedRequest | RejectedRequest;

export const DEFAULT_MAX_SKEW_MS = 15 * 60_000;

export const MISSING_AUTHENTICATION_TOKEN = 'Missing Authentication Token';
export const INVALID_SECURITY_TOKEN = 'The security token included in the request is invalid.';
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const reject = (errorType: SignatureErrorType, message: string): RejectedRequest => ({
  ok: false,
  status: 403,
  errorType,
  message,
});
const incomplete = (message: string) => reject('IncompleteSignatureException', message);
const invalid = (message: string) => reject('InvalidSignatureException', message);

/**
 * Checks, in AWS's order: an Authorization header at all; its key=value pairs; Credential,
 * SignedHeaders, Signature and a date header present; the algorithm; `host` signed; the date's
 * format and its distance from `now`; the credential scope (service, terminator, date; any
 * region); the access key; the body against a signed x-amz-content-sha256; the signature.
 *
 * The timestamp must come from `X-Amz-Date`, as every AWS SDK and CLI sends it; a request
 * signed over the `Date` header instead fails the signature comparison.
 */
export async function verifyRequest(
  request: RequestToVerify,
  lookupSecret: SecretLookup,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return reject('MissingAuthenticationTokenException', MISSING_AUTHENTICATION_TOKEN);
  }

  const parsed = parseAuthorization(authorization);
  if (!parsed.ok) return parsed;
  const { algorithm, params } = parsed;
  const credential = params.get('Credential');
  const signature = params.get('Signature');
  const signedHeaderList = params.get('SignedHeaders');
  const dateHeader = header(request.headers, 'x-amz-date') ?? header(request.headers, 'date');

  const missing: string[] = [];
  if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaderList === undefined)
    missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (dateHeader === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (
    credential === undefined ||
    signature === undefined ||
    signedHeaderList === undefined ||
    dateHeader === undefined
  ) {
    // AWS echoes only the scheme word here, never the credential parameters.
    return incomplete(`${missing.join(' ')} Authorization=${algorithm}`);
  }

  if (algorithm !== ALGORITHM) return incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);

  const signedHeaders = signedHeaderList
    .split(';')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority')) {
    return invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const signedAt = parseAmzDate(dateHeader);
  if (signedAt === undefined) {
    return incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${dateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const now = options.now ?? new Date();
  const skew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const requestDate = amzDate(signedAt);
  if (signedAt.getTime() < now.getTime() - skew) {
    return invalid(
      `Signature expired: ${requestDate} is now earlier than ${amzDate(new Date(now.getTime() - skew))} ` +
        `(${amzDate(now)} - ${describeSkew(skew)}.)`,
    );
  }
  if (signedAt.getTime() > now.getTime() + skew) {
    return invalid(
      `Signature not yet current: ${requestDate} is still later than ${amzDate(new Date(now.getTime() + skew))} ` +
        `(${amzDate(now)} + ${describeSkew(skew)}.)`,
    );
  }

  const scope = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = scope;
  if (
    scope.length !== 5 ||
    accessKeyId === undefined ||
    scopeDate === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    return incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const scopeProblems: string[] = [];
  if (region === '') scopeProblems.push(`Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== options.service) {
    scopeProblems.push(`Credential should be scoped to correct service: '${options.service}'.`);
  }
  if (terminator !== 'aws4_request') {
    scopeProblems.push(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  if (scopeDate !== requestDate.slice(0, 8)) {
    scopeProblems.push(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scopeDate}' != '${requestDate.slice(0, 8)}', from '${requestDate}'.`,
    );
  }
  if (scopeProblems.length > 0) return invalid(scopeProblems.join(' '));

  const secretAccessKey = lookupSecret(accessKeyId);
  if (secretAccessKey === undefined) return reject('UnrecognizedClientException', INVALID_SECURITY_TOKEN);

  // A signed x-amz-content-sha256 stands in for the body in the canonical request, so it must
  // be held against the body itself, or a replayed signature would carry any body.
  const declaredHash = signedHeaders.includes('x-amz-content-sha256')
    ? header(request.headers, 'x-amz-content-sha256')
    : undefined;
  if (
    declaredHash !== undefined &&
    declaredHash !== UNSIGNED_PAYLOAD &&
    declaredHash !== sha256Hex(request.body)
  ) {
    return invalid(SIGNATURE_MISMATCH);
  }

  const sessionToken = signedHeaders.includes('x-amz-security-token')
    ? header(request.headers, 'x-amz-security-token')
    : undefined;
  const expected = await expectedSignature(request, signedHeaders, signedAt, {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    region,
    service,
  });
  if (!constantTimeEqual(expected, signature)) return invalid(SIGNATURE_MISMATCH);

  return { ok: true, accessKeyId, region, ...(sessionToken !== undefined ? { sessionToken } : {}) };
}

type ParsedAuthorization = { ok: true; algorithm: string; params: Map<string, string> } | RejectedRequest;

function parseAuthorization(authorization: string): ParsedAuthorization {
  const trimmed = authorization.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  if (space === -1) return { ok: true, algorithm, params };
  // AWS splits on whitespace as well as commas: `Credential= AKID/…` reports `AKID/…` as the
  // pair without an equal sign.
  for (const pair of trimmed.slice(space + 1).split(/[\s,]+/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) {
      // AWS stopped echoing Authorization headers in errors; it names them by digest instead.
      const digest = createHash('sha256').update(authorization).digest('base64');
      return incomplete(
        `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${digest}'.`,
      );
    }
    params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return { ok: true, algorithm, params };
}

function header(headers: RequestToVerify['headers'], name: string): string | undefined {
  const value = headers[name];
  // SigV4 joins repeated headers with a bare comma.
  return Array.isArray(value) ? value.join(',') : value;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(text: string): Date | undefined {
  const match = AMZ_DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20261332 over into the next year; a real timestamp survives the round trip.
  return amzDate(date) === text.trim() ? date : undefined;
}

function describeSkew(skewMs: number): string {
  const seconds = Math.round(skewMs / 1000);
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} sec`;
}

interface SigningIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  region: string;
  service: string;
}

async function expectedSignature(
  request: RequestToVerify,
  signedHeaders: string[],
  signedAt: Date,
  identity: SigningIdentity,
): Promise<string> {
  const signed = new Set(signedHeaders);
  const headers = Object.create(null) as Record<string, string>;
  for (const name of signed) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    service: identity.service,
    region: identity.region,
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken !== undefined ? { sessionToken: identity.sessionToken } : {}),
    },
    sha256: Sha256,
    // The SDK signs x-amz-content-sha256 and the CLI does not; the signer must add it only
    // when the client did, and otherwise hash the raw body.
    applyChecksum: signed.has('x-amz-content-sha256'),
  });
  const { path, query } = splitTarget(request.path);
  const result = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: headers.host ?? '',
      path: path === '' ? '/' : path,
      query: queryBag(query),
      headers,
      body: request.body,
    },
    {
      signingDate: signedAt,
      // Sign exactly the client's list: it may include headers the SDK never signs
      // (user-agent), and may leave out x-amz-date.
      signableHeaders: signed,
      ...(signed.has('x-amz-date') ? {} : { unsignableHeaders: new Set(['x-amz-date']) }),
    },
  );
  const match = /Signature=([0-9a-f]+)/.exec(result.headers.authorization ?? '');
  return match?.[1] ?? '';
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  if (a.length !== b.length) {
    // Still spend a comparison so that the length is all a timing probe could learn.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
