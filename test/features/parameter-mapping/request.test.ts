import { describe, expect, it } from 'vitest';
import {
  compileRequestMapping,
  JSON_PATH_BODY_LIMIT_BYTES,
  ParameterMappingError,
  type CompiledRequestMapping,
  type RequestMappingInput,
} from '../../../src/features/parameter-mapping/index.js';

function input(overrides: Partial<RequestMappingInput> = {}): RequestMappingInput {
  return {
    method: 'GET',
    path: '/pets/7',
    pathParameters: { id: '7' },
    headers: { host: 'api.example.com', 'x-user': 'alice' },
    rawQuery: 'a=1&b=2',
    body: undefined,
    context: { requestId: 'req-1', stage: 'prod', identity: { sourceIp: '10.0.0.1' } },
    stageVariables: { env: 'blue' },
    ...overrides,
  };
}

function compile(parameters: Record<string, string>): CompiledRequestMapping {
  const mapping = compileRequestMapping(parameters);
  if (mapping === null) throw new Error('expected a compiled mapping');
  return mapping;
}

/** Applies the mapping; returns the outgoing headers, query and path. */
function run(
  parameters: Record<string, string>,
  overrides: Partial<RequestMappingInput> = {},
  outgoing = {},
) {
  const headers: Record<string, string | string[]> = { ...outgoing };
  const result = compile(parameters).apply(input(overrides), headers);
  return { headers, ...result };
}

/** The value one `overwrite:header.x-out` mapping produces, or undefined when it was skipped. */
function valueOf(
  expression: string,
  overrides: Partial<RequestMappingInput> = {},
): string | string[] | undefined {
  return run({ 'overwrite:header.x-out': expression }, overrides).headers['x-out'];
}

describe('compileRequestMapping', () => {
  it('is null when there is nothing to map', () => {
    expect(compileRequestMapping(undefined)).toBeNull();
    expect(compileRequestMapping({})).toBeNull();
  });

  it('throws the problems of an invalid configuration', () => {
    let thrown: unknown;
    try {
      compileRequestMapping({ 'append:header.Content-Length': '1', 'set:header.a': 'b' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ParameterMappingError);
    expect((thrown as ParameterMappingError).problems).toEqual([
      'requestParameters/append:header.Content-Length: "Content-Length" is a reserved header; mappings may not change ' +
        'access-control-*, apigw-*, x-amz-*, x-amzn-*, Authorization, Connection, Content-Encoding, Content-Length, ' +
        'Content-Location, Forwarded, Keep-Alive, Origin, Proxy-Authenticate, Proxy-Authorization, TE, Trailer(s), ' +
        'Transfer-Encoding, Upgrade, Via, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto',
      'requestParameters/set:header.a: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path',
    ]);
  });
});

describe('AWS documented examples', () => {
  it('adds header1 with the request ID', () => {
    const out = run({ 'append:header.header1': '$context.requestId' }, {}, { host: 'backend' });
    expect(out.headers).toEqual({ host: 'backend', header1: 'req-1' });
    expect(out.rawQuery).toBe('a=1&b=2');
    expect(out.path).toBeUndefined();
  });

  it('renames header1 to header2 with append and remove', () => {
    const out = run(
      { 'append:header.header2': '$request.header.header1', 'remove:header.header1': "''" },
      { headers: { header1: 'v1' } },
      { host: 'backend', header1: 'v1' },
    );
    expect(out.headers).toEqual({ host: 'backend', header2: 'v1' });
  });
});

describe('request value sources', () => {
  it('$request.header.NAME is case-insensitive and joins repeated values with ","', () => {
    expect(valueOf('$request.header.X-User')).toBe('alice');
    expect(valueOf('$request.header.x-multi', { headers: { 'x-multi': ['a', 'b', 'c'] } })).toBe('a,b,c');
  });

  it('$request.querystring.NAME is case-sensitive, decoded, and joins repeated values with ","', () => {
    const rawQuery = 'tag=a&Tag=B&tag=c%20d&q=x+y';
    expect(valueOf('$request.querystring.tag', { rawQuery })).toBe('a,c d');
    expect(valueOf('$request.querystring.Tag', { rawQuery })).toBe('B');
    expect(valueOf('$request.querystring.q', { rawQuery })).toBe('x y');
    expect(valueOf('$request.querystring.flag', { rawQuery: 'flag' })).toBe('');
  });

  it('$request.path is the path after the stage; $request.path.NAME a path parameter', () => {
    expect(valueOf('$request.path')).toBe('/pets/7');
    expect(valueOf('$request.path.id')).toBe('7');
  });

  it('$request.body is the whole body; $request.body.PATH selects from JSON', () => {
    const body = Buffer.from(
      JSON.stringify({
        pets: [{ name: 'Rex', age: 3, good: true, tags: ['a'] }],
        'odd key': 'yes',
        nothing: null,
      }),
    );
    expect(valueOf('$request.body', { body: Buffer.from('plain text') })).toBe('plain text');
    expect(valueOf('$request.body.pets[0].name', { body })).toBe('Rex');
    expect(valueOf('$request.body.pets[0].age', { body })).toBe('3');
    expect(valueOf('$request.body.pets[0].good', { body })).toBe('true');
    expect(valueOf('$request.body.pets[0].tags', { body })).toBe('["a"]');
    expect(valueOf('$request.body.pets[-1].name', { body })).toBe('Rex');
    expect(valueOf("${request.body['odd key']}", { body })).toBe('yes');
    expect(valueOf('${request.body.pets[0]}', { body })).toBe(
      '{"name":"Rex","age":3,"good":true,"tags":["a"]}',
    );
  });

  it('$context.NAME reads nested objects and flat dotted keys', () => {
    expect(valueOf('$context.requestId')).toBe('req-1');
    expect(valueOf('$context.identity.sourceIp')).toBe('10.0.0.1');
    expect(valueOf('$context.authorizer.claims.sub', { context: { 'authorizer.claims.sub': 'u-1' } })).toBe(
      'u-1',
    );
    expect(valueOf('$context.requestTimeEpoch', { context: { requestTimeEpoch: 1700000000000 } })).toBe(
      '1700000000000',
    );
  });

  it('reads context values layered over deploy-time ones with a prototype', () => {
    const context = Object.assign(
      Object.create({ apiId: 'a1b2', stage: 'prod' }) as Record<string, unknown>,
      {
        requestId: 'req-9',
      },
    );
    expect(valueOf('${context.apiId}/${context.stage}/${context.requestId}', { context })).toBe(
      'a1b2/prod/req-9',
    );
  });

  it('never reads properties every object inherits', () => {
    expect(valueOf('$request.header.constructor')).toBeUndefined();
    expect(valueOf('$context.constructor')).toBeUndefined();
    expect(valueOf('$context.toString')).toBeUndefined();
    expect(valueOf('$stageVariables.constructor')).toBeUndefined();
    expect(valueOf('$request.path.constructor')).toBeUndefined();
    expect(valueOf('$request.body.constructor', { body: Buffer.from('{}') })).toBeUndefined();
  });

  it('$stageVariables.NAME and static text', () => {
    expect(valueOf('$stageVariables.env')).toBe('blue');
    expect(valueOf('static value')).toBe('static value');
    expect(valueOf("'quoted'")).toBe("'quoted'");
    expect(valueOf('costs $5')).toBe('costs $5');
  });
});

describe('mixing values', () => {
  it('interpolates ${...} among static text', () => {
    expect(valueOf('${request.path.id} and ${context.requestId}')).toBe('7 and req-1');
    expect(valueOf('id-${request.path.id}${stageVariables.env}')).toBe('id-7blue');
  });

  it('ends a bare source at the first character that cannot be part of a name', () => {
    expect(valueOf('$request.path.id/$stageVariables.env')).toBe('7/blue');
    expect(valueOf('$request.querystring.a$request.querystring.b', {})).toBe('12');
    expect(valueOf('user $request.header.x-user.')).toBe('user alice.');
  });
});

describe('a source without a value skips the mapping', () => {
  const skipped: [string, Partial<RequestMappingInput>][] = [
    ['$request.header.missing', {}],
    ['$request.querystring.missing', {}],
    ['$request.path.missing', {}],
    ['$stageVariables.missing', {}],
    ['$context.missing', {}],
    ['$context.identity', {}],
    ['$request.body.name', { body: Buffer.from('not json') }],
    ['$request.body.name', { body: Buffer.from('{"other":1}') }],
    ['$request.body.name', { body: Buffer.from('{"name":null}') }],
    ['$request.body.name', { body: undefined }],
    ['$request.body.list[5]', { body: Buffer.from('{"list":[1]}') }],
    ['${request.path.id} ${request.header.missing}', {}],
    ['${request.header.missing} ${request.path.id}', {}],
  ];
  it.each(skipped)('%s', (expression, overrides) => {
    expect(valueOf(expression, overrides)).toBeUndefined();
    const out = run({ 'append:querystring.q': expression, 'overwrite:path': expression }, overrides);
    expect(out.rawQuery).toBe(overrides.rawQuery ?? 'a=1&b=2');
    expect(out.path).toBeUndefined();
  });

  it('leaves the header it would have overwritten alone', () => {
    const out = run({ 'overwrite:header.x-keep': '$request.header.missing' }, {}, { 'x-keep': 'original' });
    expect(out.headers).toEqual({ 'x-keep': 'original' });
  });

  it('an empty value is a value', () => {
    expect(valueOf('$request.header.x-empty', { headers: { 'x-empty': '' } })).toBe('');
    expect(valueOf('$request.body', { body: undefined })).toBe('');
  });
});

describe('header ops', () => {
  it('append adds a field line next to an existing one without changing the source array', () => {
    const existing = ['a', 'b'];
    const out = run(
      { 'append:header.x-list': 'c', 'append:header.X-Single': 'two' },
      {},
      { 'x-list': existing, 'x-single': 'one' },
    );
    expect(out.headers).toEqual({ 'x-list': ['a', 'b', 'c'], 'x-single': ['one', 'two'] });
    expect(existing).toEqual(['a', 'b']);
  });

  it('overwrite replaces every value; remove drops the header', () => {
    const out = run(
      { 'overwrite:header.X-Env': '$stageVariables.env', 'remove:header.x-secret': '' },
      {},
      { 'x-env': ['old', 'older'], 'x-secret': 's', keep: 'k' },
    );
    expect(out.headers).toEqual({ 'x-env': 'blue', keep: 'k' });
  });

  it('overwrite may set Host, which AWS does not reserve', () => {
    expect(run({ 'overwrite:header.Host': 'internal.example' }, {}, { host: 'backend' }).headers).toEqual({
      host: 'internal.example',
    });
  });

  it('applies remove, then overwrite, then append to the same header', () => {
    expect(
      run({ 'append:header.x-a': 'added', 'remove:header.x-a': '' }, {}, { 'x-a': 'old' }).headers,
    ).toEqual({
      'x-a': 'added',
    });
    expect(
      run({ 'append:header.x-a': 'added', 'overwrite:header.x-a': 'new' }, {}, { 'x-a': 'old' }).headers,
    ).toEqual({
      'x-a': ['new', 'added'],
    });
    expect(
      run({ 'overwrite:header.x-a': 'new', 'remove:header.x-a': '' }, {}, { 'x-a': 'old' }).headers,
    ).toEqual({
      'x-a': 'new',
    });
  });

  it('trims a header value, and skips one that cannot be sent in a header', () => {
    expect(valueOf('  padded  ')).toBe('padded');
    expect(valueOf('$request.body.v', { body: Buffer.from('{"v":"line\\nbreak"}') })).toBeUndefined();
    expect(valueOf('$request.body.v', { body: Buffer.from('{"v":"€"}') })).toBeUndefined();
    expect(valueOf('$request.body.v', { body: Buffer.from('{"v":"café"}') })).toBe('café');
  });
});

describe('query string ops', () => {
  it('append adds an encoded parameter after the existing ones', () => {
    expect(run({ 'append:querystring.a': 'x y&z' }).rawQuery).toBe('a=1&b=2&a=x%20y%26z');
    expect(run({ 'append:querystring.new name': '$context.requestId' }, { rawQuery: '' }).rawQuery).toBe(
      'new%20name=req-1',
    );
  });

  it('overwrite takes the place of the first occurrence and drops the rest', () => {
    expect(run({ 'overwrite:querystring.a': 'v' }, { rawQuery: 'a=1&b=2&a=3' }).rawQuery).toBe('a=v&b=2');
    expect(run({ 'overwrite:querystring.c': 'v' }).rawQuery).toBe('a=1&b=2&c=v');
  });

  it('remove drops every occurrence, matching decoded names case-sensitively', () => {
    expect(run({ 'remove:querystring.a b': '' }, { rawQuery: 'a+b=1&a%20b=2&A+B=3&c=4' }).rawQuery).toBe(
      'A+B=3&c=4',
    );
    expect(run({ 'remove:querystring.a': '' }, { rawQuery: 'a=1' }).rawQuery).toBe('');
  });

  it('keeps the text of parameters it does not touch', () => {
    expect(
      run({ 'append:querystring.z': '1' }, { rawQuery: 'q=caf%C3%A9+au+lait&x=%2F&&flag' }).rawQuery,
    ).toBe('q=caf%C3%A9+au+lait&x=%2F&flag&z=1');
  });

  it('returns the query string untouched when no op targets it', () => {
    expect(run({ 'append:header.h': 'v' }, { rawQuery: 'a=%zz&&' }).rawQuery).toBe('a=%zz&&');
  });

  it('reads values from the query string as the client sent it', () => {
    expect(
      run({ 'remove:querystring.a': '', 'append:querystring.copy': '$request.querystring.a' }).rawQuery,
    ).toBe('b=2&copy=1');
  });

  it('applies remove, then overwrite, then append to the same name', () => {
    expect(
      run({ 'append:querystring.a': 'x', 'overwrite:querystring.a': 'y', 'remove:querystring.a': '' })
        .rawQuery,
    ).toBe('b=2&a=y&a=x');
  });
});

describe('overwrite:path', () => {
  it('sets static text as written', () => {
    expect(run({ 'overwrite:path': '/changed/path' }).path).toBe('/changed/path');
    expect(run({ 'overwrite:path': '/a%20b/c d' }).path).toBe('/a%20b/c%20d');
  });

  it('keeps $request.path as received and encodes decoded values', () => {
    expect(run({ 'overwrite:path': '/v2$request.path' }, { path: '/pets/a%20b' }).path).toBe(
      '/v2/pets/a%20b',
    );
    expect(
      run({ 'overwrite:path': '/files/$request.path.proxy' }, { pathParameters: { proxy: 'dir/a b?#%.txt' } })
        .path,
    ).toBe('/files/dir/a%20b%3F%23%25.txt');
  });

  it('adds the leading "/" a request target needs', () => {
    expect(run({ 'overwrite:path': '$request.path.id' }).path).toBe('/7');
  });

  it('is undefined when there is no path op', () => {
    expect(run({ 'append:header.h': 'v' }).path).toBeUndefined();
  });
});

describe('needsBody', () => {
  it('is true exactly when a value reads $request.body', () => {
    expect(compile({ 'append:header.a': '$request.body' }).needsBody).toBe(true);
    expect(compile({ 'overwrite:path': '/x/${request.body.id}' }).needsBody).toBe(true);
    expect(compile({ 'append:querystring.a': 'x $request.body.a[0] y' }).needsBody).toBe(true);
    expect(
      compile({ 'append:header.a': '$request.header.body', 'remove:header.b': '$request.body' }).needsBody,
    ).toBe(false);
    expect(compile({ 'append:header.a': 'request.body' }).needsBody).toBe(false);
  });

  it('selects from the first 100 KB of the body only', () => {
    const small = Buffer.from(JSON.stringify({ id: 'ok', pad: 'x'.repeat(1000) }));
    const large = Buffer.from(JSON.stringify({ id: 'ok', pad: 'x'.repeat(JSON_PATH_BODY_LIMIT_BYTES) }));
    expect(JSON_PATH_BODY_LIMIT_BYTES).toBe(102400);
    expect(valueOf('$request.body.id', { body: small })).toBe('ok');
    expect(valueOf('$request.body.id', { body: large })).toBeUndefined();
    expect(
      run({ 'append:querystring.b': '$request.body' }, { rawQuery: '', body: large }).rawQuery,
    ).toHaveLength(2 + encodeURIComponent(large.toString()).length);
  });

  it('reads several selections from one body', () => {
    const body = Buffer.from('{"a":"1","b":"2"}');
    const out = run(
      { 'append:header.x-a': '$request.body.a', 'append:querystring.b': '$request.body.b' },
      { body },
    );
    expect(out.headers).toEqual({ 'x-a': '1' });
    expect(out.rawQuery).toBe('a=1&b=2&b=2');
  });
});
