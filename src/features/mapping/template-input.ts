// What a REST mapping template sees of the request: `$input.params()`, `$context`,
// `$stageVariables`, and the body it is given.
import type { TemplateInput } from '../vtl/index.js';
import type { RequestContext } from '../../dataplane/context.js';
import { contextVariables } from '../../dataplane/context-variables.js';

export function templateInput(
  ctx: RequestContext,
  body: string,
  context = contextVariables(ctx),
): TemplateInput {
  const header: Record<string, string> = {};
  const raw = ctx.req.rawHeaders;
  // Header names keep the client's casing, as AWS shows them; the first value wins.
  for (let i = 0; i < raw.length; i += 2) if (!(raw[i]! in header)) header[raw[i]!] = raw[i + 1]!;
  const querystring: Record<string, string> = {};
  if (ctx.rawQuery !== '')
    for (const [name, value] of new URLSearchParams(ctx.rawQuery)) querystring[name] = value;
  return {
    body,
    params: { path: { ...ctx.pathParameters }, querystring, header },
    context,
    stageVariables: { ...ctx.stageVariables },
  };
}
