// Customised gateway responses (REST APIs): every GatewayError a step raises is rendered through
// the API's `gatewayResponses`, resolved the way API Gateway resolves them: the response
// configured for the type, else the configured DEFAULT_4XX or DEFAULT_5XX for the type's class,
// else the built-in default. Resolution, header mappings and templates are settled at deploy
// time; rendering an error only reads values from the request.
import type { MethodResponse, RequestContext } from '../../dataplane/context.js';
import { clfTime } from '../../dataplane/context-variables.js';
import {
  defaultErrorBody,
  GATEWAY_RESPONSE_TYPES,
  type GatewayError,
  type GatewayResponseType,
} from '../../dataplane/gateway-responses.js';
import { lastQueryValue } from '../../dataplane/integrations/request-parameters.js';
import type { RestApi } from '../../model/rest-api.js';
import { compileTemplate, type CompiledTemplate as VtlTemplate, type TemplateInput } from '../vtl/index.js';

/** The template of every built-in gateway response. */
export const DEFAULT_GATEWAY_RESPONSE_TEMPLATE = '{"message":$context.error.messageString}';
const DEFAULT_CONTENT_TYPE = 'application/json';

export interface ErrorRenderContext {
  /** Undefined when the error happened before the request had a context (e.g. an oversized body). */
  ctx: RequestContext | undefined;
  stageVariables: Record<string, string>;
  /** `$context` values the request path knows beyond RequestContext: apiId, accountId, authorizer, … */
  context: Record<string, unknown>;
}

export type ErrorRenderer = (error: GatewayError, where: ErrorRenderContext) => MethodResponse;

export interface GatewayResponseOptions {
  /** Told when a response template fails to compile or render; the built-in body is sent instead. */
  onTemplateError?: (responseType: string, contentType: string, error: unknown) => void;
}

const TYPE_NAMES = Object.keys(GATEWAY_RESPONSE_TYPES) as GatewayResponseType[];
const FIELDS = new Set(['statusCode', 'responseParameters', 'responseTemplates']);
// Read-only fields the management API returns on a GatewayResponse; tolerated so its output
// can be stored back as it is.
const OUTPUT_FIELDS = new Set(['responseType', 'defaultResponse']);

const PARAMETER_KEY = /^gatewayresponse\.header\.([!#$%&'*+\-.^_`|~0-9A-Za-z]+)$/;
const PARAMETER_NAME = '[a-zA-Z0-9._$-]+';
const METHOD_REQUEST_SOURCE = new RegExp(
  `^method\\.request\\.(header|multivalueheader|querystring|multivaluequerystring|path)\\.(${PARAMETER_NAME})$`,
);
const STAGE_VARIABLE_SOURCE = /^stageVariables\.([a-zA-Z0-9_]+)$/;
const CONTEXT_SOURCE = /^context\.([a-zA-Z0-9_.$-]+)$/;
const STATIC_SOURCE = /^'(.*)'$/s;
// What Node accepts in a header value; anything else would make writing the response throw.
const VALID_HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MEDIA_TYPE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Headers that frame the message on the wire: a mapping must not contradict the real body.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

const SOURCES_HELP =
  "must be a 'static value' in single quotes, method.request.{header|querystring|path}.NAME, " +
  'stageVariables.NAME or context.NAME';

/**
 * Problems in an API's gateway responses (the `gatewayResponses` model field or the
 * `x-amazon-apigateway-gateway-responses` extension), each as `pointer: what is allowed`.
 */
export function gatewayResponseProblems(gatewayResponses: unknown, pointer: string): string[] {
  if (gatewayResponses === undefined) return [];
  if (!isRecord(gatewayResponses)) return [`${pointer}: must be an object keyed by gateway response type`];
  const problems: string[] = [];
  for (const [type, response] of Object.entries(gatewayResponses)) {
    const at = `${pointer}/${escapeSegment(type)}`;
    if (!(type in GATEWAY_RESPONSE_TYPES)) {
      problems.push(
        `${at}: unknown gateway response type "${type}"; must be one of ${TYPE_NAMES.join(', ')}`,
      );
      continue;
    }
    if (!isRecord(response)) {
      problems.push(`${at}: must be an object with statusCode, responseParameters and responseTemplates`);
      continue;
    }
    for (const field of Object.keys(response)) {
      if (FIELDS.has(field) || OUTPUT_FIELDS.has(field)) continue;
      problems.push(`${at}/${escapeSegment(field)}: unknown field; allowed: ${[...FIELDS].join(', ')}`);
    }
    if (response.responseType !== undefined && response.responseType !== type) {
      problems.push(`${at}/responseType: must be "${type}", the key it is stored under`);
    }
    // null is how API Gateway resets a status code to the type's own.
    const { statusCode } = response;
    if (statusCode !== undefined && statusCode !== null && statusCodeOf(statusCode) === undefined) {
      problems.push(`${at}/statusCode: must be an HTTP status code from 200 to 599, e.g. "404"`);
    }
    problems.push(...parameterProblems(response.responseParameters, `${at}/responseParameters`));
    problems.push(...templateProblems(response.responseTemplates, `${at}/responseTemplates`));
  }
  return problems;
}

function parameterProblems(parameters: unknown, at: string): string[] {
  if (parameters === undefined) return [];
  if (!isRecord(parameters)) return [`${at}: must be an object of gatewayresponse.header.NAME mappings`];
  const problems: string[] = [];
  for (const [key, source] of Object.entries(parameters)) {
    const here = `${at}/${escapeSegment(key)}`;
    const header = PARAMETER_KEY.exec(key)?.[1];
    if (header === undefined) {
      problems.push(`${here}: must be gatewayresponse.header.NAME with NAME a valid header name`);
    } else if (FRAMING_HEADERS.has(header.toLowerCase())) {
      problems.push(`${here}: ${header} is set by Gatehouse from the body and cannot be mapped`);
    }
    if (typeof source !== 'string') {
      problems.push(`${here}: ${SOURCES_HELP}`);
      continue;
    }
    const staticValue = STATIC_SOURCE.exec(source)?.[1];
    if (staticValue !== undefined) {
      if (!VALID_HEADER_VALUE.test(staticValue)) {
        problems.push(
          `${here}: the static value contains characters not allowed in a header (e.g. a line break)`,
        );
      }
    } else if (
      !METHOD_REQUEST_SOURCE.test(source) &&
      !STAGE_VARIABLE_SOURCE.test(source) &&
      !CONTEXT_SOURCE.test(source)
    ) {
      problems.push(`${here}: ${SOURCES_HELP}`);
    }
  }
  return problems;
}

function templateProblems(templates: unknown, at: string): string[] {
  if (templates === undefined) return [];
  if (!isRecord(templates)) return [`${at}: must be an object of templates keyed by content type`];
  const problems: string[] = [];
  for (const [contentType, template] of Object.entries(templates)) {
    const here = `${at}/${escapeSegment(contentType)}`;
    if (!MEDIA_TYPE.test(contentType))
      problems.push(`${here}: the key must be a content type such as application/json`);
    if (typeof template !== 'string') {
      problems.push(`${here}: must be a template string`);
      continue;
    }
    try {
      compileTemplate(template);
    } catch (error) {
      problems.push(
        `${here}: the template does not compile: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rendering

interface RenderEnv {
  error: GatewayError;
  message: string | null;
  where: ErrorRenderContext;
  /** `$context`, built on first use: most errors never need it. */
  context: Record<string, unknown> | undefined;
}

type ValueGetter = (env: RenderEnv) => string | undefined;
type BodyRenderer = (env: RenderEnv) => string;

interface CompiledTemplate {
  contentType: string;
  render: BodyRenderer;
}

interface Plan {
  /** Undefined keeps the raised type's own status, as an override without statusCode does. */
  statusCode: number | undefined;
  headers: readonly (readonly [name: string, value: ValueGetter])[];
  /** Keyed by lower-cased content type. */
  templates: ReadonlyMap<string, CompiledTemplate>;
  /** application/json when there is one, else the first template. */
  fallback: CompiledTemplate;
}

const defaultTemplate: CompiledTemplate = { contentType: DEFAULT_CONTENT_TYPE, render: defaultBody };
const BUILT_IN: Plan = {
  statusCode: undefined,
  headers: [],
  templates: new Map([[DEFAULT_CONTENT_TYPE, defaultTemplate]]),
  fallback: defaultTemplate,
};

/**
 * Compiles an API's gateway responses into the renderer the listener calls for every error.
 * With none configured the output is exactly `renderGatewayError('REST', error)`.
 */
export function compileGatewayResponses(
  gatewayResponses: RestApi['gatewayResponses'],
  options: GatewayResponseOptions = {},
): ErrorRenderer {
  const configured = new Map<GatewayResponseType, Plan>();
  for (const [type, response] of Object.entries(gatewayResponses ?? {})) {
    if (type in GATEWAY_RESPONSE_TYPES && isRecord(response)) {
      configured.set(type as GatewayResponseType, compilePlan(type, response, options));
    }
  }
  const plans = {} as Record<GatewayResponseType, Plan>;
  for (const type of TYPE_NAMES) {
    const fallbackType = GATEWAY_RESPONSE_TYPES[type].status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    plans[type] = configured.get(type) ?? configured.get(fallbackType) ?? BUILT_IN;
  }
  return (error, where) => render(plans[error.responseType], error, where);
}

function render(plan: Plan, error: GatewayError, where: ErrorRenderContext): MethodResponse {
  const entry = GATEWAY_RESPONSE_TYPES[error.responseType];
  const env: RenderEnv = {
    error,
    message: error.responseMessage === undefined ? entry.message : error.responseMessage,
    where,
    context: undefined,
  };
  const template = plan.templates.size === 1 ? plan.fallback : chooseTemplate(plan, where.ctx);
  let body: string;
  let contentType = template.contentType;
  try {
    body = template.render(env);
  } catch {
    // A template that cannot render must not turn one error into a crash: the built-in body.
    body = defaultBody(env);
    contentType = DEFAULT_CONTENT_TYPE;
  }
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amzn-ErrorType': entry.errorType,
  };
  for (const [name, getter] of plan.headers) {
    const value = getter(env);
    if (value === undefined || !VALID_HEADER_VALUE.test(value)) continue;
    setHeader(headers, name, value);
  }
  return {
    statusCode: plan.statusCode ?? error.statusOverride ?? entry.status,
    headers,
    body: Buffer.from(body),
  };
}

function defaultBody(env: RenderEnv): string {
  return defaultErrorBody(env.error.responseType, env.message);
}

/**
 * API Gateway picks a response template by the request's Accept header, else application/json,
 * else the first template. Gatehouse reads Accept as a list: the media types the client names,
 * best quality first, each looked up exactly; wildcards fall through to application/json.
 */
function chooseTemplate(plan: Plan, ctx: RequestContext | undefined): CompiledTemplate {
  const accept = ctx?.req.headers.accept;
  if (accept) {
    const exact = plan.templates.get(accept.trim().toLowerCase());
    if (exact) return exact;
    for (const mediaType of acceptedMediaTypes(accept)) {
      const template = plan.templates.get(mediaType);
      if (template) return template;
    }
  }
  return plan.fallback;
}

function acceptedMediaTypes(accept: string): string[] {
  const ranked: { type: string; q: number; order: number }[] = [];
  accept.split(',').forEach((part, order) => {
    const [type, ...params] = part.split(';');
    const name = type!.trim().toLowerCase();
    if (name === '' || name.includes('*')) return;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (m) q = Number(m[1]) || 0;
    }
    if (q > 0) ranked.push({ type: name, q, order });
  });
  return ranked.sort((a, b) => b.q - a.q || a.order - b.order).map((r) => r.type);
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}

// ---------------------------------------------------------------------------------------------
// Compiling one configured response

function compilePlan(type: string, response: Record<string, unknown>, options: GatewayResponseOptions): Plan {
  const headers: (readonly [string, ValueGetter])[] = [];
  if (isRecord(response.responseParameters)) {
    for (const [key, source] of Object.entries(response.responseParameters)) {
      const name = PARAMETER_KEY.exec(key)?.[1];
      if (name === undefined || FRAMING_HEADERS.has(name.toLowerCase()) || typeof source !== 'string')
        continue;
      const getter = compileSource(source);
      if (getter) headers.push([name, getter]);
    }
  }
  const templates = new Map<string, CompiledTemplate>();
  let first: CompiledTemplate | undefined;
  if (isRecord(response.responseTemplates)) {
    for (const [contentType, source] of Object.entries(response.responseTemplates)) {
      if (typeof source !== 'string') continue;
      const compiled: CompiledTemplate = {
        contentType,
        render: compileBody(type, contentType, source, options),
      };
      templates.set(contentType.toLowerCase(), compiled);
      first ??= compiled;
    }
  }
  if (!first) return { ...BUILT_IN, statusCode: statusCodeOf(response.statusCode), headers };
  return {
    statusCode: statusCodeOf(response.statusCode),
    headers,
    templates,
    fallback: templates.get(DEFAULT_CONTENT_TYPE) ?? first,
  };
}

function compileBody(
  type: string,
  contentType: string,
  source: string,
  options: GatewayResponseOptions,
): BodyRenderer {
  if (source === DEFAULT_GATEWAY_RESPONSE_TEMPLATE) return defaultBody;
  // Text without references or directives renders to itself; no engine needed.
  if (!/[$#]/.test(source)) return () => source;
  const report = options.onTemplateError;
  let template: VtlTemplate;
  try {
    template = compileTemplate(source);
  } catch (error) {
    report?.(type, contentType, error);
    // Failing at render time sends the built-in body through the same path as a render error.
    return () => {
      throw error;
    };
  }
  return (env) => {
    try {
      return template.render(templateInput(env)).output;
    } catch (error) {
      report?.(type, contentType, error);
      throw error;
    }
  };
}

function templateInput(env: RenderEnv): TemplateInput {
  const ctx = env.where.ctx;
  const header: Record<string, string> = {};
  const querystring: Record<string, string> = {};
  if (ctx) {
    // As in integration templates: header names keep the client's casing, the first value wins.
    const raw = ctx.req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) if (!(raw[i]! in header)) header[raw[i]!] = raw[i + 1]!;
    if (ctx.rawQuery !== '')
      for (const [name, value] of new URLSearchParams(ctx.rawQuery)) querystring[name] = value;
  }
  return {
    body: '',
    params: { path: { ...(ctx?.pathParameters ?? {}) }, querystring, header },
    context: contextOf(env),
    stageVariables: env.where.stageVariables,
  };
}

/** `$context` for this error: the caller's values, the request's own, and `error.*`. */
function contextOf(env: RenderEnv): Record<string, unknown> {
  if (env.context) return env.context;
  const { where, error, message } = env;
  const ctx = where.ctx;
  const context: Record<string, unknown> = { ...where.context };
  if (ctx) {
    context.requestId = ctx.requestId;
    context.extendedRequestId ??= ctx.requestId;
    context.httpMethod = ctx.method;
    context.stage = ctx.stageName;
    context.requestTimeEpoch = ctx.requestTimeEpoch;
    context.requestTime ??= clfTime(ctx.requestTimeEpoch);
    if (ctx.resourcePath !== '') context.resourcePath = ctx.resourcePath;
    const userAgent = ctx.req.headers['user-agent'];
    context.identity = {
      ...(isRecord(where.context.identity) ? where.context.identity : {}),
      sourceIp: ctx.sourceIp,
      ...(userAgent === undefined ? {} : { userAgent }),
    };
  }
  context.error = {
    message: message ?? '',
    messageString: JSON.stringify(message),
    responseType: error.responseType,
    validationErrorString: error.validationErrorString ?? '',
  };
  env.context = context;
  return context;
}

function compileSource(source: string): ValueGetter | undefined {
  const staticValue = STATIC_SOURCE.exec(source)?.[1];
  if (staticValue !== undefined) return () => staticValue;
  let m = METHOD_REQUEST_SOURCE.exec(source);
  if (m) return methodRequestGetter(m[1]!, m[2]!);
  m = STAGE_VARIABLE_SOURCE.exec(source);
  if (m) {
    const name = m[1]!;
    return (env) => own(env.where.stageVariables, name);
  }
  m = CONTEXT_SOURCE.exec(source);
  if (m) {
    const path = m[1]!;
    return (env) => scalar(lookup(contextOf(env), path));
  }
  return undefined;
}

function methodRequestGetter(location: string, name: string): ValueGetter {
  const lower = name.toLowerCase();
  switch (location) {
    case 'path':
      return (env) => (env.where.ctx ? own(env.where.ctx.pathParameters, name) : undefined);
    case 'querystring':
      return (env) => (env.where.ctx ? lastQueryValue(env.where.ctx.rawQuery, name) : undefined);
    case 'multivaluequerystring':
      return (env) => {
        const ctx = env.where.ctx;
        if (!ctx || ctx.rawQuery === '') return undefined;
        return new URLSearchParams(ctx.rawQuery).getAll(name).join(',') || undefined;
      };
    default: {
      return (env) => {
        const value = env.where.ctx?.req.headers[lower];
        return Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : undefined;
      };
    }
  }
}

/** Looks a dotted name up as nested objects, or as one flat key such as `authorizer.claims.sub`. */
function lookup(root: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(root, path)) return root[path];
  let value: unknown = root;
  for (const segment of path.split('.')) {
    if (!isRecord(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

/** A map's own string value: a name like `constructor` must not reach Object.prototype. */
function own(map: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = Object.hasOwn(map, name) ? map[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function statusCodeOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  // 1xx are interim responses; a gateway response is always final.
  if (typeof text !== 'string' || !/^[2-5][0-9]{2}$/.test(text)) return undefined;
  return Number(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
