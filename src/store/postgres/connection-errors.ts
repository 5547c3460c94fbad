// Telling "PostgreSQL cannot be reached" apart from every other failure, and saying where the
// store is without ever showing its password.
import { StoreUnavailableError } from '../config-store.js';

/** Socket errors that mean the server, or the way to it, is gone. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away, starting, overloaded or too slow: class 08
 * (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), 53300 (too many
 * connections), 57014 (statement timeout) and 25P03 (idle-in-transaction timeout).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25P03']);

/** What node-postgres says when a connection fails or times out; it gives these no code. */
const CLIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'is not queryable',
  'Client was closed',
  'Cannot use a pool after calling end',
];

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

export function isConnectionProblem(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = codeOf(error);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionProblem);
  const message = error instanceof Error ? error.message : '';
  return CLIENT_MESSAGES.some((text) => message.includes(text));
}

/** A plain-language reason, for the store's own message. */
export function reasonOf(error: unknown): string {
  const code = codeOf(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name does not resolve';
    case '57014':
      return 'a statement ran past the statement timeout';
    case '57P01':
    case '57P02':
      return 'the server is shutting down';
    case '57P03':
      return 'the server is starting up';
    case '53300':
      return 'the server has no free connections';
    default:
      break;
  }
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout/i.test(message)) return `no answer in time (${message})`;
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}

export function unavailable(location: string, error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  return new StoreUnavailableError(`Gatehouse config store ${location} is unavailable: ${reasonOf(error)}`, {
    cause: error,
  });
}

/**
 * The URL as it may be shown: scheme, user, host, port and database, without the password
 * or query parameters (which may hold one too).
 */
export function safeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${parsed.username}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
