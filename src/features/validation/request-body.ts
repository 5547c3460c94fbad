// The method request body checked against the model its Content-Type selects.
import { readBody } from '../../dataplane/body.js';
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { RestApi } from '../../model/rest-api.js';
import { validationErrorString } from './messages.js';
import { modelValidator, type ModelValidator } from './models.js';

const INVALID_BODY = 'Invalid request body';
const NOT_JSON = '[request body is not valid JSON]';

/** A check that raises BAD_REQUEST_BODY, or null when the method names no request model. */
export function compileBodyCheck(
  api: RestApi,
  requestModels: Readonly<Record<string, string>> | undefined,
): ((ctx: RequestContext) => Promise<undefined>) | null {
  const byMediaType = new Map<string, ModelValidator>();
  let fallback: ModelValidator | undefined;
  for (const [contentType, model] of Object.entries(requestModels ?? {})) {
    if (model === '') continue;
    const validator = modelValidator(api, model);
    if (contentType === '$default') fallback = validator;
    else if (!byMediaType.has(mediaType(contentType))) byMediaType.set(mediaType(contentType), validator);
  }
  if (byMediaType.size === 0 && !fallback) return null;

  return async (ctx) => {
    // A request without Content-Type is taken as application/json, as API Gateway does; one
    // whose type has no model and no $default model is not validated.
    const validator =
      byMediaType.get(mediaType(ctx.req.headers['content-type']) || 'application/json') ?? fallback;
    if (!validator) return undefined;
    const body = parse(await readBody(ctx));
    if (!body) throw new GatewayError('BAD_REQUEST_BODY', INVALID_BODY, NOT_JSON);
    if (!validator(body.value)) {
      throw new GatewayError(
        'BAD_REQUEST_BODY',
        INVALID_BODY,
        validationErrorString(validator.errors ?? [], body.value),
      );
    }
    return undefined;
  };
}

function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

// An empty body is validated as the empty object `{}`, so a model with required properties
// rejects it and one without accepts it (API Gateway answers a bodiless GET to a model that
// requires properties with "Invalid request body").
function parse(buffer: Buffer): { value: unknown } | undefined {
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
