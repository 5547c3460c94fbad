import { describe, expect, it } from 'vitest';
import { compileRequestValidation } from '../../../src/features/validation/index.js';
import type { RestApi } from '../../../src/model/rest-api.js';
import { method, restApi, validators } from './harness.js';

const api = (models: RestApi['models'] = []) => restApi({ requestValidators: validators, models });

describe('compileRequestValidation', () => {
  it('returns null for a method without a request validator', () => {
    expect(
      compileRequestValidation(api(), method({ requestParameters: { 'method.request.header.h': true } })),
    ).toBeNull();
    expect(compileRequestValidation(api(), method({ requestValidatorId: '' }))).toBeNull();
  });

  it('returns null when the validator validates nothing the method declares', () => {
    const everything = {
      requestParameters: { 'method.request.header.h': true },
      requestModels: { 'application/json': 'Empty' },
    };
    expect(
      compileRequestValidation(api(), method({ requestValidatorId: 'nothing', ...everything })),
    ).toBeNull();
    expect(
      compileRequestValidation(
        api(),
        method({ requestValidatorId: 'params-only', requestModels: { 'application/json': 'Empty' } }),
      ),
    ).toBeNull();
    expect(
      compileRequestValidation(
        api(),
        method({
          requestValidatorId: 'params-only',
          requestParameters: { 'method.request.header.h': false },
        }),
      ),
    ).toBeNull();
    expect(
      compileRequestValidation(
        api(),
        method({ requestValidatorId: 'body-only', requestParameters: { 'method.request.header.h': true } }),
      ),
    ).toBeNull();
    expect(compileRequestValidation(api(), method({ requestValidatorId: 'all' }))).toBeNull();
  });

  it('returns a step when there is something to check', () => {
    expect(
      compileRequestValidation(
        api(),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Empty' } }),
      ),
    ).toBeTypeOf('function');
    expect(
      compileRequestValidation(
        api(),
        method({ requestValidatorId: 'params-only', requestParameters: { 'method.request.path.id': true } }),
      ),
    ).toBeTypeOf('function');
  });

  it('finds a validator by name when no id matches, as an import may leave it', () => {
    const byName = restApi({
      requestValidators: [
        { id: 'x7y8z9', name: 'basic', validateRequestBody: false, validateRequestParameters: true },
      ],
    });
    expect(
      compileRequestValidation(
        byName,
        method({ requestValidatorId: 'basic', requestParameters: { 'method.request.path.id': true } }),
      ),
    ).toBeTypeOf('function');
  });

  it('reads validator flags sent as "true" strings, as the AWS docs example sends them', () => {
    const stringly = restApi({
      requestValidators: [
        { id: 'v', name: 'v', validateRequestBody: 'false', validateRequestParameters: 'true' },
      ],
    });
    const step = compileRequestValidation(
      stringly,
      method({
        requestValidatorId: 'v',
        requestParameters: { 'method.request.path.id': true },
        requestModels: { 'application/json': 'Missing' },
      }),
    );
    expect(step).toBeTypeOf('function');
  });

  it('throws for a validator the API does not have', () => {
    expect(() => compileRequestValidation(api(), method({ requestValidatorId: 'ghost' }))).toThrow(
      'request validator "ghost" does not exist in the API',
    );
  });

  it('throws an error naming a model whose schema is not valid draft 4', () => {
    const models = [
      { name: 'Price', schema: JSON.stringify({ type: 'number', minimum: 0, exclusiveMinimum: 0 }) },
    ];
    const compile = () =>
      compileRequestValidation(
        api(models),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Price' } }),
      );
    expect(compile).toThrow(/^model "Price" has an invalid JSON schema: .*exclusiveMinimum must be boolean/);
    // The same error again for the next method of the deployment.
    expect(compile).toThrow(/^model "Price" has an invalid JSON schema/);
  });

  it('throws for schema text that is not JSON, and for a schema that is not an object', () => {
    expect(() =>
      compileRequestValidation(
        api([{ name: 'Broken', schema: '{"type": ' }]),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Broken' } }),
      ),
    ).toThrow(/^model "Broken" has a schema that is not valid JSON/);
    expect(() =>
      compileRequestValidation(
        api([{ name: 'List', schema: '[]' }]),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'List' } }),
      ),
    ).toThrow('model "List" has a schema that is not a JSON object');
  });

  it('throws for a bad regular expression in a model', () => {
    const models = [{ name: 'Code', schema: { type: 'string', pattern: '([a-z]' } }];
    expect(() =>
      compileRequestValidation(
        api(models),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Code' } }),
      ),
    ).toThrow(/^model "Code" has an invalid JSON schema: .*regular expression/i);
  });

  it('throws for a missing model, and names the model whose $ref points at nothing', () => {
    expect(() =>
      compileRequestValidation(
        api(),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Nowhere' } }),
      ),
    ).toThrow('model "Nowhere" does not exist in the API');
    const models = [
      {
        name: 'Order',
        schema: {
          type: 'object',
          properties: { item: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Item' } },
        },
      },
      {
        name: 'Cart',
        schema: { type: 'object', properties: { items: { items: { $ref: '#/definitions/Order' } } } },
      },
    ];
    expect(() =>
      compileRequestValidation(
        api(models),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Cart' } }),
      ),
    ).toThrow('model "Order" refers to model "Item", which does not exist in the API');
    const external = [{ name: 'Ext', schema: { $ref: 'https://example.com/schemas/thing.json' } }];
    expect(() =>
      compileRequestValidation(
        api(external),
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Ext' } }),
      ),
    ).toThrow(
      'model "Ext" has a $ref "https://example.com/schemas/thing.json" that is neither a model of the API nor inside the model',
    );
  });

  it('names the referenced model whose schema is invalid, and still compiles methods that do not use it', () => {
    const models = [
      {
        name: 'Outer',
        schema: { type: 'object', properties: { inner: { $ref: '#/components/schemas/Inner' } } },
      },
      { name: 'Inner', schema: { type: 'object', required: [] } },
      { name: 'Fine', schema: { type: 'object' } },
    ];
    const shared = api(models);
    expect(() =>
      compileRequestValidation(
        shared,
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Outer' } }),
      ),
    ).toThrow(/^model "Inner" has an invalid JSON schema/);
    expect(
      compileRequestValidation(
        shared,
        method({ requestValidatorId: 'all', requestModels: { 'application/json': 'Fine' } }),
      ),
    ).toBeTypeOf('function');
  });
});
