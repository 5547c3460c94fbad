// compileTemplate: parse and compile to closures once at deploy time; each render only runs them.
import { programFacts } from './analysis.js';
import { compileProgram } from './closures.js';
import { TemplateError } from './errors.js';
import { JsonPathCache } from './input-host.js';
import { renderProgram } from './interpreter.js';
import { PatternCache } from './java-regex.js';
import { resolveLimits, type TemplateLimits } from './limits.js';
import { parseTemplate } from './template-parser.js';
import type { RenderResult, TemplateInput } from './types.js';

export interface CompiledTemplate {
  /** Renders against one request. Throws TemplateError ('limit' or 'runtime') and nothing else. */
  render(input: TemplateInput): RenderResult;
  /**
   * Whether a render may read the body (the template uses `$input`) and `$context`. When one
   * is false, TemplateInput's `body` or `context` is never read: the caller may pass '' or {}
   * instead of building it (a MOCK's `{"statusCode": 200}` needs neither).
   */
  readonly readsBody: boolean;
  readonly readsContext: boolean;
}

/** Parses a mapping template. Throws TemplateError ('syntax', or 'limit' for absurd nesting). */
export function compileTemplate(source: string, limits?: Partial<TemplateLimits>): CompiledTemplate {
  const resolved = resolveLimits(limits);
  let program;
  let compiled;
  try {
    program = parseTemplate(source);
    compiled = compileProgram(program);
  } catch (error) {
    throw asTemplateError(error);
  }
  const caches = { patterns: new PatternCache(), paths: new JsonPathCache(), facts: programFacts(program) };
  return {
    readsBody: caches.facts.roots.has('input'),
    readsContext: caches.facts.roots.has('context'),
    render(input: TemplateInput): RenderResult {
      try {
        return renderProgram(compiled, input, resolved, caches);
      } catch (error) {
        throw asTemplateError(error);
      }
    },
  };
}

function asTemplateError(error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new TemplateError('limit', 'template recursion exhausted the stack', undefined, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TemplateError('runtime', `internal error in the template engine: ${message}`, undefined, error);
}
