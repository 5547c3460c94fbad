// A method response as the stage cache keeps it, and the byte layout both stores share, so a
// Redis entry written by one node is read by every other.
import type { MethodResponse } from '../../dataplane/context.js';

/** The largest response body API Gateway caches: 1,048,576 bytes. */
export const MAX_CACHED_BODY_BYTES = 1_048_576;

export interface CachedResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** When the entry stops answering, on the stage cache's clock (ms since the epoch). */
  expiresAt: number;
}

/** A hit answers with a copy of the headers: later steps (compression, CORS) may change them. */
export function responseOf(entry: CachedResponse): MethodResponse {
  return { statusCode: entry.statusCode, headers: { ...entry.headers }, body: entry.body };
}

/** What an entry counts against the stage's capacity: body, headers and a fixed overhead. */
export function entryBytes(entry: CachedResponse): number {
  let bytes = 64 + entry.body.length;
  for (const name in entry.headers) {
    const value = entry.headers[name]!;
    bytes += name.length + (Array.isArray(value) ? value.join(', ').length : value.length);
  }
  return bytes;
}

interface Meta {
  s: number;
  h: Record<string, string | string[]>;
  x: number;
}

// [4-byte length of the JSON head][JSON head: status, headers, expiry][body bytes]
export function encodeEntry(entry: CachedResponse): Buffer {
  const meta: Meta = { s: entry.statusCode, h: entry.headers, x: entry.expiresAt };
  const head = Buffer.from(JSON.stringify(meta));
  const out = Buffer.allocUnsafe(4 + head.length + entry.body.length);
  out.writeUInt32BE(head.length, 0);
  head.copy(out, 4);
  entry.body.copy(out, 4 + head.length);
  return out;
}

/** Undefined for bytes that are not an entry (another writer's key, a truncated value). */
export function decodeEntry(bytes: Buffer): CachedResponse | undefined {
  if (bytes.length < 4) return undefined;
  const headLength = bytes.readUInt32BE(0);
  if (4 + headLength > bytes.length) return undefined;
  try {
    const meta = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Partial<Meta>;
    if (typeof meta.s !== 'number' || typeof meta.x !== 'number' || typeof meta.h !== 'object' || !meta.h)
      return undefined;
    return { statusCode: meta.s, headers: meta.h, expiresAt: meta.x, body: bytes.subarray(4 + headLength) };
  } catch {
    return undefined;
  }
}
