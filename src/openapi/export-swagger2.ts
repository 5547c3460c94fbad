// An OpenAPI 3.0 document, as Gatehouse exports a REST API, → Swagger 2.0 in the form AWS's
// `swagger` export takes: host/basePath/schemes, `in: body` and `in: formData` parameters,
// consumes/produces, definitions and securityDefinitions, with every x-amazon-apigateway-*
// extension where it was. It is the reverse of swagger2.ts, so importing the result gives the
// same API. What Swagger 2.0 cannot say is left out and listed, each line naming a pointer into
// the OpenAPI 3 document.
import { isDeepStrictEqual } from 'node:util';
import { escapeSegment, pointer, unescapeSegment } from './pointer.js';
import { resolveRef, rewriteRefs } from './refs.js';
import { clone, isObject, listOf, nonEmpty, omit, optional, pick, type JsonObject } from './values.js';
import { ANY_METHOD_KEY } from './extensions.js';
import { COLLECTION_FORMATS, SCHEMA_KEYS } from './swagger2.js';

export interface Swagger2Export {
  document: JsonObject;
  /** What Swagger 2.0 has no place for, as `pointer: reason` lines; empty when nothing was lost. */
  omitted: string[];
}

const PARAMETER_KEYS = ['name', 'in', 'description', 'required', 'allowEmptyValue'];
const COLLECTION_FORMAT_STYLES: [string, JsonObject][] = Object.entries(COLLECTION_FORMATS);
const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', ANY_METHOD_KEY];
const DESCRIPTIVE_OPERATION_KEYS = [
  'tags',
  'summary',
  'description',
  'externalDocs',
  'operationId',
  'deprecated',
];
const FORM_MEDIA_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  clientCredentials: 'application',
  authorizationCode: 'accessCode',
};
const REF_PREFIXES: [string, string][] = [
  ['#/components/schemas/', '#/definitions/'],
  ['#/components/parameters/', '#/parameters/'],
  ['#/components/requestBodies/', '#/parameters/'],
  ['#/components/responses/', '#/responses/'],
  ['#/components/securitySchemes/', '#/securityDefinitions/'],
];
const SCHEMA_REF = '#/components/schemas/';
const RESPONSE_KEY = /^([1-5][0-9][0-9]|default)$/;
const isExtension = (key: string): boolean => key.startsWith('x-');

export function swagger2Of(source: JsonObject): Swagger2Export {
  return new Converter(source).convert();
}

class Converter {
  readonly omitted: string[] = [];
  /** Security schemes Swagger 2.0 cannot hold; requirements naming them go too. */
  private readonly droppedSchemes = new Set<string>();
  /** References to shared parameters Swagger 2.0 cannot hold, which go too. */
  private readonly droppedParameters = new Set<string>();

  constructor(private readonly source: JsonObject) {}

  convert(): Swagger2Export {
    const { source } = this;
    const components = isObject(source.components) ? source.components : {};
    const root: JsonObject = { swagger: '2.0', info: clone(source.info ?? {}), ...this.serverParts() };
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(source)) {
      if (['openapi', 'info', 'servers', 'paths', 'components'].includes(key)) continue;
      (key === 'tags' ? root : rest)[key] = clone(value);
    }
    const requestBodies = isObject(components.requestBodies) ? components.requestBodies : {};
    const responses = isObject(components.responses) ? components.responses : {};
    // Root bodies and responses are read with the root media types (application/json when absent).
    const consumes = mediaTypesOf(Object.values(requestBodies));
    const produces = mediaTypesOf(Object.values(responses));
    // Shared parts first: what they leave out, references to it in the paths leave out too.
    const securityDefinitions = this.securityDefinitions(components.securitySchemes);
    const parameters = this.rootParameters(components, consumes);
    const document: JsonObject = {
      ...root,
      ...optional('consumes', nonEmpty(consumes)),
      ...optional('produces', nonEmpty(produces)),
      paths: this.paths(source.paths),
      ...optional('securityDefinitions', securityDefinitions),
      ...optional('definitions', isObject(components.schemas) ? clone(components.schemas) : undefined),
      ...optional('parameters', parameters),
      ...optional('responses', this.rootResponses(responses, produces)),
      ...rest,
    };
    for (const key of Object.keys(components)) {
      if (!['schemas', 'parameters', 'requestBodies', 'responses', 'securitySchemes'].includes(key)) {
        this.leaveOut(pointer('/components', key), `Swagger 2.0 has no reusable ${key}`);
      }
    }
    return { document: rewriteRefs(document, REF_PREFIXES) as JsonObject, omitted: this.omitted };
  }

  private leaveOut(at: string, reason: string, outcome = 'left out'): void {
    this.omitted.push(`${at}: ${reason}; ${outcome}`);
  }

  // AWS writes the stage as the base path; a server variable takes its default.
  private serverParts(): JsonObject {
    const servers = listOf(this.source.servers);
    const urls = servers.map((server, index) => this.serverUrl(server, index));
    const first = urls[0];
    if (first === undefined) return {};
    const absolute = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(.*)$/i.exec(first);
    const schemes: string[] = [];
    urls.forEach((url, index) => {
      const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(.*)$/i.exec(url);
      if (absolute && match && match[2] === absolute[2] && match[3] === absolute[3]) {
        if (!schemes.includes(match[1]!)) schemes.push(match[1]!);
      } else if (index > 0) {
        this.leaveOut(`/servers/${index}`, 'Swagger 2.0 has one host and base path');
      }
    });
    if (!absolute) {
      if (first.startsWith('/')) return { basePath: first };
      if (first !== '')
        this.leaveOut('/servers/0/url', 'Swagger 2.0 has a host and a base path starting with /');
      return {};
    }
    return { host: absolute[2], ...optional('basePath', absolute[3] || undefined), schemes };
  }

  private serverUrl(server: unknown, index: number): string {
    if (!isObject(server) || typeof server.url !== 'string') return '';
    const at = `/servers/${index}`;
    const variables = isObject(server.variables) ? server.variables : {};
    for (const key of Object.keys(server)) {
      if (key === 'variables')
        this.leaveOut(
          pointer(at, key),
          'Swagger 2.0 has no server variables',
          'their defaults are written in',
        );
      else if (key !== 'url')
        this.leaveOut(pointer(at, key), 'Swagger 2.0 servers are a host and base path only');
    }
    return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
    });
  }

  private paths(paths: unknown): JsonObject {
    const result: JsonObject = {};
    for (const [path, item] of Object.entries(isObject(paths) ? paths : {})) {
      result[path] = isObject(item) ? this.pathItem(item, pointer('/paths', path)) : clone(item);
    }
    return result;
  }

  private pathItem(item: JsonObject, at: string): JsonObject {
    const result: JsonObject = {};
    for (const [key, value] of Object.entries(item)) {
      if (key === 'parameters') {
        const parameters = nonEmpty(this.parameters(value, pointer(at, key)));
        if (parameters) result.parameters = parameters;
      } else if (OPERATION_KEYS.includes(key) && isObject(value))
        result[key] = this.operation(value, pointer(at, key));
      else if (key === '$ref' || isExtension(key)) result[key] = clone(value);
      else this.leaveOut(pointer(at, key), `Swagger 2.0 path items have no ${key}`);
    }
    return result;
  }

  private operation(operation: JsonObject, at: string): JsonObject {
    const parameters = this.parameters(operation.parameters, pointer(at, 'parameters'));
    const body = this.requestBody(operation.requestBody, pointer(at, 'requestBody'));
    const responses = isObject(operation.responses) ? operation.responses : {};
    const produces = mediaTypesOf(Object.values(responses));
    const result: JsonObject = {};
    for (const key of DESCRIPTIVE_OPERATION_KEYS) {
      if (key in operation) result[key] = clone(operation[key]);
    }
    Object.assign(result, {
      ...optional('consumes', body?.consumes),
      ...optional('produces', nonEmpty(produces)),
      ...optional('parameters', nonEmpty([...parameters, ...(body?.parameters ?? [])])),
      // As AWS writes a method without method responses, though Swagger 2.0 asks for one.
      responses: this.responses(responses, produces, pointer(at, 'responses')),
      ...optional('security', this.security(operation.security, pointer(at, 'security'))),
    });
    for (const [key, value] of Object.entries(operation)) {
      if (isExtension(key)) result[key] = clone(value);
      else if (!(key in result) && !['parameters', 'requestBody', 'responses'].includes(key)) {
        this.leaveOut(pointer(at, key), `Swagger 2.0 operations have no ${key}`);
      }
    }
    return result;
  }

  private security(security: unknown, at: string): unknown {
    if (!Array.isArray(security)) return clone(security);
    const result: unknown[] = [];
    security.forEach((requirement: unknown, index) => {
      if (!isObject(requirement)) return void result.push(clone(requirement));
      const names = Object.keys(requirement);
      const kept = names.filter((name) => !this.droppedSchemes.has(name));
      for (const name of names.filter((n) => this.droppedSchemes.has(n))) {
        this.leaveOut(pointer(at, index, name), 'its security scheme has no place in Swagger 2.0');
      }
      // An empty requirement means "no authorization needed"; one emptied here must not turn into that.
      if (kept.length > 0 || names.length === 0) result.push(clone(pick(requirement, kept)));
    });
    return result;
  }

  private parameters(parameters: unknown, at: string): unknown[] {
    const result: unknown[] = [];
    listOf(parameters).forEach((parameter, index) => {
      const converted = this.parameter(parameter, pointer(at, index));
      if (converted !== undefined) result.push(converted);
    });
    return result;
  }

  private parameter(parameter: unknown, at: string): unknown {
    if (isObject(parameter) && typeof parameter.$ref === 'string') {
      if (!this.droppedParameters.has(parameter.$ref)) return clone(parameter);
      return void this.leaveOut(at, 'names a shared parameter Swagger 2.0 cannot hold');
    }
    if (!isObject(parameter)) return clone(parameter);
    if (!['path', 'query', 'header'].includes(String(parameter.in))) {
      return void this.leaveOut(at, `Swagger 2.0 has no ${String(parameter.in)} parameters`);
    }
    const result: JsonObject = pick(parameter, PARAMETER_KEYS);
    Object.assign(result, this.simpleSchema(parameter.schema, pointer(at, 'schema')));
    const format = COLLECTION_FORMAT_STYLES.find(([, style]) =>
      isDeepStrictEqual(pick(parameter, ['style', 'explode']), style),
    );
    if (format) result.collectionFormat = format[0];
    for (const [key, value] of Object.entries(parameter)) {
      if (isExtension(key)) result[key] = clone(value);
      else if (!(key in result) && key !== 'schema' && !(format && ['style', 'explode'].includes(key))) {
        this.leaveOut(pointer(at, key), `Swagger 2.0 parameters have no ${key}`);
      }
    }
    return clone(result);
  }

  /** The keywords a parameter or header holds itself; the rest of the schema cannot be said. */
  private simpleSchema(schema: unknown, at: string): JsonObject {
    if (!isObject(schema) || !('type' in schema)) {
      this.leaveOut(at, 'a Swagger 2.0 parameter or header needs a type', 'written as a string');
      return { type: 'string' };
    }
    for (const key of Object.keys(schema)) {
      if (!SCHEMA_KEYS.includes(key))
        this.leaveOut(pointer(at, key), 'Swagger 2.0 parameters and headers have no such keyword');
    }
    const result = clone(pick(schema, SCHEMA_KEYS));
    if (isObject(result.items) && !('$ref' in result.items))
      result.items = this.simpleSchema(result.items, pointer(at, 'items'));
    return result;
  }

  private requestBody(
    requestBody: unknown,
    at: string,
  ): { consumes: string[]; parameters: JsonObject[] } | undefined {
    if (requestBody === undefined) return undefined;
    const resolved = resolveRef(this.source, requestBody, at);
    const target = 'value' in resolved && isObject(resolved.value) ? resolved.value : {};
    const consumes = Object.keys(isObject(target.content) ? target.content : {});
    if (isObject(requestBody) && '$ref' in requestBody) {
      return { consumes, parameters: [{ $ref: requestBody.$ref }] };
    }
    return { consumes, parameters: this.formFields(target) ?? [this.bodyParameter(target, at)] };
  }

  private bodyParameter(body: JsonObject, at: string): JsonObject {
    const schema = this.sharedSchema(body.content, pointer(at, 'content'), 'a body', false) ?? {};
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    const model = ref.startsWith(SCHEMA_REF) ? unescapeSegment(ref.slice(SCHEMA_REF.length)) : '';
    for (const key of Object.keys(body)) {
      if (!['description', 'required', 'content'].includes(key) && !isExtension(key)) {
        this.leaveOut(pointer(at, key), `Swagger 2.0 body parameters have no ${key}`);
      }
    }
    return {
      in: 'body',
      // AWS names the body parameter after its model.
      name: model.includes('/') || model === '' ? 'body' : model,
      ...clone(pick(body, ['description', 'required'])),
      schema: clone(schema),
      ...clone(Object.fromEntries(Object.entries(body).filter(([key]) => isExtension(key)))),
    };
  }

  /** A single form media type whose fields are all plain become formData parameters, as swagger2.ts reads them back. */
  private formFields(body: JsonObject): JsonObject[] | undefined {
    const content = isObject(body.content) ? body.content : {};
    const entries = Object.entries(content);
    if (Object.keys(body).length !== 1 || entries.length !== 1) return undefined;
    const [mediaType, media] = entries[0]!;
    if (!FORM_MEDIA_TYPES.includes(mediaType) || !isObject(media) || Object.keys(media).length !== 1)
      return undefined;
    const schema = media.schema;
    if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) return undefined;
    if (Object.keys(schema).some((key) => !['type', 'properties', 'required'].includes(key)))
      return undefined;
    const required = listOf(schema.required);
    const fields: JsonObject[] = [];
    for (const [name, field] of Object.entries(schema.properties)) {
      if (
        !isObject(field) ||
        !('type' in field) ||
        Object.keys(field).some((k) => !SCHEMA_KEYS.includes(k) && k !== 'description')
      )
        return undefined;
      const simple = clone(pick(field, SCHEMA_KEYS));
      // Swagger 2.0's file type is what OpenAPI 3 writes as binary string content.
      if (simple.type === 'string' && simple.format === 'binary') {
        simple.type = 'file';
        delete simple.format;
      }
      fields.push({
        name,
        in: 'formData',
        ...optional('description', field.description),
        ...(required.includes(name) ? { required: true } : {}),
        ...simple,
      });
    }
    const requiredInOrder = fields.filter((f) => f.required === true).map((f) => f.name);
    // swagger2.ts lists required fields in field order; another order would not come back.
    if (schema.required !== undefined && !isDeepStrictEqual(schema.required, requiredInOrder))
      return undefined;
    return fields;
  }

  /** The one schema Swagger 2.0 gives every media type of a body or response. */
  private sharedSchema(
    content: unknown,
    at: string,
    what: string,
    examples: boolean,
  ): JsonObject | undefined {
    const entries = Object.entries(isObject(content) ? content : {});
    const schema = entries.map(([, media]) => (isObject(media) ? media.schema : undefined)).find(isObject);
    for (const [mediaType, media] of entries) {
      const mediaAt = pointer(at, mediaType);
      const kept = examples ? ['schema', 'example'] : ['schema'];
      const rest = isObject(media) ? Object.keys(media).filter((key) => !kept.includes(key)) : [];
      for (const key of rest) this.leaveOut(pointer(mediaAt, key), `Swagger 2.0 media types have no ${key}`);
      if (!isObject(media) || !isDeepStrictEqual(media.schema, schema)) {
        this.leaveOut(pointer(mediaAt, 'schema'), `Swagger 2.0 gives every media type of ${what} one schema`);
      }
    }
    return schema;
  }

  private responses(responses: JsonObject, produces: string[], at: string): JsonObject {
    const result: JsonObject = {};
    for (const [code, response] of Object.entries(responses)) {
      if (isExtension(code)) result[code] = clone(response);
      else if (!RESPONSE_KEY.test(code))
        this.leaveOut(pointer(at, code), 'Swagger 2.0 has no status code ranges');
      else result[code] = this.response(response, produces, pointer(at, code));
    }
    return result;
  }

  private response(response: unknown, produces: string[], at: string): unknown {
    if (!isObject(response) || '$ref' in response) return clone(response);
    const content = isObject(response.content) ? response.content : {};
    const mediaTypes = Object.keys(content);
    const schema = this.sharedSchema(content, pointer(at, 'content'), 'a response', true);
    if (mediaTypes.length > 0 && schema === undefined) {
      this.leaveOut(pointer(at, 'content'), 'Swagger 2.0 names response media types only with a schema');
    } else if (mediaTypes.length > 0 && !isDeepStrictEqual(mediaTypes, produces)) {
      this.leaveOut(
        pointer(at, 'content'),
        'Swagger 2.0 gives every response of an operation the same media types',
      );
    }
    const examples: JsonObject = {};
    for (const [mediaType, media] of Object.entries(content)) {
      if (isObject(media) && 'example' in media) examples[mediaType] = clone(media.example);
    }
    const result: JsonObject = {};
    for (const [key, value] of Object.entries(response)) {
      if (key === 'headers') {
        const headers = nonEmpty(this.headers(value, pointer(at, key)));
        if (headers) result.headers = headers;
      } else if (key === 'content') {
        if (schema !== undefined) result.schema = clone(schema);
        if (Object.keys(examples).length > 0) result.examples = examples;
      } else if (key === 'description' || isExtension(key)) result[key] = clone(value);
      else this.leaveOut(pointer(at, key), `Swagger 2.0 responses have no ${key}`);
    }
    return result;
  }

  private headers(headers: unknown, at: string): JsonObject {
    const result: JsonObject = {};
    for (const [name, header] of Object.entries(isObject(headers) ? headers : {})) {
      const headerAt = pointer(at, name);
      if (!isObject(header) || '$ref' in header) {
        this.leaveOut(headerAt, 'Swagger 2.0 has no reusable headers');
        continue;
      }
      const converted: JsonObject = { ...this.simpleSchema(header.schema, pointer(headerAt, 'schema')) };
      for (const [key, value] of Object.entries(header)) {
        if (key === 'description' || isExtension(key)) converted[key] = clone(value);
        else if (key !== 'schema')
          this.leaveOut(pointer(headerAt, key), `Swagger 2.0 headers have no ${key}`);
      }
      result[name] = converted;
    }
    return result;
  }

  private rootParameters(components: JsonObject, consumes: string[]): JsonObject | undefined {
    const result: JsonObject = {};
    for (const [name, parameter] of Object.entries(
      isObject(components.parameters) ? components.parameters : {},
    )) {
      const converted = this.parameter(parameter, pointer('/components/parameters', name));
      if (converted !== undefined) result[name] = converted;
      else this.droppedParameters.add(`#/components/parameters/${escapeSegment(name)}`);
    }
    for (const [name, body] of Object.entries(
      isObject(components.requestBodies) ? components.requestBodies : {},
    )) {
      const at = pointer('/components/requestBodies', name);
      if (name in result)
        this.leaveOut(at, 'its name is taken by a parameter in Swagger 2.0, which keeps both in one place');
      else if (isObject(body)) result[name] = this.bodyParameter(body, at);
      const mediaTypes = Object.keys(isObject(body) && isObject(body.content) ? body.content : {});
      if (!isDeepStrictEqual(mediaTypes, consumes)) {
        this.leaveOut(pointer(at, 'content'), 'Swagger 2.0 gives every shared body the same media types');
      }
    }
    return nonEmpty(result);
  }

  private rootResponses(responses: JsonObject, produces: string[]): JsonObject | undefined {
    const result: JsonObject = {};
    for (const [name, response] of Object.entries(responses)) {
      result[name] = this.response(response, produces, pointer('/components/responses', name));
    }
    return nonEmpty(result);
  }

  private securityDefinitions(schemes: unknown): JsonObject | undefined {
    const result: JsonObject = {};
    for (const [name, scheme] of Object.entries(isObject(schemes) ? schemes : {})) {
      const converted = this.securityScheme(scheme, pointer('/components/securitySchemes', name));
      if (converted !== undefined) result[name] = converted;
      else this.droppedSchemes.add(name);
    }
    return nonEmpty(result);
  }

  private securityScheme(scheme: unknown, at: string): JsonObject | undefined {
    if (!isObject(scheme)) return void this.leaveOut(at, 'not a security scheme');
    if (scheme.type === 'apiKey' && scheme.in !== 'cookie') return clone(scheme);
    if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic') {
      return { ...clone(omit(scheme, ['scheme'])), type: 'basic' };
    }
    if (scheme.type !== 'oauth2' || !isObject(scheme.flows)) {
      return void this.leaveOut(at, 'Swagger 2.0 has apiKey, basic and oauth2 security schemes only');
    }
    const flows = Object.entries(scheme.flows);
    const [flowName, flow] = flows[0] ?? [];
    if (flowName === undefined || !isObject(flow) || OAUTH_FLOWS[flowName] === undefined) {
      return void this.leaveOut(
        pointer(at, 'flows'),
        'Swagger 2.0 has implicit, password, application and accessCode flows only',
      );
    }
    flows
      .slice(1)
      .forEach(([other]) =>
        this.leaveOut(pointer(at, 'flows', other), 'a Swagger 2.0 oauth2 scheme has one flow'),
      );
    for (const key of Object.keys(flow)) {
      if (!['authorizationUrl', 'tokenUrl', 'scopes'].includes(key)) {
        this.leaveOut(pointer(at, 'flows', flowName, key), `Swagger 2.0 oauth2 flows have no ${key}`);
      }
    }
    return {
      ...clone(omit(scheme, ['flows'])),
      flow: OAUTH_FLOWS[flowName],
      ...clone(pick(flow, ['authorizationUrl', 'tokenUrl'])),
      scopes: clone(flow.scopes ?? {}),
    };
  }
}

/** The media types of the bodies or responses, in order; what Swagger 2.0 states once for all. */
function mediaTypesOf(objects: unknown[]): string[] {
  const result: string[] = [];
  for (const object of objects) {
    const content = isObject(object) && isObject(object.content) ? object.content : {};
    const hasSchema = Object.values(content).some((media) => isObject(media) && media.schema !== undefined);
    for (const mediaType of hasSchema ? Object.keys(content) : []) {
      if (!result.includes(mediaType)) result.push(mediaType);
    }
  }
  return result;
}
