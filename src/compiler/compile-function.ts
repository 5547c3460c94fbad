// The function behind a Lambda integration URI, checked at deploy time: a name no configured
// runtime serves is a configuration error then, not a 500 on every request.
import { substituteStageVariables } from '../dataplane/integrations/endpoint.js';
import type { FunctionCall } from '../dataplane/integrations/function.js';
import { functionTargetOf } from '../dataplane/integrations/lambda-arn.js';
import type { Build } from './build.js';

/** `acceptFunctionArn`: the URI may be the function's own ARN, as HTTP APIs allow. */
export function functionCall(
  uri: string | undefined,
  timeoutMs: number,
  build: Build,
  acceptFunctionArn = false,
): FunctionCall {
  const target = functionTargetOf(
    substituteStageVariables(uri ?? '', build.stage.variables),
    acceptFunctionArn,
  );
  const runtime = build.options.functions;
  if (!runtime) {
    throw new Error(
      `function "${target.name}" needs a function runtime: start gatehouse with --config (docs/configuration.md)`,
    );
  }
  if (!runtime.has(target.name)) {
    throw new Error(
      `no runtime serves function "${target.name}": add it under "functions" in the configuration file`,
    );
  }
  return { runtime, functionName: target.name, timeoutMs };
}
