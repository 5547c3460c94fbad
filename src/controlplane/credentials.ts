// The credentials that may sign management requests. From GATEHOUSE_ADMIN_CREDENTIALS or the
// config file (`KEY:SECRET[,KEY2:SECRET2]`); with neither, Gatehouse generates a pair on first
// start and keeps it in the data directory, readable by its owner only. The management API
// never runs without authentication.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AdminCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

export const CREDENTIALS_FILE_NAME = 'admin-credentials';
export const CREDENTIALS_ENV = 'GATEHOUSE_ADMIN_CREDENTIALS';

/** Parses `KEY:SECRET[,KEY2:SECRET2]`; throws naming the bad entry's position, never its secret. */
export function parseCredentials(text: string, source: string): AdminCredential[] {
  const credentials: AdminCredential[] = [];
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const accessKeyId = colon === -1 ? '' : entry.slice(0, colon);
    const secretAccessKey = colon === -1 ? '' : entry.slice(colon + 1);
    if (!/^[A-Za-z0-9_+=,.@-]{1,128}$/.test(accessKeyId) || secretAccessKey.length === 0) {
      throw new Error(
        `${source}: credential ${index + 1} must be written ACCESS_KEY_ID:SECRET_ACCESS_KEY ` +
          '(key id: letters, digits and _+=,.@-)',
      );
    }
    credentials.push({ accessKeyId, secretAccessKey });
  }
  if (credentials.length === 0) throw new Error(`${source}: no credentials given`);
  return credentials;
}

export interface ResolvedCredentials {
  credentials: AdminCredentials;
  /** Where they came from, for the startup message. */
  source: 'environment' | 'config file' | 'data directory' | 'generated';
  file?: string;
}

/** A pair shaped like AWS's: a 20-character key id starting with GH, a 40-character secret. */
export function generateCredential(): AdminCredential {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let accessKeyId = 'GH';
  for (const byte of randomBytes(18)) accessKeyId += alphabet[byte % alphabet.length];
  const secretAccessKey = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
  return { accessKeyId, secretAccessKey };
}

/** Writes the file with mode 0600 (and its directory 0700 when created). */
export function writeCredentialsFile(file: string, credentials: AdminCredential[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const text = credentials.map((c) => `${c.accessKeyId}:${c.secretAccessKey}`).join('\n') + '\n';
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The key ids and secrets that may sign requests. A file source is re-read when an unknown key id arrives, so `gatehouse credentials --rotate` takes effect without a restart. */
export class AdminCredentials {
  private byId: Map<string, string>;
  private lastReload = 0;

  constructor(
    credentials: AdminCredential[],
    private readonly file?: string,
  ) {
    this.byId = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  secretFor(accessKeyId: string): string | undefined {
    const secret = this.byId.get(accessKeyId);
    if (secret !== undefined || this.file === undefined) return secret;
    const now = Date.now();
    if (now - this.lastReload < 1000) return undefined;
    this.lastReload = now;
    try {
      const credentials = parseCredentials(readFileSync(this.file, 'utf8'), this.file);
      this.byId = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
    } catch {
      // Keep the credentials already loaded: a half-written or removed file must not lock everyone out.
    }
    return this.byId.get(accessKeyId);
  }

  get accessKeyIds(): string[] {
    return [...this.byId.keys()];
  }
}

/**
 * Environment first, then the config file's `adminCredentials`, then the data directory's
 * file, which is created with a new pair when missing.
 */
export function resolveAdminCredentials(opts: {
  env?: NodeJS.ProcessEnv;
  configured?: string | undefined;
  dataDir: string;
}): ResolvedCredentials {
  const fromEnv = (opts.env ?? process.env)[CREDENTIALS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return {
      credentials: new AdminCredentials(parseCredentials(fromEnv, CREDENTIALS_ENV)),
      source: 'environment',
    };
  }
  if (opts.configured !== undefined) {
    return {
      credentials: new AdminCredentials(parseCredentials(opts.configured, 'config file adminCredentials')),
      source: 'config file',
    };
  }
  const file = join(opts.dataDir, CREDENTIALS_FILE_NAME);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    return {
      credentials: new AdminCredentials(parseCredentials(text, file), file),
      source: 'data directory',
      file,
    };
  }
  const generated = generateCredential();
  writeCredentialsFile(file, [generated]);
  return { credentials: new AdminCredentials([generated], file), source: 'generated', file };
}
