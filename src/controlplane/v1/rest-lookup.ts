// Finding the parts of a REST API an operation names in its path, with AWS's NotFoundException
// messages when they are not there.
import { REST_METHODS, type Method, type Resource, type RestApi } from '../../model/rest-api.js';
import { badRequest, notFound } from '../admin-errors.js';
import type { AdminRequest } from '../admin-router.js';

export function findResource(api: RestApi, resourceId: string): Resource {
  const resource = api.resources.find((candidate) => candidate.id === resourceId);
  if (!resource) throw notFound('Invalid Resource identifier specified');
  return resource;
}

/** The method key as stored: AWS's HTTP method names, ANY included. */
export function httpMethodOf(text: string): Method['httpMethod'] {
  const name = text.toUpperCase();
  if (!(REST_METHODS as readonly string[]).includes(name)) {
    throw badRequest(`Invalid HttpMethod specified. Valid options are ${REST_METHODS.join(',')}`);
  }
  return name as Method['httpMethod'];
}

export function findMethod(resource: Resource, httpMethod: string): Method {
  const method = resource.resourceMethods[httpMethod.toUpperCase()];
  if (!method) throw notFound('Invalid Method identifier specified');
  return method;
}

/** The method named by the path `…/resources/{resource_id}/methods/{http_method}` of an operation. */
export function requestedMethod(api: RestApi, request: AdminRequest): Method {
  return findMethod(findResource(api, request.params['resource_id']!), request.params['http_method']!);
}

export const invalidStatusCode = (): Error => notFound('Invalid Response status code specified');

/** The method or integration response named by the path's `{status_code}`. */
export function requestedResponse<T>(responses: Record<string, T> | undefined, request: AdminRequest): T {
  const response = responses?.[request.params['status_code']!];
  if (!response) throw invalidStatusCode();
  return response;
}

/** A response status code in a path: three digits, 100 to 599. */
export function statusCodeOf(text: string): string {
  if (!/^[1-5][0-9][0-9]$/.test(text)) throw badRequest(`Invalid status code ${text}: it must be 100 to 599`);
  return text;
}
