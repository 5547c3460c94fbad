// REST API resource policies: anonymous callers, IP and VPC endpoint conditions, the
// `execute-api:/` shorthand, and AWS's table for combining them with an authorizer.
import { describe, expect, it } from 'vitest';
import { PolicyError, type PolicyDecision } from '../../../src/features/auth/policy.js';
import {
  compileResourcePolicyDocument,
  enforceResourcePolicy,
  enforceResourcePolicyPreAuth,
} from '../../../src/features/auth/resource-policy.js';
import { answerOf } from './helpers.js';

const API = { region: 'us-east-1', accountId: '123456789012', apiId: 'a1b2c3' };
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/GET/pets';

function resourcePolicy(...statements: object[]) {
  return compileResourcePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }), API);
}

const invoke = (effect: 'Allow' | 'Deny', extra: object = {}) => ({
  Effect: effect,
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
  ...extra,
});

describe('compileResourcePolicyDocument', () => {
  it('expands execute-api:/ to the API’s own ARN', () => {
    const evaluate = resourcePolicy(invoke('Allow', { Resource: 'execute-api:/prod/GET/*' }));
    expect(evaluate({ arn: ARN, sourceIp: '198.51.100.1' })).toBe('allow');
    expect(evaluate({ arn: ARN.replace('/prod/', '/test/'), sourceIp: '198.51.100.1' })).toBe(
      'implicit-deny',
    );
    expect(evaluate({ arn: ARN.replace('a1b2c3', 'zzzzzz'), sourceIp: '198.51.100.1' }), 'another API').toBe(
      'implicit-deny',
    );
  });

  it('also takes full ARNs with wildcards', () => {
    const evaluate = resourcePolicy(invoke('Allow', { Resource: 'arn:aws:execute-api:*:*:a1b2c3/*' }));
    expect(evaluate({ arn: ARN, sourceIp: '198.51.100.1' })).toBe('allow');
  });

  it('allows only the listed IPv4 and IPv6 ranges (the AWS allow-list example)', () => {
    const evaluate = resourcePolicy(
      invoke('Allow', {
        Condition: {
          IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24', '2001:db8:abcd::/48'] },
        },
      }),
    );
    const at = (sourceIp: string) => evaluate({ arn: ARN, sourceIp });
    expect(at('192.0.2.10')).toBe('allow');
    expect(at('::ffff:198.51.100.99')).toBe('allow');
    expect(at('2001:db8:abcd:12::5')).toBe('allow');
    expect(at('203.0.113.5')).toBe('implicit-deny');
    expect(at('2001:db8:abce::5')).toBe('implicit-deny');
  });

  it('denies listed ranges with NotIpAddress / IpAddress deny statements', () => {
    const evaluate = resourcePolicy(
      invoke('Allow'),
      invoke('Deny', { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', 'fe80::/10'] } } }),
    );
    expect(evaluate({ arn: ARN, sourceIp: '203.0.113.44' })).toBe('deny');
    expect(evaluate({ arn: ARN, sourceIp: 'fe80::1' })).toBe('deny');
    expect(evaluate({ arn: ARN, sourceIp: '192.0.2.1' })).toBe('allow');
    const onlyFrom = resourcePolicy(
      invoke('Allow'),
      invoke('Deny', { Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    );
    expect(onlyFrom({ arn: ARN, sourceIp: '10.20.30.40' })).toBe('allow');
    expect(onlyFrom({ arn: ARN, sourceIp: '11.0.0.1' })).toBe('deny');
  });

  it('denies callers outside a VPC endpoint (the AWS private API example)', () => {
    const evaluate = resourcePolicy(
      invoke('Deny', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }),
      invoke('Allow'),
    );
    expect(evaluate({ arn: ARN, sourceIp: '10.0.0.1' })).toBe('deny');
    expect(evaluate({ arn: ARN, sourceIp: '10.0.0.1', vpceId: 'vpce-9' })).toBe('deny');
    expect(evaluate({ arn: ARN, sourceIp: '10.0.0.1', vpceId: 'vpce-1a2b3c4d' })).toBe('allow');
    const allowVpce = resourcePolicy(
      invoke('Allow', { Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] } } }),
    );
    expect(allowVpce({ arn: ARN, sourceIp: '10.0.0.1', vpceId: 'vpce-1a2b3c4d' })).toBe('allow');
    expect(allowVpce({ arn: ARN, sourceIp: '10.0.0.1' })).toBe('implicit-deny');
  });

  it('applies statements for everyone ("*", {"AWS":"*"}) and skips those naming principals', () => {
    const ip = '192.0.2.1';
    expect(resourcePolicy(invoke('Allow', { Principal: { AWS: '*' } }))({ arn: ARN, sourceIp: ip })).toBe(
      'allow',
    );
    expect(resourcePolicy(invoke('Allow', { Principal: { AWS: ['*'] } }))({ arn: ARN, sourceIp: ip })).toBe(
      'allow',
    );
    const named = resourcePolicy(invoke('Allow', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }));
    expect(named({ arn: ARN, sourceIp: ip })).toBe('implicit-deny');
    const service = resourcePolicy(invoke('Allow', { Principal: { Service: 'lambda.amazonaws.com' } }));
    expect(service({ arn: ARN, sourceIp: ip })).toBe('implicit-deny');
    const notPrincipal = resourcePolicy({
      Effect: 'Deny',
      NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    });
    expect(notPrincipal({ arn: ARN, sourceIp: ip })).toBe('deny');
  });

  it('refuses policies it cannot read', () => {
    expect(() => compileResourcePolicyDocument('{not json', API)).toThrow(PolicyError);
    expect(() => resourcePolicy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' })).toThrow(
      /neither Principal nor NotPrincipal/,
    );
    expect(() => resourcePolicy(invoke('Allow', { Principal: 42 }))).toThrow(PolicyError);
  });
});

describe('resource policy decisions (AWS Table A: caller and API in the same account)', () => {
  const denied = `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${ARN}`;
  const implicitMessage = `${denied} because no resource-based policy allows the execute-api:Invoke action`;
  const explicitMessage = `${denied} with an explicit deny in a resource-based policy`;

  it('without an authorizer, requires an explicit Allow', () => {
    expect(() => enforceResourcePolicy('allow', undefined, ARN)).not.toThrow();
    expect(answerOf(() => enforceResourcePolicy('implicit-deny', undefined, ARN))).toEqual({
      status: 403,
      body: { message: implicitMessage },
      errorType: 'AccessDeniedException',
    });
    expect(answerOf(() => enforceResourcePolicy('deny', undefined, ARN))).toEqual({
      status: 403,
      body: { message: explicitMessage },
      errorType: 'AccessDeniedException',
    });
  });

  it('denies before the authorizer runs only on an explicit Deny', () => {
    expect(answerOf(() => enforceResourcePolicyPreAuth('deny', ARN)).body).toEqual({
      message: explicitMessage,
    });
    expect(() => enforceResourcePolicyPreAuth('implicit-deny', ARN)).not.toThrow();
    expect(() => enforceResourcePolicyPreAuth('allow', ARN)).not.toThrow();
  });

  const AUTHORIZER_DENY = 'User is not authorized to access this resource with an explicit deny';
  const AUTHORIZER_IMPLICIT = 'User is not authorized to access this resource';
  const table: [PolicyDecision, PolicyDecision, string | null][] = [
    // authorizer, resource policy, refusal message (null: allowed)
    ['allow', 'allow', null],
    ['allow', 'implicit-deny', null],
    ['allow', 'deny', explicitMessage],
    ['implicit-deny', 'allow', null],
    ['implicit-deny', 'implicit-deny', AUTHORIZER_IMPLICIT],
    ['implicit-deny', 'deny', explicitMessage],
    ['deny', 'allow', AUTHORIZER_DENY],
    ['deny', 'implicit-deny', AUTHORIZER_DENY],
    ['deny', 'deny', explicitMessage],
  ];
  for (const [authorizer, resource, message] of table) {
    it(`authorizer ${authorizer} + resource policy ${resource} → ${message === null ? 'allow' : '403'}`, () => {
      if (message === null) {
        expect(() => enforceResourcePolicy(resource, authorizer, ARN)).not.toThrow();
      } else {
        expect(answerOf(() => enforceResourcePolicy(resource, authorizer, ARN))).toEqual({
          status: 403,
          body: { message },
          errorType: 'AccessDeniedException',
        });
      }
    });
  }
});
