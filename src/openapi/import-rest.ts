// An OpenAPI document → a REST API: the flat resource list AWS builds (one resource per path
// segment, each with its parent), a method per operation, and the root extensions.
import { newApiId, newResourceId } from '../model/ids.js';
import type { Method, Resource, RestApi } from '../model/rest-api.js';
import { importSecuritySchemes, type SecuritySchemes } from './import-authorizers.js';
import type { ImportContext } from './import-context.js';
import {
  methodResponsesOf,
  requestModelsOf,
  requestParametersOf,
  withoutEmptyResponses,
} from './import-operation.js';
import { readPaths, type OperationEntry } from './import-paths.js';
import { importRestIntegration } from './import-rest-integration.js';
import { requestValidatorIdOf, restRootOf, type RestRoot } from './import-rest-root.js';
import {
  endpointConfigurationOf,
  identityOf,
  keptComponentsOf,
  keptRootOf,
  tagsOf,
  warnForeignExtensions,
} from './import-root.js';
import { authorizationOf } from './import-security.js';
import { pointer } from './pointer.js';
import { nonEmpty, omit, optional } from './values.js';
import {
  CORS_EXTENSION,
  ENDPOINT_CONFIGURATION_EXTENSION,
  INTEGRATION_EXTENSION,
  METHOD_MODELED_KEYS,
  REST_ROOT_EXTENSIONS,
} from './extensions.js';

const MAX_REST_API_NAME = 1024;

interface MethodContext {
  schemes: SecuritySchemes;
  root: RestRoot;
  models: Set<string>;
}

export function importRestApi(ctx: ImportContext, createdDate: number): RestApi {
  const identity = identityOf(ctx, MAX_REST_API_NAME);
  const root = restRootOf(ctx);
  const endpoint = endpointConfigurationOf(ctx);
  const schemes = importSecuritySchemes(ctx, 'REST');
  const tags = tagsOf(ctx);
  warnForeignExtensions(ctx, ctx.doc, '', [CORS_EXTENSION], 'REST API');
  const paths = readPaths(ctx, 'REST');
  const methods: MethodContext = { schemes, root, models: new Set(root.models?.map((m) => String(m.name))) };
  const resources = new ResourceTree(ctx);
  for (const entry of paths) {
    const resource = resources.at(entry.path, entry.at);
    for (const operation of entry.operations) {
      const method = methodOf(ctx, operation, methods);
      if (resource && method) resource.resourceMethods[operation.method] = method;
    }
  }
  const kept = keptRootOf(ctx, {
    modeledKeys: [...Object.values(REST_ROOT_EXTENSIONS), ENDPOINT_CONFIGURATION_EXTENSION],
    components: keptComponentsOf(ctx, ['schemas'], schemes.kept),
    tags: tags.kept,
    paths,
  });
  return {
    protocolType: 'REST',
    id: newApiId(),
    ...identity,
    createdDate,
    ...root,
    ...optional('disableExecuteApiEndpoint', endpoint.disableExecuteApiEndpoint),
    ...optional('endpointConfiguration', endpoint.rest),
    ...optional('tags', tags.tags),
    resources: resources.list,
    ...optional('authorizers', nonEmpty(schemes.authorizers)),
    ...optional('openapi', kept),
  };
}

function methodOf(ctx: ImportContext, entry: OperationEntry, known: MethodContext): Method | undefined {
  const { operation, at } = entry;
  const authorization = authorizationOf(ctx, known.schemes, operation, at);
  // JWT authorizers belong to HTTP APIs; the scheme itself was already reported.
  if (authorization.authorizationType === 'JWT') return undefined;
  const imported =
    operation[INTEGRATION_EXTENSION] === undefined
      ? undefined
      : importRestIntegration(ctx, operation[INTEGRATION_EXTENSION], pointer(at, INTEGRATION_EXTENSION));
  const bag = withoutEmptyResponses(omit(operation, METHOD_MODELED_KEYS));
  if (imported?.kept) bag[INTEGRATION_EXTENSION] = imported.kept;
  if (authorization.unmodeled) bag.security = authorization.unmodeled;
  const requestParameters = requestParametersOf(ctx, [
    { parameters: entry.pathItem.parameters, at: `${entry.pathItemAt}/parameters` },
    { parameters: operation.parameters, at: `${at}/parameters` },
  ]);
  return {
    httpMethod: entry.method as Method['httpMethod'],
    authorizationType: authorization.authorizationType,
    ...optional('authorizerId', authorization.authorizerId),
    ...optional('authorizationScopes', authorization.authorizationScopes),
    apiKeyRequired: authorization.apiKeyRequired,
    ...optional(
      'operationName',
      typeof operation.operationId === 'string' ? operation.operationId : undefined,
    ),
    ...optional('requestParameters', requestParameters),
    ...optional(
      'requestModels',
      requestModelsOf(ctx, operation.requestBody, `${at}/requestBody`, known.models),
    ),
    ...optional('requestValidatorId', requestValidatorIdOf(ctx, operation, at, known.root)),
    ...optional(
      'methodResponses',
      methodResponsesOf(ctx, operation.responses, `${at}/responses`, known.models),
    ),
    ...optional('methodIntegration', imported?.integration),
    ...optional('openapi', nonEmpty(bag)),
  };
}

/** Resources by path, created parent first, as AWS creates them on import. */
class ResourceTree {
  readonly list: Resource[] = [];
  private readonly byPath = new Map<string, Resource>();

  constructor(private readonly ctx: ImportContext) {
    this.add({ id: newResourceId(), pathPart: '', path: '/', resourceMethods: {} });
  }

  /** The resource for `path`, creating it and its ancestors; undefined when a sibling conflicts. */
  at(path: string, at: string): Resource | undefined {
    let resource = this.byPath.get('/');
    let current = '';
    for (const pathPart of path.split('/').filter((part) => part !== '')) {
      current += `/${pathPart}`;
      const existing = this.byPath.get(current);
      if (existing) {
        resource = existing;
        continue;
      }
      if (!resource || !this.variableSiblingAllows(resource, pathPart, at)) return undefined;
      resource = this.add({
        id: newResourceId(),
        parentId: resource.id,
        pathPart,
        path: current,
        resourceMethods: {},
      });
    }
    return resource;
  }

  private add(resource: Resource): Resource {
    this.list.push(resource);
    this.byPath.set(resource.path, resource);
    return resource;
  }

  // A resource has at most one variable child, or requests could match either.
  private variableSiblingAllows(parent: Resource, pathPart: string, at: string): boolean {
    if (!pathPart.startsWith('{')) return true;
    const sibling = this.list.find((r) => r.parentId === parent.id && r.pathPart.startsWith('{'));
    if (!sibling) return true;
    this.ctx.problem(
      `${at}: ${pathPart} conflicts with ${sibling.path}; a resource may have only one variable child (${sibling.pathPart})`,
    );
    return false;
  }
}
