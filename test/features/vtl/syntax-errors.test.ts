// Parse errors come from compileTemplate, with the line and column of the problem.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/features/vtl/index.js';
import { expectTemplateError } from './helpers.js';

function syntaxError(source: string) {
  return expectTemplateError(() => compileTemplate(source), 'syntax');
}

describe('syntax errors', () => {
  it.each([
    ['#if(true)x', 1, 1, /no matching #end/],
    ['a\nb #end', 2, 3, /unexpected #end/],
    ['#foreach($i in [1, 2])\n  $i\n', 1, 1, /no matching #end/],
    ['#if(true)\n#else\n#else\n#end', 3, 1, /unexpected #else/],
    ['#set($x = )', 1, 11, /unexpected "\)"/],
    ['#set($x 1)', 1, 9, /expected =/],
    ['#set(x = 1)', 1, 6, /needs a \$reference/],
    ['#set($a.b() = 1)', 1, 6, /method call/],
    ['line one\n  $x.foo(1', 2, 9, /argument list/],
    ['$x[1', 1, 3, /close the index/],
    ['${abc', 1, 6, /close \$\{/],
    ['#foreach($i [1, 2])#end', 1, 13, /"in"/],
    ['#foreach($i.x in [1])#end', 1, 10, /plain \$variable/],
    ['#if true #end', 1, 1, /expected \( after #if/],
    ['#if($a == 1 x)#end', 1, 13, /expected \) to close #if/],
    ['#set($s = "abc)', 1, 11, /unterminated string/],
    ["#set($s = 'abc)", 1, 11, /unterminated string/],
    ['text #* never closed', 1, 6, /unterminated #\*/],
    ['#[[ raw', 1, 1, /unterminated #\[\[/],
    ['#macro()#end', 1, 8, /needs a name/],
    ['#include("other.vm")', 1, 1, /not supported/],
    ['#set($m = {"a" 1})', 1, 16, /expected :/],
    ['#set($l = [1 2])', 1, 14, /expected , or \]/],
  ])('%j', (source, line, column, message) => {
    const error = syntaxError(source);
    expect(error.message).toMatch(message);
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toContain(`(line ${line}, column ${column})`);
  });

  it('reports positions inside an interpolated string against the whole template', () => {
    const error = syntaxError('a\n#set($s = "x #if(true) y")');
    expect(error.line).toBe(2);
    expect(error.column).toBe(14);
  });
});
