// The one error type the template engine throws, so callers can map every failure to a
// gateway response (AWS answers a failed mapping template with a 500) without guessing.

export type TemplateErrorKind = 'syntax' | 'limit' | 'runtime';

export interface TemplatePosition {
  readonly line: number;
  readonly column: number;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly kind: TemplateErrorKind;
  /** 1-based line in the template source, when the failure can be tied to one. */
  readonly line: number | undefined;
  /** 1-based column in the template source. */
  readonly column: number | undefined;
  /** The message without the position suffix, to re-wrap an error at a better position. */
  readonly detail: string;

  constructor(kind: TemplateErrorKind, detail: string, position?: TemplatePosition, cause?: unknown) {
    super(
      position ? `${detail} (line ${position.line}, column ${position.column})` : detail,
      cause === undefined ? undefined : { cause },
    );
    this.kind = kind;
    this.detail = detail;
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** Gives a position to an error raised deep in a value operation, which has none of its own. */
export function atPosition(error: TemplateError, position: TemplatePosition): TemplateError {
  if (error.line !== undefined) return error;
  return new TemplateError(error.kind, error.detail, position, error.cause);
}

export function limitError(detail: string): TemplateError {
  return new TemplateError('limit', detail);
}

export function runtimeError(detail: string): TemplateError {
  return new TemplateError('runtime', detail);
}
