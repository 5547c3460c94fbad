// Content handling: the CONVERT_TO_TEXT / CONVERT_TO_BINARY conversions between binary payloads
// and base64 text, for requests and for integration responses. Which payloads are binary is
// decided by lambda-proxy/media-types.ts.
import type { CONTENT_HANDLING } from '../../model/rest-api.js';

export type ContentHandling = (typeof CONTENT_HANDLING)[number];

/** Converts a request; `binary` says whether the payload is binary to begin with. */
export function convert(body: Buffer, binary: boolean, handling: ContentHandling | undefined): Buffer {
  if (handling === 'CONVERT_TO_TEXT' && binary) return Buffer.from(body.toString('base64'));
  if (handling === 'CONVERT_TO_BINARY' && !binary) return Buffer.from(body.toString('utf8'), 'base64');
  return body;
}

/**
 * AWS's response conversion table: a binary payload (its Content-Type is one of the API's
 * binaryMediaTypes) becomes base64 text for CONVERT_TO_TEXT, or without contentHandling when
 * the client's first Accept type is not binary; a text payload is base64-decoded for
 * CONVERT_TO_BINARY, or without contentHandling when that Accept type is binary. Anything
 * else passes as it is.
 */
export function responseConversion(
  binaryPayload: boolean,
  binaryAccept: boolean,
  handling: ContentHandling | undefined,
): 'encode' | 'decode' | undefined {
  const wantsText = handling === 'CONVERT_TO_TEXT' || (handling === undefined && !binaryAccept);
  if (binaryPayload) return wantsText ? 'encode' : undefined;
  return wantsText ? undefined : 'decode';
}
