// OpenAPI 3 / Swagger 2.0 with API Gateway's x-amazon-apigateway-* extensions → a Gatehouse API.
// A document with x-amazon-apigateway-importexport-version is an HTTP API, as on AWS; any
// other is a REST API. Every problem is reported at once, each as a pointer into the document.
import type { Api } from '../model/api.js';
import { apiSchemaOf } from '../model/api.js';
import { problemsOf } from '../model/validate.js';
import { OpenApiError } from './errors.js';
import { ImportContext } from './import-context.js';
import { importHttpApi } from './import-http.js';
import { importRestApi } from './import-rest.js';
import { upgradeSwagger2 } from './swagger2.js';
import { isObject, type JsonObject } from './values.js';
import { IMPORTEXPORT_VERSION_EXTENSION } from './extensions.js';

export interface ImportOptions {
  /** Milliseconds since the epoch used for createdDate; defaults to now. */
  now?: number;
}

export interface ImportResult {
  api: Api;
  /** Things the API holds that Gatehouse keeps but does not act on yet, each naming a pointer. */
  warnings: string[];
}

export function importOpenApi(doc: unknown, opts: ImportOptions = {}): ImportResult {
  if (!isObject(doc)) throw new OpenApiError('/: must be an object (an OpenAPI 3 or Swagger 2.0 document)');
  const swagger2 = detectVersion(doc) === 'swagger2';
  const ctx = new ImportContext(swagger2 ? upgradeSwagger2(doc) : doc, swagger2);
  const createdDate = Math.floor((opts.now ?? Date.now()) / 1000);
  const api =
    IMPORTEXPORT_VERSION_EXTENSION in doc ? importHttpApi(ctx, createdDate) : importRestApi(ctx, createdDate);
  if (ctx.problems.length > 0) throw new OpenApiError([...new Set(ctx.problems)]);
  // Everything above was checked against the document; this holds the result to the model.
  const modelProblems = problemsOf(apiSchemaOf(api), api);
  if (modelProblems.length > 0) {
    throw new OpenApiError(modelProblems.map((line) => `the imported API does not fit the model: ${line}`));
  }
  return { api, warnings: ctx.warnings };
}

function detectVersion(doc: JsonObject): 'swagger2' | 'openapi3' {
  if ('swagger' in doc) {
    if (doc.swagger === '2.0' || doc.swagger === 2) return 'swagger2';
    throw new OpenApiError(`/swagger: must be "2.0"; got ${JSON.stringify(doc.swagger)}`);
  }
  if (!('openapi' in doc)) {
    throw new OpenApiError(
      '/openapi: missing; an OpenAPI document starts with "openapi: 3.0.x" (or "swagger: \'2.0\'")',
    );
  }
  if (typeof doc.openapi === 'string' && /^3\.[01]\.\d+$/.test(doc.openapi)) return 'openapi3';
  throw new OpenApiError(
    `/openapi: must be a 3.0.x or 3.1.x version such as "3.0.1"; got ${JSON.stringify(doc.openapi)}`,
  );
}
