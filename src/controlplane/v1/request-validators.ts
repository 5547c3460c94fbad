// v1 RequestValidators: CreateRequestValidator, GetRequestValidator(s), UpdateRequestValidator
// (patch /name, /validateRequestBody, /validateRequestParameters), DeleteRequestValidator. Kept
// in the REST API's `requestValidators` list, which request validation reads after a deployment.
import { newId } from '../../model/ids.js';
import type { RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { conflict, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { optionalBoolean, optionalString } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchScalar } from '../patch.js';

type RequestValidator = Record<string, unknown>;

export function requestValidatorResource(validator: RequestValidator): Record<string, unknown> {
  return defined({
    id: validator['id'],
    name: validator['name'],
    // Imported validators may carry AWS's documented "true" strings; answer booleans.
    validateRequestBody:
      validator['validateRequestBody'] === true || validator['validateRequestBody'] === 'true',
    validateRequestParameters:
      validator['validateRequestParameters'] === true || validator['validateRequestParameters'] === 'true',
  });
}

const validatorNotFound = (): Error => notFound('Invalid Request Validator identifier specified');

function findValidator(api: RestApi, id: string): RequestValidator {
  const found = api.requestValidators?.find((validator) => validator['id'] === id);
  if (!found) throw validatorNotFound();
  return found;
}

async function createRequestValidator(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = optionalString(body, 'name');
  const validator: RequestValidator = defined({
    id: newId(6),
    name,
    validateRequestBody: optionalBoolean(body, 'validateRequestBody') ?? false,
    validateRequestParameters: optionalBoolean(body, 'validateRequestParameters') ?? false,
  });
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    if (name !== undefined && api.requestValidators?.some((other) => other['name'] === name))
      throw conflict(`Validator name ${name} already exists for this REST API`);
    api.requestValidators = [...(api.requestValidators ?? []), validator];
  });
  return { status: 201, body: requestValidatorResource(validator) };
}

const SCALARS = {
  name: 'string',
  validateRequestBody: 'boolean',
  validateRequestParameters: 'boolean',
} as const;

async function updateRequestValidator(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const id = request.params['requestvalidator_id']!;
  const validator = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const validator = findValidator(api, id);
    for (const op of ops) if (!patchScalar(validator, op, SCALARS)) throw invalidPath(op);
    return validator;
  });
  return { status: 200, body: requestValidatorResource(validator) };
}

async function deleteRequestValidator(request: AdminRequest, ctx: AdminContext) {
  const id = request.params['requestvalidator_id']!;
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const validator = findValidator(api, id);
    for (const resource of api.resources) {
      for (const [verb, method] of Object.entries(resource.resourceMethods)) {
        if (method.requestValidatorId === id) {
          throw conflict(
            `Cannot delete request validator ${id}: it is used by method ${verb} ${resource.path}`,
          );
        }
      }
    }
    api.requestValidators = (api.requestValidators ?? []).filter((other) => other !== validator);
  });
  return { status: 202 };
}

export function registerRequestValidators(routes: AdminRoutes): void {
  routes
    .add('POST', '/restapis/:restapi_id/requestvalidators', createRequestValidator)
    .add('GET', '/restapis/:restapi_id/requestvalidators', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return {
        status: 200,
        body: v1List(request, (api.requestValidators ?? []).map(requestValidatorResource)),
      };
    })
    .add('GET', '/restapis/:restapi_id/requestvalidators/:requestvalidator_id', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return {
        status: 200,
        body: requestValidatorResource(findValidator(api, request.params['requestvalidator_id']!)),
      };
    })
    .add('PATCH', '/restapis/:restapi_id/requestvalidators/:requestvalidator_id', updateRequestValidator)
    .add('DELETE', '/restapis/:restapi_id/requestvalidators/:requestvalidator_id', deleteRequestValidator);
}
