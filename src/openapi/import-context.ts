// State shared by one import: the document being read, and the problems and warnings found,
// each naming a JSON pointer into the document the user gave.
import type { TSchema } from '@sinclair/typebox';
import { problemsOf } from '../model/validate.js';
import { notYetEnforcedWarning, type LaterFeature } from './not-yet-enforced.js';
import { resolveRef } from './refs.js';
import type { JsonObject } from './values.js';

export class ImportContext {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];

  constructor(
    /** The document in OpenAPI 3 shape (a Swagger 2.0 file is upgraded first). */
    readonly doc: JsonObject,
    readonly swagger2: boolean,
  ) {}

  problem(line: string): void {
    this.problems.push(line);
  }

  /** Validates `value` against a document schema; problems are recorded, the result says whether it passed. */
  check(schema: TSchema, value: unknown, at: string): boolean {
    const found = problemsOf(schema, value, at);
    this.problems.push(...found);
    return found.length === 0;
  }

  /** Records a warning for something kept in the API that Gatehouse does not act on yet. */
  notYetEnforced(at: string, feature: LaterFeature, detail?: string): void {
    const line = notYetEnforcedWarning(at, feature, detail);
    if (line !== undefined) this.warn(line);
  }

  warn(line: string): void {
    // The document's own `security` applies to many operations; say so once.
    if (!this.warnings.includes(line)) this.warnings.push(line);
  }

  /** Follows a `$ref`; undefined (and a recorded problem) when it cannot be resolved. */
  resolve(value: unknown, at: string): { value: unknown; pointer: string } | undefined {
    const result = resolveRef(this.doc, value, at);
    if ('problem' in result) {
      this.problems.push(result.problem);
      return undefined;
    }
    return result;
  }

  /** Where a component lives in the user's file: Swagger 2.0 keeps them at the root. */
  componentPointer(kind: 'schemas' | 'securitySchemes'): string {
    if (!this.swagger2) return `/components/${kind}`;
    return kind === 'schemas' ? '/definitions' : '/securityDefinitions';
  }
}
