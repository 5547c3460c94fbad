// A client for the response server. node:http rather than undici here, because the tests look at
// header lines as they were written (their spelling, and whether values came as separate lines).
import { request } from 'node:http';
import type { ResponseFormat, ResponseServer } from './harness.js';

export interface Answer {
  status: number;
  /** Header lines in order, names as sent. */
  lines: [string, string][];
  /** Values by lower-case name, repeated lines joined with ", " as clients read them. */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

/** Posts what the function returned (JSON-encoded unless already a string) and reads the method response. */
export function answer(
  server: ResponseServer,
  format: ResponseFormat,
  returned: unknown,
  accept?: string,
): Promise<Answer> {
  const payload = typeof returned === 'string' ? returned : JSON.stringify(returned);
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/${format}`,
      { method: 'POST', headers: accept === undefined ? {} : { accept } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const lines: [string, string][] = [];
          const headers: Record<string, string> = {};
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            const value = res.rawHeaders[i + 1]!;
            lines.push([name, value]);
            const lower = name.toLowerCase();
            headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
          }
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, lines, headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The header lines a function's response added, without the ones every response has. */
export function ownLines(answered: Answer): [string, string][] {
  return answered.lines.filter(
    ([name]) => !['date', 'connection', 'keep-alive'].includes(name.toLowerCase()),
  );
}
