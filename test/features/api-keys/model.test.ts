// API keys and usage plans as AWS creates and validates them: keys are disabled unless asked,
// values are generated when not given, and bad fields get AWS's own messages.
import { describe, expect, it } from 'vitest';
import {
  API_KEY_MESSAGES,
  assertValidApiKey,
  assertValidUsagePlan,
  generateApiKeyValue,
  newApiKey,
  newUsagePlan,
  usagePlanKeyResource,
  type NewUsagePlanInput,
} from '../../../src/model/usage-plans.js';
import { ModelValidationError } from '../../../src/model/validate.js';

/** The error `make` throws; fails if it does not throw. */
function thrown(make: () => unknown): Error {
  try {
    make();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('newApiKey', () => {
  it('creates a disabled key with a generated 40-character value when none is asked for', () => {
    const key = newApiKey({ name: 'mobile' }, 1_700_000_123_456);

    expect(key.enabled).toBe(false);
    expect(key.value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(key.id).toMatch(/^[a-z0-9]{10}$/);
    expect(key.name).toBe('mobile');
    expect(key.createdDate).toBe(1_700_000_123);
    expect(key.lastUpdatedDate).toBe(1_700_000_123);
  });

  it('generates a value for an empty one, and stores no name for an empty name, as AWS does', () => {
    const key = newApiKey({ name: '', value: '' });

    expect(key.value).toHaveLength(40);
    expect(key).not.toHaveProperty('name');
  });

  it('keeps what it is given', () => {
    const key = newApiKey({
      name: 'partner',
      value: 'p'.repeat(20),
      description: 'for the partner',
      enabled: true,
      customerId: 'c-1',
      tags: { team: 'partners' },
    });

    expect(key).toMatchObject({
      name: 'partner',
      value: 'p'.repeat(20),
      description: 'for the partner',
      enabled: true,
      customerId: 'c-1',
      tags: { team: 'partners' },
    });
  });

  it('accepts values of exactly 20 and 128 characters', () => {
    expect(newApiKey({ value: 'a'.repeat(20) }).value).toHaveLength(20);
    expect(newApiKey({ value: 'a'.repeat(128) }).value).toHaveLength(128);
  });

  it('refuses a value under 20 characters with AWS’s message', () => {
    const error = thrown(() => newApiKey({ value: 'short' }));

    expect(error).toBeInstanceOf(ModelValidationError);
    expect(error.message).toBe('API Key value should be at least 20 characters');
    expect(thrown(() => newApiKey({ value: 'a'.repeat(19) })).message).toBe(API_KEY_MESSAGES.valueTooShort);
  });

  it('refuses a value over 128 characters with AWS’s message', () => {
    expect(thrown(() => newApiKey({ value: 'a'.repeat(129) })).message).toBe(
      'API Key value exceeds maximum size of 128 characters',
    );
  });

  it('refuses a name over 1024 characters with AWS’s message', () => {
    expect(newApiKey({ name: 'n'.repeat(1024) }).name).toHaveLength(1024);
    expect(thrown(() => newApiKey({ name: 'n'.repeat(1025) })).message).toBe(
      'Invalid API Key name, can be at most 1024 characters.',
    );
  });

  it('refuses a description over 125000 characters with AWS’s message', () => {
    expect(thrown(() => newApiKey({ description: 'd'.repeat(125_001) })).message).toBe(
      'Invalid API Key description specified.',
    );
  });

  it('reports the name before the value, as AWS checks them', () => {
    expect(thrown(() => newApiKey({ name: 'n'.repeat(1025), value: 'short' })).message).toBe(
      API_KEY_MESSAGES.nameTooLong,
    );
  });
});

describe('assertValidApiKey', () => {
  it('names other problems by field', () => {
    const key = { ...newApiKey({}), enabled: 'yes' };

    expect(thrown(() => assertValidApiKey(key)).message).toBe('/enabled: must be boolean');
  });
});

describe('generateApiKeyValue', () => {
  it('uses letters of both cases and digits, differently each time', () => {
    const values = Array.from({ length: 50 }, () => generateApiKeyValue());

    expect(new Set(values).size).toBe(50);
    const all = values.join('');
    expect(all).toMatch(/[A-Z]/);
    expect(all).toMatch(/[a-z]/);
    expect(all).toMatch(/[0-9]/);
    expect(all).toMatch(/^[A-Za-z0-9]+$/);
    expect(generateApiKeyValue(128)).toHaveLength(128);
  });
});

describe('usage plans', () => {
  const valid: NewUsagePlanInput = {
    name: 'Gold',
    apiStages: [{ apiId: 'a1', stage: 'prod', throttle: { '/pets/GET': { burstLimit: 1, rateLimit: 1 } } }],
    throttle: { burstLimit: 20, rateLimit: 10 },
    quota: { limit: 10, offset: 0, period: 'DAY' },
  };

  it('creates a plan with a 6-character id, as given', () => {
    const plan = newUsagePlan(valid);

    expect(plan.id).toMatch(/^[a-z0-9]{6}$/);
    expect(plan).toEqual({ ...valid, id: plan.id });
  });

  it('accepts a burst limit above the rate limit, as AWS does', () => {
    expect(newUsagePlan({ ...valid, throttle: { burstLimit: 20, rateLimit: 10 } }).throttle).toEqual({
      burstLimit: 20,
      rateLimit: 10,
    });
  });

  it('accepts the root resource and a fractional rate in method throttles', () => {
    const plan = newUsagePlan({
      ...valid,
      apiStages: [{ apiId: 'a1', stage: 'prod', throttle: { '//GET': { burstLimit: 1, rateLimit: 0.5 } } }],
    });

    expect(plan.apiStages[0]?.throttle?.['//GET']?.rateLimit).toBe(0.5);
  });

  it('refuses a quota period other than DAY, WEEK or MONTH', () => {
    const plan = { ...valid, id: 'p1', quota: { limit: 10, offset: 0, period: 'YEAR' } };

    expect(thrown(() => assertValidUsagePlan(plan)).message).toBe(
      '/quota/period: must be one of "DAY", "WEEK", "MONTH"',
    );
  });

  it('refuses negative limits and a fractional burst', () => {
    const plan = { ...valid, id: 'p1', throttle: { burstLimit: 1.5, rateLimit: -1 } };

    expect((thrown(() => assertValidUsagePlan(plan)) as ModelValidationError).problems.sort()).toEqual([
      '/throttle/burstLimit: must be integer',
      '/throttle/rateLimit: must be >= 0',
    ]);
  });

  it('refuses a method throttle key that is not /path/METHOD, and more than 20 per stage', () => {
    const badKey = {
      ...valid,
      id: 'p1',
      apiStages: [{ apiId: 'a1', stage: 'prod', throttle: { 'GET /pets': { burstLimit: 1, rateLimit: 1 } } }],
    };
    expect(thrown(() => assertValidUsagePlan(badKey)).message).toBe(
      '/apiStages/0/throttle/GET ~1pets: not allowed; names must match ^/.*/([A-Z]+|\\*)$',
    );

    const many = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [`/r${i}/GET`, { burstLimit: 1, rateLimit: 1 }]),
    );
    const tooMany = { ...valid, id: 'p1', apiStages: [{ apiId: 'a1', stage: 'prod', throttle: many }] };
    expect(thrown(() => assertValidUsagePlan(tooMany)).message).toBe(
      '/apiStages/0/throttle: must NOT have more than 20 properties',
    );
  });

  it('refuses the same API stage twice in one plan', () => {
    const plan = {
      ...valid,
      id: 'p1',
      apiStages: [
        { apiId: 'a1', stage: 'prod' },
        { apiId: 'a1', stage: 'prod' },
      ],
    };

    expect(thrown(() => assertValidUsagePlan(plan)).message).toBe(
      '/apiStages/1: API stage a1:prod appears twice in the plan',
    );
  });

  it('refuses a plan without a name', () => {
    expect(thrown(() => newUsagePlan({ ...valid, name: '' })).message).toBe(
      '/name: must NOT have fewer than 1 characters',
    );
  });
});

describe('usagePlanKeyResource', () => {
  it('shows a key of a plan as GetUsagePlanKeys does', () => {
    const key = newApiKey({ name: 'mobile', value: 'v'.repeat(20) });
    const nameless = newApiKey({ value: 'w'.repeat(20) });

    expect(usagePlanKeyResource(key)).toEqual({
      id: key.id,
      type: 'API_KEY',
      value: key.value,
      name: 'mobile',
    });
    expect(usagePlanKeyResource(nameless)).toEqual({
      id: nameless.id,
      type: 'API_KEY',
      value: nameless.value,
    });
  });
});
