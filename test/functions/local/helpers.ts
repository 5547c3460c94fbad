import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalFunctionConfig } from '../../../src/functions/local/index.js';
import type { FunctionRuntime } from '../../../src/functions/runtime.js';

/** The handler modules under test/fixtures/functions. */
export const FIXTURES = resolve(fileURLToPath(new URL('../../fixtures/functions/', import.meta.url)));

export function fixture(handler: string, settings: Partial<LocalFunctionConfig> = {}): LocalFunctionConfig {
  return { handler, codeDir: FIXTURES, ...settings };
}

export interface Answer {
  requestId: string;
  functionError: string | undefined;
  /** The payload, parsed. */
  body: unknown;
  raw: string;
}

export async function invoke(
  runtime: FunctionRuntime,
  functionName: string,
  event: unknown = {},
  requestId: string = randomUUID(),
): Promise<Answer> {
  const result = await runtime.invoke(functionName, Buffer.from(JSON.stringify(event)), { requestId });
  const raw = result.payload.toString('utf8');
  return { requestId, functionError: result.functionError, body: JSON.parse(raw) as unknown, raw };
}

export interface LogEntry {
  message: string;
  fields: Record<string, unknown>;
}

export function logCollector(): {
  log: (message: string, fields?: Record<string, unknown>) => void;
  entries: LogEntry[];
} {
  const entries: LogEntry[] = [];
  return { entries, log: (message, fields = {}) => entries.push({ message, fields }) };
}

/** Polls until `check` passes (for log lines, which arrive after the answer). */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
