// What a render takes and gives back.
import type { RequestParameters } from './input-host.js';
import type { RequestOverride, ResponseOverride } from './overrides.js';

export interface TemplateInput {
  /** Raw method request (or integration response) body; '' when empty. */
  body: string;
  /** For $input.params(): header names as received; header lookups ignore case. */
  params: RequestParameters;
  /**
   * $context: nested plain data (strings, numbers, booleans, null, objects, arrays). Any
   * requestOverride / responseOverride given here seed the override maps the template sees.
   */
  context: Readonly<Record<string, unknown>>;
  stageVariables: Readonly<Record<string, string>>;
}

export interface RenderResult {
  output: string;
  /** $context.requestOverride after the render (seeded values plus what the template wrote). */
  requestOverride: RequestOverride;
  /** $context.responseOverride after the render; `status` only when one was set. */
  responseOverride: ResponseOverride;
}

export type { RequestOverride, ResponseOverride, RequestParameters };
