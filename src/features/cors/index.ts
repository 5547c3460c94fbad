// CORS: HTTP APIs' built-in corsConfiguration, and the REST console's "Enable CORS" as a model change.
export {
  compileCors,
  corsProblems,
  MAX_MAX_AGE,
  MIN_MAX_AGE,
  type CompiledCors,
  type CorsConfiguration,
} from './http-api-cors.js';
export {
  CONSOLE_ALLOW_HEADERS,
  CONSOLE_ALLOW_ORIGIN,
  CORS_GATEWAY_RESPONSE_TYPES,
  enableRestCors,
  type EnableRestCorsOptions,
} from './rest-api-cors.js';
