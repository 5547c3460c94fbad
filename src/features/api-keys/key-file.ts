// AWS's API key file format (ImportApiKeys, format=csv): a header row naming the columns, in
// any order and any letter case, of which Name and Key are required and Description, Enabled
// and UsagePlanIds optional; other columns are ignored. Enabled defaults to true, Description
// to empty. Several plan ids share one field, comma-separated inside double or single quotes:
// `"c7y23b,glvrsr"`. A key value seen again replaces the earlier row (keys are identified by value).
import { apiKeyFieldProblem } from '../../model/usage-plans.js';

export interface KeyFileEntry {
  /** 1-based line of the row in the file, for messages. */
  line: number;
  /** Absent when the Name field is empty. */
  name?: string;
  value: string;
  /** Absent when the Description field is empty or the column is missing. */
  description?: string;
  enabled: boolean;
  usagePlanIds: string[];
}

export interface KeyFile {
  entries: KeyFileEntry[];
  /** One line per row that was skipped, naming its line and what is wrong with it. */
  warnings: string[];
}

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

interface Row {
  line: number;
  fields: string[];
}

/** Reads the file's rows. Fields are trimmed unless quoted; blank lines are skipped. */
function parseRows(text: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = (): void => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRow = (): void => {
    endField();
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const char = text[i]!;
    if ((char === '"' || char === "'") && field.trim() === '' && !quoted) {
      // A quoted field: up to the matching quote; a doubled quote stands for one.
      const close = char;
      field = '';
      quoted = true;
      i += 1;
      for (;;) {
        if (i >= text.length) throw new KeyFileError(`line ${rowLine}: a quoted field is never closed`);
        const c = text[i]!;
        if (c === close) {
          if (text[i + 1] === close) {
            field += close;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        field += c;
        i += 1;
      }
      // Anything but spaces between the closing quote and the next separator is an error.
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i += 1;
      if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw new KeyFileError(`line ${line}: unexpected text after a quoted field`);
      }
      continue;
    }
    if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += char;
    }
    i += 1;
  }
  if (field !== '' || quoted || fields.length > 0) endRow();
  return rows;
}

const COLUMNS = ['name', 'key', 'description', 'enabled', 'usageplanids'] as const;
type Column = (typeof COLUMNS)[number];

function columnsOf(header: Row): Map<Column, number> {
  const columns = new Map<Column, number>();
  header.fields.forEach((raw, index) => {
    const name = raw.toLowerCase() as Column;
    if (!COLUMNS.includes(name)) return;
    if (columns.has(name)) throw new KeyFileError(`line ${header.line}: the column ${raw} appears twice`);
    columns.set(name, index);
  });
  const missing = (['name', 'key'] as const).filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw new KeyFileError(
      `the header row must name the columns Name and Key (in any order and letter case); ` +
        `missing ${missing.map((column) => (column === 'name' ? 'Name' : 'Key')).join(' and ')}`,
    );
  }
  return columns;
}

/**
 * Parses an API key file. Problems with the file as a whole throw KeyFileError; a row that
 * cannot be imported becomes a warning and is left out, as ImportApiKeys does without
 * failOnWarnings.
 */
export function parseKeyFile(text: string): KeyFile {
  const rows = parseRows(text);
  const header = rows[0];
  if (header === undefined)
    throw new KeyFileError('the file is empty; it needs a header row such as Name,Key');
  const columns = columnsOf(header);
  const field = (row: Row, column: Column): string => {
    const index = columns.get(column);
    return index === undefined ? '' : (row.fields[index] ?? '');
  };
  const byValue = new Map<string, KeyFileEntry>();
  const warnings: string[] = [];
  for (const row of rows.slice(1)) {
    const value = field(row, 'key');
    const name = field(row, 'name');
    const description = field(row, 'description');
    const problem =
      value === '' ? 'the Key field is empty' : apiKeyFieldProblem({ value, name, description });
    const enabledText = field(row, 'enabled').toLowerCase();
    if (problem !== undefined) {
      warnings.push(`line ${row.line}: ${problem}`);
      continue;
    }
    if (enabledText !== '' && enabledText !== 'true' && enabledText !== 'false') {
      warnings.push(`line ${row.line}: Enabled must be true or false, not "${field(row, 'enabled')}"`);
      continue;
    }
    const entry: KeyFileEntry = {
      line: row.line,
      value,
      enabled: enabledText !== 'false',
      usagePlanIds: [
        ...new Set(
          field(row, 'usageplanids')
            .split(',')
            .map((id) => id.trim())
            .filter((id) => id !== ''),
        ),
      ],
    };
    if (name !== '') entry.name = name;
    if (description !== '') entry.description = description;
    // The most recent row for a value wins; delete first so the order follows the file.
    byValue.delete(value);
    byValue.set(value, entry);
  }
  return { entries: [...byValue.values()], warnings };
}
