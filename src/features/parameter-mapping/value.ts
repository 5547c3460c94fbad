// Parses an HTTP API mapping value ("$request.header.x", "${context.requestId} and text", a
// static string) into literal and source parts, once at deploy time. Two spellings exist: the
// bare `$request.path.id`, which ends at the first character that cannot belong to a name, and
// the braced `${request.path.id}`, which ends at `}`.

export type Side = 'request' | 'response';

/** A name (`.pets`, `['a b']`) or an array index (`[0]`) in a body selection. */
export type JsonSegment = string | number;

export type Part =
  | { kind: 'literal'; text: string }
  | { kind: 'requestHeader'; name: string }
  | { kind: 'querystring'; name: string }
  | { kind: 'requestPath' }
  | { kind: 'pathParameter'; name: string }
  /** `path` null reads the whole body; otherwise a JSON selection. */
  | { kind: 'requestBody'; path: JsonSegment[] | null }
  | { kind: 'responseHeader'; name: string }
  | { kind: 'responseBody'; path: JsonSegment[] | null }
  /** `name` is the whole dotted name; `path` the same split at dots. */
  | { kind: 'context'; name: string; path: string[] }
  | { kind: 'stageVariable'; name: string };

export type ParsedValue = { parts: Part[] } | { problem: string };

const REQUEST_SOURCES =
  '$request.header.NAME, $request.querystring.NAME, $request.body[.JSONPath], $request.path[.NAME]';
const RESPONSE_SOURCES = '$response.header.NAME, $response.body[.JSONPath]';

/** Characters of a bare name; anything else (space, '/', '$', …) ends it. */
const NAME_CHAR = /[A-Za-z0-9_.-]/;
/** Stage variable names are limited to these on AWS. */
const STAGE_VARIABLE_CHAR = /[A-Za-z0-9_]/;
/** A bare JSON name segment stops at dots as well, since they separate segments. */
const JSON_NAME_CHAR = /[A-Za-z0-9_-]/;

export function sourcesFor(side: Side): string {
  return `${side === 'request' ? REQUEST_SOURCES : RESPONSE_SOURCES}, $context.NAME, $stageVariables.NAME or \${...} of those, mixed with static text`;
}

export function parseValue(text: string, side: Side): ParsedValue {
  if (/[\r\n\0]/.test(text)) return { problem: 'must not contain line breaks or NUL characters' };
  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push({ kind: 'literal', text: literal });
    literal = '';
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end < 0) return { problem: `"\${" at offset ${i} has no closing "}"` };
      const parsed = bracedSource(text.slice(i + 2, end), side);
      if (typeof parsed === 'string') return { problem: parsed };
      flush();
      parts.push(parsed);
      i = end + 1;
      continue;
    }
    if (text[i] === '$') {
      const parsed = bareSource(text, i, side);
      if (typeof parsed === 'string') return { problem: parsed };
      if (parsed !== null) {
        flush();
        parts.push(parsed.part);
        i = parsed.end;
        continue;
      }
    }
    literal += text[i]!;
    i++;
  }
  flush();
  return { parts };
}

/** True when a part reads a body, so the caller has to buffer it. */
export function readsBody(part: Part): boolean {
  return part.kind === 'requestBody' || part.kind === 'responseBody';
}

function bracedSource(inner: string, side: Side): Part | string {
  const part = sourceOf(inner);
  if (part === null)
    return `"\${${inner}}" must name one of ${sourcesFor(side)} (without the "$" inside the braces)`;
  return typeof part === 'string' ? part : checkSide(part, side, `\${${inner}}`);
}

/** `inner` is the text inside `${...}`; a name there may hold any character but `}`. */
function sourceOf(inner: string): Part | string | null {
  const named = (prefix: string): string | null =>
    inner.startsWith(prefix) ? inner.slice(prefix.length) : null;
  let name: string | null;
  if ((name = named('request.header.')) !== null)
    return nonEmpty(name, { kind: 'requestHeader', name: name.toLowerCase() });
  if ((name = named('request.querystring.')) !== null) return nonEmpty(name, { kind: 'querystring', name });
  if (inner === 'request.path') return { kind: 'requestPath' };
  if ((name = named('request.path.')) !== null) return nonEmpty(name, { kind: 'pathParameter', name });
  if ((name = named('response.header.')) !== null)
    return nonEmpty(name, { kind: 'responseHeader', name: name.toLowerCase() });
  if ((name = named('context.')) !== null) return nonEmpty(name, contextPart(name));
  if ((name = named('stageVariables.')) !== null) return nonEmpty(name, { kind: 'stageVariable', name });
  for (const [prefix, kind] of [
    ['request.body', 'requestBody'],
    ['response.body', 'responseBody'],
  ] as const) {
    const rest = named(prefix);
    if (rest === null) continue;
    if (rest === '') return { kind, path: null };
    const selection = jsonPath(rest, 0, true);
    if (typeof selection === 'string') return selection;
    if (selection.end !== rest.length) return `"${prefix}${rest}" is not a supported JSON path`;
    return { kind, path: selection.segments };
  }
  return null;
}

function nonEmpty(name: string, part: Part): Part | string {
  return name === '' ? 'a name must follow the last "."' : part;
}

function contextPart(name: string): Part {
  return { kind: 'context', name, path: name.split('.') };
}

/** Null when the '$' is plain text (`$1`, `$context` with no name); a problem when it is a broken source. */
function bareSource(text: string, at: number, side: Side): { part: Part; end: number } | string | null {
  const after = (prefix: string) => (text.startsWith(prefix, at) ? at + prefix.length : -1);
  let start: number;
  if ((start = after('$request.header.')) >= 0) {
    return named(
      text,
      start,
      NAME_CHAR,
      '$request.header.',
      (name) => ({ kind: 'requestHeader', name: name.toLowerCase() }),
      side,
    );
  }
  if ((start = after('$request.querystring.')) >= 0) {
    return named(
      text,
      start,
      NAME_CHAR,
      '$request.querystring.',
      (name) => ({ kind: 'querystring', name }),
      side,
    );
  }
  if ((start = after('$request.body')) >= 0) return bareBody(text, start, 'requestBody', side);
  if ((start = after('$request.path')) >= 0) {
    const end = nameEnd(text, start + 1, NAME_CHAR);
    if (text[start] === '.' && end > start + 1) {
      return checkBare(
        { kind: 'pathParameter', name: text.slice(start + 1, end) },
        end,
        side,
        text.slice(at, end),
      );
    }
    return checkBare({ kind: 'requestPath' }, start, side, '$request.path');
  }
  if ((start = after('$response.header.')) >= 0) {
    return named(
      text,
      start,
      NAME_CHAR,
      '$response.header.',
      (name) => ({ kind: 'responseHeader', name: name.toLowerCase() }),
      side,
    );
  }
  if ((start = after('$response.body')) >= 0) return bareBody(text, start, 'responseBody', side);
  if ((start = after('$context.')) >= 0) return named(text, start, NAME_CHAR, '$context.', contextPart, side);
  if ((start = after('$stageVariables.')) >= 0) {
    return named(
      text,
      start,
      STAGE_VARIABLE_CHAR,
      '$stageVariables.',
      (name) => ({ kind: 'stageVariable', name }),
      side,
    );
  }
  if (text.startsWith('$request.', at) || text.startsWith('$response.', at)) {
    return `"${text.slice(at, nameEnd(text, at + 1, NAME_CHAR))}" must be one of ${sourcesFor(side)}`;
  }
  return null;
}

function named(
  text: string,
  start: number,
  chars: RegExp,
  prefix: string,
  make: (name: string) => Part,
  side: Side,
): { part: Part; end: number } | string {
  const end = nameEnd(text, start, chars);
  if (end === start) return `"${prefix}" must be followed by a name`;
  return checkBare(make(text.slice(start, end)), end, side, prefix + text.slice(start, end));
}

function bareBody(text: string, start: number, kind: 'requestBody' | 'responseBody', side: Side) {
  const source = kind === 'requestBody' ? '$request.body' : '$response.body';
  const selection = jsonPath(text, start, false);
  if (typeof selection === 'string') return `${source}: ${selection}`;
  const part: Part = { kind, path: selection.segments.length === 0 ? null : selection.segments };
  return checkBare(part, selection.end, side, source);
}

/** Where a bare name ends; a trailing '.' is left as text, so "$context.stage." reads `stage`. */
function nameEnd(text: string, start: number, chars: RegExp): number {
  let end = start;
  while (end < text.length && chars.test(text[end]!)) end++;
  while (end > start && text[end - 1] === '.') end--;
  return end;
}

function checkBare(part: Part, end: number, side: Side, shown: string): { part: Part; end: number } | string {
  const checked = checkSide(part, side, shown);
  return typeof checked === 'string' ? checked : { part: checked, end };
}

function checkSide(part: Part, side: Side, shown: string): Part | string {
  const requestOnly =
    part.kind === 'requestHeader' || part.kind === 'querystring' || part.kind === 'requestBody';
  const isRequestPath = part.kind === 'requestPath' || part.kind === 'pathParameter';
  const responseOnly = part.kind === 'responseHeader' || part.kind === 'responseBody';
  if (side === 'response' && (requestOnly || isRequestPath)) {
    return `"${shown}" cannot be used in response parameters; use one of ${sourcesFor('response')}`;
  }
  if (side === 'request' && responseOnly) {
    return `"${shown}" cannot be used in request parameters; use one of ${sourcesFor('request')}`;
  }
  return part;
}

/**
 * The simple JSONPath API Gateway evaluates: `.name`, `['name']`, `["name"]` and `[index]`.
 * Braced values (`whole`) allow any character but '.', '[' and ']' in a dotted name.
 */
function jsonPath(
  text: string,
  start: number,
  whole: boolean,
): { segments: JsonSegment[]; end: number } | string {
  const segments: JsonSegment[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (text[i + 1] === '.') return 'recursive descent ("..") is not supported';
      if (text[i + 1] === '*') return 'wildcards ("*") are not supported';
      let end = i + 1;
      if (whole) while (end < text.length && !'.[]'.includes(text[end]!)) end++;
      else while (end < text.length && JSON_NAME_CHAR.test(text[end]!)) end++;
      if (end === i + 1) {
        if (whole) return 'a name must follow each "."';
        break;
      }
      segments.push(text.slice(i + 1, end));
      i = end;
    } else if (c === '[') {
      const close = bracketEnd(text, i);
      if (close < 0) return `"[" at offset ${i} has no closing "]"`;
      const segment = bracketSegment(text.slice(i + 1, close));
      if (typeof segment === 'string') return segment;
      segments.push(segment.value);
      i = close + 1;
    } else {
      if (whole) return `"${text.slice(i)}" is not a supported JSON path (use .name, ['name'] or [index])`;
      break;
    }
  }
  return { segments, end: i };
}

/** The closing ']' of a bracket, skipping one inside a quoted name. */
function bracketEnd(text: string, open: number): number {
  const quote = text[open + 1];
  if (quote === "'" || quote === '"') {
    const closeQuote = text.indexOf(quote, open + 2);
    return closeQuote < 0 ? -1 : text.indexOf(']', closeQuote);
  }
  return text.indexOf(']', open);
}

function bracketSegment(inner: string): { value: JsonSegment } | string {
  const trimmed = inner.trim();
  if (/^-?[0-9]+$/.test(trimmed)) return { value: Number(trimmed) };
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(trimmed);
  if (quoted) return { value: quoted[1] ?? quoted[2] ?? '' };
  if (trimmed.startsWith('?')) return 'filter expressions ("[?(...)]") are not supported';
  return `"[${inner}]" is not supported; use ['name'] or [index]`;
}
