// wrk Lua scripts, written into the benchmark's temporary directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each connection waits `delayMs` after a response before its next request. */
export function pacingScript(dir, delayMs, connections) {
  const file = join(dir, `pace-${connections}x${delayMs}ms.lua`);
  writeFileSync(
    file,
    `-- Per-connection pacing: a connection waits ${delayMs} ms after each response.
-- The first request of each connection is staggered across one delay period so the
-- ${connections} connections do not fire in lockstep.
local delay_ms = ${delayMs}
local connections = ${connections}
local started = 0

function delay()
  if started < connections then
    started = started + 1
    return math.floor((started - 1) * delay_ms / connections)
  end
  return delay_ms
end
`,
  );
  return file;
}

/** A Lua string literal holding `text`: quotes, backslashes and control characters escaped. */
function luaString(text) {
  let out = '"';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${String(code).padStart(3, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/**
 * Every request is `method` with `body` and `headers` (the URL given to wrk supplies the path).
 *
 * @param {string} dir
 * @param {string} name file name, without .lua
 * @param {{method: string, body?: string, headers?: Record<string, string>}} request
 */
export function requestScript(dir, name, { method, body, headers = {} }) {
  const file = join(dir, `${name}.lua`);
  const lines = [
    `-- Every request: ${method} with a ${body === undefined ? 0 : Buffer.byteLength(body)}-byte body.`,
  ];
  lines.push(`wrk.method = ${luaString(method)}`);
  if (body !== undefined) lines.push(`wrk.body = ${luaString(body)}`);
  for (const [header, value] of Object.entries(headers)) {
    lines.push(`wrk.headers[${luaString(header)}] = ${luaString(value)}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
