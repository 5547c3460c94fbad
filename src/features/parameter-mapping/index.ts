// HTTP API parameter mapping (requestParameters and responseParameters of an integration):
// checked and compiled once per deploy, applied per request without parsing anything again.
export { parameterMappingProblems, ParameterMappingError } from './problems.js';
export { compileRequestMapping, type CompiledRequestMapping, type RequestMappingInput } from './request.js';
export {
  compileResponseMapping,
  type CompiledResponseMapping,
  type ResponseMappingInput,
} from './response.js';
export { JSON_PATH_BODY_LIMIT_BYTES } from './runtime.js';
export { isReservedHeader } from './entries.js';
