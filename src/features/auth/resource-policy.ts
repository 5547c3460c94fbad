// REST API resource policies (`x-amazon-apigateway-policy`, RestApi.policy), compiled when a
// stage is deployed, and AWS's rules for combining their answer with an authorizer's.
//
// A caller is anonymous to a resource policy unless its method uses AWS_IAM authorization: then
// statements naming the SigV4-signed caller apply too (iam/resource-policy-for-caller.ts).
// For an anonymous caller, statements whose Principal is `*` or `{"AWS": "*"}` apply, statements
// naming particular principals do not.
import { GatewayError } from '../../dataplane/gateway-responses.js';
import { compilePolicy, PolicyError, type ConditionValues, type PolicyDecision } from './policy.js';

export interface ResourcePolicyRequest {
  /** The method ARN of the request (see methodArn). */
  arn: string;
  sourceIp: string;
  /** `aws:SourceVpce`: the VPC endpoint the request came through, when there is one. */
  vpceId?: string;
  /** `aws:SourceVpc`. */
  vpcId?: string;
  /** Condition keys of a SigV4-signed caller (`aws:principalarn`, `aws:userid`, …), in lower case. */
  principal?: ConditionValues;
}

export type ResourcePolicy = (request: ResourcePolicyRequest) => PolicyDecision;

export interface ApiIdentity {
  region: string;
  accountId: string;
  apiId: string;
}

/**
 * Compiles a resource policy document. Resource patterns may use AWS's shorthand `execute-api:/{stage}/{VERB}/{path}`,
 * which stands for `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`.
 * Conditions can test `aws:SourceIp` (IPv4 and IPv6 addresses and CIDR blocks), `aws:SourceVpce`
 * and `aws:SourceVpc`. Throws PolicyError when the policy cannot be read.
 */
export function compileResourcePolicyDocument(policyJson: string, api: ApiIdentity): ResourcePolicy {
  let document: unknown;
  try {
    document = JSON.parse(policyJson);
  } catch {
    throw new PolicyError('The resource policy is not valid JSON');
  }
  const arnPrefix = `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/`;
  const policy = compilePolicy(document, {
    anonymousCaller: true,
    expandResource: (pattern) =>
      pattern.startsWith(SHORTHAND) ? arnPrefix + pattern.slice(SHORTHAND.length) : pattern,
  });
  return (request) => {
    const conditions: ConditionValues = {
      ...request.principal,
      'aws:sourceip': request.sourceIp,
      'aws:sourcevpce': request.vpceId,
      'aws:sourcevpc': request.vpcId,
    };
    return policy.evaluate(request.arn, conditions);
  };
}

const SHORTHAND = 'execute-api:/';

/**
 * AWS's refusal for an anonymous caller, in the wording it has used since IAM began naming the
 * policy type (responses captured from AWS: `… with an explicit deny in a resource-based policy`,
 * `… because no resource-based policy allows the execute-api:Invoke action`). AWS masks the
 * account in `arn` to its last four digits (`********9012`); the caller passes it masked.
 */
export function anonymousDeniedMessage(arn: string, explicit: boolean): string {
  const base = `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arn}`;
  return explicit
    ? `${base} with an explicit deny in a resource-based policy`
    : `${base} because no resource-based policy allows the execute-api:Invoke action`;
}

export const AUTHORIZER_EXPLICIT_DENY =
  'User is not authorized to access this resource with an explicit deny';
export const AUTHORIZER_IMPLICIT_DENY = 'User is not authorized to access this resource';

/**
 * Before the authorizer runs: AWS denies at once when the resource policy explicitly denies
 * the caller, without invoking the authorizer.
 */
export function enforceResourcePolicyPreAuth(resource: PolicyDecision, arn: string): void {
  if (resource === 'deny') throw new GatewayError('ACCESS_DENIED', anonymousDeniedMessage(arn, true));
}

/**
 * The final decision for a method with a resource policy, following AWS's table for an API and
 * caller in the same account ("Table A"). `authorizer` is the authorizer's decision, or
 * undefined when the method has no authorizer; then only an explicit Allow in the resource
 * policy lets the request through. An authorizer that allows is enough unless the resource
 * policy explicitly denies, and any explicit Deny wins. Returns normally when the request may
 * proceed; otherwise throws ACCESS_DENIED (403) with the message of whichever policy refused.
 */
export function enforceResourcePolicy(
  resource: PolicyDecision,
  authorizer: PolicyDecision | undefined,
  arn: string,
): void {
  if (resource === 'deny') throw new GatewayError('ACCESS_DENIED', anonymousDeniedMessage(arn, true));
  if (authorizer === undefined) {
    if (resource === 'allow') return;
    throw new GatewayError('ACCESS_DENIED', anonymousDeniedMessage(arn, false));
  }
  if (authorizer === 'deny') throw new GatewayError('ACCESS_DENIED', AUTHORIZER_EXPLICIT_DENY);
  if (authorizer === 'allow' || resource === 'allow') return;
  throw new GatewayError('ACCESS_DENIED', AUTHORIZER_IMPLICIT_DENY);
}
