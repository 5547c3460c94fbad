import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestStep } from '../../../src/dataplane/compiled-stage.js';
import { compileRequestValidation } from '../../../src/features/validation/index.js';
import type { Method } from '../../../src/model/rest-api.js';
import { method, restApi, startHarness, validators, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

function stepFor(extra: Partial<Method>): RequestStep {
  const step = compileRequestValidation(restApi({ requestValidators: validators }), method(extra));
  if (!step) throw new Error('expected a validation step');
  return step;
}

const missing = (names: string) => ({
  type: 'BAD_REQUEST_PARAMETERS',
  message: `Missing required request parameters: [${names}]`,
  validationErrorString: `Missing required request parameters: [${names}]`,
});

describe('required request parameters', () => {
  it('lists missing parameters in the order AWS recorded: header, path, querystring', async () => {
    // The recorded AWS case: POST /nested/{test} requiring a path part {issuer} the resource does not have.
    const step = stepFor({
      requestValidatorId: 'all',
      requestParameters: {
        'method.request.path.issuer': true,
        'method.request.querystring.qs1': true,
        'method.request.header.x-header-param': true,
      },
    });
    expect(
      await harness.run(step, {
        body: JSON.stringify({ test: 'test' }),
        headers: { 'content-type': 'application/json' },
        pathParameters: { test: 'value' },
      }),
    ).toEqual(missing('x-header-param, issuer, qs1'));
  });

  it('names a single missing parameter of each location', async () => {
    const step = stepFor({
      requestValidatorId: 'params-only',
      requestParameters: {
        'method.request.path.test': true,
        'method.request.querystring.qs1': true,
        'method.request.header.x-header-param': true,
      },
    });
    const all = {
      query: '?qs1=test',
      headers: { 'x-header-param': 'test' },
      pathParameters: { test: 'value' },
    };
    expect(await harness.run(step, all)).toEqual({ passed: true, bodyRead: false });
    expect(await harness.run(step, { ...all, query: '' })).toEqual(missing('qs1'));
    expect(await harness.run(step, { ...all, headers: {} })).toEqual(missing('x-header-param'));
    expect(await harness.run(step, { ...all, pathParameters: {} })).toEqual(missing('test'));
  });

  it('treats a blank query value as missing, as in the AWS docs example ?q1=', async () => {
    const step = stepFor({
      requestValidatorId: 'all',
      requestParameters: { 'method.request.querystring.q1': true },
    });
    expect(await harness.run(step, { query: '?q1=cat' })).toEqual({ passed: true, bodyRead: false });
    expect(await harness.run(step, { query: '?q1=' })).toEqual(missing('q1'));
    expect(await harness.run(step, { query: '?q1' })).toEqual(missing('q1'));
    expect(await harness.run(step, { query: '?q2=cat' })).toEqual(missing('q1'));
    expect(await harness.run(step, { query: '?q%31=cat' })).toEqual({ passed: true, bodyRead: false });
    // The value a repeated name ends with is the one the method request carries.
    expect(await harness.run(step, { query: '?q1=cat&q1=' })).toEqual(missing('q1'));
    expect(await harness.run(step, { query: '?q1=&q1=dog' })).toEqual({ passed: true, bodyRead: false });
  });

  it('matches header names case-insensitively and rejects an empty header value', async () => {
    const step = stepFor({
      requestValidatorId: 'all',
      requestParameters: { 'method.request.header.X-Trace-Id': true },
    });
    expect(await harness.run(step, { headers: { 'x-trace-id': 'abc' } })).toEqual({
      passed: true,
      bodyRead: false,
    });
    expect(await harness.run(step, { headers: { 'X-TRACE-ID': 'abc' } })).toEqual({
      passed: true,
      bodyRead: false,
    });
    expect(await harness.run(step, { headers: { 'x-trace-id': '' } })).toEqual(missing('X-Trace-Id'));
  });

  it('checks only the parameters marked true', async () => {
    const step = stepFor({
      requestValidatorId: 'all',
      requestParameters: {
        'method.request.querystring.optional': false,
        'method.request.querystring.needed': true,
      },
    });
    expect(await harness.run(step, { query: '?needed=1' })).toEqual({ passed: true, bodyRead: false });
    expect(await harness.run(step)).toEqual(missing('needed'));
  });

  it('sorts names within a location by their keys, upper case first as AWS sorts strings', async () => {
    const step = stepFor({
      requestValidatorId: 'all',
      requestParameters: {
        'method.request.querystring.zeta': true,
        'method.request.querystring.Beta': true,
        'method.request.querystring.alpha': true,
        'method.request.path.id': true,
      },
    });
    expect(await harness.run(step)).toEqual(missing('id, Beta, alpha, zeta'));
  });

  it('does not read the body when only parameters are validated', async () => {
    const step = stepFor({
      requestValidatorId: 'params-only',
      requestParameters: { 'method.request.header.h1': true },
      requestModels: { 'application/json': 'Empty' },
    });
    expect(await harness.run(step, { headers: { h1: 'v1' }, body: 'not json' })).toEqual({
      passed: true,
      bodyRead: false,
    });
  });

  it('ignores required parameters when the validator validates only the body', async () => {
    const step = stepFor({
      requestValidatorId: 'body-only',
      requestParameters: { 'method.request.header.h1': true },
      requestModels: { 'application/json': 'Empty' },
    });
    expect(await harness.run(step, { body: '{}' })).toEqual({ passed: true, bodyRead: true });
  });
});
