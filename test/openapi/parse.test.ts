import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenApiError } from '../../src/openapi/errors.js';
import { loadDocument, parseDocument } from '../../src/openapi/parse.js';
import { FIXTURES, INVALID_FIXTURES } from './helpers.js';

function parseError(text: string, fileName: string): OpenApiError {
  try {
    parseDocument(text, fileName);
  } catch (error) {
    if (error instanceof OpenApiError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

async function loadError(path: string): Promise<OpenApiError> {
  const error: unknown = await loadDocument(path).then(
    () => new Error('expected a load error'),
    (cause: unknown) => cause,
  );
  if (error instanceof OpenApiError) return error;
  throw error;
}

describe('parseDocument', () => {
  it('reads YAML', () => {
    expect(parseDocument('openapi: 3.0.1\ninfo:\n  title: Pets\n', 'api.yaml')).toEqual({
      openapi: '3.0.1',
      info: { title: 'Pets' },
    });
  });

  it('reads JSON by extension, and by its first character when the name says nothing', () => {
    expect(parseDocument('{"openapi": "3.0.1"}', 'api.json')).toEqual({ openapi: '3.0.1' });
    expect(parseDocument('  {"openapi": "3.0.1"}', 'stdin')).toEqual({ openapi: '3.0.1' });
  });

  it('ignores a byte order mark', () => {
    expect(parseDocument('\uFEFF{"swagger": "2.0"}', 'api.json')).toEqual({ swagger: '2.0' });
  });

  it('names file:line:column and the reason for bad YAML indentation', () => {
    const error = parseError('openapi: 3.0.1\ninfo:\n  title: Broken\n   version: 1\n', 'api.yaml');
    expect(error.message).toMatch(/^api\.yaml:3:10: invalid YAML: /);
    expect(error.message).toContain('Nested mappings are not allowed');
  });

  it('names the line of an unterminated YAML quote', () => {
    const error = parseError('openapi: 3.0.1\ninfo:\n  title: "Pets\n', 'pets.yml');
    expect(error.message).toMatch(/^pets\.yml:\d+:\d+: invalid YAML: Missing closing "quote/);
  });

  it('reports a duplicate YAML key where the second one is', () => {
    const error = parseError('openapi: 3.0.1\npaths: {}\npaths: {}\n', 'dup.yaml');
    expect(error.message).toBe('dup.yaml:3:1: invalid YAML: Map keys must be unique');
  });

  it('reports an alias with no anchor at the alias', () => {
    const error = parseError('openapi: 3.0.1\ninfo:\n  title: *name\n', 'alias.yaml');
    expect(error.message).toBe('alias.yaml:3:10: invalid YAML: alias *name names no anchor before it');
  });

  it('names file:line:column for a trailing comma in JSON', () => {
    const error = parseError('{\n  "openapi": "3.0.1",\n  "paths": {},\n}\n', 'api.json');
    expect(error.message).toBe(
      'api.json:4:1: invalid JSON: expected a double-quoted property name, found "}"',
    );
  });

  it('names file:line:column for a missing comma in JSON', () => {
    const error = parseError('{\n  "openapi": "3.0.1"\n  "paths": {}\n}', 'api.json');
    expect(error.message).toBe(
      'api.json:3:3: invalid JSON: expected "," or "}" after property value, found """',
    );
  });

  it('reports JSON cut short at its end', () => {
    const error = parseError('{"openapi": "3.0.1", "paths": [1, 2', 'api.json');
    expect(error.message).toBe(
      'api.json:1:36: invalid JSON: expected "," or "]" after array element, found end of input',
    );
  });

  it('reports text after a complete JSON document', () => {
    const error = parseError('{"openapi": "3.0.1"}\n{}', 'api.json');
    expect(error.message).toBe('api.json:2:1: invalid JSON: unexpected "{" after the document');
  });

  it('reports a bad JSON literal and an unterminated string', () => {
    expect(parseError('{"a": tru}', 'a.json').message).toBe(
      'a.json:1:7: invalid JSON: expected a value, found "t"',
    );
    expect(parseError('{"a": "b\n}', 'a.json').message).toBe('a.json:1:9: invalid JSON: unterminated string');
  });
});

describe('loadDocument', () => {
  it('loads a fixture', async () => {
    const doc = (await loadDocument(join(FIXTURES, 'petstore-rest.openapi.yaml'))) as {
      info: { title: string };
    };
    expect(doc.info.title).toBe('Pet Store');
  });

  it('reports a missing file by its path', async () => {
    const path = join(FIXTURES, 'no-such-file.yaml');
    const error = await loadError(path);
    expect(error.message).toBe(`${path}: cannot read the OpenAPI file: no such file`);
  });

  it('reports a directory', async () => {
    const error = await loadError(FIXTURES);
    expect(error.message).toContain('cannot read the OpenAPI file: is a directory');
  });

  it('puts the path into syntax errors of the invalid fixtures', async () => {
    const yaml = await loadError(join(INVALID_FIXTURES, 'bad-indent.yaml'));
    expect(yaml.message).toMatch(/bad-indent\.yaml:3:10: invalid YAML: Nested mappings are not allowed/);
    const json = await loadError(join(INVALID_FIXTURES, 'trailing-comma.json'));
    expect(json.message).toMatch(
      /trailing-comma\.json:7:1: invalid JSON: expected a double-quoted property name/,
    );
  });
});
