// The Java methods templates call on strings, numbers, lists and maps.
import { describe, expect, it } from 'vitest';
import { expectTemplateError, render } from './helpers.js';

/** Renders each expression after `#set($s = ...)` and joins the results with |. */
function each(setup: string, expressions: string[]): string {
  return render(`${setup}${expressions.map((e) => `$!{${e}}`).join('|')}`.replaceAll('$!{$', '$!{'));
}

describe('String', () => {
  it('has the java.lang.String methods templates use', () => {
    const expressions = [
      's.length()',
      's.isEmpty()',
      's.toLowerCase()',
      's.toUpperCase()',
      's.substring(6)',
      's.substring(0, 5)',
      's.indexOf("o")',
      's.indexOf("o", 5)',
      's.lastIndexOf("o")',
      's.contains("World")',
      's.startsWith("He")',
      's.startsWith("World", 6)',
      's.endsWith("d")',
      's.equals("Hello World")',
      's.equalsIgnoreCase("hello world")',
      's.charAt(1)',
      's.concat("!")',
      's.replace("l", "")',
      's.compareTo("Hello")',
      's.toString()',
    ];
    expect(each('#set($s = "Hello World")', expressions)).toBe(
      '11|false|hello world|HELLO WORLD|World|Hello|4|7|7|true|true|true|true|true|true|e|Hello World!|Heo Word|6|Hello World',
    );
  });

  it('trims like Java and exposes the empty property', () => {
    expect(render('#set($s = "  x  ")#set($e = "")[$s.trim()] $s.empty $e.empty')).toBe('[x] false true');
  });

  it('replaceAll and replaceFirst use Java regex and replacement syntax', () => {
    expect(
      each('#set($s = "Hello World")', [
        's.replaceAll("o", "0")',
        's.replaceAll("(\\w+) (\\w+)", "$2 $1")',
        's.replaceFirst("l", "L")',
        "s.replaceAll('l+', '\\$')",
        "s.replaceAll('(?i)WORLD', 'there')",
        "s.replaceAll('\\p{Upper}', '_')",
        "s.replaceAll('\\Q.\\E', '-')",
        "s.replaceAll('(?<first>H)', '${first}${first}')",
      ]),
    ).toBe('Hell0 W0rld|World Hello|HeLlo World|He$o Wor$d|Hello there|_ello _orld|Hello World|HHello World');
  });

  it('matches() must match the whole string', () => {
    expect(
      each('#set($s = "abc123")', [
        's.matches("[a-z]+\\d+")',
        's.matches("[a-z]+")',
        's.matches("(?i)ABC\\d{3}")',
      ]),
    ).toBe('true|false|true');
  });

  it('split() follows Java: trailing empty strings dropped, a limit keeps them', () => {
    expect(
      each('#set($s = "a,b,,c,,")#set($t = "abc")#set($u = ",a")#set($v = "a1b22c")', [
        's.split(",")',
        's.split(",", -1)',
        's.split(",", 2)',
        't.split("")',
        'u.split(",")',
        'v.split("\\d+")',
        't.split(",")',
      ]),
    ).toBe('[a, b, , c]|[a, b, , c, , ]|[a, b,,c,,]|[a, b, c]|[, a]|[a, b, c]|[abc]');
  });

  it('fails the render on Java exceptions', () => {
    expectTemplateError(() => render('#set($s = "abc")$s.substring(4)'), 'runtime');
    expectTemplateError(() => render('#set($s = "abc")$s.charAt(3)'), 'runtime');
    expectTemplateError(() => render('#set($s = "abc")$s.contains($missing)'), 'runtime');
    expectTemplateError(() => render('#set($s = "abc")$s.replaceAll("(", "")'), 'runtime');
    expectTemplateError(() => render('#set($s = "abc")$s.replaceAll("a", "$")'), 'runtime');
    expectTemplateError(() => render('#set($s = "abc")$s.replaceAll("(a)", "$2")'), 'runtime');
  });

  it('refuses regular expressions that repeat a repeating group', () => {
    const error = expectTemplateError(
      () => render('#set($s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")$s.matches("(a+)+b")'),
      'runtime',
    );
    expect(error.message).toMatch(/repeats a repeating group/);
    expect(render('#set($s = "ab,ab")$s.replaceAll("(ab)+", "x") $s.replaceAll("(?:a|b){2}", "y")')).toBe(
      'x,x y,y',
    );
  });

  it('treats a method with the wrong argument types as absent', () => {
    expect(render('#set($s = "abc")[$s.substring("1")][$s.contains(1)][$s.nosuch()]')).toBe('[][][]');
  });
});

describe('Number and Boolean', () => {
  it('have the value and parsing methods templates use', () => {
    expect(
      each('#set($Integer = 0)#set($d = 3.75)#set($b = true)', [
        'Integer.parseInt("42")',
        'Integer.parseInt("-7")',
        'Integer.valueOf("5")',
        'd.parseDouble("1.5")',
        'd.intValue()',
        'd.doubleValue()',
        'd.compareTo(4)',
        'Integer.toString()',
        'b.booleanValue()',
        'b.toString()',
      ]),
    ).toBe('42|-7|5|1.5|3|3.75|-1|0|true|true');
  });

  it('fails the render on a NumberFormatException', () => {
    expectTemplateError(() => render('#set($Integer = 0)$Integer.parseInt("4x")'), 'runtime');
    expectTemplateError(() => render('#set($Integer = 0)$Integer.parseInt("9999999999")'), 'runtime');
  });
});

describe('List', () => {
  it('has the java.util.List methods', () => {
    expect(
      each('#set($l = [1, 2, 3])', [
        'l.size()',
        'l.get(1)',
        'l.isEmpty()',
        'l.empty',
        'l.contains(2)',
        'l.contains("2")',
        'l.indexOf(3)',
        'l.lastIndexOf(9)',
        'l.subList(1, 3)',
      ]),
    ).toBe('3|2|false|false|true|false|2|-1|[2, 3]');
  });

  it('changes in place with add, set, remove, addAll and clear', () => {
    expect(
      render(
        '#set($l = [1, 2])$l.add(3) $l.add(0, "z")<> $l.set(1, "one") $l.remove(0) $l.remove("one") $l.addAll([7, 8]) $l#set($x = $l.clear())$l.size()',
      ),
    ).toBe('true <> 1 z true true [2, 3, 7, 8]0');
  });

  it('fails the render for an index out of bounds', () => {
    expectTemplateError(() => render('#set($l = [1])$l.get(1)'), 'runtime');
    expectTemplateError(() => render('#set($l = [1])$l[-1]'), 'runtime');
  });
});

describe('Map', () => {
  it('has the java.util.Map methods', () => {
    expect(
      each('#set($m = {"a": 1, "b": 2})', [
        'm.get("a")',
        'm.getOrDefault("z", 0)',
        'm.containsKey("b")',
        'm.containsValue(2)',
        'm.size()',
        'm.isEmpty()',
        'm.keySet()',
        'm.values()',
        'm.entrySet()',
        'm.a',
      ]),
    ).toBe('1|0|true|true|2|false|[a, b]|[1, 2]|[a=1, b=2]|1');
  });

  it('changes in place with put, putAll, remove and entry setValue', () => {
    expect(
      render(
        '#set($m = {"a": 1})$m.put("a", 9) [$m.put("b", 2)] $m.remove("a") $m.putIfAbsent("b", 5)#set($x = $m.putAll({"c": 3}))#foreach($e in $m.entrySet())#set($old = $e.setValue("v$e.key"))#end $m',
      ),
    ).toBe('1 [] 9 2 {b=vb, c=vc}');
  });

  it('keeps insertion order and distinguishes key types', () => {
    expect(
      render('#set($m = {})#set($x = $m.put("z", 1))#set($x = $m.put(1, "int"))$m [$m.get("1")] $m.get(1)'),
    ).toBe('{z=1, 1=int} [] int');
  });
});
