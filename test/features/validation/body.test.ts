import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestStep } from '../../../src/dataplane/compiled-stage.js';
import { compileRequestValidation } from '../../../src/features/validation/index.js';
import type { Method, RestApi } from '../../../src/model/rest-api.js';
import { method, restApi, startHarness, validators, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

// The model of AWS's recorded request-validator test.
const testSchema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'testSchema',
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
};

function stepFor(extra: Partial<Method>, models: RestApi['models'] = []): RequestStep {
  const step = compileRequestValidation(restApi({ requestValidators: validators, models }), method(extra));
  if (!step) throw new Error('expected a validation step');
  return step;
}

const passed = { passed: true, bodyRead: true };
const invalid = (validationErrorString: string) => ({
  type: 'BAD_REQUEST_BODY',
  message: 'Invalid request body',
  validationErrorString,
});
const json = (body: unknown, contentType = 'application/json') => ({
  body: JSON.stringify(body),
  headers: { 'content-type': contentType },
});

describe('request body validation', () => {
  const models = [
    { id: 'm1', name: 'testSchema', contentType: 'application/json', schema: JSON.stringify(testSchema) },
  ];

  it('accepts a body that matches the model and rejects one that does not, with AWS wording', async () => {
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'testSchema' } },
      models,
    );
    expect(await harness.run(step, json({ a: 1, b: 2 }))).toEqual(passed);
    expect(await harness.run(step, json({ test: 'test' }))).toEqual(
      invalid('[object has missing required properties (["a","b"])]'),
    );
  });

  it('validates an empty body as {} whether or not Content-Type is sent', async () => {
    const step = stepFor(
      { requestValidatorId: 'body-only', requestModels: { 'application/json': 'testSchema' } },
      models,
    );
    const expected = invalid('[object has missing required properties (["a","b"])]');
    expect(await harness.run(step, { method: 'GET' })).toEqual(expected);
    expect(
      await harness.run(step, { method: 'GET', headers: { 'content-type': 'application/json' } }),
    ).toEqual(expected);
    const lenient = stepFor(
      { requestValidatorId: 'body-only', requestModels: { 'application/json': 'Open' } },
      [{ name: 'Open', schema: { type: 'object' } }],
    );
    expect(await harness.run(lenient, { method: 'GET' })).toEqual(passed);
  });

  it('answers a body that is not JSON as an invalid body', async () => {
    const step = stepFor(
      { requestValidatorId: 'body-only', requestModels: { 'application/json': 'testSchema' } },
      models,
    );
    expect(
      await harness.run(step, { body: '{"a": 1,', headers: { 'content-type': 'application/json' } }),
    ).toEqual(invalid('[request body is not valid JSON]'));
  });

  it('checks parameters before the body', async () => {
    const step = stepFor(
      {
        requestValidatorId: 'all',
        requestParameters: { 'method.request.header.h1': true },
        requestModels: { 'application/json': 'testSchema' },
      },
      models,
    );
    expect(await harness.run(step, json({ test: 'test' }))).toEqual({
      type: 'BAD_REQUEST_PARAMETERS',
      message: 'Missing required request parameters: [h1]',
      validationErrorString: 'Missing required request parameters: [h1]',
    });
    expect(
      await harness.run(step, {
        ...json({ test: 'test' }),
        headers: { 'content-type': 'application/json', h1: 'v1' },
      }),
    ).toEqual(invalid('[object has missing required properties (["a","b"])]'));
  });

  it('accepts a schema stored as an object as well as JSON text', async () => {
    const step = stepFor(
      { requestValidatorId: 'body-only', requestModels: { 'application/json': 'AsObject' } },
      [{ name: 'AsObject', schema: testSchema }],
    );
    expect(await harness.run(step, json({ a: 1, b: 2 }))).toEqual(passed);
    expect(await harness.run(step, json({ a: 1 }))).toEqual(
      invalid('[object has missing required properties (["b"])]'),
    );
  });
});

describe('model selection by Content-Type', () => {
  const models = [
    { name: 'JsonModel', schema: { type: 'object', required: ['json'] } },
    { name: 'TextModel', schema: { type: 'object', required: ['text'] } },
    { name: 'Fallback', schema: { type: 'object', required: ['fallback'] } },
  ];

  it('picks the model by media type, ignoring case and parameters', async () => {
    const step = stepFor(
      {
        requestValidatorId: 'all',
        requestModels: { 'application/json': 'JsonModel', 'text/plain': 'TextModel' },
      },
      models,
    );
    expect(await harness.run(step, json({}, 'Application/JSON; charset=utf-8'))).toEqual(
      invalid('[object has missing required properties (["json"])]'),
    );
    expect(await harness.run(step, json({}, 'text/plain'))).toEqual(
      invalid('[object has missing required properties (["text"])]'),
    );
    expect(await harness.run(step, json({ text: 1 }, 'text/plain'))).toEqual(passed);
  });

  it('takes a request without Content-Type as application/json', async () => {
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'JsonModel' } },
      models,
    );
    expect(await harness.run(step, { body: '{"other": true}' })).toEqual(
      invalid('[object has missing required properties (["json"])]'),
    );
  });

  it('does not validate a media type that has no model and no $default model', async () => {
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'JsonModel' } },
      models,
    );
    expect(
      await harness.run(step, {
        body: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ).toEqual({
      passed: true,
      bodyRead: false,
    });
  });

  it('falls back to the $default model for other media types', async () => {
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'JsonModel', $default: 'Fallback' } },
      models,
    );
    expect(await harness.run(step, json({}, 'application/vnd.custom+json'))).toEqual(
      invalid('[object has missing required properties (["fallback"])]'),
    );
    expect(await harness.run(step, json({}))).toEqual(
      invalid('[object has missing required properties (["json"])]'),
    );
    const onlyDefault = stepFor(
      { requestValidatorId: 'all', requestModels: { $default: 'Fallback' } },
      models,
    );
    expect(await harness.run(onlyDefault, json({ fallback: 1 }, 'text/csv'))).toEqual(passed);
    expect(await harness.run(onlyDefault, { body: 'a,b', headers: { 'content-type': 'text/csv' } })).toEqual(
      invalid('[request body is not valid JSON]'),
    );
  });

  it('knows the Empty and Error models every REST API has', async () => {
    const step = stepFor({ requestValidatorId: 'all', requestModels: { 'application/json': 'Empty' } });
    expect(await harness.run(step, json({ anything: [1, 2] }))).toEqual(passed);
    expect(await harness.run(step, json('text'))).toEqual(
      invalid('[instance type (string) does not match any allowed primitive type (allowed: ["object"])]'),
    );
    const error = stepFor({ requestValidatorId: 'all', requestModels: { 'application/json': 'Error' } });
    expect(await harness.run(error, json({ message: 3 }))).toEqual(
      invalid('[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]'),
    );
  });
});

describe('models referring to models', () => {
  const address = {
    name: 'Address',
    schema: {
      type: 'object',
      properties: { zip: { type: 'string', pattern: '^[0-9]{5}$' } },
      required: ['zip'],
    },
  };
  const expectAddressChecked = async (step: RequestStep) => {
    expect(await harness.run(step, json({ home: { zip: '12345' } }))).toEqual(passed);
    expect(await harness.run(step, json({ home: { zip: 'abc' } }))).toEqual(
      invalid('[ECMA 262 regex "^[0-9]{5}$" does not match input string "abc"]'),
    );
    expect(await harness.run(step, json({ home: {} }))).toEqual(
      invalid('[object has missing required properties (["zip"])]'),
    );
  };

  it('resolves the AWS model URL form', async () => {
    const person = {
      name: 'Person',
      schema: JSON.stringify({
        type: 'object',
        properties: { home: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Address' } },
      }),
    };
    await expectAddressChecked(
      stepFor({ requestValidatorId: 'all', requestModels: { 'application/json': 'Person' } }, [
        person,
        address,
      ]),
    );
  });

  it('resolves #/definitions/Name (Swagger 2 import form)', async () => {
    const person = {
      name: 'Person',
      schema: { type: 'object', properties: { home: { $ref: '#/definitions/Address' } } },
    };
    await expectAddressChecked(
      stepFor({ requestValidatorId: 'all', requestModels: { 'application/json': 'Person' } }, [
        person,
        address,
      ]),
    );
  });

  it('resolves #/components/schemas/Name (OpenAPI 3 import form)', async () => {
    const person = {
      name: 'Person',
      schema: { type: 'object', properties: { home: { $ref: '#/components/schemas/Address' } } },
    };
    await expectAddressChecked(
      stepFor({ requestValidatorId: 'all', requestModels: { 'application/json': 'Person' } }, [
        person,
        address,
      ]),
    );
  });

  it('follows references through several models and back to a model itself', async () => {
    const models = [
      {
        name: 'Tree',
        schema: {
          type: 'object',
          properties: {
            label: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/definitions/Tree' } },
            owner: { $ref: '#/components/schemas/Person' },
          },
          required: ['label'],
        },
      },
      {
        name: 'Person',
        schema: {
          type: 'object',
          properties: { home: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3/models/Address' } },
        },
      },
      address,
    ];
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'Tree' } },
      models,
    );
    expect(
      await harness.run(
        step,
        json({
          label: 'root',
          children: [{ label: 'a', children: [{ label: 'b' }] }],
          owner: { home: { zip: '00001' } },
        }),
      ),
    ).toEqual(passed);
    expect(
      await harness.run(step, json({ label: 'root', children: [{ label: 'a', children: [{}] }] })),
    ).toEqual(invalid('[object has missing required properties (["label"])]'));
    expect(await harness.run(step, json({ label: 'root', owner: { home: { zip: 5 } } }))).toEqual(
      invalid('[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]'),
    );
  });

  it('prefers a definition inside the model to a model of the same name', async () => {
    const models = [
      {
        name: 'Order',
        schema: {
          type: 'object',
          properties: { item: { $ref: '#/definitions/Item' } },
          definitions: { Item: { type: 'object', required: ['local'] } },
        },
      },
      { name: 'Item', schema: { type: 'object', required: ['global'] } },
    ];
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'Order' } },
      models,
    );
    expect(await harness.run(step, json({ item: { local: 1 } }))).toEqual(passed);
    expect(await harness.run(step, json({ item: { global: 1 } }))).toEqual(
      invalid('[object has missing required properties (["local"])]'),
    );
  });

  it('resolves a pointer into another model', async () => {
    const models = [
      { name: 'Shapes', schema: { definitions: { Square: { type: 'object', required: ['side'] } } } },
      {
        name: 'Drawing',
        schema: {
          type: 'object',
          properties: { shape: { $ref: '#/definitions/Shapes/definitions/Square' } },
        },
      },
    ];
    const step = stepFor(
      { requestValidatorId: 'all', requestModels: { 'application/json': 'Drawing' } },
      models,
    );
    expect(await harness.run(step, json({ shape: { side: 2 } }))).toEqual(passed);
    expect(await harness.run(step, json({ shape: {} }))).toEqual(
      invalid('[object has missing required properties (["side"])]'),
    );
  });
});

describe('JSON Schema draft 4 as AWS reads it', () => {
  const run = async (schema: object, body: unknown) =>
    harness.run(
      stepFor({ requestValidatorId: 'body-only', requestModels: { 'application/json': 'M' } }, [
        { name: 'M', schema },
      ]),
      json(body),
    );

  it('takes exclusiveMinimum and exclusiveMaximum as booleans beside minimum and maximum', async () => {
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'number', minimum: 5, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true },
      },
    };
    expect(await run(schema, { n: 7 })).toEqual(passed);
    expect(await run(schema, { n: 5 })).toEqual(
      invalid('[numeric instance is not strictly greater than the required minimum 5]'),
    );
    expect(await run(schema, { n: 10 })).toEqual(
      invalid('[numeric instance is not strictly lower than the required maximum 10]'),
    );
    expect(await run(schema, { n: 4 })).toEqual(
      invalid('[numeric instance is lower than the required minimum (minimum: 5, found: 4)]'),
    );
  });

  it('ignores the keywords beside a $ref', async () => {
    const schema = {
      type: 'object',
      properties: { s: { $ref: '#/definitions/S', type: 'number', minLength: 10 } },
      definitions: { S: { type: 'string' } },
    };
    expect(await run(schema, { s: 'short' })).toEqual(passed);
    expect(await run(schema, { s: 1 })).toEqual(
      invalid('[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]'),
    );
  });

  it('ignores keywords draft 4 does not have', async () => {
    const schema = {
      type: 'object',
      properties: {
        c: { const: 'x', example: 'y' },
        n: { type: 'string', nullable: true },
        o: { nullable: false },
      },
      propertyNames: { maxLength: 1 },
      contains: { type: 'number' },
      if: { required: ['c'] },
      then: { required: ['never'] },
    };
    expect(await run(schema, { c: 'anything', long_name: 1, o: null })).toEqual(passed);
    expect(await run(schema, { n: null })).toEqual(
      invalid('[instance type (null) does not match any allowed primitive type (allowed: ["string"])]'),
    );
  });

  it('checks the draft-4 formats and lets others through', async () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        at: { type: 'string', format: 'date-time' },
        day: { type: 'string', format: 'date' },
        id: { type: 'string', format: 'uuid' },
      },
    };
    expect(
      await run(schema, {
        email: 'pat@example.com',
        at: '2024-02-29T10:00:00.123Z',
        day: 'whenever',
        id: 'not-a-uuid',
      }),
    ).toEqual(passed);
    expect(await run(schema, { email: 'pat.example.com' })).toEqual(
      invalid('[string "pat.example.com" is not a valid email address]'),
    );
    expect(await run(schema, { at: '2023-02-29T10:00:00Z' })).toEqual(
      invalid(
        `[string "2023-02-29T10:00:00Z" is invalid against requested date format(s) [yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]]`,
      ),
    );
    expect(await run({ format: 'ipv4' }, '10.0.0.256')).toEqual(
      invalid('[string "10.0.0.256" is not a valid IPv4 address]'),
    );
    expect(await run({ format: 'ipv6' }, '::1')).toEqual(passed);
    expect(await run({ format: 'hostname' }, 'api.example.com')).toEqual(passed);
    expect(await run({ format: 'hostname' }, '-bad-.example.com')).toEqual(
      invalid('[string "-bad-.example.com" is not a valid hostname]'),
    );
    expect(await run({ format: 'uri' }, 'https://example.com/a b')).toEqual(
      invalid('[string "https://example.com/a b" is not a valid URI]'),
    );
    expect(await run({ format: 'regex' }, '([a-z]')).toEqual(
      invalid('[string "([a-z]" is not a valid ECMA 262 regular expression]'),
    );
  });

  it('treats 0.3 as a multiple of 0.1, as decimal arithmetic does', async () => {
    expect(await run({ multipleOf: 0.1 }, 0.3)).toEqual(passed);
    expect(await run({ multipleOf: 0.1 }, 0.35)).toEqual(
      invalid('[remainder of division is not zero (0.35 / 0.1)]'),
    );
  });

  it('reads patterns as ECMA 262 regexes that may match anywhere in the string', async () => {
    expect(await run({ pattern: '\\d{3}' }, 'ab123cd')).toEqual(passed);
    expect(await run({ pattern: '\\d{3}' }, 'ab12cd')).toEqual(
      invalid('[ECMA 262 regex "\\d{3}" does not match input string "ab12cd"]'),
    );
  });
});
