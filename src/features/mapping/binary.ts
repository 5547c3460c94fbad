// Content handling: the CONVERT_TO_TEXT / CONVERT_TO_BINARY conversions between binary payloads
// and base64 text. Which payloads are binary is decided by lambda-proxy/media-types.ts.
import type { CONTENT_HANDLING } from '../../model/rest-api.js';

export type ContentHandling = (typeof CONTENT_HANDLING)[number];

/** Applies a conversion; `binary` says whether the payload is binary to begin with. */
export function convert(body: Buffer, binary: boolean, handling: ContentHandling | undefined): Buffer {
  if (handling === 'CONVERT_TO_TEXT' && binary) return Buffer.from(body.toString('base64'));
  if (handling === 'CONVERT_TO_BINARY' && !binary) return Buffer.from(body.toString('utf8'), 'base64');
  return body;
}
