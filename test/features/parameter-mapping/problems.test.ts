import { describe, expect, it } from 'vitest';
import { isReservedHeader, parameterMappingProblems } from '../../../src/features/parameter-mapping/index.js';

const AT = '/paths/~1pets/get/x-amazon-apigateway-integration';
const RESERVED_TAIL =
  'is a reserved header; mappings may not change access-control-*, apigw-*, x-amz-*, x-amzn-*, Authorization, ' +
  'Connection, Content-Encoding, Content-Length, Content-Location, Forwarded, Keep-Alive, Origin, ' +
  'Proxy-Authenticate, Proxy-Authorization, TE, Trailer(s), Transfer-Encoding, Upgrade, Via, X-Forwarded-For, ' +
  'X-Forwarded-Host, X-Forwarded-Proto';

function requestProblems(parameters: unknown): string[] {
  return parameterMappingProblems(parameters, undefined, AT);
}

function responseProblems(parameters: unknown): string[] {
  return parameterMappingProblems(undefined, parameters, AT);
}

describe('parameterMappingProblems', () => {
  it('accepts every documented key and value form', () => {
    expect(
      parameterMappingProblems(
        {
          'append:header.header1': '$context.requestId',
          'append:header.header2': '$request.header.header1',
          'remove:header.header1': "''",
          'overwrite:header.Host': 'internal.example',
          'append:querystring.q': '$request.querystring.q',
          'overwrite:querystring.page': '${request.body.page}',
          'remove:querystring.debug': '',
          'overwrite:path': '/v2/${request.path.id}/$request.path.name',
          'append:header.mix': "$request.body.pets[0]['name'] and ${stageVariables.env} $request.path",
        },
        {
          '500': { 'append:header.header1': '$context.requestId', 'overwrite:statuscode': '403' },
          '404': { 'append:header.error': '$stageVariables.environmentId' },
          '200': {
            'overwrite:statuscode': '$response.header.x-status',
            'append:header.b': '$response.body.a[2]',
          },
          '201': {},
        },
        AT,
      ),
    ).toEqual([]);
    expect(parameterMappingProblems(undefined, undefined, AT)).toEqual([]);
    expect(parameterMappingProblems(null, null, AT)).toEqual([]);
  });

  it('rejects the reserved headers, whatever their case, in request and response keys', () => {
    const names = [
      'Authorization',
      'connection',
      'CONTENT-ENCODING',
      'Content-Length',
      'Content-Location',
      'Forwarded',
      'Keep-Alive',
      'Origin',
      'Proxy-Authenticate',
      'Proxy-Authorization',
      'TE',
      'Trailers',
      'Trailer',
      'Transfer-Encoding',
      'Upgrade',
      'Via',
      'X-Forwarded-For',
      'x-forwarded-host',
      'X-Forwarded-Proto',
      'Access-Control-Allow-Origin',
      'apigw-requestid',
      'X-Amz-Date',
      'x-amzn-RequestId',
    ];
    for (const name of names) {
      expect(isReservedHeader(name)).toBe(true);
      expect(requestProblems({ [`overwrite:header.${name}`]: 'v' })).toEqual([
        `${AT}/requestParameters/overwrite:header.${name}: "${name}" ${RESERVED_TAIL}`,
      ]);
      expect(responseProblems({ '200': { [`remove:header.${name}`]: "''" } })).toEqual([
        `${AT}/responseParameters/200/remove:header.${name}: "${name}" ${RESERVED_TAIL}`,
      ]);
    }
  });

  it('allows headers that only look like reserved ones', () => {
    for (const name of [
      'Host',
      'x-amzdate',
      'x-forwarded-port',
      'apigw',
      'Content-Type',
      'origin-id',
      'access-control',
    ]) {
      expect(isReservedHeader(name)).toBe(false);
      expect(requestProblems({ [`append:header.${name}`]: 'v' })).toEqual([]);
    }
  });

  it('rejects unknown key forms', () => {
    expect(
      requestProblems({
        'append:path': '/x',
        'remove:path': '',
        'overwrite:statuscode': '200',
        'set:header.a': 'b',
        'Append:header.a': 'b',
        'append:header.': 'b',
        'append:header.bad name': 'b',
        'append:querystring.': 'b',
        'integration.request.header.a': "'b'",
      }),
    ).toEqual([
      `${AT}/requestParameters/append:path: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
      `${AT}/requestParameters/remove:path: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
      `${AT}/requestParameters/overwrite:statuscode: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
      `${AT}/requestParameters/set:header.a: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
      `${AT}/requestParameters/Append:header.a: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
      `${AT}/requestParameters/append:header.: a header name must follow "header."`,
      `${AT}/requestParameters/append:header.bad name: "bad name" is not a valid header name`,
      `${AT}/requestParameters/append:querystring.: a query string name must follow "querystring."`,
      `${AT}/requestParameters/integration.request.header.a: must be append|overwrite|remove:header.NAME, append|overwrite|remove:querystring.NAME or overwrite:path`,
    ]);
    expect(
      responseProblems({
        '200': { 'append:querystring.a': 'b', 'overwrite:path': '/x', 'overwrite:statusCode': '201' },
      }),
    ).toEqual([
      `${AT}/responseParameters/200/append:querystring.a: must be append|overwrite|remove:header.NAME or overwrite:statuscode`,
      `${AT}/responseParameters/200/overwrite:path: must be append|overwrite|remove:header.NAME or overwrite:statuscode`,
      `${AT}/responseParameters/200/overwrite:statusCode: must be append|overwrite|remove:header.NAME or overwrite:statuscode`,
    ]);
  });

  it('rejects status keys and static status codes outside 200-599', () => {
    expect(
      responseProblems({
        '199': { 'append:header.a': 'b' },
        '600': { 'append:header.a': 'b' },
        '2xx': { 'append:header.a': 'b' },
        default: { 'append:header.a': 'b' },
        '200': { 'overwrite:statuscode': '700' },
        '201': { 'overwrite:statuscode': 'created' },
        '202': { 'overwrite:statuscode': '' },
        '203': { 'overwrite:statuscode': '599' },
      }),
    ).toEqual([
      `${AT}/responseParameters/199: must be keyed by an integration status code from 200 to 599`,
      `${AT}/responseParameters/200/overwrite:statuscode: must be a status code from 200 to 599, or a value that yields one`,
      `${AT}/responseParameters/201/overwrite:statuscode: must be a status code from 200 to 599, or a value that yields one`,
      `${AT}/responseParameters/202/overwrite:statuscode: the value must not be empty (an empty value removes the mapping when an integration is updated)`,
      // Integer-like keys come first, in numeric order, as Object.entries lists them.
      `${AT}/responseParameters/600: must be keyed by an integration status code from 200 to 599`,
      `${AT}/responseParameters/2xx: must be keyed by an integration status code from 200 to 599`,
      `${AT}/responseParameters/default: must be keyed by an integration status code from 200 to 599`,
    ]);
  });

  it('rejects value syntax API Gateway does not evaluate', () => {
    expect(
      requestProblems({
        'append:header.a': '$request.body..name',
        'append:header.b': '$request.body.items[?(@.id)]',
        'append:header.c': '${request.body.items[*]}',
        'append:header.d': '${request.path.id',
        'append:header.e': '${path.id}',
        'append:header.f': '$request.headers.x',
        'append:header.g': '$response.header.x',
        'append:header.h': '',
        'append:header.i': 'line\nbreak',
        'append:header.j': '$request.header.',
        'append:header.k': '${request.body.a[1:2]}',
        'append:header.l': '${request.body.a.*}',
      }),
    ).toEqual([
      `${AT}/requestParameters/append:header.a: $request.body: recursive descent ("..") is not supported`,
      `${AT}/requestParameters/append:header.b: $request.body: filter expressions ("[?(...)]") are not supported`,
      `${AT}/requestParameters/append:header.c: "[*]" is not supported; use ['name'] or [index]`,
      `${AT}/requestParameters/append:header.d: "\${" at offset 0 has no closing "}"`,
      `${AT}/requestParameters/append:header.e: "\${path.id}" must name one of $request.header.NAME, $request.querystring.NAME, $request.body[.JSONPath], $request.path[.NAME], $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text (without the "$" inside the braces)`,
      `${AT}/requestParameters/append:header.f: "$request.headers.x" must be one of $request.header.NAME, $request.querystring.NAME, $request.body[.JSONPath], $request.path[.NAME], $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text`,
      `${AT}/requestParameters/append:header.g: "$response.header.x" cannot be used in request parameters; use one of $request.header.NAME, $request.querystring.NAME, $request.body[.JSONPath], $request.path[.NAME], $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text`,
      `${AT}/requestParameters/append:header.h: the value must not be empty (an empty value removes the mapping when an integration is updated)`,
      `${AT}/requestParameters/append:header.i: must not contain line breaks or NUL characters`,
      `${AT}/requestParameters/append:header.j: "$request.header." must be followed by a name`,
      `${AT}/requestParameters/append:header.k: "[1:2]" is not supported; use ['name'] or [index]`,
      `${AT}/requestParameters/append:header.l: wildcards ("*") are not supported`,
    ]);
  });

  it('rejects request sources in response values', () => {
    expect(
      responseProblems({
        '200': { 'append:header.a': '$request.header.x', 'append:header.b': '${request.path}' },
      }),
    ).toEqual([
      `${AT}/responseParameters/200/append:header.a: "$request.header.x" cannot be used in response parameters; use one of $response.header.NAME, $response.body[.JSONPath], $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text`,
      `${AT}/responseParameters/200/append:header.b: "\${request.path}" cannot be used in response parameters; use one of $response.header.NAME, $response.body[.JSONPath], $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text`,
    ]);
  });

  it('rejects values that are not strings and maps that are not objects', () => {
    expect(
      parameterMappingProblems(
        { 'append:header.a': 1 },
        { '200': 'x', '201': { 'append:header.a': true } },
        AT,
      ),
    ).toEqual([
      `${AT}/requestParameters/append:header.a: the value must be a string`,
      `${AT}/responseParameters/200: must be an object of mapping keys to values`,
      `${AT}/responseParameters/201/append:header.a: the value must be a string`,
    ]);
    expect(parameterMappingProblems(['x'], 'y', AT)).toEqual([
      `${AT}/requestParameters: must be an object of mapping keys to values`,
      `${AT}/responseParameters: must be an object keyed by status code`,
    ]);
  });

  it('escapes "/" and "~" in keys so each pointer names one place', () => {
    expect(requestProblems({ 'append:header.a/b~c': 'v' })).toEqual([
      `${AT}/requestParameters/append:header.a~1b~0c: "a/b~c" is not a valid header name`,
    ]);
  });
});
