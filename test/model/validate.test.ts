// Model validation names the offending field as a JSON pointer and says what is allowed.
import { describe, expect, it } from 'vitest';
import { apiSchemaOf, StageSchema } from '../../src/model/api.js';
import { assertValid, ModelValidationError, problemsOf } from '../../src/model/validate.js';
import { restApi, httpApi, httpProxy } from '../helpers/apis.js';

describe('model validation', () => {
  it('accepts valid REST and HTTP APIs', () => {
    const rest = restApi({ 'GET /pets': httpProxy('http://backend/pets') });
    expect(problemsOf(apiSchemaOf(rest), rest)).toEqual([]);
    const http = httpApi({ 'GET /pets': 'http://backend/pets' });
    expect(problemsOf(apiSchemaOf(http), http)).toEqual([]);
  });

  it('names an invalid enum value by pointer and lists the allowed values', () => {
    const api = restApi({ 'GET /pets': httpProxy('http://backend/pets') });
    const pets = api.resources.findIndex((r) => r.path === '/pets');
    (api.resources[pets]!.resourceMethods.GET!.methodIntegration as { type: string }).type = 'LAMBDA';
    expect(problemsOf(apiSchemaOf(api), api)).toEqual([
      `/resources/${pets}/resourceMethods/GET/methodIntegration/type: must be one of "HTTP", "HTTP_PROXY", "MOCK", "AWS", "AWS_PROXY"`,
    ]);
  });

  it('names a timeout out of range and a missing required field', () => {
    const api = restApi({ 'GET /pets': httpProxy('http://backend/pets', { timeoutInMillis: 10 }) });
    const pets = api.resources.findIndex((r) => r.path === '/pets');
    delete (api as { name?: string }).name;
    expect(problemsOf(apiSchemaOf(api), api).sort()).toEqual([
      '/: missing required field "name"',
      `/resources/${pets}/resourceMethods/GET/methodIntegration/timeoutInMillis: must be >= 50`,
    ]);
  });

  it('checks HTTP API route keys and payload format versions', () => {
    const api = httpApi({ 'FETCH /pets': 'http://backend/pets' });
    (api.integrations[0] as { payloadFormatVersion: string }).payloadFormatVersion = '3.0';
    expect(problemsOf(apiSchemaOf(api), api)).toEqual([
      '/routes/0/routeKey: must match pattern "^(\\$default|(ANY|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /[^ ]*)$"',
      '/integrations/0/payloadFormatVersion: must be one of "1.0", "2.0"',
    ]);
  });

  it('limits stage variables as AWS does and throws every problem at once', () => {
    const stage = {
      apiId: 'a',
      stageName: 'prod',
      variables: { 'bad-name': 'x', ok: 'y'.repeat(513) },
      createdDate: 0,
      lastUpdatedDate: 0,
    };
    let thrown: unknown;
    try {
      assertValid(StageSchema, stage);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ModelValidationError);
    expect((thrown as ModelValidationError).problems).toEqual([
      '/variables/bad-name: not allowed; names must match ^[A-Za-z0-9_]{1,64}$',
      '/variables/ok: must NOT have more than 512 characters',
    ]);
  });
});
