// $context.requestOverride / responseOverride writes come back in RenderResult.
import { describe, expect, it } from 'vitest';
import { expectTemplateError, renderResult } from './helpers.js';

describe('overrides', () => {
  it('captures request header, query string and path overrides', () => {
    const result = renderResult(
      [
        "#set($context.requestOverride.header.X-Combined = \"$input.params('h1')$input.params('h2')\")",
        '#set($context.requestOverride.querystring.page = 2)',
        '#set($context.requestOverride.path.id = "p-1")',
        'body',
      ].join('\n'),
      { params: { path: {}, querystring: {}, header: { h1: 'a', h2: 'b' } } },
    );
    expect(result.output).toBe('body');
    expect(result.requestOverride).toEqual({
      header: { 'X-Combined': 'ab' },
      querystring: { page: '2' },
      path: { id: 'p-1' },
    });
    expect(result.responseOverride).toEqual({ header: {} });
  });

  it('captures the response status and headers (the documented error-detection example)', () => {
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '$input.json("$")',
      '#if($inputRoot.toString().contains("error"))',
      '#set($context.responseOverride.status = 400)',
      '#set($context.responseOverride.header.Content-Type = "application/problem+json")',
      '#end',
    ].join('\n');
    const body = '{"errors":[{"key":"GetPetRequest.petId","message":"The value is out of range."}]}';
    const result = renderResult(template, { body });
    expect(result.output).toBe(`${body}\n`);
    expect(result.responseOverride).toEqual({
      status: 400,
      header: { 'Content-Type': 'application/problem+json' },
    });
    expect(renderResult(template, { body: '{"ok":true}' }).responseOverride).toEqual({ header: {} });
  });

  it('accepts a status given as a numeric string and rejects one that is not a status code', () => {
    expect(renderResult('#set($context.responseOverride.status = "204")').responseOverride.status).toBe(204);
    expectTemplateError(() => renderResult('#set($context.responseOverride.status = "teapot")'), 'runtime');
    expectTemplateError(() => renderResult('#set($context.responseOverride.status = 999)'), 'runtime');
  });

  it('joins a list of values with commas', () => {
    expect(
      renderResult('#set($context.requestOverride.header.multi = ["1header", "2header"])').requestOverride
        .header,
    ).toEqual({
      multi: '1header,2header',
    });
  });

  it('lets the template read back what it set', () => {
    expect(
      renderResult('#set($context.responseOverride.header.X = "v")[$context.responseOverride.header.x]')
        .output,
    ).toBe('[v]');
  });

  it('fails a second write to the same parameter, as AWS documents overrides as final', () => {
    expectTemplateError(
      () =>
        renderResult(
          '#set($context.requestOverride.header.X-A = "1")#set($context.requestOverride.header.x-a = "2")',
        ),
      'runtime',
    );
    expectTemplateError(
      () =>
        renderResult(
          '#set($context.responseOverride.status = 400)#set($context.responseOverride.status = 500)',
        ),
      'runtime',
    );
    expectTemplateError(() => renderResult('#set($context.requestOverride.header = {})'), 'runtime');
  });

  it('stores a parameter called __proto__ as data', () => {
    const header = renderResult("#set($context.requestOverride.header['__proto__'] = 'x')").requestOverride
      .header;
    expect(Object.getPrototypeOf(header)).toBe(Object.prototype);
    expect(Object.keys(header)).toEqual(['__proto__']);
  });

  it('starts from overrides the gateway passes in $context', () => {
    const result = renderResult(
      '[$context.requestOverride.header.A]#set($context.responseOverride.header.B = "2")',
      {
        context: { requestOverride: { header: { A: '1' } }, responseOverride: { status: 202 } },
      },
    );
    expect(result.output).toBe('[1]');
    expect(result.requestOverride.header).toEqual({ A: '1' });
    expect(result.responseOverride).toEqual({ status: 202, header: { B: '2' } });
  });
});
