import { describe, expect, it } from 'vitest';
import { corsProblems } from '../../../src/features/cors/index.js';

const AT = '/corsConfiguration';

describe('corsProblems', () => {
  it('accepts the AWS documentation example', () => {
    expect(
      corsProblems(
        {
          allowOrigins: ['https://www.example.com'],
          allowCredentials: true,
          exposeHeaders: ['x-apigateway-header', 'x-amz-date', 'content-type'],
          maxAge: 3600,
          allowMethods: ['GET', 'OPTIONS', 'POST'],
          allowHeaders: ['x-apigateway-header', 'x-amz-date', 'content-type'],
        },
        AT,
      ),
    ).toEqual([]);
  });

  it('accepts an empty configuration, wildcards and both ends of maxAge', () => {
    expect(corsProblems({}, AT)).toEqual([]);
    expect(
      corsProblems(
        { allowOrigins: ['*', 'https://*'], allowMethods: ['*'], allowHeaders: ['*'], maxAge: -1 },
        AT,
      ),
    ).toEqual([]);
    expect(corsProblems({ maxAge: 86400 }, AT)).toEqual([]);
  });

  it('requires an object', () => {
    expect(corsProblems(['*'], AT)).toEqual([
      '/corsConfiguration: must be an object with any of allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials',
    ]);
    expect(corsProblems(null, '')).toEqual([
      '/: must be an object with any of allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials',
    ]);
  });

  it('requires arrays of strings for the lists', () => {
    expect(corsProblems({ allowOrigins: 'https://www.example.com', exposeHeaders: ['date', 7] }, AT)).toEqual(
      [
        '/corsConfiguration/allowOrigins: must be an array of strings',
        '/corsConfiguration/exposeHeaders/1: must be a string',
      ],
    );
  });

  it('bounds each method to 1..64 characters', () => {
    expect(corsProblems({ allowMethods: ['GET', '', 'X'.repeat(65)] }, AT)).toEqual([
      '/corsConfiguration/allowMethods/1: must be 1 to 64 characters',
      '/corsConfiguration/allowMethods/2: must be 1 to 64 characters',
    ]);
  });

  it('bounds maxAge to an integer from -1 to 86400', () => {
    const message = '/corsConfiguration/maxAge: must be an integer from -1 to 86400 (seconds)';
    expect(corsProblems({ maxAge: 86401 }, AT)).toEqual([message]);
    expect(corsProblems({ maxAge: -2 }, AT)).toEqual([message]);
    expect(corsProblems({ maxAge: 1.5 }, AT)).toEqual([message]);
    expect(corsProblems({ maxAge: '300' }, AT)).toEqual([message]);
  });

  it('requires a boolean allowCredentials', () => {
    expect(corsProblems({ allowCredentials: 'true' }, AT)).toEqual([
      '/corsConfiguration/allowCredentials: must be true or false',
    ]);
  });

  it('refuses allowCredentials with a * origin, as AWS does', () => {
    expect(corsProblems({ allowOrigins: ['https://a.example', '*'], allowCredentials: true }, AT)).toEqual([
      '/corsConfiguration/allowCredentials: must not be true while allowOrigins contains "*"; list the allowed origins instead',
    ]);
    expect(corsProblems({ allowOrigins: ['*'], allowCredentials: false }, AT)).toEqual([]);
    expect(corsProblems({ allowOrigins: ['https://*.example.com'], allowCredentials: true }, AT)).toEqual([]);
  });

  it('names fields it does not know, which would otherwise be ignored silently', () => {
    expect(corsProblems({ allowOrigin: ['*'] }, AT)).toEqual([
      '/corsConfiguration/allowOrigin: unknown field; a CORS configuration has allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials',
    ]);
  });
});
