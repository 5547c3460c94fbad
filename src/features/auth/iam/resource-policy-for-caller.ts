// A REST API's resource policy as it applies to one IAM caller. Statements name their principals;
// for an anonymous caller only `*` applies (resource-policy.ts), for a SigV4-signed caller also
// the statements that name it. Each caller's view of the policy is compiled when the stage is
// deployed, so a request only evaluates the statements that apply to its caller.
import type { ApiIdentity, ResourcePolicy } from '../resource-policy.js';
import { compileResourcePolicyDocument } from '../resource-policy.js';
import type { IamCaller } from './callers.js';

/**
 * Restates the policy for `caller`: a statement whose Principal covers the caller keeps its
 * Effect with Principal `*`, the others are left out. Which principals cover a caller:
 * - `*` and `{"AWS": "*"}`;
 * - the caller's own ARN; for a role session (`…:assumed-role/R/s`) also the role's ARN;
 * - the caller's account (`123456789012` or `arn:aws:iam::123456789012:root`), except in an
 *   Allow for a caller of the API's own account: IAM reads such an Allow as delegating to the
 *   account's identity policies, which already decide for that caller.
 * NotPrincipal covers everyone it does not name. Service, Federated and CanonicalUser
 * principals never cover an IAM caller.
 *
 * The policy must already have compiled for anonymous callers (compileResourcePolicy), which
 * validates every statement.
 */
export function compileResourcePolicyForCaller(
  policyJson: string,
  api: ApiIdentity,
  caller: IamCaller,
): ResourcePolicy {
  const document = JSON.parse(policyJson) as Record<string, unknown>;
  const raw = document['Statement'];
  const statements = (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[];
  const kept = statements.flatMap((statement) => {
    const allow = statement['Effect'] === 'Allow';
    const { Principal: principal, NotPrincipal: notPrincipal, ...rest } = statement;
    const applies =
      principal !== undefined
        ? names(principal, caller, api, allow)
        : !names(notPrincipal, caller, api, allow);
    return applies ? [{ ...rest, Principal: '*' }] : [];
  });
  return compileResourcePolicyDocument(JSON.stringify({ ...document, Statement: kept }), api);
}

function names(principal: unknown, caller: IamCaller, api: ApiIdentity, allow: boolean): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as Record<string, unknown>)['AWS'];
  if (aws === undefined) return false;
  const listed = (Array.isArray(aws) ? aws : [aws]) as unknown[];
  const roleArn = caller.conditions['aws:principalarn'];
  const accountCounts = !allow || caller.accountId !== api.accountId;
  return listed.some(
    (entry) =>
      entry === '*' ||
      entry === caller.arn ||
      entry === roleArn ||
      (accountCounts && (entry === caller.accountId || entry === `arn:aws:iam::${caller.accountId}:root`)),
  );
}
