// What a Lambda authorizer's answer means. Parsing and deciding are separate steps because the
// parsed answer is what the authorizer cache keeps: a cached policy is evaluated again for
// every method it is asked about (a policy naming one method denies the others).
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { compilePolicy, type CompiledPolicy } from './policy.js';
import { AUTHORIZER_EXPLICIT_DENY, AUTHORIZER_IMPLICIT_DENY } from './resource-policy.js';

/** The value types a REST authorizer's `context` may hold; `$context.authorizer.<key>` shows them as strings. */
export type AuthorizerContextValue = string | number | boolean;

export interface RestAuthorizerResult {
  principalId: string;
  policy: CompiledPolicy;
  context: Record<string, AuthorizerContextValue>;
  /** The API key to meter against a usage plan when the API's apiKeySource is AUTHORIZER. */
  usageIdentifierKey?: string;
}

/** The outcome of invoking the authorizer function, as a function runtime reports it. */
export interface AuthorizerFunctionResult {
  payload: Buffer;
  /** Set when the function failed (Lambda's X-Amz-Function-Error: `Unhandled`, `Handled`). */
  functionError?: string;
}

/**
 * The function's outcome for a REST API: a failure whose message is exactly `Unauthorized`
 * is a 401; any other failure is AUTHORIZER_CONFIGURATION_ERROR (500); otherwise the answer is
 * parsed by parseRestAuthorizerResult.
 */
export function authorizerOutcome(result: AuthorizerFunctionResult): RestAuthorizerResult {
  refuseFailure(result);
  return parseRestAuthorizerResult(result.payload);
}

/**
 * Reads a REST authorizer's answer: `{principalId, policyDocument, context?, usageIdentifierKey?}`.
 * Anything else is AUTHORIZER_CONFIGURATION_ERROR (500, message null), as on AWS: a payload
 * that is not a JSON object, a missing principalId or policyDocument, a policy that cannot be
 * read, a context that is not an object, or a context value that is an object, an array or null.
 */
export function parseRestAuthorizerResult(payload: Buffer): RestAuthorizerResult {
  const answer = parseObject(payload);
  const principalId = readPrincipalId(answer);
  const policy = readPolicy(answer);
  const context = answer['context'];
  if (context !== undefined && context !== null) {
    if (!isRecord(context)) throw configurationError();
    for (const value of Object.values(context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw configurationError();
      }
    }
  }
  const result: RestAuthorizerResult = {
    principalId,
    policy,
    context: (context ?? {}) as Record<string, AuthorizerContextValue>,
  };
  const usageIdentifierKey = answer['usageIdentifierKey'];
  if (usageIdentifierKey !== undefined && usageIdentifierKey !== null) {
    if (typeof usageIdentifierKey !== 'string') throw configurationError();
    result.usageIdentifierKey = usageIdentifierKey;
  }
  return result;
}

/**
 * Applies the authorizer's policy to the method being called: an explicit Deny and a policy
 * that does not cover the method are both ACCESS_DENIED (403), with AWS's two messages.
 */
export function enforceAuthorizerPolicy(result: { policy: CompiledPolicy }, methodArn: string): void {
  const decision = result.policy.evaluate(methodArn);
  if (decision === 'allow') return;
  throw new GatewayError(
    'ACCESS_DENIED',
    decision === 'deny' ? AUTHORIZER_EXPLICIT_DENY : AUTHORIZER_IMPLICIT_DENY,
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP APIs

export interface HttpAuthorizerSettings {
  /** authorizerPayloadFormatVersion. */
  payloadFormatVersion: '1.0' | '2.0';
  /** enableSimpleResponses (format 2.0 only). */
  enableSimpleResponses: boolean;
}

export type HttpAuthorizerResult =
  | { kind: 'simple'; isAuthorized: boolean; context: Record<string, unknown> }
  | { kind: 'policy'; principalId: string; policy: CompiledPolicy; context: Record<string, unknown> };

/** As authorizerOutcome, for an HTTP API's Lambda authorizer. */
export function httpAuthorizerOutcome(
  result: AuthorizerFunctionResult,
  settings: HttpAuthorizerSettings,
): HttpAuthorizerResult {
  refuseFailure(result);
  return parseHttpAuthorizerResult(result.payload, settings);
}

/**
 * Reads an HTTP API authorizer's answer. With simple responses (format 2.0) it is
 * `{isAuthorized: boolean, context?}`; otherwise the IAM policy form of REST APIs. HTTP APIs
 * let context values be any JSON (AWS's examples return arrays and maps), so only the
 * context's being an object is checked. A malformed answer is AUTHORIZER_CONFIGURATION_ERROR,
 * which HTTP APIs render as 500 Internal Server Error.
 */
export function parseHttpAuthorizerResult(
  payload: Buffer,
  settings: HttpAuthorizerSettings,
): HttpAuthorizerResult {
  const answer = parseObject(payload);
  const context = answer['context'];
  if (context !== undefined && context !== null && !isRecord(context)) throw configurationError();
  const contextMap = context ?? {};
  if (settings.payloadFormatVersion === '2.0' && settings.enableSimpleResponses) {
    const isAuthorized = answer['isAuthorized'];
    if (typeof isAuthorized !== 'boolean') throw configurationError();
    return { kind: 'simple', isAuthorized, context: contextMap };
  }
  return {
    kind: 'policy',
    principalId: readPrincipalId(answer),
    policy: readPolicy(answer),
    context: contextMap,
  };
}

/**
 * HTTP APIs answer every refusal by a Lambda authorizer, `isAuthorized: false` or a policy
 * that does not allow the route, with 403 `{"message":"Forbidden"}`.
 */
export function enforceHttpAuthorizerResult(result: HttpAuthorizerResult, routeArn: string): void {
  const allowed =
    result.kind === 'simple' ? result.isAuthorized : result.policy.evaluate(routeArn) === 'allow';
  if (!allowed) throw new GatewayError('ACCESS_DENIED', 'Forbidden');
}

// ---------------------------------------------------------------------------------------------

/**
 * Lambda reports a Node handler's `throw new Error('Unauthorized')` or `callback('Unauthorized')`
 * as a function error whose payload is `{"errorMessage":"Unauthorized", …}`; that one message
 * is AWS's way for an authorizer to answer 401.
 */
function refuseFailure(result: AuthorizerFunctionResult): void {
  if (result.functionError === undefined) {
    if (isBareUnauthorized(result.payload)) throw new GatewayError('UNAUTHORIZED');
    return;
  }
  let message: unknown;
  try {
    const parsed: unknown = JSON.parse(result.payload.toString('utf8'));
    message = isRecord(parsed) ? parsed['errorMessage'] : parsed;
  } catch {
    message = undefined;
  }
  if (message === 'Unauthorized') throw new GatewayError('UNAUTHORIZED');
  throw configurationError();
}

/** A function that returns the bare string "Unauthorized" instead of failing means the same. */
function isBareUnauthorized(payload: Buffer): boolean {
  return payload.length < 32 && payload.toString('utf8').trim() === '"Unauthorized"';
}

function parseObject(payload: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    throw configurationError();
  }
  if (!isRecord(parsed)) throw configurationError();
  return parsed;
}

function readPrincipalId(answer: Record<string, unknown>): string {
  const principalId = answer['principalId'];
  // AWS reads principalId as a string; numbers and booleans arrive stringified.
  if (typeof principalId === 'string') return principalId;
  if (typeof principalId === 'number' || typeof principalId === 'boolean') return String(principalId);
  throw configurationError();
}

function readPolicy(answer: Record<string, unknown>): CompiledPolicy {
  const document = answer['policyDocument'];
  if (document === undefined || document === null) throw configurationError();
  try {
    return compilePolicy(document);
  } catch (error) {
    throw configurationError(error);
  }
}

/** `cause` keeps the reason for the operator's logs; the client sees AWS's null message. */
function configurationError(cause?: unknown): GatewayError {
  const error = new GatewayError('AUTHORIZER_CONFIGURATION_ERROR');
  if (cause !== undefined) error.cause = cause;
  return error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
