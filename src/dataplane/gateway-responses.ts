// The closed catalogue of AWS's gateway response types. A step never writes an error
// response by hand: it throws a GatewayError naming a type, and the response is rendered here.
// docs/errors.md is held to this table by test/errors-doc.test.ts.

export const GATEWAY_RESPONSE_TYPES = {
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: {
    status: 500,
    message: 'Internal server error',
    errorType: 'ApiConfigurationException',
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
  },
  AUTHORIZER_FAILURE: { status: 500, message: null, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Bad request parameters',
    errorType: 'BadRequestException',
  },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  DEFAULT_4XX: { status: 400, message: 'Bad Request', errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException' },
  EXPIRED_TOKEN: { status: 403, message: 'Expired token', errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: {
    status: 504,
    message: 'Network error communicating with endpoint',
    errorType: 'InternalServerErrorException',
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
  },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, message: 'Invalid signature', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'ResourceNotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported Media Type',
    errorType: 'BadRequestException',
  },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'WafFilteredException' },
} as const satisfies Record<string, { status: number; message: string | null; errorType: string }>;

export type GatewayResponseType = keyof typeof GATEWAY_RESPONSE_TYPES;

/**
 * The answers AWS writes from its own code paths rather than from the default template carry
 * a space after the colon: `{"message": "Internal server error"}` (36 bytes, as recorded),
 * `{"message": "Endpoint request timed out"}`, `{"message": "Invalid request body"}`.
 */
const SPACED: ReadonlySet<GatewayResponseType> = new Set([
  'API_CONFIGURATION_ERROR',
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'DEFAULT_5XX',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
]);

/** The default REST error body for a type and message. */
export function defaultErrorBody(type: GatewayResponseType, message: string | null): string {
  return SPACED.has(type)
    ? `{"message": ${JSON.stringify(message)}}`
    : `{"message":${JSON.stringify(message)}}`;
}

/** Raised by any step of the request path; rendered as the API's gateway response of that type. */
export class GatewayError extends Error {
  constructor(
    readonly responseType: GatewayResponseType,
    /** Overrides the type's default message, e.g. the names of missing parameters. */
    readonly responseMessage?: string | null,
    /** `$context.error.validationErrorString` for request validation failures. */
    readonly validationErrorString?: string,
    /** A status AWS uses for this case instead of the type's default (a malformed Lambda proxy response is a 502). */
    readonly statusOverride?: number,
    /** Headers AWS adds for this case, e.g. `www-authenticate` on an HTTP API JWT refusal. */
    readonly extraHeaders?: Readonly<Record<string, string>>,
  ) {
    super(responseMessage ?? GATEWAY_RESPONSE_TYPES[responseType].message ?? responseType);
    this.name = 'GatewayError';
  }
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The default rendering. REST APIs use the template `{"message":$context.error.messageString}`;
 * HTTP APIs have no gateway responses and answer only a few fixed bodies.
 */
export function renderGatewayError(protocol: 'REST' | 'HTTP', error: GatewayError): RenderedError {
  const entry = GATEWAY_RESPONSE_TYPES[error.responseType];
  const message = error.responseMessage === undefined ? entry.message : error.responseMessage;
  const status = error.statusOverride ?? entry.status;
  if (protocol === 'HTTP') {
    const rendered = renderHttpApiError(error.responseType, status, message);
    if (error.extraHeaders) Object.assign(rendered.headers, error.extraHeaders);
    return rendered;
  }
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': entry.errorType },
    body: defaultErrorBody(error.responseType, message),
  };
}

// HTTP APIs answer "Not Found" for an unmatched route, "Internal Server Error" (capitalised)
// for failures and "Service Unavailable" for an integration timeout; no x-amzn-ErrorType.
function renderHttpApiError(
  type: GatewayResponseType,
  status: number,
  message: string | null,
): RenderedError {
  let body: string;
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN':
    case 'RESOURCE_NOT_FOUND':
      status = 404;
      body = '{"message":"Not Found"}';
      break;
    case 'API_CONFIGURATION_ERROR':
    case 'DEFAULT_5XX':
    case 'AUTHORIZER_CONFIGURATION_ERROR':
    case 'AUTHORIZER_FAILURE':
    case 'INTEGRATION_FAILURE':
      status = 500;
      body = '{"message":"Internal Server Error"}';
      break;
    case 'INTEGRATION_TIMEOUT':
      status = 503;
      body = '{"message":"Service Unavailable"}';
      break;
    default:
      body = `{"message":${JSON.stringify(message)}}`;
  }
  return { status, headers: { 'content-type': 'application/json' }, body };
}
