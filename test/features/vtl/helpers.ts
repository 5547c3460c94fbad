import { expect } from 'vitest';
import {
  compileTemplate,
  TemplateError,
  type RenderResult,
  type TemplateErrorKind,
  type TemplateInput,
  type TemplateLimits,
} from '../../../src/features/vtl/index.js';

export function inputOf(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body: '',
    params: { path: {}, querystring: {}, header: {} },
    context: {},
    stageVariables: {},
    ...overrides,
  };
}

export function renderResult(
  template: string,
  overrides: Partial<TemplateInput> = {},
  limits?: Partial<TemplateLimits>,
): RenderResult {
  return compileTemplate(template, limits).render(inputOf(overrides));
}

/** The rendered output of `template` for a request with the given parts. */
export function render(
  template: string,
  overrides: Partial<TemplateInput> = {},
  limits?: Partial<TemplateLimits>,
): string {
  return renderResult(template, overrides, limits).output;
}

/** Renders with `body` as the payload. */
export function renderBody(template: string, body: unknown): string {
  return render(template, { body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error('expected a TemplateError, but nothing was thrown');
}

export function expectTemplateError(fn: () => unknown, kind: TemplateErrorKind): TemplateError {
  const error = templateError(fn);
  expect(error.kind, error.message).toBe(kind);
  return error;
}
