// v1 Resources: GetResources (`?embed=methods`), GetResource, CreateResource, UpdateResource
// (`/pathPart`, `/parentId`: the resource's descendants move with it), DeleteResource (with its
// descendants; never the root).
import { newResourceId } from '../../model/ids.js';
import type { Resource, RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, requireValue, segments } from '../patch.js';
import { methodShape } from './methods.js';
import { findResource } from './rest-lookup.js';

/**
 * The Resource as AWS answers it. Without `embed=methods` AWS names each method with an empty
 * object; with it, each method comes whole.
 */
export function resourceShape(resource: Resource, embedMethods: boolean): Record<string, unknown> {
  const names = Object.keys(resource.resourceMethods);
  const methods: Record<string, unknown> = {};
  for (const name of names) {
    methods[name] = embedMethods ? methodShape(resource.resourceMethods[name]!) : {};
  }
  return defined({
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.path === '/' ? undefined : resource.pathPart,
    path: resource.path,
    resourceMethods: names.length > 0 ? methods : undefined,
  });
}

const embedsMethods = (request: AdminRequest): boolean =>
  request.query.getAll('embed').some((value) => value.split(',').includes('methods'));

const PATH_PART = /^([A-Za-z0-9._-]+|\{[A-Za-z0-9._-]+\+?\})$/;
const isVariable = (pathPart: string): boolean => pathPart.startsWith('{');
const pathOf = (parent: Resource, pathPart: string): string =>
  parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`;

/** AWS's rules for a path part under a parent: valid characters, unique name, one variable sibling, nothing under a greedy variable. */
function checkPlacement(api: RestApi, parent: Resource, pathPart: string, self?: Resource): void {
  if (!PATH_PART.test(pathPart)) {
    throw badRequest(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
  if (parent.pathPart.endsWith('+}')) {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  }
  const siblings = api.resources.filter((r) => r.parentId === parent.id && r !== self);
  if (siblings.some((sibling) => sibling.pathPart === pathPart)) {
    throw conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  }
  const variable = isVariable(pathPart) && siblings.find((sibling) => isVariable(sibling.pathPart));
  if (variable) {
    throw badRequest(
      `A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`,
    );
  }
}

/** The resource and every resource under it. */
function subtree(api: RestApi, root: Resource): Resource[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    const parentId = found[i]!.id;
    found.push(...api.resources.filter((r) => r.parentId === parentId));
  }
  return found;
}

/** Recomputes the paths under a resource whose path changed. */
function repath(api: RestApi, resource: Resource): void {
  for (const child of api.resources.filter((r) => r.parentId === resource.id)) {
    child.path = pathOf(resource, child.pathPart);
    repath(api, child);
  }
}

async function createResource(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const pathPart = body['pathPart'];
  if (typeof pathPart !== 'string' || pathPart === '') {
    throw badRequest('Invalid null or empty value for pathPart');
  }
  const resource = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const parent = findResource(api, request.params['parent_id']!);
    checkPlacement(api, parent, pathPart);
    const created: Resource = {
      id: newResourceId(),
      parentId: parent.id,
      pathPart,
      path: pathOf(parent, pathPart),
      resourceMethods: {},
    };
    api.resources.push(created);
    return created;
  });
  return { status: 201, body: resourceShape(resource, false) };
}

async function updateResource(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const resource = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const resource = findResource(api, request.params['resource_id']!);
    for (const op of ops) {
      const parts = segments(op.path);
      if (parts.length !== 1 || op.op !== 'replace') throw invalidPath(op);
      if (resource.path === '/') throw badRequest('The root resource cannot be changed');
      const value = requireValue(op);
      if (parts[0] === 'pathPart') {
        checkPlacement(api, findResource(api, resource.parentId!), value, resource);
        resource.pathPart = value;
      } else if (parts[0] === 'parentId') {
        const parent = findResource(api, value);
        if (subtree(api, resource).includes(parent)) {
          throw badRequest('A resource cannot be moved under itself or one of its descendants');
        }
        checkPlacement(api, parent, resource.pathPart, resource);
        resource.parentId = parent.id;
      } else {
        throw invalidPath(op);
      }
      resource.path = pathOf(findResource(api, resource.parentId!), resource.pathPart);
      repath(api, resource);
    }
    return resource;
  });
  return { status: 200, body: resourceShape(resource, true) };
}

async function deleteResource(request: AdminRequest, ctx: AdminContext) {
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const resource = findResource(api, request.params['resource_id']!);
    if (resource.path === '/') throw badRequest('Cannot delete root resource');
    const removed = new Set(subtree(api, resource));
    api.resources = api.resources.filter((r) => !removed.has(r));
  });
  return { status: 202 };
}

export function registerResources(routes: AdminRoutes): void {
  routes
    .add('GET', '/restapis/:restapi_id/resources', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const embed = embedsMethods(request);
      return {
        status: 200,
        body: v1List(
          request,
          api.resources.map((r) => resourceShape(r, embed)),
        ),
      };
    })
    .add('GET', '/restapis/:restapi_id/resources/:resource_id', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const resource = findResource(api, request.params['resource_id']!);
      return { status: 200, body: resourceShape(resource, embedsMethods(request)) };
    })
    .add('POST', '/restapis/:restapi_id/resources/:parent_id', createResource)
    .add('PATCH', '/restapis/:restapi_id/resources/:resource_id', updateResource)
    .add('DELETE', '/restapis/:restapi_id/resources/:resource_id', deleteResource);
}
