// Render limits. AWS documents only the #foreach cap; the others keep one template from
// holding the event loop or the heap of a node that serves many APIs.
import { limitError } from './errors.js';

export interface TemplateLimits {
  /** Wall-clock budget for one render, checked in loops, at method calls and output writes. */
  timeoutMs: number;
  /** Largest output (UTF-8 bytes); also caps any single string a template builds. */
  maxOutputBytes: number;
  /** Iterations one #foreach may run; AWS's documented limit is 1000. */
  maxForeachIterations: number;
}

/**
 * 10 MiB of output matches API Gateway's 10 MB payload limit: a template that AWS lets through
 * (`$input.json('$')` of a body near the limit) must not fail here, and a smaller cap would.
 * 200 ms is two orders of magnitude above a real template's render time (microseconds to a few
 * milliseconds on a large body) while bounding how long a runaway loop blocks the event loop.
 */
export const DEFAULT_TEMPLATE_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  timeoutMs: 200,
  maxOutputBytes: 10 * 1024 * 1024,
  maxForeachIterations: 1000,
});

/** Nesting of blocks and expressions in the source: keeps the recursive parser off the stack limit. */
export const MAX_NESTING_DEPTH = 100;
/** Velocity's own default for velocimacro.max.depth; also bounds recursive #define blocks. */
export const MAX_CALL_DEPTH = 20;
/** Elements in one list or map a template builds (ranges, add, put). */
export const MAX_COLLECTION_SIZE = 100_000;
/** Depth when walking a value (printing, comparing, converting JSON). */
export const MAX_VALUE_DEPTH = 500;

export function resolveLimits(partial: Partial<TemplateLimits> | undefined): TemplateLimits {
  const limits = { ...DEFAULT_TEMPLATE_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`template limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}

/** Per-render clock. Reading the clock costs ~30 ns, so it is read every 64 ticks only. */
export class Budget {
  private ops = 0;
  private readonly deadline: number;

  constructor(readonly limits: TemplateLimits) {
    this.deadline = performance.now() + limits.timeoutMs;
  }

  tick(): void {
    if ((++this.ops & 63) === 0) this.checkClock();
  }

  private checkClock(): void {
    if (performance.now() > this.deadline) {
      throw limitError(`template render exceeded ${this.limits.timeoutMs} ms`);
    }
  }

  /** Strings a template builds are capped like the output, so doubling a string in a loop stops early. */
  checkString(s: string): string {
    if (s.length > this.limits.maxOutputBytes) {
      throw limitError(`template built a string longer than ${this.limits.maxOutputBytes} characters`);
    }
    return s;
  }

  checkCollection(size: number): void {
    if (size > MAX_COLLECTION_SIZE) {
      throw limitError(`template built a collection of more than ${MAX_COLLECTION_SIZE} elements`);
    }
  }
}
