// $input and $util as API Gateway documents them.
import { describe, expect, it } from 'vitest';
import { expectTemplateError, render, renderBody } from './helpers.js';

const store = {
  store: {
    book: [
      { title: 'Sayings', author: 'Rees', price: 8.95 },
      { title: 'Sword', author: 'Waugh', price: 12.99, isbn: '0-553' },
      { title: 'Moby Dick', author: 'Melville', price: 8.99, isbn: '0-395' },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
};

describe('$input.body', () => {
  it('is the raw payload, byte for byte', () => {
    expect(render('$input.body', { body: '{ "a" : 1.50 }' })).toBe('{ "a" : 1.50 }');
    expect(render('$input.body', { body: 'a=1&b=2' })).toBe('a=1&b=2');
  });

  it('is {} for an empty payload', () => {
    expect(render("$input.body|$input.json('$')|$input.path('$').size()", { body: '' })).toBe('{}|{}|0');
  });
});

describe('$input.json', () => {
  it('returns JSON text for the match', () => {
    expect(
      renderBody(
        "$input.json('$.store.bicycle')|$input.json('$.store.bicycle.color')|$input.json('$.store.bicycle.price')",
        store,
      ),
    ).toBe('{"color":"red","price":19.95}|"red"|19.95');
  });

  it('returns the whole payload for $ as compact JSON', () => {
    expect(renderBody("$input.json('$')", { a: [1, { b: null }], c: 'd' })).toBe(
      '{"a":[1,{"b":null}],"c":"d"}',
    );
  });

  it('returns an empty JSON string for a path that matches nothing, so JSON templates stay valid', () => {
    expect(
      renderBody('{"x": $input.json(\'$.nope\'), "y": $input.json(\'$.store.nope.deeper\')}', store),
    ).toBe('{"x": "", "y": ""}');
  });

  it('returns a JSON list for a wildcard or scan, empty when nothing matches', () => {
    expect(renderBody("$input.json('$.store.book[*].author')|$input.json('$..nope')", store)).toBe(
      '["Rees","Waugh","Melville"]|[]',
    );
  });

  it('treats a payload that is not JSON as one string', () => {
    expect(render("$input.json('$')|$input.json('$.a')", { body: 'a=1&b=2' })).toBe('"a=1&b=2"|""');
  });
});

describe('$input.path', () => {
  it('returns native values with map, list and string methods', () => {
    expect(
      renderBody(
        "#set($s = $input.path('$.store'))$s.book.size() $s.book[0].title $s.get('bicycle').color $s.book.get(2).title.length() $s.keySet()",
        store,
      ),
    ).toBe('3 Sayings red 9 [book, bicycle]');
  });

  it('supports the JSONPath forms templates use', () => {
    const cases: [string, string][] = [
      ["'$.store.book[0].title'", 'Sayings'],
      ["'$.store.book[-1].title'", 'Moby Dick'],
      [`"$['store']['bicycle']['color']"`, 'red'],
      ['\'$["store"].bicycle["price"]\'', '19.95'],
      ["'$..author'", '["Rees","Waugh","Melville"]'],
      ["'$.store.book[*].isbn'", '["0-553","0-395"]'],
      ["'$.store.book[1:3].author'", '["Waugh","Melville"]'],
      ["'$.store.book[:1].author'", '["Rees"]'],
      ["'$.store.book[0,2].price'", '[8.95,8.99]'],
      ["'$..bicycle.*'", '["red",19.95]'],
      ["'store.bicycle.color'", 'red'],
    ];
    for (const [path, expected] of cases) {
      expect(renderBody(`$input.path(${path})`, store), path).toBe(expected);
    }
  });

  it('returns the payload string when the payload is not JSON (form posts)', () => {
    expect(
      render("#set($tokens = $input.path('$').split('&'))$tokens[1] $tokens.size()", { body: 'a=1&b=2' }),
    ).toBe('b=2 2');
  });

  it('rejects JSONPath filters, which Gatehouse does not evaluate', () => {
    expectTemplateError(() => renderBody("$input.path('$.store.book[?(@.price < 10)]')", store), 'runtime');
  });
});

describe('$input.params', () => {
  const params = {
    path: { id: 'p-id', both: 'from-path' },
    querystring: { q: 'x y', both: 'from-query', 'x-shared': 'from-query' },
    header: { 'X-Trace': 't1', Accept: 'application/json', 'x-shared': 'from-header' },
  };

  it('returns all parameters as a map of maps', () => {
    expect(render('$input.params()', { params })).toBe(
      '{path={id=p-id, both=from-path}, header={X-Trace=t1, Accept=application/json, x-shared=from-header}, querystring={q=x y, both=from-query, x-shared=from-query}}',
    );
  });

  it('looks a name up in path, then query string, then header (case-insensitive)', () => {
    expect(
      render(
        "$input.params('both')|$input.params('x-shared')|$input.params('x-trace')|$input.params('q')|[$input.params('none')]",
        { params },
      ),
    ).toBe('from-path|from-query|t1|x y|[]');
  });

  it('reads headers without regard to case through the map', () => {
    expect(
      render(
        "$input.params().header.get('x-TRACE')|$input.params().header.accept|$input.params().path.get('ID')",
        { params },
      ),
    ).toBe('t1|application/json|');
  });

  it('gives "" for a missing parameter, which is true in #if but has length 0', () => {
    expect(
      render("#set($limit = $input.params('limit'))#if($limit && $limit.length() != 0)set#{else}unset#end", {
        params,
      }),
    ).toBe('unset');
  });
});

describe('$util', () => {
  it('escapeJavaScript follows Apache Commons escapeJavaScript', () => {
    expect(
      render('$util.escapeJavaScript($input.body)', { body: 'He said "it\'s" \\ / é\t\u0001\u007f😀\n' }),
    ).toBe('He said \\"it\\\'s\\" \\\\ \\/ \\u00E9\\t\\u0001\u007f\\uD83D\\uDE00\\n');
  });

  it('escapeJavaScript with the documented workaround for single quotes', () => {
    expect(render('$util.escapeJavaScript($input.body).replaceAll("\\\\\'","\'")', { body: "it's" })).toBe(
      "it's",
    );
  });

  it('urlEncode is form encoding: the documented $util.urlEncode($input.body) of a JSON body', () => {
    const body = '{"name":"Gatehouse user","tags":["a b","c/d"],"q":"x=1&y=2*"}';
    expect(render('$util.urlEncode($input.body)', { body })).toBe(
      '%7B%22name%22%3A%22Gatehouse+user%22%2C%22tags%22%3A%5B%22a+b%22%2C%22c%2Fd%22%5D%2C%22q%22%3A%22x%3D1%26y%3D2*%22%7D',
    );
    expect(render('$util.urlEncode("é~!()\'._-")')).toBe('%C3%A9%7E%21%28%29%27._-');
  });

  it('urlDecode turns + into a space and decodes UTF-8', () => {
    expect(render("$util.urlDecode('a+b%20c%C3%A9%2B')")).toBe('a b cé+');
    expectTemplateError(() => render("$util.urlDecode('100%')"), 'runtime');
    expectTemplateError(() => render("$util.urlDecode('%zz')"), 'runtime');
  });

  it('base64Encode and base64Decode use UTF-8', () => {
    expect(render("$util.base64Encode('héllo')|$util.base64Decode('aMOpbGxv')")).toBe('aMOpbGxv|héllo');
  });

  it('parseJson returns native values (the documented errorMessage example)', () => {
    const body = JSON.stringify({ errorMessage: JSON.stringify({ key1: 'var1', key2: { arr: [1, 2, 3] } }) });
    const template =
      '#set ($errorMessageObj = $util.parseJson($input.path(\'$.errorMessage\')))\n{\n   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]\n}\n';
    expect(render(template, { body })).toBe('{\n   "errorMessageObjKey2ArrVal" : 1\n}\n');
  });

  it('parseJson of invalid JSON fails the render', () => {
    expectTemplateError(() => render("$util.parseJson('{nope')"), 'runtime');
  });

  it('renders an unknown $util function as nothing, as AWS does', () => {
    expect(render('[$util.hmacSha256("x")][$util.escapeJavaScript()]')).toBe('[][]');
  });

  it('passes null through', () => {
    expect(render('[$util.escapeJavaScript($missing)][$util.urlEncode($missing)]')).toBe('[][]');
  });
});
