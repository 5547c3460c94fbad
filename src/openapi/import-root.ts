// Document-level fields both API kinds share: the name and version from `info`, tags with
// x-amazon-apigateway-tag-value, the endpoint configuration, and what is kept for export.
import type { ImportContext } from './import-context.js';
import { pointer } from './pointer.js';
import { EndpointConfigurationDocSchema } from './document-schemas.js';
import type { PathEntry } from './import-paths.js';
import { isObject, listOf, nonEmpty, omit, optional, stringOf, type JsonObject } from './values.js';
import { ENDPOINT_CONFIGURATION_EXTENSION, TAG_VALUE_EXTENSION } from './extensions.js';

/** Info fields the API models; the rest of `info` is kept. */
const INFO_FIELDS = ['title', 'description', 'version'];

export interface Identity {
  name: string;
  description?: string;
  version?: string;
}

export function identityOf(ctx: ImportContext, maxNameLength: number): Identity {
  const info = isObject(ctx.doc.info) ? ctx.doc.info : {};
  const title = info.title;
  if (typeof title !== 'string' || title.trim() === '') {
    ctx.problem('/info/title: missing required field; the API takes its name from it');
  } else if (title.length > maxNameLength) {
    ctx.problem(`/info/title: must be at most ${maxNameLength} characters (it is the API's name)`);
  }
  return {
    name: typeof title === 'string' ? title : '',
    ...optional('description', typeof info.description === 'string' ? info.description : undefined),
    ...optional('version', stringOf(info.version)),
  };
}

/** Root tags carrying x-amazon-apigateway-tag-value become the API's tags. */
export function tagsOf(ctx: ImportContext): {
  tags: Record<string, string> | undefined;
  kept: unknown[] | undefined;
} {
  const tags = ctx.doc.tags;
  if (!Array.isArray(tags)) return { tags: undefined, kept: undefined };
  const result: Record<string, string> = {};
  const kept: unknown[] = [];
  for (const tag of tags) {
    const value = isObject(tag) ? stringOf(tag[TAG_VALUE_EXTENSION]) : undefined;
    if (isObject(tag) && typeof tag.name === 'string' && value !== undefined) result[tag.name] = value;
    else kept.push(tag);
  }
  return { tags: nonEmpty(result), kept: nonEmpty(kept) };
}

export interface EndpointConfiguration {
  disableExecuteApiEndpoint?: boolean;
  /** Everything else in the extension: types, vpcEndpointIds. */
  rest?: JsonObject;
}

/** At the root (Swagger 2.0, and accepted in OpenAPI 3) or on the first server (OpenAPI 3). */
export function endpointConfigurationOf(ctx: ImportContext): EndpointConfiguration {
  const server = listOf(ctx.doc.servers)[0];
  let raw = ctx.doc[ENDPOINT_CONFIGURATION_EXTENSION];
  let at = pointer('', ENDPOINT_CONFIGURATION_EXTENSION);
  if (raw === undefined && isObject(server)) {
    raw = server[ENDPOINT_CONFIGURATION_EXTENSION];
    at = pointer('/servers/0', ENDPOINT_CONFIGURATION_EXTENSION);
  }
  if (raw === undefined || !ctx.check(EndpointConfigurationDocSchema, raw, at)) return {};
  const config = raw as JsonObject;
  return {
    ...optional('disableExecuteApiEndpoint', config.disableExecuteApiEndpoint as boolean | undefined),
    ...optional('rest', nonEmpty(omit(config, ['disableExecuteApiEndpoint']))),
  };
}

/** Extensions of the other API kind: kept for export, but they mean nothing to this one. */
export function warnForeignExtensions(
  ctx: ImportContext,
  where: JsonObject,
  at: string,
  keys: readonly string[],
  kind: string,
): void {
  for (const key of keys.filter((k) => k in where)) {
    ctx.warn(`${pointer(at, key)}: ${kind}s do not use this extension; it is kept for export only`);
  }
}

export interface KeptRoot {
  /** Root keys the API kind models; everything else at the root is kept. */
  modeledKeys: readonly string[];
  /** Components kept as written (the modeled ones already removed). */
  components: JsonObject;
  tags: unknown[] | undefined;
  paths: PathEntry[];
  /** Path under which a path item's kept fields are stored, e.g. one spelling of the $default route. */
  pathKey?: (path: string) => string;
}

/** The root-level content kept in `api.openapi` for export. */
export function keptRootOf(ctx: ImportContext, kept: KeptRoot): JsonObject | undefined {
  const root = omit(ctx.doc, [
    'openapi',
    'swagger',
    'info',
    'paths',
    'components',
    'security',
    'tags',
    ...kept.modeledKeys,
  ]);
  const info = isObject(ctx.doc.info) ? nonEmpty(omit(ctx.doc.info, INFO_FIELDS)) : undefined;
  const paths: JsonObject = {};
  for (const entry of kept.paths) {
    if (entry.kept) paths[kept.pathKey?.(entry.path) ?? entry.path] = entry.kept;
  }
  return nonEmpty({
    ...optional('info', info),
    ...root,
    ...optional('tags', kept.tags),
    ...optional('components', nonEmpty(kept.components)),
    ...optional('paths', nonEmpty(paths)),
  });
}

/** Components minus the named sections, with kept security schemes put back. */
export function keptComponentsOf(ctx: ImportContext, modeled: string[], keptSchemes: JsonObject): JsonObject {
  const components = isObject(ctx.doc.components)
    ? omit(ctx.doc.components, [...modeled, 'securitySchemes'])
    : {};
  if (Object.keys(keptSchemes).length > 0) components.securitySchemes = keptSchemes;
  return components;
}
