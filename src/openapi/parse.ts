// Reading an OpenAPI file, YAML or JSON. Syntax errors name `file:line:column` so an editor
// can jump straight to them.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument as parseYaml, visit, type Document } from 'yaml';
import { OpenApiError } from './errors.js';
import { findJsonSyntaxProblem } from './json-syntax.js';

/** Parses `text` as JSON (a `.json` file, or text starting with `{` or `[`) or else as YAML. */
export function parseDocument(text: string, fileName: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return looksLikeJson(body, fileName) ? parseJson(body, fileName) : parseYamlText(body, fileName);
}

/** Reads and parses the file at `path`; a missing or unreadable file is an OpenApiError. */
export async function loadDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new OpenApiError(`${path}: cannot read the OpenAPI file: ${reason}`);
  }
  return parseDocument(text, path);
}

function looksLikeJson(text: string, fileName: string): boolean {
  if (/\.json$/i.test(fileName)) return true;
  if (/\.ya?ml$/i.test(fileName)) return false;
  return /^\s*[{[]/.test(text);
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const problem = findJsonSyntaxProblem(text) ?? { offset: 0, reason: (error as Error).message };
    const { line, col } = positionOf(text, problem.offset);
    throw new OpenApiError(`${fileName}:${line}:${col}: invalid JSON: ${problem.reason}`);
  }
}

function parseYamlText(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseYaml(text, { lineCounter, prettyErrors: false });
  const error = document.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new OpenApiError(`${fileName}:${line}:${col}: invalid YAML: ${error.message}`);
  }
  const unresolved = unresolvedAlias(document);
  if (unresolved) {
    const { line, col } = lineCounter.linePos(unresolved.offset);
    throw new OpenApiError(
      `${fileName}:${line}:${col}: invalid YAML: alias *${unresolved.name} names no anchor before it`,
    );
  }
  try {
    return document.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (cause) {
    throw new OpenApiError(`${fileName}:1:1: invalid YAML: ${(cause as Error).message}`);
  }
}

// The parser accepts an alias to an unknown anchor; only toJS would fail, without a position.
function unresolvedAlias(document: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(document, {
    Alias(_key, node) {
      if (node.resolve(document) !== undefined) return undefined;
      found = { name: node.source, offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
