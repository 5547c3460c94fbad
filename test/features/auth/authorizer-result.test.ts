// What Lambda authorizers answer and what the client then gets: REST policy responses, the
// "Unauthorized" convention, configuration errors, and HTTP API simple and IAM responses.
import { describe, expect, it } from 'vitest';
import {
  authorizerOutcome,
  enforceAuthorizerPolicy,
  enforceHttpAuthorizerResult,
  httpAuthorizerOutcome,
  parseHttpAuthorizerResult,
  parseRestAuthorizerResult,
} from '../../../src/features/auth/authorizer-result.js';
import { methodArn } from '../../../src/features/auth/policy.js';
import { answerOf } from './helpers.js';

const parts = { region: 'us-west-2', accountId: '123456789012', apiId: 'ymy8tbxw7b', stage: 'dev' };
const GET_PETS = methodArn({ ...parts, method: 'GET', resourcePath: '/pets' });
const GET_PET = methodArn({ ...parts, method: 'GET', resourcePath: '/pets/42' });

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const policyDocument = (effect: 'Allow' | 'Deny', resource: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
});

const CONFIGURATION_ERROR = {
  status: 500,
  body: { message: null },
  errorType: 'AuthorizerConfigurationException',
};
const UNAUTHORIZED = { status: 401, body: { message: 'Unauthorized' }, errorType: 'UnauthorizedException' };

describe('parseRestAuthorizerResult', () => {
  it('reads principalId, the policy, context and usageIdentifierKey (the AWS example)', () => {
    const result = parseRestAuthorizerResult(
      json({
        principalId: 'user',
        policyDocument: policyDocument(
          'Allow',
          'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/dev/GET/',
        ),
        context: { stringKey: 'value', numberKey: 1, booleanKey: true },
        usageIdentifierKey: 'k'.repeat(20),
      }),
    );
    expect(result.principalId).toBe('user');
    expect(result.context).toEqual({ stringKey: 'value', numberKey: 1, booleanKey: true });
    expect(result.usageIdentifierKey).toBe('k'.repeat(20));
    expect(result.policy.evaluate(methodArn({ ...parts, method: 'GET', resourcePath: '/' }))).toBe('allow');
  });

  it('treats an absent or null context as empty, and stringifies a numeric principalId', () => {
    const result = parseRestAuthorizerResult(
      json({ principalId: 42, policyDocument: policyDocument('Allow', '*'), context: null }),
    );
    expect(result.principalId).toBe('42');
    expect(result.context).toEqual({});
    expect(result).not.toHaveProperty('usageIdentifierKey');
  });

  const malformed: [string, Buffer][] = [
    ['invalid JSON', Buffer.from('{"principalId":')],
    ['an empty payload', Buffer.alloc(0)],
    ['a JSON array', json([])],
    ['a JSON string', json('Allow')],
    ['no principalId', json({ policyDocument: policyDocument('Allow', '*') })],
    ['an object principalId', json({ principalId: {}, policyDocument: policyDocument('Allow', '*') })],
    ['no policyDocument', json({ principalId: 'u' })],
    [
      'a policyDocument without Statement',
      json({ principalId: 'u', policyDocument: { Version: '2012-10-17' } }),
    ],
    [
      'a statement with a bad Effect',
      json({
        principalId: 'u',
        policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] },
      }),
    ],
    [
      'a context that is a string',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), context: 'x' }),
    ],
    [
      'a context that is an array',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), context: [] }),
    ],
    [
      'a context value that is an object',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), context: { nested: { a: 1 } } }),
    ],
    [
      'a context value that is an array',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), context: { list: ['a'] } }),
    ],
    [
      'a context value that is null',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), context: { empty: null } }),
    ],
    [
      'a usageIdentifierKey that is not a string',
      json({ principalId: 'u', policyDocument: policyDocument('Allow', '*'), usageIdentifierKey: 7 }),
    ],
  ];
  for (const [name, payload] of malformed) {
    it(`answers 500 AuthorizerConfigurationException with a null message for ${name}`, () => {
      expect(answerOf(() => parseRestAuthorizerResult(payload))).toEqual(CONFIGURATION_ERROR);
    });
  }
});

describe('authorizerOutcome', () => {
  const failure = (errorMessage: unknown) => ({
    payload: json({ errorType: 'Error', errorMessage, trace: [] }),
    functionError: 'Unhandled',
  });

  it('answers 401 when the function fails with exactly "Unauthorized"', () => {
    expect(answerOf(() => authorizerOutcome(failure('Unauthorized')))).toEqual(UNAUTHORIZED);
    // callback("Unauthorized") from a Node handler is reported the same way, as Handled.
    const handled = { payload: json({ errorMessage: 'Unauthorized' }), functionError: 'Handled' };
    expect(answerOf(() => authorizerOutcome(handled))).toEqual(UNAUTHORIZED);
  });

  it('answers 401 when the function returns the bare string "Unauthorized"', () => {
    expect(answerOf(() => authorizerOutcome({ payload: json('Unauthorized') }))).toEqual(UNAUTHORIZED);
  });

  it('answers 500 for any other failure', () => {
    for (const message of ['unauthorized', 'Unauthorized ', 'Access denied', 'Invalid token', null]) {
      expect(
        answerOf(() => authorizerOutcome(failure(message))),
        String(message),
      ).toEqual(CONFIGURATION_ERROR);
    }
    const unreadable = { payload: Buffer.from('Task timed out'), functionError: 'Unhandled' };
    expect(answerOf(() => authorizerOutcome(unreadable))).toEqual(CONFIGURATION_ERROR);
  });

  it('parses a successful answer', () => {
    const result = authorizerOutcome({
      payload: json({ principalId: 'u', policyDocument: policyDocument('Allow', GET_PETS) }),
    });
    expect(result.principalId).toBe('u');
  });
});

describe('enforceAuthorizerPolicy', () => {
  it('lets an allowed method through', () => {
    const result = parseRestAuthorizerResult(
      json({ principalId: 'u', policyDocument: policyDocument('Allow', GET_PETS) }),
    );
    expect(() => enforceAuthorizerPolicy(result, GET_PETS)).not.toThrow();
  });

  it('answers 403 with the explicit-deny message for a Deny', () => {
    const result = parseRestAuthorizerResult(
      json({
        principalId: 'u',
        policyDocument: policyDocument(
          'Deny',
          'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/*',
        ),
      }),
    );
    expect(answerOf(() => enforceAuthorizerPolicy(result, GET_PETS))).toEqual({
      status: 403,
      body: { message: 'User is not authorized to access this resource with an explicit deny' },
      errorType: 'AccessDeniedException',
    });
  });

  it('answers 403 for a cached policy that names another method (implicit deny)', () => {
    // The policy was returned for GET /pets and cached; the same token then calls GET /pets/42.
    const cached = parseRestAuthorizerResult(
      json({ principalId: 'u', policyDocument: policyDocument('Allow', GET_PETS) }),
    );
    expect(() => enforceAuthorizerPolicy(cached, GET_PETS)).not.toThrow();
    expect(answerOf(() => enforceAuthorizerPolicy(cached, GET_PET))).toEqual({
      status: 403,
      body: { message: 'User is not authorized to access this resource' },
      errorType: 'AccessDeniedException',
    });
  });

  it('lets a Deny win over an Allow in the same policy', () => {
    const result = parseRestAuthorizerResult(
      json({
        principalId: 'u',
        policyDocument: {
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
            { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: GET_PET },
          ],
        },
      }),
    );
    expect(() => enforceAuthorizerPolicy(result, GET_PETS)).not.toThrow();
    expect(answerOf(() => enforceAuthorizerPolicy(result, GET_PET)).status).toBe(403);
  });
});

describe('HTTP API Lambda authorizers', () => {
  const simple = { payloadFormatVersion: '2.0', enableSimpleResponses: true } as const;
  const iam2 = { payloadFormatVersion: '2.0', enableSimpleResponses: false } as const;
  const iam1 = { payloadFormatVersion: '1.0', enableSimpleResponses: false } as const;
  const ROUTE = 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request';
  const FORBIDDEN = { status: 403, body: { message: 'Forbidden' }, errorType: undefined };
  const INTERNAL = { status: 500, body: { message: 'Internal Server Error' }, errorType: undefined };

  it('lets isAuthorized: true through with its context, arrays and maps included', () => {
    const context = {
      stringKey: 'value',
      numberKey: 1,
      booleanKey: true,
      arrayKey: ['a'],
      mapKey: { b: 'c' },
    };
    const result = parseHttpAuthorizerResult(json({ isAuthorized: true, context }), simple);
    expect(result).toEqual({ kind: 'simple', isAuthorized: true, context });
    expect(() => enforceHttpAuthorizerResult(result, ROUTE)).not.toThrow();
  });

  it('answers 403 {"message":"Forbidden"} for isAuthorized: false', () => {
    const result = parseHttpAuthorizerResult(json({ isAuthorized: false }), simple);
    expect(answerOf(() => enforceHttpAuthorizerResult(result, ROUTE), 'HTTP')).toEqual(FORBIDDEN);
  });

  it('answers 500 Internal Server Error when isAuthorized is missing or not a boolean', () => {
    for (const answer of [{}, { isAuthorized: 'true' }, { isAuthorized: 1 }]) {
      expect(answerOf(() => parseHttpAuthorizerResult(json(answer), simple), 'HTTP')).toEqual(INTERNAL);
    }
    expect(answerOf(() => parseHttpAuthorizerResult(Buffer.from('nope'), simple), 'HTTP')).toEqual(INTERNAL);
    expect(
      answerOf(() => parseHttpAuthorizerResult(json({ isAuthorized: true, context: 'x' }), simple), 'HTTP'),
    ).toEqual(INTERNAL);
  });

  it('evaluates the IAM form against the route ARN (formats 1.0 and 2.0)', () => {
    for (const settings of [iam1, iam2]) {
      const allowed = parseHttpAuthorizerResult(
        json({
          principalId: 'abcdef',
          policyDocument: policyDocument('Allow', ROUTE),
          context: { k: ['v'] },
        }),
        settings,
      );
      expect(allowed.kind).toBe('policy');
      expect(() => enforceHttpAuthorizerResult(allowed, ROUTE)).not.toThrow();
      const other = ROUTE.replace('/GET/', '/POST/');
      expect(answerOf(() => enforceHttpAuthorizerResult(allowed, other), 'HTTP')).toEqual(FORBIDDEN);
      const denied = parseHttpAuthorizerResult(
        json({ principalId: 'abcdef', policyDocument: policyDocument('Deny', ROUTE) }),
        settings,
      );
      expect(answerOf(() => enforceHttpAuthorizerResult(denied, ROUTE), 'HTTP')).toEqual(FORBIDDEN);
    }
  });

  it('answers 500 for an IAM-form answer without a policy', () => {
    expect(answerOf(() => parseHttpAuthorizerResult(json({ principalId: 'a' }), iam2), 'HTTP')).toEqual(
      INTERNAL,
    );
    expect(answerOf(() => parseHttpAuthorizerResult(json({ isAuthorized: true }), iam1), 'HTTP')).toEqual(
      INTERNAL,
    );
  });

  it('maps function failures as for REST APIs', () => {
    const failed = (errorMessage: string) => ({
      payload: json({ errorMessage }),
      functionError: 'Unhandled',
    });
    expect(answerOf(() => httpAuthorizerOutcome(failed('Unauthorized'), simple), 'HTTP')).toEqual({
      status: 401,
      body: { message: 'Unauthorized' },
      errorType: undefined,
    });
    expect(answerOf(() => httpAuthorizerOutcome(failed('boom'), simple), 'HTTP')).toEqual(INTERNAL);
    expect(httpAuthorizerOutcome({ payload: json({ isAuthorized: true }) }, simple).kind).toBe('simple');
  });
});
