// An API's models compiled into validators, once per deployment. Every model is read as JSON
// Schema draft 4, the dialect AWS validates with; `$ref`s between models are resolved to the
// named model whichever of AWS's forms they take.
import AjvDraft04 from 'ajv-draft-04';
import type { AnySchemaObject, FuncKeywordDefinition, ValidateFunction } from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import type { RestApi } from '../../model/rest-api.js';
import { FORMATS } from './formats.js';

/** A compiled model; `errors` is ajv's list after a failed call, read by messages.ts. */
export type ModelValidator = ValidateFunction;

type Ajv = InstanceType<typeof AjvDraft04.default>;

const compilers = new WeakMap<RestApi, ModelCompiler>();

/**
 * The validator of one of the API's models, compiled on first use and shared by every method of
 * the same deployment. Throws an Error naming the model when it, or a model it refers to, is
 * missing or not a valid draft-4 schema.
 */
export function modelValidator(api: RestApi, name: string): ModelValidator {
  let compiler = compilers.get(api);
  if (!compiler) {
    compiler = new ModelCompiler(api);
    compilers.set(api, compiler);
  }
  return compiler.validator(name);
}

// API Gateway gives every REST API these two models; an imported API may name them without
// defining them.
const BUILT_IN_MODELS: Readonly<Record<string, object>> = {
  Empty: { title: 'Empty Schema', type: 'object' },
  Error: { title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
};

const AWS_MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/?#]+\/models\/([^/?#]+)(#.*)?$/;
const IMPORT_PREFIXES = ['/definitions/', '/components/schemas/'];

class ModelCompiler {
  private readonly ajv = newAjv();
  private readonly stored = new Map<string, unknown>();
  private readonly added = new Set<string>();
  private readonly outcomes = new Map<string, ModelValidator | Error>();

  constructor(private readonly api: RestApi) {
    for (const model of api.models ?? []) {
      if (typeof model.name === 'string') this.stored.set(model.name, model.schema);
    }
  }

  validator(name: string): ModelValidator {
    const known = this.outcomes.get(name);
    if (known instanceof Error) throw known;
    if (known) return known;
    try {
      this.addWithReferences(name);
      const validate = this.ajv.getSchema(this.uri(name));
      if (!validate) throw new Error(`model "${name}" could not be compiled`);
      this.outcomes.set(name, validate as ModelValidator);
      return validate as ModelValidator;
    } catch (err) {
      const error =
        err instanceof ModelError
          ? err
          : new ModelError(`model "${name}" has an invalid JSON schema: ${reason(err)}`);
      this.outcomes.set(name, error);
      throw error;
    }
  }

  // Adds the model and every model it reaches through $ref; nothing is added unless all of them
  // are valid, so a failed compile leaves the shared ajv instance as it was.
  private addWithReferences(name: string): void {
    if (!this.has(name)) throw new ModelError(`model "${name}" does not exist in the API`);
    const fresh: Array<[string, object]> = [];
    const pending: Array<[string, string | undefined]> = [[name, undefined]];
    const seen = new Set<string>();
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [model, referrer] = next;
      if (seen.has(model) || this.added.has(model)) continue;
      seen.add(model);
      if (!this.has(model)) {
        throw new ModelError(
          `model "${referrer ?? name}" refers to model "${model}", which does not exist in the API`,
        );
      }
      const references = new Set<string>();
      fresh.push([model, this.normalize(model, references)]);
      for (const target of references) pending.push([target, model]);
    }
    for (const [model, schema] of fresh) {
      if (this.ajv.validateSchema(schema) !== true) {
        throw new ModelError(
          `model "${model}" has an invalid JSON schema: ${this.ajv.errorsText(this.ajv.errors)}`,
        );
      }
    }
    for (const [model, schema] of fresh) {
      this.ajv.addSchema(schema, this.uri(model), undefined, false);
      this.added.add(model);
    }
  }

  private has(name: string): boolean {
    return this.stored.has(name) || Object.hasOwn(BUILT_IN_MODELS, name);
  }

  private uri(name: string): string {
    return `https://apigateway.amazonaws.com/restapis/${this.api.id}/models/${encodeURIComponent(name)}`;
  }

  private parsed(name: string): unknown {
    if (!this.stored.has(name)) return BUILT_IN_MODELS[name];
    const schema = this.stored.get(name);
    if (schema === undefined || schema === '') return {};
    if (typeof schema !== 'string') return schema;
    try {
      return JSON.parse(schema) as unknown;
    } catch (err) {
      throw new ModelError(`model "${name}" has a schema that is not valid JSON: ${reason(err)}`);
    }
  }

  // A copy of the model's schema in the form ajv is given: every $ref absolute (so a subschema
  // compiled on its own still resolves), `id` and `$schema` dropped (every model is draft 4, and
  // ids would collide between models), `nullable` dropped (an OpenAPI keyword ajv would act on),
  // and `type` beside a $ref dropped (draft 4 ignores the siblings of $ref; ajv would still
  // check `type`).
  private normalize(name: string, references: Set<string>): object {
    const root = this.parsed(name);
    if (!isObject(root)) throw new ModelError(`model "${name}" has a schema that is not a JSON object`);
    const rewrite = (ref: string): string => {
      const aws = AWS_MODEL_URL.exec(ref);
      if (aws) {
        const target = decodeURIComponent(aws[1]!);
        references.add(target);
        return this.uri(target) + (aws[2] ?? '');
      }
      if (!ref.startsWith('#')) {
        throw new ModelError(
          `model "${name}" has a $ref "${ref}" that is neither a model of the API nor inside the model`,
        );
      }
      const pointer = decodeURIComponent(ref.slice(1));
      const prefix = IMPORT_PREFIXES.find((p) => pointer.startsWith(p));
      if (prefix && resolvePointer(root, pointer) === undefined) {
        const rest = pointer.slice(prefix.length);
        const slash = rest.indexOf('/');
        const target = unescapeToken(slash < 0 ? rest : rest.slice(0, slash));
        if (!this.has(target)) {
          throw new ModelError(
            `model "${name}" refers to model "${target}", which does not exist in the API`,
          );
        }
        references.add(target);
        return this.uri(target) + (slash < 0 ? '' : `#${rest.slice(slash)}`);
      }
      return this.uri(name) + ref;
    };
    return normalizeSchema(root, rewrite) as object;
  }
}

class ModelError extends Error {}

function newAjv(): Ajv {
  const ajv = new AjvDraft04.default({
    allErrors: true,
    verbose: true,
    strict: false,
    logger: false,
    ignoreKeywordsWithRef: true,
    // AWS runs patterns as ECMA 262 regexes without the unicode flag.
    unicodeRegExp: false,
    // AWS compares decimals exactly, so 0.3 is a multiple of 0.1; binary floats need slack.
    multipleOfPrecision: 9,
  });
  // The draft-4 meta-schema is compiled now, with ajv's own combinators, because the ones
  // installed below compile their subschemas through ajv, which validates them against it.
  ajv.getSchema('http://json-schema.org/draft-04/schema');
  // ajv knows these from later drafts; draft 4, and so AWS, ignores them.
  for (const keyword of ['const', 'contains', 'propertyNames', 'if', 'then', 'else']) {
    ajv.removeKeyword(keyword);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf', 'not'] as const) {
    ajv.removeKeyword(keyword);
    ajv.addKeyword(summaryKeyword(keyword));
  }
  for (const [name, format] of Object.entries(FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate: format.validate });
  }
  return ajv;
}

// AWS reports a failed combinator as one line counting the subschemas that matched, never the
// failures inside them; ajv's own combinators would list those. Each subschema is compiled here,
// once, as a schema of its own.
function summaryKeyword(keyword: 'allOf' | 'anyOf' | 'oneOf' | 'not'): FuncKeywordDefinition {
  return {
    keyword,
    schemaType: keyword === 'not' ? 'object' : 'array',
    errors: true,
    compile(schema: unknown, _parent: AnySchemaObject, it): DataValidateFunction {
      const branches = (keyword === 'not' ? [schema] : (schema as unknown[])).map((branch) =>
        it.self.compile(branch as AnySchemaObject),
      );
      const total = branches.length;
      const check: DataValidateFunction = (data: unknown) => {
        let matched = 0;
        for (const branch of branches) {
          if (branch(data)) {
            matched++;
            if (keyword === 'anyOf') return true;
          }
        }
        const message = combinatorFailure(keyword, matched, total);
        if (message === undefined) return true;
        check.errors = [{ keyword, params: { matched, nrSchemas: total }, message }];
        return false;
      };
      return check;
    },
  };
}

function combinatorFailure(keyword: string, matched: number, total: number): string | undefined {
  switch (keyword) {
    case 'allOf':
      return matched === total
        ? undefined
        : `instance failed to match all required schemas (matched only ${matched} out of ${total})`;
    case 'anyOf':
      return matched > 0 ? undefined : `instance failed to match at least one required schema among ${total}`;
    case 'oneOf':
      return matched === 1
        ? undefined
        : `instance failed to match exactly one schema (matched ${matched} out of ${total})`;
    default:
      return matched === 0 ? undefined : 'instance matched a schema which it should not have';
  }
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'items']);
const SCHEMA_VALUES = new Set(['not', 'items', 'additionalItems', 'additionalProperties']);

function normalizeSchema(node: unknown, rewrite: (ref: string) => string): unknown {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'nullable' || (key === 'id' && typeof value === 'string')) continue;
    if (key === '$ref' && typeof value === 'string') define(out, key, rewrite(value));
    else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) define(map, name, normalizeSchema(sub, rewrite));
      define(out, key, map);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      define(
        out,
        key,
        value.map((sub) => normalizeSchema(sub, rewrite)),
      );
    } else if (SCHEMA_VALUES.has(key)) define(out, key, normalizeSchema(value, rewrite));
    else define(out, key, value);
  }
  if (typeof out.$ref === 'string') delete out.type;
  return out;
}

// Property names come from the user's JSON, and "__proto__" must stay a plain key.
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function resolvePointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of pointer.split('/').slice(1)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    const key = unescapeToken(token);
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
