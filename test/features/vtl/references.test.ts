// How references print: Java's toString() for values, AWS's empty rendering for missing ones,
// Velocity 1.7's identifiers, formal and quiet forms, escapes and string interpolation.
import { describe, expect, it } from 'vitest';
import { render, renderBody } from './helpers.js';

const body = {
  name: 'alice',
  n: 1,
  price: 249.99,
  ok: true,
  nothing: null,
  list: [1, 'two', { c: 5 }, [3]],
  map: { a: 1, b: [{ c: 5 }], s: 'x y', inner: { z: null } },
};

describe('printing values', () => {
  it('prints a map from $input.path Java-style and a list from it as compact JSON', () => {
    expect(renderBody("$input.path('$.map')", body)).toBe('{a=1, b=[{"c":5}], s=x y, inner={z=null}}');
    expect(renderBody("$input.path('$.list')", body)).toBe('[1,"two",{"c":5},[3]]');
  });

  it('prints scalars from JSON as Java does', () => {
    expect(
      renderBody("$input.path('$.name')|$input.path('$.n')|$input.path('$.price')|$input.path('$.ok')", body),
    ).toBe('alice|1|249.99|true');
  });

  it('prints lists built in the template as Java lists and maps as Java maps', () => {
    expect(render('#set($l = [1, "a", [2, 3], {"k": "v"}])$l')).toBe('[1, a, [2, 3], {k=v}]');
    expect(render('#set($m = {"a": 1, "b": [1, 2], "c": {"d": true}})$m')).toBe(
      '{a=1, b=[1, 2], c={d=true}}',
    );
    expect(render('#set($r = [1..4])$r')).toBe('[1, 2, 3, 4]');
  });

  it('prints a null inside a collection as null', () => {
    expect(renderBody("#set($m = {'a': $input.path('$.nothing')})$m $input.path('$.map.inner')", body)).toBe(
      '{a=null} {z=null}',
    );
  });

  it('prints doubles like Java: large and small magnitudes in E notation', () => {
    expect(
      renderBody(
        "$input.path('$.a') $input.path('$.b') $input.path('$.c')",
        '{"a":1.5e21,"b":0.0001,"c":-2.5}',
      ),
    ).toBe('1.5E21 1.0E-4 -2.5');
  });

  it('prints entries and key sets', () => {
    expect(render('#set($m = {"a": 1, "b": 2})$m.keySet() $m.values() $m.entrySet()')).toBe(
      '[a, b] [1, 2] [a=1, b=2]',
    );
  });

  it('prints a self-containing map the way Java does', () => {
    expect(render('#set($m = {})#set($m.self = $m)$m')).toBe('{self=(this Map)}');
  });
});

describe('missing values', () => {
  it('render as nothing, with or without the quiet form', () => {
    expect(render('[$missing][$!missing][${missing}][$!{missing}][$missing.deeper.still()]')).toBe(
      '[][][][][]',
    );
  });

  it('render as nothing for a missing JSON path', () => {
    expect(renderBody("[$input.path('$.nope')][$input.path('$.nothing')]", body)).toBe('[][]');
  });

  it('equal both $null and the empty string', () => {
    expect(
      render(
        '#if($missing == $null)a#end#if($missing == "")b#end#if("" == $missing)c#end#if($missing != "")d#end',
      ),
    ).toBe('abc');
  });

  it('are false in #if, while an empty string is true (Velocity 1.7)', () => {
    expect(render('#set($e = "")#if($missing)yes#else no#end|#if($e)yes#else no#end')).toBe(' no|yes');
  });
});

describe('reference syntax', () => {
  it('accepts hyphens in names, as Velocity 1.7 does', () => {
    expect(render('#set($m = {"Content-Type": "text/plain"})$m.Content-Type')).toBe('text/plain');
    expect(render('#set($a-b = 2)$a-b')).toBe('2');
  });

  it('ends a reference at a dot that is not followed by a letter', () => {
    expect(render('#set($a = "x")$a. $a.1 $a._b')).toBe('x. x.1 x._b');
  });

  it('uses the formal form to separate a name from text', () => {
    expect(render('#set($a = "x")${a}yz $!{a}yz $ayz')).toBe('xyz xyz ');
  });

  it('leaves a dollar sign that does not start a name as text', () => {
    expect(render('cost: $5 and $ and $$ and ${ and $}')).toBe('cost: $5 and $ and $$ and ${ and $}');
  });

  it('indexes lists and maps with brackets', () => {
    expect(
      renderBody("$input.path('$.list')[1] $input.path('$.map')['s'] $input.path('$.list')[3][0]", body),
    ).toBe('two x y 3');
  });

  it('chains methods and properties', () => {
    expect(
      renderBody("$input.path('$.map').get('b').get(0).c $input.path('$.name').toUpperCase().length()", body),
    ).toBe('5 5');
  });
});

describe('escaping with a backslash', () => {
  it('prints a defined reference literally and keeps the backslash of an undefined one', () => {
    expect(render('#set($a = "v")\\$a \\$!a \\${a} \\$undefined')).toBe('$a $!a ${a} \\$undefined');
  });

  it('halves pairs of backslashes before a reference', () => {
    expect(render('#set($a = "v")\\\\$a \\\\\\$a')).toBe('\\v \\$a');
  });

  it('prints an escaped directive as text and leaves other backslashes alone', () => {
    expect(render('\\#if(true) a\\b \\#notadirective')).toBe('#if(true) a\\b \\#notadirective');
    // Only the directive word is escaped: what follows it is still template text.
    expect(render('#set($x = "v")\\#set($x = 1)')).toBe('#set(v = 1)');
    expect(render('\\\\#if(true)yes#end')).toBe('\\yes');
  });
});

describe('string literals', () => {
  it('interpolates double-quoted strings, including directives', () => {
    expect(render('#set($n = "bob")#set($s = "hi $n, #if($n == \'bob\')known#else new#end")$s')).toBe(
      'hi bob, known',
    );
  });

  it('keeps single-quoted strings literal', () => {
    expect(render("#set($n = 'bob')#set($s = 'hi $n')$s")).toBe('hi $n');
  });

  it('keeps backslashes in string literals as written (Velocity 1.7 does not unescape)', () => {
    expect(render('#set($s = "a\\nb")$s')).toBe('a\\nb');
    expect(render('#set($s = "say \\"hi\\"")$s')).toBe('say \\"hi\\"');
  });

  it('treats a lone dollar inside a string as text', () => {
    expect(render('#set($s = "$")#set($t = "$ 5")$s|$t')).toBe('$|$ 5');
  });
});

describe('$context and $stageVariables', () => {
  const context = {
    requestId: 'req-1',
    stage: 'prod',
    identity: { sourceIp: '192.0.2.1', apiKey: null },
    authorizer: { principalId: 'user-1', claims: { email: 'a@example.com' } },
    requestTimeEpoch: 1700000000000,
  };

  it('reads nested context values', () => {
    expect(
      render(
        '$context.requestId $context.identity.sourceIp $context.authorizer.principalId $context.authorizer.claims.email $context.requestTimeEpoch [$context.identity.apiKey]',
        { context },
      ),
    ).toBe('req-1 192.0.2.1 user-1 a@example.com 1700000000000 []');
  });

  it('reads stage variables in all three documented forms', () => {
    const stageVariables = { env: 'dev', 'my-var': 'x' };
    expect(
      render("$stageVariables.env $stageVariables['env'] ${stageVariables['env']} $stageVariables.my-var", {
        stageVariables,
      }),
    ).toBe('dev dev dev x');
  });

  it('lets a template iterate stage variables', () => {
    expect(
      render('#foreach($k in $stageVariables.keySet())$k=$stageVariables.get($k);#end', {
        stageVariables: { a: '1', b: '2' },
      }),
    ).toBe('a=1;b=2;');
  });
});
