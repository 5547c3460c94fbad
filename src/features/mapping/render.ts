import { GatewayError } from '../../dataplane/gateway-responses.js';
import { TemplateError, type CompiledTemplate, type RenderResult, type TemplateInput } from '../vtl/index.js';

/**
 * Renders a mapping template; a template that fails or exceeds its limits answers as AWS does
 * for "Unable to transform request/response": a 500 configuration error.
 */
export function renderTemplate(template: CompiledTemplate, input: TemplateInput): RenderResult {
  try {
    return template.render(input);
  } catch (error) {
    if (error instanceof TemplateError) throw new GatewayError('API_CONFIGURATION_ERROR');
    throw error;
  }
}
