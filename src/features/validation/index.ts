/**
 * Request validation: API Gateway's request validators, enforced on the method request.
 *
 * A method opts in with `requestValidatorId`, naming one of the API's `requestValidators` (by
 * id, or by name as an import may leave it). The validator says what is checked:
 *
 * - `validateRequestParameters`: every `method.request.{path|querystring|header}.NAME` the method
 *   marks `true` must be present and non-empty (headers match case-insensitively; for a repeated
 *   query name the last value counts). Otherwise BAD_REQUEST_PARAMETERS with
 *   `Missing required request parameters: [a, b]`, names in the order of their full keys
 *   (header, path, querystring), and the same text as `$context.error.validationErrorString`.
 * - `validateRequestBody`: the model is picked by the request's media type (Content-Type without
 *   parameters, lower-cased; absent means application/json), else the `$default` model; with
 *   neither the body is not validated. The body is read as JSON (empty means `{}`) and checked
 *   against the model as JSON Schema draft 4. Otherwise BAD_REQUEST_BODY with
 *   `Invalid request body` and AWS's validator's messages in `validationErrorString`
 *   (see messages.ts; a body that is not JSON gives `[request body is not valid JSON]`).
 *
 * Parameters are checked before the body, as AWS does. Models may refer to each other with
 * `$ref` as `https://apigateway.amazonaws.com/restapis/{apiId}/models/{Name}`,
 * `#/definitions/Name` or `#/components/schemas/Name`. Formats checked are draft 4's: date-time,
 * email, hostname, ipv4, ipv6, uri and regex; others are not checked, as AWS only warns about
 * them. Models are compiled once per deployment; a model that is missing or not a valid draft-4
 * schema is an Error at compile time whose message names it.
 */
import type { RequestStep } from '../../dataplane/compiled-stage.js';
import type { Method, RestApi } from '../../model/rest-api.js';
import { compileParameterCheck } from './parameters.js';
import { compileBodyCheck } from './request-body.js';

/** The method's validation step, or null when the method validates nothing. */
export function compileRequestValidation(api: RestApi, method: Method): RequestStep | null {
  const validatorId = method.requestValidatorId;
  if (!validatorId) return null;
  const validator = findValidator(api, validatorId);
  if (!validator) throw new Error(`request validator "${validatorId}" does not exist in the API`);

  const checkParameters = isOn(validator.validateRequestParameters)
    ? compileParameterCheck(method.requestParameters)
    : null;
  const checkBody = isOn(validator.validateRequestBody) ? compileBodyCheck(api, method.requestModels) : null;

  if (checkParameters && checkBody) {
    return (ctx) => {
      checkParameters(ctx);
      return checkBody(ctx);
    };
  }
  if (checkParameters) {
    return (ctx) => {
      checkParameters(ctx);
      return undefined;
    };
  }
  return checkBody;
}

// Stored as AWS's wire shape; a validator created with "true" strings, as the AWS docs' own
// example sends them, counts the same as one created with booleans.
function isOn(flag: unknown): boolean {
  return flag === true || flag === 'true';
}

function findValidator(api: RestApi, id: string): Record<string, unknown> | undefined {
  const validators = api.requestValidators ?? [];
  return validators.find((v) => v.id === id) ?? validators.find((v) => v.name === id);
}
