// Directives and expressions with Velocity 1.7's semantics, which API Gateway runs.
import { describe, expect, it } from 'vitest';
import { expectTemplateError, render, renderBody } from './helpers.js';

describe('#set', () => {
  it('assigns variables, map entries and list elements', () => {
    expect(
      render(
        '#set($a = 1)#set($m = {})#set($m.k = "v")#set($m["j"] = "w")#set($l = [1, 2])#set($l[0] = 9)$a $m $l',
      ),
    ).toBe('1 {k=v, j=w} [9, 2]');
  });

  it('leaves the target unchanged when the value is null (Velocity 1.x)', () => {
    expect(render('#set($a = "kept")#set($a = $missing)$a')).toBe('kept');
    expect(render('#set($m = {"k": 1})#set($m.k = $missing.x)$m.k')).toBe('1');
  });

  it('accepts the braced form and whitespace inside the parentheses', () => {
    expect(render('#{set}( $a = "x" )$a#set(\n  $b\n  =\n  2\n)$b')).toBe('x2');
  });

  it('ignores assignments into values that have no setters', () => {
    expect(render('#set($s = "str")#set($s.length = 3)$s#set($missing.x = 1)[$missing.x]')).toBe('str[]');
  });
});

describe('expressions', () => {
  it('does integer and floating point arithmetic like Velocity', () => {
    expect(
      render(
        '#set($a = 7 / 2)#set($b = 7 % 3)#set($c = 2 * 3 + 1)#set($d = 1 - 3)#set($e = 7.5 / 2)$a|$b|$c|$d|$e',
      ),
    ).toBe('3|1|7|-2|3.75');
    expect(render('#set($p = (1 + 2) * 3)#set($n = -4 + 1)$p|$n')).toBe('9|-3');
  });

  it('gives null for division by zero and arithmetic on non-numbers', () => {
    expect(render('#set($z = "z")#set($z = 1 / 0)#set($y = "y")#set($y = [1] * 2)$z|$y')).toBe('z|y');
  });

  it('joins strings with +', () => {
    expect(render('#set($s = "a" + 1 + 2)#set($t = 1 + 2 + "a")#set($u = "x" + $missing)$s|$t|$u')).toBe(
      'a12|3a|x',
    );
  });

  it('compares with == the way Velocity does', () => {
    const cases: [string, boolean][] = [
      ['1 == "1"', true],
      ['"true" == true', true],
      ['1 == 1.0', true],
      ['"a" == "b"', false],
      ['[1, 2] == [1, 2]', true],
      ['{"a": 1} == {"a": 1}', true],
      ['[1, 2] == "[1, 2]"', true],
      ['"a" != "b"', true],
    ];
    const template = cases.map(([expr]) => `#if(${expr})T#{else}F#end`).join('');
    expect(render(template)).toBe(cases.map(([, r]) => (r ? 'T' : 'F')).join(''));
  });

  it('orders numbers only', () => {
    expect(render('#if(2 > 1)a#end#if(1 >= 1)b#end#if(1 < 2)c#end#if(2 <= 1)d#end#if("b" > "a")e#end')).toBe(
      'abc',
    );
  });

  it('supports the logical operators and their word forms', () => {
    expect(
      render(
        '#if(true && !false)a#end#if(false || true)b#end#if(1 lt 2 and not false)c#end#if(1 eq 1 or false)d#end#if(1 ne 1)e#end',
      ),
    ).toBe('abcd');
  });

  it('short-circuits && and ||', () => {
    expect(render('#set($l = [])#if(false && $l.add(1))#end#if(true || $l.add(2))#end$l.size()')).toBe('0');
  });
});

describe('#if', () => {
  it('takes the first true branch', () => {
    const t = '#if($n == 1)one#elseif($n == 2)two#elseif($n == 3)three#{else}many#end';
    expect(renderBody(t.replaceAll('$n', "$input.path('$.n')"), { n: 2 })).toBe('two');
    expect(renderBody(t.replaceAll('$n', "$input.path('$.n')"), { n: 9 })).toBe('many');
  });

  it('nests', () => {
    expect(render('#if(true)a#if(false)b#else c#end d#end')).toBe('a c d');
  });
});

describe('#foreach', () => {
  it('exposes $foreach and $velocityCount', () => {
    expect(
      render(
        '#foreach($i in ["a", "b", "c"])$foreach.index$foreach.count$velocityCount$foreach.hasNext$foreach.first$foreach.last$velocityHasNext,#end',
      ),
    ).toBe('011truetruefalsetrue,122truefalsefalsetrue,233falsefalsetruefalse,');
  });

  it('iterates ranges, counting down too', () => {
    expect(render('#foreach($i in [3..1])$i#end#foreach($i in [0..0])$i#end')).toBe('3210');
  });

  it('iterates map values, keySet() and entrySet()', () => {
    expect(
      render(
        '#set($m = {"a": 1, "b": 2})#foreach($v in $m)$v#end #foreach($k in $m.keySet())$k#end #foreach($e in $m.entrySet())$e.key=$e.value;#end',
      ),
    ).toBe('12 ab a=1;b=2;');
  });

  it('iterates nothing for null, strings and numbers', () => {
    expect(render('#foreach($i in $missing)x#end#foreach($i in "abc")x#end#foreach($i in 5)x#end.')).toBe(
      '.',
    );
  });

  it('restores the loop variable and $foreach after the loop', () => {
    expect(render('#set($i = "outer")#foreach($i in [1, 2])#end$i [$foreach.index]')).toBe('outer []');
  });

  it('reaches the outer loop through $foreach.parent', () => {
    expect(
      render('#foreach($a in [1, 2])#foreach($b in [1, 2])$foreach.parent.index$foreach.index #end#end'),
    ).toBe('00 01 10 11 ');
  });

  it('sets the loop variable to nothing for a null element', () => {
    expect(renderBody("#foreach($x in $input.path('$'))[$x]#end", [1, null, 3])).toBe('[1][][3]');
  });

  it('iterates a snapshot, so adding to the list inside the loop does not extend it', () => {
    expect(render('#set($l = [1, 2])#foreach($x in $l)#set($ok = $l.add($x))#end$l')).toBe('[1, 2, 1, 2]');
  });
});

describe('#break and #stop', () => {
  it('#break leaves the innermost loop', () => {
    expect(render('#foreach($a in [1, 2])#foreach($b in [1, 2, 3])#if($b == 2)#break#end$a$b #end#end')).toBe(
      '11 21 ',
    );
  });

  it('#break($foreach.parent) leaves the outer loop', () => {
    expect(
      render(
        '#foreach($a in [1, 2])#foreach($b in [1, 2])#if($b == 2)#break($foreach.parent)#end$a$b #end#end',
      ),
    ).toBe('11 ');
  });

  it('#break outside a loop ends the template', () => {
    expect(render('a#break b')).toBe('a');
  });

  it('#stop ends the template and keeps the output so far', () => {
    expect(render('a#foreach($i in [1, 2])$i#stop#end b')).toBe('a1');
  });
});

describe('#define and #macro', () => {
  it('#define renders its block when referenced, with the values of that moment', () => {
    expect(render('#define($b)[$v]#end#set($v = 1)$b#set($v = 2)$b "$b"')).toBe('[1][2] "[2]"');
  });

  it('#macro takes arguments and can be called before its definition', () => {
    expect(render('#greet("bob" "ann")|#macro(greet $a $b)hi $a and $b#end#greet("x", $missing)')).toBe(
      'hi bob and ann|hi x and ',
    );
  });

  it('keeps macro arguments local and other #set global', () => {
    expect(
      render('#macro(m $a)#set($a = "changed")#set($g = "global")$a#end#set($a = "outer")#m("arg")|$a|$g'),
    ).toBe('changed|outer|global');
  });

  it('prints a macro call with the wrong number of arguments as text', () => {
    expect(render('#macro(one $a)$a#end#one(1 2)')).toBe('#one(1 2)');
  });

  it('stops runaway recursion', () => {
    expectTemplateError(() => render('#macro(r $n)#r($n)#end#r(1)'), 'limit');
    expectTemplateError(() => render('#define($d)$d#end$d'), 'limit');
  });
});

describe('comments and text blocks', () => {
  it('drops ## comments with their newline and #* *# comments', () => {
    expect(render('a ## note\nb #* multi\nline *# c #** doc *# d')).toBe('a b  c  d');
  });

  it('keeps #[[ ]]# blocks unparsed', () => {
    expect(render('#[[ $x #if(true) ]]#')).toBe(' $x #if(true) ');
  });

  it('leaves # that does not start a directive as text', () => {
    expect(render('color: #fff; #1 # #foo(bar) #endish')).toBe('color: #fff; #1 # #foo(bar) #endish');
  });
});

describe('whitespace (Velocity 1.7 rules)', () => {
  it('eats the rest of the line after a directive, #else and #end', () => {
    expect(render('#if(true)  \nyes\n#else\nno\n#end  \nafter')).toBe('yes\nafter');
    expect(render('#foreach($i in [1, 2])\n$i\n#end\n.')).toBe('1\n2\n.');
  });

  it('keeps indentation before a directive that follows text', () => {
    expect(render('a\n  #if(true)x#end\nb')).toBe('a\n  xb');
  });

  it('lets #set swallow the spaces before it when they start a token', () => {
    expect(render('#if(true)\n    #set($x = 1)\n    v=$x\n#end\n')).toBe('    v=1\n');
    expect(render('text\n    #set($x = 1)\n$x')).toBe('text\n    1');
  });

  it('does not eat text after a directive on the same line', () => {
    expect(render('#set($x = 1) after')).toBe(' after');
    expect(render('#if(true)yes#end tail')).toBe('yes tail');
  });

  it('handles \\r\\n line ends', () => {
    expect(render('#set($x = 1)\r\n#if(true)\r\n$x\r\n#end\r\n.')).toBe('1\r\n.');
  });
});
