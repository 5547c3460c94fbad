// The function a Lambda integration URI names:
// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations
// where functionArn is arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}] (or a
// bare name). Stage variables are substituted before this runs.
export interface FunctionTarget {
  name: string;
  qualifier?: string;
}

const INVOCATION = /^arn:aws[a-z-]*:apigateway:[^:]*:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/;

/**
 * The function `uri` names. An HTTP API's integration (`acceptFunctionArn`) may also name it by
 * its own ARN, `arn:aws:lambda:{region}:{account}:function:{name}`, as the AWS CDK writes it.
 */
export function functionTargetOf(uri: string, acceptFunctionArn = false): FunctionTarget {
  const invocation = INVOCATION.exec(uri);
  if (!invocation) {
    const arn = acceptFunctionArn ? FUNCTION_ARN.exec(uri) : null;
    if (arn) return arn[2] === undefined ? { name: arn[1]! } : { name: arn[1]!, qualifier: arn[2] };
    throw new Error(
      `integration uri "${uri}" must be a Lambda invocation ARN: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations` +
        (acceptFunctionArn ? ' or a Lambda function ARN' : ''),
    );
  }
  const functionRef = decodeURIComponent(invocation[1]!);
  const arn = FUNCTION_ARN.exec(functionRef);
  if (arn) return arn[2] === undefined ? { name: arn[1]! } : { name: arn[1]!, qualifier: arn[2] };
  if (/^[A-Za-z0-9_-]+$/.test(functionRef)) return { name: functionRef };
  throw new Error(`integration uri names "${functionRef}", which is not a Lambda function ARN or name`);
}
