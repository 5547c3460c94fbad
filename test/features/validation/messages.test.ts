// validationErrorString as AWS words and orders it. The strings marked "recorded" are answers of
// real API Gateway REST APIs (a public canary suite that asserts them against AWS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRequestValidation } from '../../../src/features/validation/index.js';
import { method, restApi, startHarness, validators, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

async function errorString(schema: object, body: unknown): Promise<string | undefined> {
  const api = restApi({
    requestValidators: validators,
    models: [{ name: 'M', schema: JSON.stringify(schema) }],
  });
  const step = compileRequestValidation(
    api,
    method({ requestValidatorId: 'body-only', requestModels: { 'application/json': 'M' } }),
  );
  if (!step) throw new Error('expected a validation step');
  const outcome = await harness.run(step, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  if ('passed' in outcome) return undefined;
  expect(outcome.type).toBe('BAD_REQUEST_BODY');
  expect(outcome.message).toBe('Invalid request body');
  return outcome.validationErrorString;
}

describe('validationErrorString messages', () => {
  it('required: all missing properties of an object, sorted (recorded)', async () => {
    const schema = { type: 'object', required: ['transactionId', 'type', 'timestamp'] };
    expect(await errorString(schema, {})).toBe(
      '[object has missing required properties (["timestamp","transactionId","type"])]',
    );
    expect(await errorString(schema, { type: 'REFUND', timestamp: 1 })).toBe(
      '[object has missing required properties (["transactionId"])]',
    );
  });

  it('type: "number" also allows "integer" (recorded)', async () => {
    const schema = { type: 'object', properties: { amount: { type: 'number' }, id: { type: 'string' } } };
    expect(await errorString(schema, { amount: '100' })).toBe(
      '[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]',
    );
    expect(await errorString(schema, { id: true })).toBe(
      '[instance type (boolean) does not match any allowed primitive type (allowed: ["string"])]',
    );
    expect(await errorString(schema, { id: 123 })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    );
    expect(await errorString({ type: ['string', 'null', 'array'] }, 1.5)).toBe(
      '[instance type (number) does not match any allowed primitive type (allowed: ["array","null","string"])]',
    );
  });

  it('enum (recorded)', async () => {
    const schema = {
      type: 'object',
      properties: { state: { type: 'string', enum: ['CREATED', 'PROCESSING', 'SENT'] } },
    };
    expect(await errorString(schema, { state: 'INVALID' })).toBe(
      '[instance value ("INVALID") not found in enum (possible values: ["CREATED","PROCESSING","SENT"])]',
    );
    expect(await errorString({ enum: [1, 'two', null] }, { three: 3 })).toBe(
      '[instance value ({"three":3}) not found in enum (possible values: [1,"two",null])]',
    );
  });

  it('minimum and maximum (minimum recorded)', async () => {
    const schema = {
      type: 'object',
      properties: { timestamp: { type: 'number', minimum: 315529200000 }, price: { maximum: 500 } },
    };
    expect(await errorString(schema, { timestamp: 1 })).toBe(
      '[numeric instance is lower than the required minimum (minimum: 315529200000, found: 1)]',
    );
    expect(await errorString(schema, { price: 501 })).toBe(
      '[numeric instance is greater than the required maximum (maximum: 500, found: 501)]',
    );
    expect(await errorString(schema, { price: 500.5 })).toBe(
      '[numeric instance is greater than the required maximum (maximum: 500, found: 500.5)]',
    );
  });

  it('minLength and maxLength count characters, not UTF-16 units', async () => {
    expect(await errorString({ minLength: 3 }, 'ab')).toBe(
      '[string "ab" is too short (length: 2, required minimum: 3)]',
    );
    expect(await errorString({ maxLength: 2 }, 'a😀b')).toBe(
      '[string "a😀b" is too long (length: 3, maximum allowed: 2)]',
    );
    expect(await errorString({ maxLength: 2 }, '😀😀')).toBeUndefined();
  });

  it('pattern', async () => {
    expect(await errorString({ pattern: '^[A-Z]{3}$' }, 'usd')).toBe(
      '[ECMA 262 regex "^[A-Z]{3}$" does not match input string "usd"]',
    );
  });

  it('additionalProperties: every unwanted property, sorted', async () => {
    const schema = {
      type: 'object',
      properties: { name: {} },
      patternProperties: { '^x-': {} },
      additionalProperties: false,
    };
    expect(await errorString(schema, { zeta: 1, name: 'n', 'x-ok': 1, alpha: 2, Beta: 3 })).toBe(
      '[object instance has properties which are not allowed by the schema: ["Beta","alpha","zeta"]]',
    );
  });

  it('combinators report one line each, never the failures inside them (oneOf recorded)', async () => {
    const methods = { oneOf: [{ required: ['card'] }, { required: ['iban'] }, { required: ['wallet'] }] };
    expect(await errorString(methods, { cash: true })).toBe(
      '[instance failed to match exactly one schema (matched 0 out of 3)]',
    );
    expect(await errorString(methods, { card: 1, iban: 2 })).toBe(
      '[instance failed to match exactly one schema (matched 2 out of 3)]',
    );
    expect(await errorString({ anyOf: [{ type: 'string' }, { type: 'number' }] }, true)).toBe(
      '[instance failed to match at least one required schema among 2]',
    );
    expect(
      await errorString({ allOf: [{ type: 'object' }, { required: ['a'] }, { required: ['b'] }] }, { a: 1 }),
    ).toBe('[instance failed to match all required schemas (matched only 2 out of 3)]');
    expect(await errorString({ not: { type: 'string' } }, 'text')).toBe(
      '[instance matched a schema which it should not have]',
    );
  });

  it('arrays', async () => {
    expect(await errorString({ minItems: 2 }, [1])).toBe(
      '[array is too short: must have at least 2 elements but instance has 1 elements]',
    );
    expect(await errorString({ maxItems: 1 }, [1, 2])).toBe(
      '[array is too long: must have at most 1 elements but instance has 2 elements]',
    );
    expect(await errorString({ uniqueItems: true }, [1, 2, 1])).toBe(
      '[array must not contain duplicate elements]',
    );
    expect(await errorString({ items: [{}, {}], additionalItems: false }, [1, 2, 3])).toBe(
      '[schema only allows 2 elements in array but instance has 3 elements]',
    );
  });

  it('object size and dependencies', async () => {
    expect(await errorString({ minProperties: 2 }, { a: 1 })).toBe(
      '[object has too few properties (found 1 but schema requires at least 2)]',
    );
    expect(await errorString({ maxProperties: 1 }, { a: 1, b: 2 })).toBe(
      '[object has too many properties (found 2 but schema requires at most 1)]',
    );
    expect(await errorString({ dependencies: { card: ['expiry', 'cvc'] } }, { card: '4111', cvc: '1' })).toBe(
      '[property "card" of object has missing property dependencies (schema requires ["cvc","expiry"]; missing: ["expiry"])]',
    );
  });
});

describe('validationErrorString order', () => {
  it('lists the failures of one value by keyword, alphabetically, with format last', async () => {
    const schema = {
      type: 'string',
      format: 'email',
      pattern: '^z',
      minLength: 20,
      enum: ['zed@example.com'],
    };
    expect(await errorString(schema, 'ab')).toBe(
      '[instance value ("ab") not found in enum (possible values: ["zed@example.com"]), ' +
        'string "ab" is too short (length: 2, required minimum: 20), ' +
        'ECMA 262 regex "^z" does not match input string "ab", ' +
        'string "ab" is not a valid email address]',
    );
  });

  it('checks members in sorted order, array items by index', async () => {
    const schema = {
      type: 'object',
      properties: {
        price: { type: 'number' },
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    expect(await errorString(schema, { price: 'x', name: 1 })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), ' +
        'instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]',
    );
    const tags = ['a', 'b', 3, 'd', 'e', 'f', 'g', 'h', 'i', 'j', false];
    expect(await errorString(schema, { tags })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), ' +
        'instance type (boolean) does not match any allowed primitive type (allowed: ["string"])]',
    );
  });

  it('does not look inside a value once something has failed', async () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: {
        a: { type: 'object', properties: { x: { type: 'string' } } },
        b: { type: 'string' },
        c: { type: 'object', properties: { y: { type: 'number' } } },
      },
    };
    // The object itself fails, so none of its members is checked.
    expect(await errorString(schema, { a: { x: 1 }, b: 2 })).toBe(
      '[object has missing required properties (["id"])]',
    );
    // a.x fails first; b is still checked (a sibling already reached), c's members no longer are.
    expect(await errorString(schema, { id: 1, a: { x: 1 }, b: 2, c: { y: 'no' } })).toBe(
      '[instance type (integer) does not match any allowed primitive type (allowed: ["string"]), ' +
        'instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
    );
  });

  it('answers nothing for a body that matches', async () => {
    expect(await errorString({ type: 'object', required: ['a'] }, { a: 1 })).toBeUndefined();
  });
});
