// REST integration responses: the one whose selectionPattern matches the integration's status
// (HTTP, MOCK) or error message (functions) wins, else the default one. The chosen response's
// template, parameters and `$context.responseOverride` shape the method response.
import type { IntegrationResponse } from '../../model/rest-api.js';
import type { MethodResponse, RequestContext } from '../../dataplane/context.js';
import { contextVariables } from '../../dataplane/context-variables.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { compileTemplate, type CompiledTemplate } from '../vtl/index.js';
import {
  binaryMediaTypeMatcher,
  firstAcceptedType,
  type MediaTypeMatcher,
} from '../lambda-proxy/media-types.js';
import { compileResponseParameters, type ResponseParameters } from './response-parameters.js';
import { responseConversion } from './binary.js';
import { renderTemplate } from './render.js';
import { templateInput } from './template-input.js';

export interface IntegrationOutput {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface SelectedResponse {
  statusCode: number;
  render(ctx: RequestContext, output: IntegrationOutput): MethodResponse;
}

/** `selector` is the endpoint's status or a function's errorMessage; undefined takes the default response. */
export type IntegrationResponseSelector = (selector: string | undefined) => SelectedResponse;

export function compileIntegrationResponses(
  responses: Record<string, IntegrationResponse> | undefined,
  binaryMediaTypes: readonly string[],
): IntegrationResponseSelector {
  const isBinary = binaryMediaTypeMatcher(binaryMediaTypes);
  const patterns: [RegExp, SelectedResponse][] = [];
  let fallback: SelectedResponse | undefined;
  for (const response of Object.values(responses ?? {})) {
    const compiled = compileResponse(response, isBinary);
    const pattern = response.selectionPattern;
    // Like Java's String.matches, which AWS uses: the pattern must match the whole value.
    if (pattern === undefined || pattern === '' || pattern === 'default') fallback ??= compiled;
    else patterns.push([new RegExp(`^(?:${pattern})$`, 's'), compiled]);
  }
  return (selector) => {
    if (selector !== undefined)
      for (const [pattern, response] of patterns) if (pattern.test(selector)) return response;
    if (fallback) return fallback;
    // AWS: "No match for output mapping and no default output mapping configured".
    throw new GatewayError('API_CONFIGURATION_ERROR');
  };
}

function compileResponse(response: IntegrationResponse, isBinary: MediaTypeMatcher): SelectedResponse {
  const statusCode = Number(response.statusCode);
  const templates = new Map<string, CompiledTemplate>();
  for (const [contentType, source] of Object.entries(response.responseTemplates ?? {})) {
    templates.set(contentType.toLowerCase(), compileTemplate(source));
  }
  const firstType = templates.keys().next().value;
  const parameters: ResponseParameters | null = compileResponseParameters(response.responseParameters);
  const handling = response.contentHandling;

  return {
    statusCode,
    render(ctx, output) {
      const contentType = chooseContentType(ctx, templates, firstType);
      const template = templates.get(contentType);
      // Only what the template or the parameters can read is built.
      const context = parameters || template?.readsContext ? contextVariables(ctx) : undefined;
      const conversion = responseConversion(
        isBinary(headerText(output.headers['content-type'])),
        isBinary(firstAcceptedType(ctx.req.headers.accept)),
        handling,
      );
      // Binary becomes base64 text before the template; text becomes binary after it.
      let body = conversion === 'encode' ? Buffer.from(output.body.toString('base64')) : output.body;
      let status = statusCode;
      const headers: Record<string, string | string[]> = { 'content-type': contentType };
      const text = parameters || template?.readsBody ? body.toString('utf8') : '';
      if (template) {
        const result = renderTemplate(template, templateInput(ctx, template, text, context));
        body = Buffer.from(result.output);
        if (result.responseOverride.status !== undefined) status = result.responseOverride.status;
        Object.assign(headers, result.responseOverride.header);
      }
      if (parameters) {
        Object.assign(
          headers,
          parameters({
            headers: output.headers,
            body: text,
            context: context ?? {},
            stageVariables: ctx.stageVariables,
          }),
        );
      }
      if (conversion === 'decode') body = Buffer.from(body.toString('utf8'), 'base64');
      return { statusCode: status, headers, body: body.length === 0 ? null : body };
    },
  };
}

/** The template for the client's Accept, else application/json, else the first one. */
function chooseContentType(
  ctx: RequestContext,
  templates: Map<string, CompiledTemplate>,
  first: string | undefined,
): string {
  const accept = ctx.req.headers.accept;
  if (accept && templates.size > 1) {
    for (const part of accept.split(',')) {
      const type = (part.split(';')[0] ?? '').trim().toLowerCase();
      if (templates.has(type)) return type;
    }
  }
  if (templates.has('application/json') || first === undefined) return 'application/json';
  return first;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
