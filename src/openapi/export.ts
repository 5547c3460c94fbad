// A Gatehouse API → an OpenAPI 3.0.1 document with API Gateway's extensions, in the form AWS
// exports, including everything the import kept. Re-importing the result gives the same API.
import { Document, parse, Scalar, visit } from 'yaml';
import type { Api } from '../model/api.js';
import { OpenApiError } from './errors.js';
import { exportHttpApi } from './export-http.js';
import { exportRestApi } from './export-rest.js';
import type { ExportOptions } from './export-root.js';
import { swagger2Of, type Swagger2Export } from './export-swagger2.js';

export type { ExportOptions } from './export-root.js';
export type { Swagger2Export } from './export-swagger2.js';

export function exportOpenApi(api: Api, opts: ExportOptions = {}): Record<string, unknown> {
  return api.protocolType === 'REST' ? exportRestApi(api, opts) : exportHttpApi(api, opts);
}

/**
 * A REST API as Swagger 2.0, as AWS's `swagger` export writes it. HTTP APIs are refused: AWS
 * exports them as OpenAPI 3.0 only.
 */
export function exportSwagger2(api: Api, opts: ExportOptions = {}): Swagger2Export {
  if (api.protocolType !== 'REST') {
    throw new OpenApiError(
      `"${api.name}" is an HTTP API, which exports as OpenAPI 3.0 only (as on AWS); Swagger 2.0 is for REST APIs`,
    );
  }
  return swagger2Of(exportRestApi(api, opts));
}

export function serializeDocument(doc: Record<string, unknown>, format: 'json' | 'yaml'): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  // Shared objects are written out in full: anchors and aliases would surprise other tools.
  const document = new Document(doc, { aliasDuplicateObjects: false });
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonString(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return document.toString({ lineWidth: 0 });
}

// Many tools (AWS's own among them) read YAML 1.1, where yes, on, 0777 and dates are not
// strings; such values are quoted so every reader gets the string back.
function readsAsNonString(text: string): boolean {
  try {
    return typeof parse(text, { version: '1.1', logLevel: 'silent' }) !== 'string';
  } catch {
    return true;
  }
}
