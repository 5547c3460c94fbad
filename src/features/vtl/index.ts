// Mapping templates (VTL) with API Gateway's semantics, as a library: compile once per
// deployment, render per request.
export { compileTemplate, type CompiledTemplate } from './compile.js';
export { TemplateError, type TemplateErrorKind } from './errors.js';
export { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from './limits.js';
export type {
  RenderResult,
  RequestOverride,
  RequestParameters,
  ResponseOverride,
  TemplateInput,
} from './types.js';
