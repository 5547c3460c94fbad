// The names Gatehouse reads and writes in OpenAPI documents, in one place so that import and
// export cannot drift apart.

// Document root.
export const IMPORTEXPORT_VERSION_EXTENSION = 'x-amazon-apigateway-importexport-version';
export const IMPORTEXPORT_VERSION = '1.0';
export const CORS_EXTENSION = 'x-amazon-apigateway-cors';
export const ENDPOINT_CONFIGURATION_EXTENSION = 'x-amazon-apigateway-endpoint-configuration';
export const TAG_VALUE_EXTENSION = 'x-amazon-apigateway-tag-value';
/** Root extensions only REST APIs have. */
export const REST_ROOT_EXTENSIONS = {
  binaryMediaTypes: 'x-amazon-apigateway-binary-media-types',
  apiKeySource: 'x-amazon-apigateway-api-key-source',
  minimumCompressionSize: 'x-amazon-apigateway-minimum-compression-size',
  policy: 'x-amazon-apigateway-policy',
  gatewayResponses: 'x-amazon-apigateway-gateway-responses',
  requestValidators: 'x-amazon-apigateway-request-validators',
  requestValidator: 'x-amazon-apigateway-request-validator',
} as const;

// Security schemes.
export const AUTHORIZER_EXTENSION = 'x-amazon-apigateway-authorizer';
export const AUTHTYPE_EXTENSION = 'x-amazon-apigateway-authtype';

// Path items and operations.
export const ANY_METHOD_KEY = 'x-amazon-apigateway-any-method';
export const INTEGRATION_EXTENSION = 'x-amazon-apigateway-integration';
export const REQUEST_VALIDATOR_EXTENSION = 'x-amazon-apigateway-request-validator';
export const AUTH_EXTENSION = 'x-amazon-apigateway-auth';
export const DEFAULT_ROUTE_FIELD = 'isDefaultRoute';
/** The HTTP API catch-all route's key, and (with a leading slash) its path. */
export const DEFAULT_ROUTE_KEY = '$default';

/**
 * Operation fields the model holds. Import leaves them out of a method's or route's `openapi`
 * bag and export writes them back from the model, so each fact has one home.
 */
export const METHOD_MODELED_KEYS = [
  INTEGRATION_EXTENSION,
  REQUEST_VALIDATOR_EXTENSION,
  AUTH_EXTENSION,
  'security',
  'operationId',
];
export const ROUTE_MODELED_KEYS = [
  INTEGRATION_EXTENSION,
  AUTH_EXTENSION,
  'security',
  'operationId',
  DEFAULT_ROUTE_FIELD,
];
