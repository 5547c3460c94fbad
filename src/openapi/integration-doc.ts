// What REST and HTTP API integrations share as written in a document: case folding, so that
// `HTTP_PROXY` and `http_proxy` both pass, and the rules a schema cannot say.
import { isObject, type JsonObject } from './values.js';

const STAGE_VARIABLE = /\$\{stageVariables\.[A-Za-z0-9_]+\}/g;

/** A copy with enum-like fields folded to the case the document schemas expect. */
export function normalizeIntegrationDoc(raw: JsonObject): JsonObject {
  const doc = { ...raw };
  fold(doc, 'type', 'lower');
  fold(doc, 'passthroughBehavior', 'lower');
  fold(doc, 'httpMethod', 'upper');
  fold(doc, 'contentHandling', 'upper');
  fold(doc, 'connectionType', 'upper');
  // YAML reads an unquoted 1.0 as the number 1.
  if (typeof doc.payloadFormatVersion === 'number')
    doc.payloadFormatVersion = doc.payloadFormatVersion.toFixed(1);
  if (isObject(doc.responses)) {
    const responses: JsonObject = {};
    for (const [pattern, response] of Object.entries(doc.responses)) {
      responses[pattern] = isObject(response) ? normalizeIntegrationResponse(response) : response;
    }
    doc.responses = responses;
  }
  return doc;
}

function normalizeIntegrationResponse(raw: JsonObject): JsonObject {
  const response = { ...raw };
  if (typeof response.statusCode === 'number') response.statusCode = String(response.statusCode);
  fold(response, 'contentHandling', 'upper');
  return response;
}

function fold(target: JsonObject, key: string, to: 'lower' | 'upper'): void {
  const value = target[key];
  if (typeof value === 'string') target[key] = to === 'lower' ? value.toLowerCase() : value.toUpperCase();
}

/** Integration types that call something, and so need a uri (HTTP endpoint or AWS ARN). */
const CALLING_TYPES = ['http', 'http_proxy', 'aws', 'aws_proxy'];

/**
 * Problems a schema cannot express: which types need a uri or method, and what an HTTP uri
 * looks like. Checked on the normalised document even when the schema found problems, so
 * the user sees them all at once.
 */
export function integrationRuleProblems(doc: JsonObject, at: string, requireHttpMethod: boolean): string[] {
  const problems: string[] = [];
  const type = typeof doc.type === 'string' ? doc.type : '';
  if (!CALLING_TYPES.includes(type)) return problems;
  if (doc.uri === undefined && doc.integrationSubtype === undefined) {
    problems.push(`${at}: missing required field "uri" (integration type "${type}" needs one)`);
  }
  if (requireHttpMethod && doc.httpMethod === undefined) {
    problems.push(`${at}: missing required field "httpMethod" (integration type "${type}" needs one)`);
  }
  const http = type === 'http' || type === 'http_proxy';
  if (http && typeof doc.uri === 'string' && doc.connectionType !== 'VPC_LINK' && !isHttpUrl(doc.uri)) {
    problems.push(
      `${at}/uri: must be an absolute http:// or https:// URL (stage variables such as \${stageVariables.host} may appear anywhere in it); got ${JSON.stringify(doc.uri)}`,
    );
  }
  return problems;
}

function isHttpUrl(uri: string): boolean {
  // A URL that starts with a stage variable gets its scheme and host at deployment.
  if (/^\$\{stageVariables\.[A-Za-z0-9_]+\}/.test(uri)) return true;
  const concrete = uri.replace(STAGE_VARIABLE, '1');
  if (!/^https?:\/\/[^/]/i.test(concrete)) return false;
  return URL.canParse(concrete);
}
