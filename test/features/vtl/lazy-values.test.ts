// Payloads, $context and stage variables are converted member by member as a template reads
// them. What a template sees must be exactly what converting everything up front gave.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/features/vtl/index.js';
import { expectTemplateError, inputOf, render, renderBody, renderResult } from './helpers.js';

describe('payload values read on demand', () => {
  it('returns the same value for every read, so changes made through one path show through another', () => {
    const body = { customer: { id: 'c-1', tags: ['a'] }, items: [{ sku: 'x' }, { sku: 'y' }] };
    expect(
      renderBody(
        [
          "#set($b = $input.path('$'))",
          '#set($b.customer.id = "c-2")',
          '#set($x = $b.customer.tags.add("b"))',
          "#set($first = $input.path('$.items[0]'))",
          '#set($first.sku = "z")',
          "$input.path('$.customer.id') $b.customer.tags $b.items[0].sku ",
          "$input.json('$')",
        ].join(''),
        body,
      ),
    ).toBe('c-2 ["a","b"] z {"customer":{"id":"c-2","tags":["a","b"]},"items":[{"sku":"z"},{"sku":"y"}]}');
  });

  it('keeps JSON.parse key order, integer-like keys first, and the last of duplicate keys', () => {
    expect(renderBody("$input.path('$').keySet()", '{"b":1,"2":2,"a":3,"1":4,"01":5}')).toBe(
      '[1, 2, b, a, 01]',
    );
    expect(renderBody("$input.path('$')", '{"a":1,"b":2,"a":3}')).toBe('{a=3, b=2}');
  });

  it('sees own members only', () => {
    const template =
      "#set($r = $input.path('$'))[$r.constructor][$r.toString][$r.hasOwnProperty][$r.get('__proto__').x][$r.size()]";
    expect(renderBody(template, '{"__proto__":{"x":1}}')).toBe('[][][][1][1]');
    expect(renderBody("$input.path('$').containsKey('constructor')", '{}')).toBe('false');
  });

  it('prints a payload it has partly read exactly as a converted one, numbers in Java form', () => {
    const body = '{"a":{"x":1e21,"y":1e-7,"z":-0,"w":0.1},"b":[1.5,"é\\"/",null,true,{}]}';
    const expected = '{"a":{"x":1.0E21,"y":1.0E-7,"z":0,"w":0.1},"b":[1.5,"é\\"/",null,true,{}]}';
    expect(renderBody("$input.json('$')", body)).toBe(expected);
    expect(renderBody("#set($a = $input.path('$.a'))$a.w $input.json('$')", body)).toBe(`0.1 ${expected}`);
    expect(renderBody("#set($a = $input.path('$'))$a", body)).toBe(
      '{a={x=1.0E21, y=1.0E-7, z=0, w=0.1}, b=[1.5,"é\\"/",null,true,{}]}',
    );
  });

  it('answers size() and isEmpty() of a JSON list and keeps its contents for later reads', () => {
    expect(
      renderBody(
        "#set($l = $input.path('$.l'))$l.size() $l.isEmpty() $l.empty $l.get(2).k #foreach($x in $l)$x,#end",
        { l: [1, 'two', { k: 3 }] },
      ),
    ).toBe('3 false false 3 1,two,{k=3},');
  });

  it('refuses a payload nested too deeply even when the template reads only its top', () => {
    const body = `{"a":1,"deep":${'['.repeat(600)}${']'.repeat(600)}}`;
    expectTemplateError(() => renderBody("$input.path('$.a')", body), 'limit');
    expectTemplateError(() => render('$util.parseJson($input.body).a', { body }), 'limit');
    // A string full of brackets is not nesting.
    expect(renderBody("$input.path('$.a')", `{"a":"${'['.repeat(600)}"}`)).toBe('['.repeat(600));
  });
});

describe('$context and stage variables read on demand', () => {
  const context = {
    requestId: 'r-1',
    missing: undefined,
    infinite: Infinity,
    identity: { sourceIp: '192.0.2.1', apiKey: null },
    list: [1, { a: 2 }],
    fn: () => 'no',
  };

  it('converts members the way the gateway data was always converted', () => {
    expect(
      render(
        '$context.requestId|$context.containsKey("missing")|[$context.missing]|[$context.infinite]|$context.identity|$context.list|[$context.fn]',
        { context },
      ),
    ).toBe('r-1|true|[]|[]|{sourceIp=192.0.2.1, apiKey=null}|[1, {a=2}]|[]');
  });

  it('lists the override maps after the gateway values', () => {
    expect(render('$context.keySet()', { context: { requestId: 'r', stage: 's' } })).toBe(
      '[requestId, stage, requestOverride, responseOverride]',
    );
    expect(
      render('#set($c = $context)$c.responseOverride', {
        context: { responseOverride: { header: { A: 'b' } }, requestId: 'r' },
      }),
    ).toBe('{header={A=b}}');
  });

  it('returns seeded overrides whether or not the template mentions them', () => {
    const result = renderResult('no overrides here: $context.requestId', {
      context: {
        requestId: 'r',
        requestOverride: { header: { 'X-A': '1' } },
        responseOverride: { status: 202 },
      },
    });
    expect(result.output).toBe('no overrides here: r');
    expect(result.requestOverride).toEqual({ header: { 'X-A': '1' }, querystring: {}, path: {} });
    expect(result.responseOverride).toEqual({ status: 202, header: {} });
  });

  it('reaches the override maps however the template gets to them', () => {
    const template = compileTemplate(
      "#set($o = $context.get('responseOverride'))#set($o.status = 418)#set($h = $context['requestOverride'].header)#set($h.X = 'y')",
    );
    const result = template.render(inputOf({ context: { requestId: 'r' } }));
    expect(result.responseOverride).toEqual({ status: 418, header: {} });
    expect(result.requestOverride.header).toEqual({ X: 'y' });
  });

  it('shows stage variables that are strings only', () => {
    const stageVariables = { env: 'dev', n: 1, other: 'x' } as unknown as Record<string, string>;
    expect(
      render('$stageVariables.size() [$stageVariables.n] $stageVariables.keySet() $stageVariables.env', {
        stageVariables,
      }),
    ).toBe('2 [] [env, other] dev');
  });

  it('never changes the objects it is given', () => {
    const given = { requestId: 'r', identity: { sourceIp: '192.0.2.1' } };
    const stageVariables = { env: 'dev' };
    const body = '{"a":{"b":1}}';
    const template = compileTemplate(
      [
        '#set($context.identity.sourceIp = "x")',
        '#set($context.added = 1)',
        '#set($stageVariables.env = "prod")',
        "#set($a = $input.path('$.a'))",
        '#set($a.b = 2)',
        '$context.identity.sourceIp $stageVariables.env $a.b',
      ].join(''),
    );
    expect(template.render(inputOf({ context: given, stageVariables, body })).output).toBe('x prod 2');
    expect(given).toEqual({ requestId: 'r', identity: { sourceIp: '192.0.2.1' } });
    expect(stageVariables).toEqual({ env: 'dev' });
    // A second render starts from the gateway's values again.
    expect(
      compileTemplate('$context.identity.sourceIp $stageVariables.env').render(
        inputOf({ context: given, stageVariables }),
      ).output,
    ).toBe('192.0.2.1 dev');
  });
});

describe('what a template can read', () => {
  const reads = (source: string) => {
    const template = compileTemplate(source);
    return { body: template.readsBody, context: template.readsContext };
  };

  it('says whether a render may read the body and $context, so the gateway builds only those', () => {
    expect(reads('{"statusCode": 200}')).toEqual({ body: false, context: false });
    expect(reads('#set($x = 1)$x $stageVariables.env $util.urlEncode("a b")')).toEqual({
      body: false,
      context: false,
    });
    expect(reads("$input.path('$.a')")).toEqual({ body: true, context: false });
    expect(reads('$context.requestId')).toEqual({ body: false, context: true });
    // Wherever the reference sits: a string, a macro's body or argument, a #foreach, a #define.
    expect(reads('#set($s = "id: $context.requestId")$s')).toEqual({ body: false, context: true });
    expect(reads('#macro(m $v)$v#end#m($input.body)')).toEqual({ body: true, context: false });
    expect(reads('#macro(m)$context.stage#end')).toEqual({ body: false, context: true });
    expect(reads('#foreach($k in $input.params().keySet())$k#end')).toEqual({
      body: true,
      context: false,
    });
    expect(reads('#define($d)$context.path#end$d')).toEqual({ body: false, context: true });
  });
});
