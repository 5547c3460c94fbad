// What a REST mapping template sees of the request: `$input.params()`, `$context`,
// `$stageVariables`, and the body it is given.
import type { CompiledTemplate, RequestParameters, TemplateInput } from '../vtl/index.js';
import type { RequestContext } from '../../dataplane/context.js';
import { contextVariables } from '../../dataplane/context-variables.js';

/**
 * What `template` sees of the request. The body is decoded and `$context` built only for a
 * template that can read them; `context` is one the caller built already.
 */
export function templateInput(
  ctx: RequestContext,
  template: CompiledTemplate,
  body: Buffer | string,
  context?: Readonly<Record<string, unknown>>,
): TemplateInput {
  // Templates only read what they are given, so the request's own records are not copied.
  return {
    body: !template.readsBody ? '' : typeof body === 'string' ? body : body.toString('utf8'),
    params: new MethodRequestParameters(ctx),
    context: template.readsContext ? (context ?? contextVariables(ctx)) : {},
    stageVariables: ctx.stageVariables,
  };
}

/** The method request's parameters, each kind collected the first time the template asks for it. */
class MethodRequestParameters implements RequestParameters {
  private headers: Record<string, string> | undefined;
  private query: Record<string, string> | undefined;

  constructor(private readonly ctx: RequestContext) {}

  get path(): Readonly<Record<string, string>> {
    return this.ctx.pathParameters;
  }

  get querystring(): Readonly<Record<string, string>> {
    if (this.query === undefined) {
      const querystring: Record<string, string> = {};
      const rawQuery = this.ctx.rawQuery;
      if (rawQuery !== '')
        for (const [name, value] of new URLSearchParams(rawQuery)) querystring[name] = value;
      this.query = querystring;
    }
    return this.query;
  }

  get header(): Readonly<Record<string, string>> {
    if (this.headers === undefined) {
      const header: Record<string, string> = {};
      const raw = this.ctx.req.rawHeaders;
      // Header names keep the client's casing, as AWS shows them; the first value wins.
      for (let i = 0; i < raw.length; i += 2) if (!(raw[i]! in header)) header[raw[i]!] = raw[i + 1]!;
      this.headers = header;
    }
    return this.headers;
  }
}
