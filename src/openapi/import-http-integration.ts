// An HTTP API route's x-amazon-apigateway-integration (inline, or a $ref to a reusable one in
// components.x-amazon-apigateway-integrations) → the model's HttpIntegration.
import { parameterMappingProblems } from '../features/parameter-mapping/index.js';
import { DEFAULT_HTTP_API_TIMEOUT_MS, type HttpIntegration } from '../model/http-api.js';
import { newIntegrationId } from '../model/ids.js';
import { HttpIntegrationDocSchema, type HttpIntegrationDoc } from './document-schemas.js';
import type { ImportContext } from './import-context.js';
import type { ImportedIntegration } from './import-rest-integration.js';
import { integrationRuleProblems, normalizeIntegrationDoc } from './integration-doc.js';
import { isObject, nonEmpty, omit, optional } from './values.js';

const KNOWN_KEYS = Object.keys(HttpIntegrationDocSchema.properties);

export function importHttpIntegration(
  ctx: ImportContext,
  raw: unknown,
  at: string,
): ImportedIntegration<HttpIntegration> | undefined {
  const resolved = ctx.resolve(raw, at);
  if (!resolved) return undefined;
  const where = resolved.pointer;
  if (!isObject(resolved.value)) return void ctx.problem(`${where}: must be an object`);
  const doc = normalizeIntegrationDoc(resolved.value);
  const schemaOk = ctx.check(HttpIntegrationDocSchema, doc, where);
  const ruleProblems = integrationRuleProblems(doc, where, false);
  ruleProblems.forEach((line) => ctx.problem(line));
  if (!schemaOk || ruleProblems.length > 0) return undefined;
  const valid = doc as HttpIntegrationDoc;
  const keyProblems = parameterMappingProblems(valid.requestParameters, valid.responseParameters, where);
  keyProblems.forEach((line) => ctx.problem(line));
  if (keyProblems.length > 0) return undefined;
  warnHttpIntegration(ctx, valid, where);
  return { integration: integrationOf(valid), kept: nonEmpty(omit(resolved.value, KNOWN_KEYS)) };
}

function integrationOf(doc: HttpIntegrationDoc): HttpIntegration {
  const integrationType = doc.type.toUpperCase() as HttpIntegration['integrationType'];
  return {
    integrationId: newIntegrationId(),
    integrationType,
    ...optional('integrationUri', doc.uri),
    ...optional('integrationMethod', doc.httpMethod),
    ...optional('integrationSubtype', doc.integrationSubtype),
    // Lambda proxy integrations default to the 2.0 event; everything else to 1.0.
    payloadFormatVersion: doc.payloadFormatVersion ?? (integrationType === 'AWS_PROXY' ? '2.0' : '1.0'),
    timeoutInMillis: doc.timeoutInMillis ?? DEFAULT_HTTP_API_TIMEOUT_MS,
    ...optional('connectionType', doc.connectionType),
    ...optional('connectionId', doc.connectionId),
    ...optional('credentialsArn', doc.credentials),
    ...optional('description', doc.description),
    ...optional('requestParameters', doc.requestParameters),
    ...optional('requestTemplates', doc.requestTemplates),
    ...optional('responseParameters', doc.responseParameters),
    ...optional('tlsConfig', doc.tlsConfig),
  };
}

function warnHttpIntegration(ctx: ImportContext, doc: HttpIntegrationDoc, at: string): void {
  if (doc.type === 'aws' || doc.type === 'aws_proxy') {
    ctx.notYetEnforced(`${at}/type`, 'awsIntegrations', doc.type);
  }
  if (doc.requestTemplates) ctx.notYetEnforced(`${at}/requestTemplates`, 'mappingTemplates');
  if (doc.responseParameters)
    ctx.notYetEnforced(`${at}/responseParameters`, 'httpApiResponseParameterMappings');
}
