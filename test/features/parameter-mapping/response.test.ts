import { describe, expect, it } from 'vitest';
import {
  compileResponseMapping,
  ParameterMappingError,
  type CompiledResponseMapping,
  type ResponseMappingInput,
} from '../../../src/features/parameter-mapping/index.js';

function input(overrides: Partial<ResponseMappingInput> = {}): ResponseMappingInput {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-upstream': 'yes' },
    body: undefined,
    context: { requestId: 'req-1', identity: { sourceIp: '10.0.0.1' } },
    stageVariables: { environmentId: 'env-7' },
    ...overrides,
  };
}

function compile(parameters: Record<string, Record<string, string>>): CompiledResponseMapping {
  const mapping = compileResponseMapping(parameters);
  if (mapping === null) throw new Error('expected a compiled mapping');
  return mapping;
}

/** The header one `overwrite:header.x-out` mapping on status 200 produces. */
function valueOf(expression: string, overrides: Partial<ResponseMappingInput> = {}) {
  return compile({ '200': { 'overwrite:header.x-out': expression } }).apply(input(overrides)).headers[
    'x-out'
  ];
}

describe('compileResponseMapping', () => {
  it('is null when no status maps anything', () => {
    expect(compileResponseMapping(undefined)).toBeNull();
    expect(compileResponseMapping({})).toBeNull();
    expect(compileResponseMapping({ '200': {} })).toBeNull();
  });

  it('throws the problems of an invalid configuration', () => {
    expect(() => compileResponseMapping({ '700': { 'overwrite:statuscode': '200' } })).toThrow(
      ParameterMappingError,
    );
    expect(() => compileResponseMapping({ '200': { 'append:header.x-amzn-RequestId': 'x' } })).toThrow(
      'responseParameters/200/append:header.x-amzn-RequestId: "x-amzn-RequestId" is a reserved header',
    );
  });
});

describe('the AWS documented example', () => {
  const mapping = compile({
    '500': { 'append:header.header1': '$context.requestId', 'overwrite:statuscode': '403' },
    '404': { 'append:header.error': '$stageVariables.environmentId' },
  });

  it('turns a 500 into a 403 carrying header1 = the request ID', () => {
    expect(mapping.apply(input({ statusCode: 500 }))).toEqual({
      statusCode: 403,
      headers: { 'content-type': 'application/json', 'x-upstream': 'yes', header1: 'req-1' },
    });
  });

  it('adds an error header to a 404 and keeps its status', () => {
    expect(mapping.apply(input({ statusCode: 404 }))).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'application/json', 'x-upstream': 'yes', error: 'env-7' },
    });
  });

  it('passes any other status through with the same headers object', () => {
    const given = input({ statusCode: 200 });
    const result = mapping.apply(given);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toBe(given.headers);
  });
});

describe('response value sources', () => {
  it('$response.header.NAME is case-insensitive and joins repeated values with ","', () => {
    expect(valueOf('$response.header.X-Upstream')).toBe('yes');
    expect(valueOf('$response.header.set-cookie', { headers: { 'set-cookie': ['a=1', 'b=2'] } })).toBe(
      'a=1,b=2',
    );
  });

  it('$response.body is the whole body; $response.body.PATH selects from JSON', () => {
    const body = Buffer.from('{"error":{"code":"E42","retry":false}}');
    expect(valueOf('$response.body', { body: Buffer.from('raw') })).toBe('raw');
    expect(valueOf('$response.body.error.code', { body })).toBe('E42');
    expect(valueOf('${response.body.error.retry}', { body })).toBe('false');
    expect(valueOf("$response.body['error']", { body })).toBe('{"code":"E42","retry":false}');
  });

  it('$context, $stageVariables, static text and mixes', () => {
    expect(valueOf('$context.identity.sourceIp')).toBe('10.0.0.1');
    expect(valueOf('$stageVariables.environmentId')).toBe('env-7');
    expect(valueOf('no-store')).toBe('no-store');
    expect(valueOf('${stageVariables.environmentId}/${context.requestId}')).toBe('env-7/req-1');
  });

  it('a source without a value skips the mapping', () => {
    expect(valueOf('$response.header.missing')).toBeUndefined();
    expect(valueOf('$response.body.a', { body: Buffer.from('<html>') })).toBeUndefined();
    expect(valueOf('x-${context.missing}')).toBeUndefined();
  });
});

describe('response header ops', () => {
  it('removes, then overwrites, then appends, on a copy of the headers', () => {
    const given = input({ headers: { server: 'nginx', 'x-a': 'old', 'set-cookie': ['a=1'] } });
    const result = compile({
      '200': {
        'remove:header.Server': "''",
        'overwrite:header.x-a': 'new',
        'append:header.x-a': 'more',
        'append:header.Set-Cookie': 'b=2',
      },
    }).apply(given);
    expect(result.headers).toEqual({ 'x-a': ['new', 'more'], 'set-cookie': ['a=1', 'b=2'] });
    expect(given.headers).toEqual({ server: 'nginx', 'x-a': 'old', 'set-cookie': ['a=1'] });
  });
});

describe('overwrite:statuscode', () => {
  it('takes a status code from a mapped value', () => {
    const mapping = compile({ '200': { 'overwrite:statuscode': '$response.header.x-status' } });
    expect(mapping.apply(input({ headers: { 'x-status': '202' } })).statusCode).toBe(202);
    expect(mapping.apply(input({ headers: { 'x-status': ' 418 ' } })).statusCode).toBe(418);
  });

  it('keeps the status when the value is missing or not a code from 200 to 599', () => {
    const mapping = compile({ '200': { 'overwrite:statuscode': '$response.header.x-status' } });
    expect(mapping.apply(input({ headers: {} })).statusCode).toBe(200);
    expect(mapping.apply(input({ headers: { 'x-status': '101' } })).statusCode).toBe(200);
    expect(mapping.apply(input({ headers: { 'x-status': '600' } })).statusCode).toBe(200);
    expect(mapping.apply(input({ headers: { 'x-status': 'teapot' } })).statusCode).toBe(200);
  });

  it('applies header ops of the status the integration returned, not the new one', () => {
    const mapping = compile({
      '201': { 'overwrite:statuscode': '202', 'append:header.x-was': '201' },
      '202': { 'append:header.x-was': '202' },
    });
    expect(mapping.apply(input({ statusCode: 201 }))).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json', 'x-upstream': 'yes', 'x-was': '201' },
    });
  });
});

describe('needsBody', () => {
  it('is true only for a status whose values read $response.body', () => {
    const mapping = compile({
      '400': { 'append:header.x-code': '$response.body.code' },
      '500': { 'overwrite:statuscode': '${response.body.status}' },
      '200': { 'append:header.x-len': '$response.header.content-length' },
    });
    expect(mapping.needsBody(400)).toBe(true);
    expect(mapping.needsBody(500)).toBe(true);
    expect(mapping.needsBody(200)).toBe(false);
    expect(mapping.needsBody(404)).toBe(false);
  });

  it('maps a status code read from the body', () => {
    const mapping = compile({ '500': { 'overwrite:statuscode': '${response.body.status}' } });
    expect(mapping.apply(input({ statusCode: 500, body: Buffer.from('{"status":503}') })).statusCode).toBe(
      503,
    );
  });
});
