// Deploy-time checks of an integration's requestParameters and responseParameters, reported as
// "pointer: what is allowed" lines in the form the rest of Gatehouse uses. AWS rejects the same
// configurations with BadRequestException "Invalid mapping expression specified: Validation
// Result: warnings : [], errors : [...]".
import { parseRequestEntry, parseResponseEntry, statusKeyProblem } from './entries.js';

export class ParameterMappingError extends Error {
  override name = 'ParameterMappingError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export function parameterMappingProblems(
  requestParameters: unknown,
  responseParameters: unknown,
  pointer: string,
): string[] {
  return [
    ...requestParameterProblems(requestParameters, `${pointer}/requestParameters`),
    ...responseParameterProblems(responseParameters, `${pointer}/responseParameters`),
  ];
}

export function requestParameterProblems(parameters: unknown, at: string): string[] {
  if (parameters === undefined || parameters === null) return [];
  if (!isRecord(parameters)) return [`${at}: must be an object of mapping keys to values`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    const parsed = parseRequestEntry(key, value);
    if (typeof parsed === 'string') problems.push(`${at}/${escapeSegment(key)}: ${parsed}`);
  }
  return problems;
}

export function responseParameterProblems(parameters: unknown, at: string): string[] {
  if (parameters === undefined || parameters === null) return [];
  if (!isRecord(parameters)) return [`${at}: must be an object keyed by status code`];
  const problems: string[] = [];
  for (const [status, mapping] of Object.entries(parameters)) {
    const where = `${at}/${escapeSegment(status)}`;
    const keyProblem = statusKeyProblem(status);
    if (keyProblem !== null) problems.push(`${where}: ${keyProblem}`);
    if (!isRecord(mapping)) {
      problems.push(`${where}: must be an object of mapping keys to values`);
      continue;
    }
    for (const [key, value] of Object.entries(mapping)) {
      const parsed = parseResponseEntry(key, value);
      if (typeof parsed === 'string') problems.push(`${where}/${escapeSegment(key)}: ${parsed}`);
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 6901, so a key such as "overwrite:header.a/b" still names one place. */
function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
