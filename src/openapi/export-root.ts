// The document around the paths, shared by both API kinds: info, servers, tags and
// components, with everything kept from the imported document put back.
import type { Api } from '../model/api.js';
import { isObject, listOf, nonEmpty, omit, optional, type JsonObject } from './values.js';
import { TAG_VALUE_EXTENSION } from './extensions.js';

export const EXPORTED_OPENAPI_VERSION = '3.0.1';

export interface ExportOptions {
  /** The stage the export describes; it becomes the server URL's path. */
  stageName?: string;
  /** The gateway's base URL, e.g. `https://api.example.com`. */
  serverUrl?: string;
}

export interface RootParts {
  paths: JsonObject;
  components: JsonObject;
  /** The kind's own root extensions, written after anything kept. */
  extensions: JsonObject;
}

export function documentOf(api: Api, opts: ExportOptions, parts: RootParts): JsonObject {
  const kept = api.openapi ?? {};
  const { info: keptInfo, tags: keptTags, servers: keptServers } = kept;
  const rest = omit(kept, ['info', 'paths', 'components', 'tags', 'servers']);
  return {
    openapi: EXPORTED_OPENAPI_VERSION,
    info: {
      title: api.name,
      ...optional('description', api.description),
      // Omitted rather than invented, so a document without one re-imports to the same API.
      ...optional('version', api.version),
      ...(isObject(keptInfo) ? keptInfo : {}),
    },
    ...optional('servers', serversOf(opts) ?? keptServers),
    ...optional('tags', tagsOf(api, keptTags)),
    paths: parts.paths,
    ...optional('components', nonEmpty(parts.components)),
    ...rest,
    ...parts.extensions,
  };
}

function serversOf(opts: ExportOptions): JsonObject[] | undefined {
  if (opts.serverUrl === undefined && opts.stageName === undefined) return undefined;
  const base = (opts.serverUrl ?? '').replace(/\/+$/, '');
  const stage = opts.stageName !== undefined && opts.stageName !== '$default' ? `/${opts.stageName}` : '';
  return [{ url: base + stage || '/' }];
}

function tagsOf(api: Api, kept: unknown): unknown[] | undefined {
  const tags = Object.entries(api.tags ?? {}).map(([name, value]) => ({
    name,
    [TAG_VALUE_EXTENSION]: value,
  }));
  return nonEmpty([...listOf(kept), ...tags]);
}

/** Kept components with the model's sections: schemas first, as is usual, security schemes last. */
export function componentsOf(
  api: Api,
  sections: { schemas?: JsonObject; securitySchemes: JsonObject },
): JsonObject {
  const kept = isObject(api.openapi?.components) ? api.openapi.components : {};
  return {
    // HTTP APIs have no models: their schemas are kept as written.
    ...optional('schemas', nonEmpty(sections.schemas ?? (kept.schemas as JsonObject | undefined))),
    ...omit(kept, ['schemas', 'securitySchemes']),
    ...optional('securitySchemes', nonEmpty(sections.securitySchemes)),
  };
}

/** The kept fields of one path item, by path. */
export function keptPathItems(api: Api): JsonObject {
  const paths = api.openapi?.paths;
  return isObject(paths) ? paths : {};
}
