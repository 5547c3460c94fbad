// A REST method's x-amazon-apigateway-integration → the model's Integration, with its
// responses (keyed by selection pattern in the file) → integrationResponses keyed by status.
import { DEFAULT_REST_TIMEOUT_MS, type Integration, type IntegrationResponse } from '../model/rest-api.js';
import { RestIntegrationDocSchema, type RestIntegrationDoc } from './document-schemas.js';
import type { ImportContext } from './import-context.js';
import { integrationRuleProblems, normalizeIntegrationDoc } from './integration-doc.js';
import { pointer } from './pointer.js';
import { isObject, nonEmpty, omit, optional, type JsonObject } from './values.js';

const KNOWN_KEYS = Object.keys(RestIntegrationDocSchema.properties);
const KNOWN_RESPONSE_KEYS = ['statusCode', 'responseParameters', 'responseTemplates', 'contentHandling'];
/** The key of the integration response that applies when no selection pattern matches. */
export const DEFAULT_RESPONSE_KEY = 'default';

export interface ImportedIntegration<T> {
  integration: T;
  /** Fields of the extension Gatehouse does not model, kept on the method for export. */
  kept: JsonObject | undefined;
}

export function importRestIntegration(
  ctx: ImportContext,
  raw: unknown,
  at: string,
): ImportedIntegration<Integration> | undefined {
  const resolved = ctx.resolve(raw, at);
  if (!resolved) return undefined;
  const where = resolved.pointer;
  if (!isObject(resolved.value)) return void ctx.problem(`${where}: must be an object`);
  const doc = normalizeIntegrationDoc(resolved.value);
  const schemaOk = ctx.check(RestIntegrationDocSchema, doc, where);
  const ruleProblems = integrationRuleProblems(doc, where, true);
  ruleProblems.forEach((line) => ctx.problem(line));
  if (!schemaOk || ruleProblems.length > 0) return undefined;
  const valid = doc as RestIntegrationDoc;
  const integrationResponses = integrationResponsesOf(ctx, valid, where);
  if (integrationResponses === false) return undefined;
  warnRestIntegration(ctx, valid, where);
  return { integration: integrationOf(valid, integrationResponses), kept: keptOf(resolved.value) };
}

function integrationOf(
  doc: RestIntegrationDoc,
  responses: Record<string, IntegrationResponse> | undefined,
): Integration {
  return {
    type: doc.type.toUpperCase() as Integration['type'],
    ...optional('httpMethod', doc.httpMethod),
    ...optional('uri', doc.uri),
    ...optional('connectionType', doc.connectionType),
    ...optional('connectionId', doc.connectionId),
    ...optional('credentials', doc.credentials),
    ...optional('requestParameters', doc.requestParameters),
    ...optional('requestTemplates', doc.requestTemplates),
    ...optional(
      'passthroughBehavior',
      doc.passthroughBehavior?.toUpperCase() as Integration['passthroughBehavior'],
    ),
    ...optional('contentHandling', doc.contentHandling),
    timeoutInMillis: doc.timeoutInMillis ?? DEFAULT_REST_TIMEOUT_MS,
    ...optional('cacheNamespace', doc.cacheNamespace),
    ...optional('cacheKeyParameters', doc.cacheKeyParameters),
    ...optional('integrationResponses', responses),
    ...optional('tlsConfig', doc.tlsConfig),
  };
}

/** Integration responses keyed by status code; false when two patterns claim one status. */
function integrationResponsesOf(
  ctx: ImportContext,
  doc: RestIntegrationDoc,
  at: string,
): Record<string, IntegrationResponse> | undefined | false {
  const byStatus: Record<string, IntegrationResponse> = {};
  const patternOf = new Map<string, string>();
  let ok = true;
  for (const [pattern, response] of Object.entries(doc.responses ?? {})) {
    const claimedBy = patternOf.get(response.statusCode);
    if (claimedBy !== undefined) {
      ctx.problem(
        `${pointer(at, 'responses', pattern, 'statusCode')}: status code ${response.statusCode} is already selected by ${JSON.stringify(claimedBy)}; each status code has one selection pattern`,
      );
      ok = false;
      continue;
    }
    patternOf.set(response.statusCode, pattern);
    byStatus[response.statusCode] = {
      statusCode: response.statusCode,
      ...optional('selectionPattern', pattern === DEFAULT_RESPONSE_KEY ? undefined : pattern),
      ...optional('responseParameters', response.responseParameters),
      ...optional('responseTemplates', response.responseTemplates),
      ...optional('contentHandling', response.contentHandling),
    };
  }
  return ok ? nonEmpty(byStatus) : false;
}

function warnRestIntegration(ctx: ImportContext, doc: RestIntegrationDoc, at: string): void {
  if (doc.type === 'aws' || doc.type === 'aws_proxy') {
    ctx.notYetEnforced(`${at}/type`, 'awsIntegrations', doc.type);
  }
  if (doc.requestTemplates) ctx.notYetEnforced(`${at}/requestTemplates`, 'mappingTemplates');
  if (doc.contentHandling) ctx.notYetEnforced(`${at}/contentHandling`, 'contentHandling');
  for (const [pattern, response] of Object.entries(doc.responses ?? {})) {
    const responseAt = pointer(at, 'responses', pattern);
    if (response.responseTemplates) ctx.notYetEnforced(`${responseAt}/responseTemplates`, 'mappingTemplates');
    if (response.responseParameters) {
      ctx.notYetEnforced(`${responseAt}/responseParameters`, 'responseParameterMappings');
    }
    if (response.contentHandling) ctx.notYetEnforced(`${responseAt}/contentHandling`, 'contentHandling');
  }
}

function keptOf(raw: JsonObject): JsonObject | undefined {
  const kept = omit(raw, [...KNOWN_KEYS]);
  if (isObject(raw.responses)) {
    const responses: JsonObject = {};
    for (const [pattern, response] of Object.entries(raw.responses)) {
      const extra = isObject(response) ? nonEmpty(omit(response, KNOWN_RESPONSE_KEYS)) : undefined;
      if (extra) responses[pattern] = extra;
    }
    if (Object.keys(responses).length > 0) kept.responses = responses;
  }
  return nonEmpty(kept);
}
