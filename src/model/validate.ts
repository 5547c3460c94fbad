// Model validation: every error names the offending field as a JSON pointer and says what is allowed.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema, Static } from '@sinclair/typebox';

// verbose: errors carry their schema, so a refused property name can say which names are allowed.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new WeakMap<TSchema, ValidateFunction>();

export class ModelValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ModelValidationError';
  }
}

export function describeError(error: ErrorObject, prefix = ''): string {
  const pointer = prefix + error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${pointer}: missing required field "${String(params.missingProperty)}"`;
    case 'const':
      return `${pointer}: must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${pointer}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const patterns = Object.keys(
        (error.parentSchema as { patternProperties?: object } | undefined)?.patternProperties ?? {},
      );
      const allowed =
        patterns.length > 0
          ? `names must match ${patterns.join(' or ')}`
          : 'this field is not part of the model';
      return `${prefix + error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}: not allowed; ${allowed}`;
    }
    default:
      return `${pointer}: ${error.message ?? 'is invalid'}`;
  }
}

/** Collapse a union's per-branch literal errors into one "must be one of" line. */
function summarize(errors: ErrorObject[], prefix: string): string[] {
  const literalsByPath = new Map<string, unknown[]>();
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'const') {
      const list = literalsByPath.get(error.instancePath) ?? [];
      list.push((error.params as { allowedValue: unknown }).allowedValue);
      literalsByPath.set(error.instancePath, list);
    } else if (error.keyword !== 'anyOf') {
      lines.push(describeError(error, prefix));
    }
  }
  for (const [path, values] of literalsByPath) {
    lines.push(`${prefix + path || '/'}: must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return [...new Set(lines)];
}

/** Problems found in `value` against `schema`, each as `pointer: what is allowed`; empty when valid. */
export function problemsOf(schema: TSchema, value: unknown, prefix = ''): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value) ? [] : summarize(validate.errors ?? [], prefix);
}

export function assertValid<T extends TSchema>(
  schema: T,
  value: unknown,
  prefix = '',
): asserts value is Static<T> {
  const problems = problemsOf(schema, value, prefix);
  if (problems.length > 0) throw new ModelValidationError(problems);
}
