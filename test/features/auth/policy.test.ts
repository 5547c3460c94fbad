// IAM policy evaluation for execute-api:Invoke: the policies Lambda authorizers return.
import { describe, expect, it } from 'vitest';
import { compilePolicy, methodArn, PolicyError } from '../../../src/features/auth/policy.js';

const API = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3';
const arn = (rest: string) => `${API}/${rest}`;

function policy(...statements: object[]) {
  return compilePolicy({ Version: '2012-10-17', Statement: statements });
}

const allow = (resource: unknown, extra: object = {}) => ({
  Effect: 'Allow',
  Action: 'execute-api:Invoke',
  Resource: resource,
  ...extra,
});
const deny = (resource: unknown, extra: object = {}) => ({
  Effect: 'Deny',
  Action: 'execute-api:Invoke',
  Resource: resource,
  ...extra,
});

describe('methodArn', () => {
  const parts = { region: 'us-west-2', accountId: '123456789012', apiId: 'ymy8tbxw7b', stage: 'dev' };

  it('drops the leading slash of the path', () => {
    expect(methodArn({ ...parts, method: 'GET', resourcePath: '/pets/42' })).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/dev/GET/pets/42',
    );
  });

  it('ends the root resource in /GET/', () => {
    expect(methodArn({ ...parts, method: 'GET', resourcePath: '/' })).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/dev/GET/',
    );
  });
});

describe('compilePolicy: statements', () => {
  it('accepts a single Statement object as well as an array', () => {
    const single = compilePolicy({ Statement: allow(arn('dev/GET/pets')) });
    expect(single.evaluate(arn('dev/GET/pets'))).toBe('allow');
    expect(policy(allow(arn('dev/GET/pets'))).evaluate(arn('dev/GET/pets'))).toBe('allow');
  });

  it('answers implicit-deny when no statement covers the method', () => {
    const p = policy(allow(arn('dev/GET/pets')));
    expect(p.evaluate(arn('dev/POST/pets'))).toBe('implicit-deny');
    expect(p.evaluate(arn('dev/GET/pets/1'))).toBe('implicit-deny');
    expect(policy().evaluate(arn('dev/GET/pets'))).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow, whatever the order', () => {
    for (const p of [
      policy(allow('*'), deny(arn('dev/DELETE/*'))),
      policy(deny(arn('dev/DELETE/*')), allow('*')),
    ]) {
      expect(p.evaluate(arn('dev/DELETE/pets/1'))).toBe('deny');
      expect(p.evaluate(arn('dev/GET/pets/1'))).toBe('allow');
    }
  });

  it('accepts Resource as an array', () => {
    const p = policy(allow([arn('dev/GET/pets'), arn('dev/POST/pets')]));
    expect(p.evaluate(arn('dev/POST/pets'))).toBe('allow');
    expect(p.evaluate(arn('dev/PUT/pets'))).toBe('implicit-deny');
  });

  it('applies NotResource to every resource it does not list', () => {
    const p = policy({ Effect: 'Allow', Action: 'execute-api:Invoke', NotResource: arn('dev/*/admin/*') });
    expect(p.evaluate(arn('dev/GET/pets'))).toBe('allow');
    expect(p.evaluate(arn('dev/GET/admin/users'))).toBe('implicit-deny');
  });

  it('reads the Action forms that cover execute-api:Invoke', () => {
    for (const action of [
      'execute-api:Invoke',
      'execute-api:invoke',
      'execute-api:*',
      '*',
      'execute-api:Inv*',
      ['s3:GetObject', 'execute-api:Invoke'],
    ]) {
      const p = policy({ Effect: 'Allow', Action: action, Resource: '*' });
      expect(p.evaluate(arn('dev/GET/pets')), JSON.stringify(action)).toBe('allow');
    }
  });

  it('ignores statements whose actions do not cover execute-api:Invoke', () => {
    const p = policy(
      { Effect: 'Deny', Action: 'execute-api:ManageConnections', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
    );
    expect(p.evaluate(arn('dev/GET/pets'))).toBe('implicit-deny');
  });

  it('applies NotAction to every action it does not list', () => {
    expect(policy({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }).evaluate(arn('dev/GET/x'))).toBe(
      'allow',
    );
    expect(
      policy({ Effect: 'Allow', NotAction: 'execute-api:*', Resource: '*' }).evaluate(arn('dev/GET/x')),
    ).toBe('implicit-deny');
  });
});

describe('compilePolicy: wildcards as IAM matches them', () => {
  it('lets * span slashes within the ARN', () => {
    const p = policy(allow(arn('*')));
    expect(p.evaluate(arn('dev/GET/pets/42/toys'))).toBe('allow');
    expect(p.evaluate('arn:aws:execute-api:us-east-1:123456789012:other/dev/GET/pets')).toBe('implicit-deny');
  });

  it('matches */GET/ and */*/ patterns from the AWS documentation', () => {
    const getRoot = policy(allow(arn('*/GET/')));
    expect(getRoot.evaluate(arn('dev/GET/'))).toBe('allow');
    expect(getRoot.evaluate(arn('prod/GET/'))).toBe('allow');
    expect(getRoot.evaluate(arn('dev/POST/'))).toBe('implicit-deny');
    // `*` spans `/`, so */GET/ also covers paths ending in /GET/ further down.
    expect(getRoot.evaluate(arn('dev/POST/items/GET/'))).toBe('allow');
    expect(policy(allow(arn('*/*'))).evaluate(arn('dev/DELETE/pets/1'))).toBe('allow');
  });

  it('wildcards region and account', () => {
    const p = policy(allow('arn:aws:execute-api:*:*:a1b2c3/dev/GET/*'));
    expect(p.evaluate(arn('dev/GET/pets'))).toBe('allow');
    expect(p.evaluate('arn:aws:execute-api:eu-west-1:999:a1b2c3/dev/GET/pets')).toBe('allow');
  });

  it('reads ? as exactly one character', () => {
    const p = policy(allow(arn('dev/GET/pets/?')));
    expect(p.evaluate(arn('dev/GET/pets/1'))).toBe('allow');
    expect(p.evaluate(arn('dev/GET/pets/12'))).toBe('implicit-deny');
    expect(p.evaluate(arn('dev/GET/pets/'))).toBe('implicit-deny');
  });

  it('takes every other character literally', () => {
    const p = policy(allow(arn('dev/GET/a.b+(c)[d]$^|{e}\\f')));
    expect(p.evaluate(arn('dev/GET/a.b+(c)[d]$^|{e}\\f'))).toBe('allow');
    expect(p.evaluate(arn('dev/GET/aXb+(c)[d]$^|{e}\\f'))).toBe('implicit-deny');
  });

  it('compares ARNs case-sensitively', () => {
    expect(policy(allow(arn('dev/GET/pets'))).evaluate(arn('dev/get/pets'))).toBe('implicit-deny');
  });
});

describe('compilePolicy: conditions', () => {
  const target = arn('dev/GET/pets');

  it('evaluates StringEquals and StringNotEquals, with case-insensitive key names', () => {
    const p = policy(allow('*', { Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } } }));
    expect(p.evaluate(target, { 'aws:sourcevpce': 'vpce-2' })).toBe('allow');
    expect(p.evaluate(target, { 'aws:sourcevpce': 'vpce-3' })).toBe('implicit-deny');
    expect(p.evaluate(target, {})).toBe('implicit-deny');
    const not = policy(allow('*', { Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }));
    expect(not.evaluate(target, { 'aws:sourcevpce': 'vpce-1' })).toBe('implicit-deny');
    expect(not.evaluate(target, { 'aws:sourcevpce': 'vpce-9' })).toBe('allow');
    // A negated operator passes when the request has no value for the key.
    expect(not.evaluate(target, {})).toBe('allow');
  });

  it('evaluates IfExists forms as passing on a missing key', () => {
    const p = policy(allow('*', { Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } }));
    expect(p.evaluate(target, {})).toBe('allow');
    expect(p.evaluate(target, { 'aws:sourcevpce': 'vpce-2' })).toBe('implicit-deny');
  });

  it('evaluates StringLike, IgnoreCase, Bool and Null', () => {
    const like = policy(allow('*', { Condition: { StringLike: { 'aws:SourceVpce': 'vpce-a?c*' } } }));
    expect(like.evaluate(target, { 'aws:sourcevpce': 'vpce-abc123' })).toBe('allow');
    expect(like.evaluate(target, { 'aws:sourcevpce': 'vpce-ac' })).toBe('implicit-deny');
    const ignoreCase = policy(allow('*', { Condition: { StringEqualsIgnoreCase: { 'x:k': 'ABC' } } }));
    expect(ignoreCase.evaluate(target, { 'x:k': 'abc' })).toBe('allow');
    const bool = policy(allow('*', { Condition: { Bool: { 'aws:SecureTransport': true } } }));
    expect(bool.evaluate(target, { 'aws:securetransport': 'true' })).toBe('allow');
    expect(bool.evaluate(target, { 'aws:securetransport': 'false' })).toBe('implicit-deny');
    const isNull = policy(deny('*', { Condition: { Null: { 'aws:SourceVpce': 'true' } } }), allow('*'));
    expect(isNull.evaluate(target, {})).toBe('deny');
    expect(isNull.evaluate(target, { 'aws:sourcevpce': 'vpce-1' })).toBe('allow');
  });

  it('requires every operator and every key of a Condition block', () => {
    const p = policy(
      allow('*', {
        Condition: {
          StringEquals: { 'aws:SourceVpce': 'vpce-1', 'aws:SourceVpc': 'vpc-1' },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        },
      }),
    );
    const all = { 'aws:sourcevpce': 'vpce-1', 'aws:sourcevpc': 'vpc-1', 'aws:sourceip': '10.1.2.3' };
    expect(p.evaluate(target, all)).toBe('allow');
    expect(p.evaluate(target, { ...all, 'aws:sourcevpc': 'vpc-2' })).toBe('implicit-deny');
    expect(p.evaluate(target, { ...all, 'aws:sourceip': '11.1.2.3' })).toBe('implicit-deny');
  });

  it('matches IPv4 and IPv6 addresses and CIDR blocks', () => {
    const p = policy(
      allow('*', {
        Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.7', '2001:db8::/32'] } },
      }),
    );
    const at = (ip: string) => p.evaluate(target, { 'aws:sourceip': ip });
    expect(at('192.0.2.200')).toBe('allow');
    expect(at('192.0.3.1')).toBe('implicit-deny');
    expect(at('198.51.100.7')).toBe('allow');
    expect(at('198.51.100.8')).toBe('implicit-deny');
    expect(at('2001:db8:1234::1')).toBe('allow');
    expect(at('2001:db9::1')).toBe('implicit-deny');
    // Node's dual-stack sockets report IPv4 clients in IPv4-mapped form.
    expect(at('::ffff:192.0.2.9')).toBe('allow');
    expect(at('not-an-ip')).toBe('implicit-deny');
  });

  it('refuses an operator it cannot evaluate, rather than ignoring it', () => {
    expect(() =>
      policy(allow('*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })),
    ).toThrow(/DateGreaterThan: the condition operator is not supported/);
  });

  it('refuses a malformed CIDR block', () => {
    for (const cidr of ['10.0.0.0/33', '10.0.0/8', '2001:db8::/129', 'x/1', '10.0.0.0/']) {
      expect(() => policy(allow('*', { Condition: { IpAddress: { 'aws:SourceIp': cidr } } })), cidr).toThrow(
        PolicyError,
      );
    }
  });
});

describe('compilePolicy: documents it cannot read', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'Allow everything', /not a JSON object/],
    ['an array', [allow('*')], /not a JSON object/],
    ['no Statement', { Version: '2012-10-17' }, /no Statement/],
    ['a statement that is not an object', { Statement: ['x'] }, /Statement 1 is not a JSON object/],
    ['a lower-case Effect', { Statement: { ...allow('*'), Effect: 'allow' } }, /Effect "allow"/],
    ['no Effect', { Statement: { Action: '*', Resource: '*' } }, /Effect undefined/],
    ['no Action', { Statement: { Effect: 'Allow', Resource: '*' } }, /neither Action nor NotAction/],
    [
      'Action and NotAction',
      { Statement: { ...allow('*'), NotAction: 's3:*' } },
      /both Action and NotAction/,
    ],
    ['no Resource', { Statement: { Effect: 'Allow', Action: '*' } }, /neither Resource nor NotResource/],
    ['a number as Resource', { Statement: allow(42) }, /Resource must hold strings/],
    ['an empty Resource list', { Statement: allow([]) }, /Resource is empty/],
    ['a Condition that is a string', { Statement: allow('*', { Condition: 'x' }) }, /Condition is not/],
  ];
  for (const [name, document, message] of cases) {
    it(`refuses ${name}`, () => {
      expect(() => compilePolicy(document)).toThrow(PolicyError);
      expect(() => compilePolicy(document)).toThrow(message);
    });
  }
});
