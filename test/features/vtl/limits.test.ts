// Every limit ends a runaway template quickly with TemplateError('limit').
import { describe, expect, it } from 'vitest';
import { compileTemplate, DEFAULT_TEMPLATE_LIMITS } from '../../../src/features/vtl/index.js';
import { expectTemplateError, inputOf, render } from './helpers.js';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('limits', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_TEMPLATE_LIMITS).toEqual({
      timeoutMs: 200,
      maxOutputBytes: 10 * 1024 * 1024,
      maxForeachIterations: 1000,
    });
  });

  it('lets a #foreach run 1000 iterations and fails the 1001st (AWS limit)', () => {
    expect(render('#set($n = 0)#foreach($i in [1..1000])#set($n = $n + 1)#end$n')).toBe('1000');
    const error = expectTemplateError(() => render('#foreach($i in [1..1001])#end'), 'limit');
    expect(error.message).toMatch(/more than 1000 iterations/);
    expect(error.line).toBe(1);
    expect(error.column).toBe(1);
  });

  it('counts iterations per loop, with a configurable cap', () => {
    expectTemplateError(() => render('#foreach($i in [1..6])#end', {}, { maxForeachIterations: 5 }), 'limit');
    expect(
      render('#foreach($i in [1..3])#foreach($j in [1..3])#end#end.', {}, { maxForeachIterations: 5 }),
    ).toBe('.');
  });

  it('stops deeply nested loops at the time limit', () => {
    const template =
      '#set($n = 0)#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#set($n = $n + 1)#end#end#end';
    const { ms } = timed(() => expectTemplateError(() => render(template, {}, { timeoutMs: 50 }), 'limit'));
    expect(ms).toBeLessThan(1000);
  });

  it('stops huge output at the output limit', () => {
    const body = 'x'.repeat(100_000);
    const { ms } = timed(() =>
      expectTemplateError(() => render('#foreach($i in [1..1000])$input.body#end', { body }), 'limit'),
    );
    expect(ms).toBeLessThan(1000);
    expectTemplateError(
      () => render('$input.body$input.body', { body: 'é'.repeat(600) }, { maxOutputBytes: 2000 }),
      'limit',
    );
    expect(render('$input.body', { body: 'é'.repeat(600) }, { maxOutputBytes: 2000 })).toHaveLength(600);
  });

  it('stops strings that double in a loop', () => {
    expectTemplateError(() => render('#set($s = "x")#foreach($i in [1..64])#set($s = "$s$s")#end'), 'limit');
    expectTemplateError(() => render('#set($s = "x")#foreach($i in [1..64])#set($s = $s + $s)#end'), 'limit');
    expectTemplateError(
      () => render('#set($s = "xxxxxxxxxxx")#foreach($i in [1..64])#set($s = $s.replace("x", "xx"))#end'),
      'limit',
    );
  });

  it('stops collections that grow without bound', () => {
    expectTemplateError(() => render('#set($r = [1..100000000])'), 'limit');
    expectTemplateError(
      () =>
        render(
          '#set($l = [])#foreach($a in [1..1000])#foreach($b in [1..1000])#set($x = $l.add($b))#end#end',
        ),
      'limit',
    );
  });

  it('stops printing a value that contains itself', () => {
    expectTemplateError(() => render('#set($a = [])#set($b = [$a])#set($x = $a.add($b))$a'), 'limit');
    expectTemplateError(
      () => render('#set($a = [])#set($x = $a.add($a))#set($b = [])#set($x = $b.add($b))#if($a == $b)#end'),
      'limit',
    );
  });

  it('stops payloads nested deeper than it walks', () => {
    const body = `${'['.repeat(2000)}1${']'.repeat(2000)}`;
    expectTemplateError(() => render("$input.path('$')", { body }), 'limit');
  });

  it('refuses templates nested deeper than 100 levels at compile time', () => {
    expectTemplateError(() => compileTemplate(`${'#if(true)'.repeat(150)}x${'#end'.repeat(150)}`), 'limit');
    expectTemplateError(() => compileTemplate(`#set($x = ${'('.repeat(150)}1${')'.repeat(150)})`), 'limit');
    expectTemplateError(() => compileTemplate(`#set($x = ${'!'.repeat(150)}true)`), 'limit');
    expect(compileTemplate(`${'#if(true)'.repeat(50)}x${'#end'.repeat(50)}`).render(inputOf()).output).toBe(
      'x',
    );
  });

  it('rejects limits that are not positive numbers', () => {
    expect(() => compileTemplate('x', { timeoutMs: 0 })).toThrow(RangeError);
    expect(() => compileTemplate('x', { maxOutputBytes: Number.NaN })).toThrow(RangeError);
  });

  it('keeps renders of one compiled template independent', () => {
    const template = compileTemplate('#set($n = $n + 1)#if(!$n)#set($n = 1)#end$n');
    expect(template.render(inputOf()).output).toBe('1');
    expect(template.render(inputOf()).output).toBe('1');
  });
});
