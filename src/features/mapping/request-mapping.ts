// REST integration request: the mapping template chosen by the request's Content-Type, or the
// body passed through as passthroughBehavior allows (415 when it does not), with binary
// payloads converted as contentHandling says.
import type { Readable } from 'node:stream';
import type { Integration } from '../../model/rest-api.js';
import type { RequestContext } from '../../dataplane/context.js';
import { readBody } from '../../dataplane/body.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { compileTemplate, type CompiledTemplate, type RenderResult } from '../vtl/index.js';
import { binaryMediaTypeMatcher } from '../lambda-proxy/media-types.js';
import { convert } from './binary.js';
import { renderTemplate } from './render.js';
import { templateInput } from './template-input.js';

export interface IntegrationRequestBody {
  /** The body to send: the template's output, the method request's body, or its stream. */
  body: Buffer | Readable | null;
  /** Content-Type to send with a rendered body. */
  contentType: string | undefined;
  override: RenderResult['requestOverride'] | undefined;
}

export type RequestMapping = (ctx: RequestContext) => Promise<IntegrationRequestBody>;

/** API Gateway treats a request without Content-Type as application/json. */
export function requestContentType(ctx: RequestContext): string {
  const value = ctx.req.headers['content-type'];
  if (!value) return 'application/json';
  // Every templated request asks, so no array of parameters is built just to drop it.
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Null when the body always passes through untouched (no templates, no conversion, and a
 * passthrough that allows it), so such routes keep streaming.
 */
export function compileRequestMapping(
  integration: Integration,
  binaryMediaTypes: readonly string[],
): RequestMapping | null {
  const templates = new Map<string, CompiledTemplate>();
  for (const [contentType, source] of Object.entries(integration.requestTemplates ?? {})) {
    templates.set(contentType.toLowerCase(), compileTemplate(source));
  }
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  const handling = integration.contentHandling;
  if (templates.size === 0 && behavior !== 'NEVER' && handling === undefined) return null;
  const passthroughAllowed =
    behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && templates.size === 0);
  const isBinary = binaryMediaTypeMatcher(binaryMediaTypes);

  return async (ctx) => {
    const contentType = requestContentType(ctx);
    const binary = isBinary(contentType);
    const raw = await readBody(ctx);
    // A binary payload reaches a template only as base64 text (CONVERT_TO_TEXT); otherwise it
    // passes through as it is.
    if (binary && handling !== 'CONVERT_TO_TEXT')
      return { body: raw, contentType: undefined, override: undefined };
    const text = convert(raw, binary, handling === 'CONVERT_TO_TEXT' ? handling : undefined);
    const template = templates.get(contentType);
    if (!template) {
      if (!passthroughAllowed) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE');
      return { body: convert(text, false, handling), contentType: undefined, override: undefined };
    }
    const result = renderTemplate(template, templateInput(ctx, template, text));
    const output = convert(Buffer.from(result.output), false, handling);
    return { body: output, contentType, override: result.requestOverride };
  };
}
