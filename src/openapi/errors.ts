// Every problem Gatehouse finds in an OpenAPI file, each line naming where it is: a
// `file:line:column` for syntax, a JSON pointer into the document for content.

export class OpenApiError extends Error {
  override name = 'OpenApiError';
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'));
    this.problems = list;
  }
}
