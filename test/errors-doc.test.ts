// docs/errors.md is held to the gateway response catalogue: every type, with its status,
// message and x-amzn-ErrorType, and nothing else.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSE_TYPES } from '../src/dataplane/gateway-responses.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\|\s*([A-Z][A-Z0-9_]+)\s*\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|\s*([A-Za-z]+)\s*\|$/gm)].map(
    (m) => [m[1]!, { status: Number(m[2]), message: m[3]!.trim(), errorType: m[4]! }],
  ),
);

describe('docs/errors.md', () => {
  it('lists all 21 gateway response types and nothing else', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(GATEWAY_RESPONSE_TYPES).sort());
    expect(rows.size).toBe(21);
  });

  it.each(Object.entries(GATEWAY_RESPONSE_TYPES))(
    'documents %s as the catalogue defines it',
    (type, entry) => {
      expect(rows.get(type)).toEqual({
        status: entry.status,
        message: entry.message ?? 'null',
        errorType: entry.errorType,
      });
    },
  );
});
