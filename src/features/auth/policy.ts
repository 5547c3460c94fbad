// IAM policy documents as API Gateway reads them for one action, execute-api:Invoke: the
// policies Lambda authorizers return and the resource policies attached to REST APIs. A policy
// is compiled once (when an authorizer answers, or when a stage is deployed) into statements
// whose Action has already been checked, whose Resource patterns are one anchored regular
// expression each, and whose conditions are closures; evaluating it per request is a few regex
// tests.
import { BlockList, isIP } from 'node:net';

/** `implicit-deny`: no statement allowed the request, and none denied it. */
export type PolicyDecision = 'allow' | 'deny' | 'implicit-deny';

/** A policy document that cannot be read: not an object, no statements, a bad Effect, … */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/**
 * Condition key values of one request. Keys are in lower case (`aws:sourceip`), because IAM
 * compares condition key names without regard to case; a missing key is `undefined`.
 */
export type ConditionValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface CompiledPolicy {
  evaluate(arn: string, conditions?: ConditionValues): PolicyDecision;
}

export interface MethodArnParts {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  /** The request's HTTP verb (GET, POST, …). */
  method: string;
  /** The request path, e.g. `/pets/42`; `/` for the root resource. */
  resourcePath: string;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`; the root ends in `/GET/`. */
export function methodArn(parts: MethodArnParts): string {
  const path = parts.resourcePath.startsWith('/') ? parts.resourcePath.slice(1) : parts.resourcePath;
  return `arn:aws:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.method}/${path}`;
}

export interface CompilePolicyOptions {
  /**
   * Resource policies name who they apply to. When set, only statements whose Principal
   * covers everyone (`*`, `{"AWS": "*"}`) apply, because the callers Gatehouse evaluates them
   * for are anonymous; a statement without Principal or NotPrincipal is an error.
   */
  anonymousCaller?: boolean;
  /** Rewrites each Resource/NotResource pattern before it is compiled (the `execute-api:/…` shorthand). */
  expandResource?: (pattern: string) => string;
}

interface CompiledStatement {
  readonly deny: boolean;
  readonly resource: (arn: string) => boolean;
  readonly condition: ConditionTest | null;
}

type ConditionTest = (values: ConditionValues) => boolean;

const NO_CONDITIONS: ConditionValues = Object.freeze({});
const INVOKE = 'execute-api:invoke';

/**
 * Reads a policy document. Statement may be one object or an array; each needs Effect
 * (`Allow` or `Deny`), Action or NotAction, and Resource or NotResource. Statements whose
 * actions do not cover execute-api:Invoke are dropped here, since that is the only action asked.
 */
export function compilePolicy(policyDocument: unknown, options: CompilePolicyOptions = {}): CompiledPolicy {
  if (!isRecord(policyDocument)) throw new PolicyError('The policy document is not a JSON object');
  const raw = policyDocument['Statement'];
  if (raw === undefined) throw new PolicyError('The policy document has no Statement');
  const statements = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const compiled: CompiledStatement[] = [];
  statements.forEach((statement, index) => {
    const entry = compileStatement(statement, index, options);
    if (entry) compiled.push(entry);
  });
  // Deny statements first: one matching Deny settles the answer whatever the Allows say.
  compiled.sort((a, b) => Number(b.deny) - Number(a.deny));
  return new StatementList(compiled);
}

class StatementList implements CompiledPolicy {
  constructor(private readonly statements: readonly CompiledStatement[]) {}

  evaluate(arn: string, conditions: ConditionValues = NO_CONDITIONS): PolicyDecision {
    // Denies are sorted first, so the first matching Allow is met only once no Deny matched.
    for (const statement of this.statements) {
      if (!statement.resource(arn)) continue;
      if (statement.condition !== null && !statement.condition(conditions)) continue;
      return statement.deny ? 'deny' : 'allow';
    }
    return 'implicit-deny';
  }
}

function compileStatement(
  statement: unknown,
  index: number,
  options: CompilePolicyOptions,
): CompiledStatement | undefined {
  const where = `Statement ${index + 1}`;
  if (!isRecord(statement)) throw new PolicyError(`${where} is not a JSON object`);
  const effect = statement['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new PolicyError(`${where} has Effect ${JSON.stringify(effect)}; expected "Allow" or "Deny"`);
  }
  const actions = exclusivePair(statement, 'Action', 'NotAction', where);
  const coversInvoke = actions.values.some((action) => wildcardRegExp(action, 'i').test(INVOKE));
  const resources = exclusivePair(statement, 'Resource', 'NotResource', where);
  const principalApplies = options.anonymousCaller === true ? appliesToAnonymous(statement, where) : true;
  const condition =
    statement['Condition'] === undefined ? null : compileConditionBlock(statement['Condition'], where);
  // Validated in full before being dropped, so a malformed statement is reported either way.
  if (coversInvoke === actions.negated || !principalApplies) return undefined;
  const patterns = options.expandResource ? resources.values.map(options.expandResource) : resources.values;
  return {
    deny: effect === 'Deny',
    resource: resourceMatcher(patterns, resources.negated),
    condition,
  };
}

function exclusivePair(
  statement: Record<string, unknown>,
  name: string,
  negatedName: string,
  where: string,
): { values: string[]; negated: boolean } {
  const plain = statement[name];
  const negated = statement[negatedName];
  if (plain !== undefined && negated !== undefined) {
    throw new PolicyError(`${where} has both ${name} and ${negatedName}`);
  }
  if (plain === undefined && negated === undefined) {
    throw new PolicyError(`${where} has neither ${name} nor ${negatedName}`);
  }
  const isNegated = plain === undefined;
  const label = isNegated ? negatedName : name;
  return { values: stringList(isNegated ? negated : plain, `${where} ${label}`), negated: isNegated };
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new PolicyError(`${where} is empty`);
  return list.map((item) => {
    if (typeof item !== 'string') throw new PolicyError(`${where} must hold strings`);
    return item;
  });
}

function appliesToAnonymous(statement: Record<string, unknown>, where: string): boolean {
  const principal = statement['Principal'];
  const notPrincipal = statement['NotPrincipal'];
  if (principal === undefined && notPrincipal === undefined) {
    throw new PolicyError(`${where} has neither Principal nor NotPrincipal`);
  }
  if (principal !== undefined) return coversEveryone(principal, `${where} Principal`);
  // NotPrincipal applies to everyone it does not name, and an anonymous caller is only named by `*`.
  return !coversEveryone(notPrincipal, `${where} NotPrincipal`);
}

function coversEveryone(principal: unknown, where: string): boolean {
  if (principal === '*') return true;
  if (!isRecord(principal)) throw new PolicyError(`${where} must be "*" or an object`);
  const aws = principal['AWS'];
  if (aws === undefined) return false;
  return stringList(aws, `${where} AWS`).includes('*');
}

function resourceMatcher(patterns: readonly string[], negated: boolean): (arn: string) => boolean {
  if (patterns.includes('*')) return negated ? () => false : () => true;
  const regex = new RegExp(`^(?:${patterns.map(wildcardSource).join('|')})$`, 's');
  return negated ? (arn) => !regex.test(arn) : (arn) => regex.test(arn);
}

/** IAM wildcards: `*` is any run of characters (across `/` and `:` too), `?` is one character. */
function wildcardSource(pattern: string): string {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

function wildcardRegExp(pattern: string, flags: string): RegExp {
  return new RegExp(`^${wildcardSource(pattern)}$`, `s${flags}`);
}

// ---------------------------------------------------------------------------------------------
// Conditions. Every operator in a block must hold, every key under an operator must hold, and a
// key holds when the request's value matches any of the listed values. A key the request does
// not carry fails a positive operator and passes a negated one (`StringNotEquals`,
// `NotIpAddress`), as IAM evaluates them; the `…IfExists` forms pass on a missing key.

type ValueTest = (requestValue: string) => boolean;

interface OperatorSpec {
  negated: boolean;
  /** Builds the test for one request value from the policy's values for one key. */
  compile: (policyValues: string[], where: string) => ValueTest;
}

const OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { negated: false, compile: (values) => (v) => values.includes(v) },
  StringNotEquals: { negated: true, compile: (values) => (v) => values.includes(v) },
  StringEqualsIgnoreCase: { negated: false, compile: ignoreCaseTest },
  StringNotEqualsIgnoreCase: { negated: true, compile: ignoreCaseTest },
  StringLike: { negated: false, compile: likeTest },
  StringNotLike: { negated: true, compile: likeTest },
  IpAddress: { negated: false, compile: ipTest },
  NotIpAddress: { negated: true, compile: ipTest },
  Bool: { negated: false, compile: ignoreCaseTest },
};

function ignoreCaseTest(values: string[]): ValueTest {
  const lower = values.map((value) => value.toLowerCase());
  return (v) => lower.includes(v.toLowerCase());
}

function likeTest(values: string[]): ValueTest {
  const regex = new RegExp(`^(?:${values.map(wildcardSource).join('|')})$`, 's');
  return (v) => regex.test(v);
}

function ipTest(values: string[], where: string): ValueTest {
  const list = new BlockList();
  for (const value of values) addCidr(list, value, where);
  return (v) => {
    const address = unmapIpv4(v);
    const family = isIP(address);
    if (family === 0) return false;
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

function addCidr(list: BlockList, cidr: string, where: string): void {
  const slash = cidr.indexOf('/');
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = isIP(address);
  const prefixText = slash < 0 ? undefined : cidr.slice(slash + 1);
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (family === 0 || !/^\d{1,3}$/.test(prefixText ?? '0') || prefix > maxPrefix) {
    throw new PolicyError(`${where}: ${JSON.stringify(cidr)} is not an IP address or CIDR block`);
  }
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/** Node reports IPv4 clients on a dual-stack socket as `::ffff:a.b.c.d`; IAM sees them as IPv4. */
function unmapIpv4(address: string): string {
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:') {
    const rest = address.slice(7);
    if (isIP(rest) === 4) return rest;
  }
  return address;
}

function compileConditionBlock(block: unknown, where: string): ConditionTest {
  if (!isRecord(block)) throw new PolicyError(`${where} Condition is not a JSON object`);
  const tests: ConditionTest[] = [];
  for (const [operatorName, keys] of Object.entries(block)) {
    const label = `${where} Condition ${operatorName}`;
    if (!isRecord(keys)) throw new PolicyError(`${label} is not a JSON object`);
    if (operatorName === 'Null') {
      for (const [key, value] of Object.entries(keys)) tests.push(nullTest(key, value, label));
      continue;
    }
    const ifExists = operatorName.endsWith('IfExists');
    const spec = OPERATORS[ifExists ? operatorName.slice(0, -'IfExists'.length) : operatorName];
    if (spec === undefined) {
      // An operator Gatehouse cannot evaluate would leave an Allow wider or a Deny narrower
      // than written, so the policy is refused rather than partly applied.
      throw new PolicyError(`${label}: the condition operator is not supported`);
    }
    for (const [key, value] of Object.entries(keys)) {
      const test = spec.compile(conditionValues(value, `${label} ${key}`), `${label} ${key}`);
      tests.push(keyTest(key.toLowerCase(), test, spec.negated, ifExists));
    }
  }
  return (values) => tests.every((test) => test(values));
}

function keyTest(key: string, test: ValueTest, negated: boolean, ifExists: boolean): ConditionTest {
  return (values) => {
    const present = values[key];
    if (present === undefined) return ifExists || negated;
    const matched = typeof present === 'string' ? test(present) : present.some(test);
    return negated ? !matched : matched;
  };
}

function nullTest(key: string, value: unknown, where: string): ConditionTest {
  const [expected, ...rest] = conditionValues(value, `${where} ${key}`);
  if (rest.length > 0 || (expected !== 'true' && expected !== 'false')) {
    throw new PolicyError(`${where} ${key} must be "true" or "false"`);
  }
  const lower = key.toLowerCase();
  const wantMissing = expected === 'true';
  return (values) => (values[lower] === undefined) === wantMissing;
}

function conditionValues(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new PolicyError(`${where} has no values`);
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new PolicyError(`${where} must hold strings`);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
