// A Gatehouse API → an OpenAPI 3.0.1 document with API Gateway's extensions, in the form AWS
// exports, including everything the import kept. Re-importing the result gives the same API.
import { Document, parse, Scalar, visit } from 'yaml';
import type { Api } from '../model/api.js';
import { exportHttpApi } from './export-http.js';
import { exportRestApi } from './export-rest.js';
import type { ExportOptions } from './export-root.js';

export type { ExportOptions } from './export-root.js';

export function exportOpenApi(api: Api, opts: ExportOptions = {}): Record<string, unknown> {
  return api.protocolType === 'REST' ? exportRestApi(api, opts) : exportHttpApi(api, opts);
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
