// Templates from the API Gateway Developer Guide, with the output the guide shows for them.
import { describe, expect, it } from 'vitest';
import { render, renderResult } from './helpers.js';

const pets = [
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'fish', price: 0.99 },
];

describe('API Gateway Developer Guide examples', () => {
  it('PetStore integration response: #foreach with $foreach.hasNext (getting-started tutorial)', () => {
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '[',
      '#foreach($elem in $inputRoot)',
      '  {',
      '    "description" : "Item $elem.id is a $elem.type.",',
      '    "askingPrice" : $elem.price',
      '  }#if($foreach.hasNext),#end',
      '',
      '#end',
      ']',
    ].join('\n');
    // The guide's "Response Body", byte for byte.
    const documented = [
      '[',
      '  {',
      '    "description" : "Item 1 is a dog.",',
      '    "askingPrice" : 249.99',
      '  },',
      '  {',
      '    "description" : "Item 2 is a cat.",',
      '    "askingPrice" : 124.99',
      '  },',
      '  {',
      '    "description" : "Item 3 is a fish.",',
      '    "askingPrice" : 0.99',
      '  }',
      ']',
    ].join('\n');
    expect(render(template, { body: JSON.stringify(pets) })).toBe(documented);
  });

  it('$input.path returns native objects: size() of a JSON object (the /things/{id} example)', () => {
    const template = [
      '{',
      '    "id" : "$input.params(\'id\')",',
      '    "count" : "$input.path(\'$.things\').size()",',
      '    "things" : $util.escapeJavaScript($input.json(\'$.things\'))',
      '}',
    ].join('\n');
    const output = render(template, {
      body: '{"things": {"1": {}, "2": {}, "3": {}}}',
      params: { path: { id: 'abc' }, querystring: {}, header: {} },
    });
    expect(output).toBe(
      [
        '{',
        '    "id" : "abc",',
        '    "count" : "3",',
        '    "things" : {\\"1\\":{},\\"2\\":{},\\"3\\":{}}',
        '}',
      ].join('\n'),
    );
  });

  it('passes all request parameters through (the $input.params() example)', () => {
    const template = [
      '#set($allParams = $input.params())',
      '{',
      '  "params" : {',
      '    #foreach($type in $allParams.keySet())',
      '    #set($params = $allParams.get($type))',
      '    "$type" : {',
      '      #foreach($paramName in $params.keySet())',
      '      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"',
      '      #if($foreach.hasNext),#end',
      '      #end',
      '    }',
      '    #if($foreach.hasNext),#end',
      '    #end',
      '  }',
      '}',
    ].join('\n');
    const output = render(template, {
      params: {
        path: { petId: '1' },
        querystring: { q: 'a b' },
        header: { Accept: 'application/json', 'X-Quote': 'say "hi"' },
      },
    });
    // Velocity 1.7 keeps the indentation in front of #foreach/#if lines; the result is valid JSON.
    expect(JSON.parse(output)).toEqual({
      params: {
        path: { petId: '1' },
        header: { Accept: 'application/json', 'X-Quote': 'say "hi"' },
        querystring: { q: 'a b' },
      },
    });
    expect(output).toBe(
      '{\n  "params" : {\n        "path" : {\n            "petId" : "1"\n                }\n    ,        "header" : {\n            "Accept" : "application\\/json"\n      ,            "X-Quote" : "say \\"hi\\""\n                }\n    ,        "querystring" : {\n            "q" : "a b"\n                }\n          }\n}',
    );
  });

  it('$context variables (the access-logging style example)', () => {
    const template =
      '{\n    "stage" : "$context.stage",\n    "request_id" : "$context.requestId",\n    "source_ip" : "$context.identity.sourceIp",\n    "api_key" : "$context.identity.apiKey"\n}';
    const output = render(template, {
      context: {
        stage: 'prod',
        requestId: 'abcdefg-000-000-0000-abcdefg',
        identity: { sourceIp: '192.0.2.1', apiKey: 'MyTestKey' },
      },
    });
    expect(JSON.parse(output)).toEqual({
      stage: 'prod',
      request_id: 'abcdefg-000-000-0000-abcdefg',
      source_ip: '192.0.2.1',
      api_key: 'MyTestKey',
    });
  });

  it('name from the query string plus the whole body', () => {
    expect(
      render('{\n    "name" : "$input.params(\'name\')",\n    "body" : $input.json(\'$\') \n}', {
        body: '{"mykey": "v"}',
        params: { path: {}, querystring: { name: 'me' }, header: {} },
      }),
    ).toBe('{\n    "name" : "me",\n    "body" : {"mykey":"v"} \n}');
  });

  it('request header override tutorial: header3 from header1 and header2, header1 replaced', () => {
    const template = [
      '#set($header1Override = "foo")',
      "#set($header3Value = \"$input.params('header1')$input.params('header2')\")",
      '$input.json("$")',
      '#set($context.requestOverride.header.header3 = $header3Value)',
      '#set($context.requestOverride.header.header1 = $header1Override)',
    ].join('\n');
    const result = renderResult(template, {
      body: '{"a":1}',
      params: { path: {}, querystring: {}, header: { header1: 'header1Val', header2: 'header2Val' } },
    });
    expect(result.output).toBe('{"a":1}\n');
    expect(result.requestOverride.header).toEqual({ header3: 'header1Valheader2Val', header1: 'foo' });
  });
});
