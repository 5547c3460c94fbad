// The IAM identities that may sign data-plane requests (`callers` in Gatehouse's config file):
// their keys, ARNs and identity policies, compiled once when the node starts. Secrets live in a
// private field, so a caller object can be logged or inspected without showing one.
import { createHash } from 'node:crypto';
import type { IamIdentity } from '../../../dataplane/context.js';
import { compilePolicy, PolicyError, type CompiledPolicy, type ConditionValues } from '../policy.js';

/** One entry of `callers` in the config file. */
export interface IamCallerSettings {
  accessKeyId: string;
  secretAccessKey: string;
  /** Default: `arn:aws:iam::000000000000:user/{name}`. */
  arn?: string | undefined;
  /** An IAM identity policy, as an object or a JSON string. Absent: the caller may invoke everything. */
  policy?: unknown;
}

/** The account Gatehouse's APIs belong to, and its callers unless their ARN names another. */
export const CALLER_ACCOUNT_ID = '000000000000';

export interface IamCaller {
  readonly name: string;
  readonly accessKeyId: string;
  readonly arn: string;
  readonly accountId: string;
  /** `$context.identity.*` for this caller. */
  readonly identity: IamIdentity;
  /** HTTP API payload 2.0 `requestContext.authorizer`: `{iam: {...}}`. */
  readonly httpAuthorizer: Readonly<Record<string, unknown>>;
  /** Condition keys the caller brings to every policy it is judged by (`aws:PrincipalArn`, …). */
  readonly conditions: ConditionValues;
  /** `execute-api:Invoke` in the caller's identity policy; null when the caller has no policy. */
  readonly invoke: CompiledPolicy | null;
  /** `execute-api:InvalidateCache` in the caller's identity policy; null when it has no policy. */
  readonly invalidateCache: CompiledPolicy | null;
}

/** Callers by access key id. */
export class IamCallers {
  readonly #secrets = new Map<string, string>();
  readonly #callers = new Map<string, IamCaller>();

  constructor(entries: readonly { caller: IamCaller; secretAccessKey: string }[] = []) {
    for (const { caller, secretAccessKey } of entries) {
      this.#callers.set(caller.accessKeyId, caller);
      this.#secrets.set(caller.accessKeyId, secretAccessKey);
    }
  }

  get size(): number {
    return this.#callers.size;
  }

  /** The secret for SigV4 verification; undefined for a key no caller has. */
  readonly secretOf = (accessKeyId: string): string | undefined => this.#secrets.get(accessKeyId);

  callerOf(accessKeyId: string): IamCaller | undefined {
    return this.#callers.get(accessKeyId);
  }

  list(): IamCaller[] {
    return [...this.#callers.values()];
  }
}

export class IamCallerError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'IamCallerError';
  }
}

const ARN = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(.+)$/;

/**
 * Compiles the `callers` section. Throws IamCallerError listing every problem, each led by its
 * JSON pointer (`/callers/ci-bot/policy: …`); no message ever contains a secret.
 */
export function compileIamCallers(settings: Readonly<Record<string, IamCallerSettings>> = {}): IamCallers {
  const problems: string[] = [];
  const entries: { caller: IamCaller; secretAccessKey: string }[] = [];
  const keyOwners = new Map<string, string>();
  for (const [name, entry] of Object.entries(settings)) {
    const where = `/callers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const owner = keyOwners.get(entry.accessKeyId);
    if (owner !== undefined) {
      problems.push(`${where}/accessKeyId: caller "${owner}" has the same access key id`);
      continue;
    }
    keyOwners.set(entry.accessKeyId, name);
    const arn = entry.arn ?? `arn:aws:iam::${CALLER_ACCOUNT_ID}:user/${name}`;
    const parsed = ARN.exec(arn);
    if (!parsed) {
      problems.push(
        `${where}/arn: must be an IAM or STS ARN such as arn:aws:iam::${CALLER_ACCOUNT_ID}:user/${name}`,
      );
      continue;
    }
    let policies: { invoke: CompiledPolicy; invalidateCache: CompiledPolicy } | null = null;
    if (entry.policy !== undefined) {
      try {
        policies = compileIdentityPolicy(entry.policy);
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        problems.push(`${where}/policy: ${error.message}`);
        continue;
      }
    }
    entries.push({
      caller: callerOf(name, entry.accessKeyId, arn, parsed[2]!, parsed[3]!, policies),
      secretAccessKey: entry.secretAccessKey,
    });
  }
  if (problems.length > 0) throw new IamCallerError(problems);
  return new IamCallers(entries);
}

function callerOf(
  name: string,
  accessKeyId: string,
  arn: string,
  accountId: string,
  resource: string,
  policies: { invoke: CompiledPolicy; invalidateCache: CompiledPolicy } | null,
): IamCaller {
  const { principalId, type, userName } = principalOf(arn, accountId, resource);
  const identity: IamIdentity = Object.freeze({
    accessKey: accessKeyId,
    accountId,
    principalId,
    userArn: arn,
  });
  const conditions: Record<string, string> = {
    'aws:principalarn': principalArnOf(arn, accountId, resource),
    'aws:principalaccount': accountId,
    'aws:principaltype': type,
    'aws:userid': principalId,
  };
  if (userName !== undefined) conditions['aws:username'] = userName;
  return Object.freeze({
    name,
    accessKeyId,
    arn,
    accountId,
    identity,
    // AWS's payload 2.0 example: callerId and userId are both the principal id.
    httpAuthorizer: Object.freeze({
      iam: Object.freeze({
        accessKey: accessKeyId,
        accountId,
        callerId: principalId,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: arn,
        userId: principalId,
      }),
    }),
    conditions: Object.freeze(conditions),
    invoke: policies?.invoke ?? null,
    invalidateCache: policies?.invalidateCache ?? null,
  });
}

/**
 * AWS's principal ids are opaque (`AIDA…` for users, `AROA…:session` for role sessions, the
 * account id for the root). Gatehouse derives one from the ARN, so it is stable across restarts
 * and nodes without being configured.
 */
function principalOf(
  arn: string,
  accountId: string,
  resource: string,
): { principalId: string; type: string; userName?: string } {
  const id = (prefix: string, of: string) =>
    prefix + base32(createHash('sha256').update(of).digest()).slice(0, 17);
  if (resource === 'root') return { principalId: accountId, type: 'Account' };
  const assumed = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
  if (assumed) {
    const roleArn = `arn:aws:iam::${accountId}:role/${assumed[1]!}`;
    return { principalId: `${id('AROA', roleArn)}:${assumed[2]!}`, type: 'AssumedRole' };
  }
  if (resource.startsWith('role/')) return { principalId: id('AROA', arn), type: 'Role' };
  return {
    principalId: id('AIDA', arn),
    type: 'User',
    userName: resource.slice(resource.lastIndexOf('/') + 1),
  };
}

/** `aws:PrincipalArn` names the role, not the session, for an assumed role. */
function principalArnOf(arn: string, accountId: string, resource: string): string {
  const assumed = /^assumed-role\/([^/]+)\//.exec(resource);
  return assumed ? `arn:aws:iam::${accountId}:role/${assumed[1]!}` : arn;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

const INVALIDATE_CACHE = 'execute-api:invalidatecache';
const INVOKE = 'execute-api:Invoke';

/**
 * An identity policy, compiled for the two actions API Gateway asks about. compilePolicy judges
 * execute-api:Invoke; for execute-api:InvalidateCache the statements whose actions cover it are
 * restated as Invoke statements and compiled the same way.
 */
export function compileIdentityPolicy(policy: unknown): {
  invoke: CompiledPolicy;
  invalidateCache: CompiledPolicy;
} {
  let document = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      throw new PolicyError('The policy is not valid JSON');
    }
  }
  const invoke = compilePolicy(document);
  const statements = statementsOf(document);
  statements.forEach((statement, index) => {
    if (statement['Principal'] !== undefined || statement['NotPrincipal'] !== undefined) {
      // IAM refuses these in identity policies: the principal is whoever the policy is attached to.
      throw new PolicyError(`Statement ${index + 1} has a Principal; identity policies name none`);
    }
  });
  const restated = statements.flatMap((statement) => {
    const { Action: action, NotAction: notAction, ...rest } = statement;
    const negated = action === undefined;
    const listed = negated ? notAction : action;
    const patterns = (Array.isArray(listed) ? listed : [listed]) as string[];
    const covered = patterns.some((pattern) => actionMatches(pattern, INVALIDATE_CACHE)) !== negated;
    return covered ? [{ ...rest, Action: INVOKE }] : [];
  });
  const invalidateCache = compilePolicy({ ...(document as object), Statement: restated });
  return { invoke, invalidateCache };
}

function statementsOf(document: unknown): Record<string, unknown>[] {
  // compilePolicy has already refused documents and statements that are not objects.
  const raw = (document as Record<string, unknown>)['Statement'];
  return (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[];
}

/** IAM action patterns: case-insensitive, `*` any run of characters, `?` one character. */
function actionMatches(pattern: string, action: string): boolean {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is').test(action);
}
