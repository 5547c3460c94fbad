// Runs a compiled template (closures.ts) against one request. One Renderer per render: it
// owns the variables, the output and the budget, so renders of one compiled template never
// share state.
import type { ProgramFacts } from './analysis.js';
import type { CompiledMacro, CompiledProgram, Exec, Eval } from './closures.js';
import { atPosition, limitError, type TemplateError, type TemplatePosition } from './errors.js';
import { InputHost, type JsonPathCache } from './input-host.js';
import type { PatternCache } from './java-regex.js';
import { stringMap } from './json-values.js';
import { Budget, MAX_CALL_DEPTH, type TemplateLimits } from './limits.js';
import type { MethodContext } from './methods.js';
import { contextValues, requestOverrideOf, responseOverrideOf } from './overrides.js';
import { ForeachScope } from './scopes.js';
import type { RenderResult, TemplateInput } from './types.js';
import { UtilHost } from './util-functions.js';
import { VList, VMap, type Value } from './values.js';

/** #stop: ends the render, keeping what was written. Thrown, never reported. */
class StopSignal extends Error {}
export const STOP = new StopSignal('#stop');

/** #break: ends the given loop, or the innermost loop, macro or #define when none is given. */
export class BreakSignal extends Error {
  constructor(readonly scope: ForeachScope | null) {
    super('#break');
  }
}

export interface TemplateCaches {
  readonly patterns: PatternCache;
  readonly paths: JsonPathCache;
  readonly facts: ProgramFacts;
}

export function renderProgram(
  program: CompiledProgram,
  input: TemplateInput,
  limits: TemplateLimits,
  caches: TemplateCaches,
): RenderResult {
  const budget = new Budget(limits);
  const context = contextValues(input.context, caches.facts.overridesReachable);
  const renderer = new Renderer(program, budget, caches.patterns);
  renderer.vars.set('input', new InputHost(input.body, input.params, budget, caches.paths));
  renderer.vars.set('context', context.context);
  renderer.vars.set('stageVariables', stringMap(input.stageVariables));
  renderer.vars.set('util', new UtilHost(budget));
  const output = renderer.run();
  if (
    output.length * 3 > limits.maxOutputBytes &&
    Buffer.byteLength(output, 'utf8') > limits.maxOutputBytes
  ) {
    throw limitError(`template output is larger than ${limits.maxOutputBytes} bytes`);
  }
  return {
    output,
    requestOverride: requestOverrideOf(context, budget),
    responseOverride: responseOverrideOf(context, budget),
  };
}

export class Renderer implements MethodContext {
  readonly vars = new Map<string, Value>();
  private out = '';
  private outLength = 0;
  /** Macro arguments, innermost last; #set of an argument name stays in its frame. */
  private readonly frames: Map<string, Value>[] = [];
  private loop: ForeachScope | null = null;
  private callDepth = 0;

  constructor(
    private readonly program: CompiledProgram,
    readonly budget: Budget,
    readonly patterns: PatternCache,
  ) {}

  run(): string {
    try {
      this.program.body(this);
    } catch (signal) {
      if (signal !== STOP && !(signal instanceof BreakSignal)) throw signal;
    }
    return this.out;
  }

  write(s: string): void {
    if (s === '') return;
    this.outLength += s.length;
    if (this.outLength > this.budget.limits.maxOutputBytes) {
      throw limitError(`template output is larger than ${this.budget.limits.maxOutputBytes} bytes`);
    }
    this.out += s;
    this.budget.tick();
  }

  renderToString(body: Exec): string {
    const savedOut = this.out;
    const savedLength = this.outLength;
    this.out = '';
    this.outLength = 0;
    try {
      body(this);
      return this.out;
    } finally {
      this.out = savedOut;
      this.outLength = savedLength;
    }
  }

  lookup(name: string): Value {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame?.has(name)) return frame.get(name) ?? null;
    }
    if (this.loop) {
      if (name === 'foreach') return this.loop;
      if (name === 'velocityCount') return this.loop.index + 1;
      if (name === 'velocityHasNext') return this.loop.hasNext;
    }
    return this.vars.get(name) ?? null;
  }

  /** lookup() of a name that is none of the loop's own ($foreach, $velocityCount, $velocityHasNext). */
  lookupVariable(name: string): Value {
    const frames = this.frames;
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame?.has(name)) return frame.get(name) ?? null;
    }
    return this.vars.get(name) ?? null;
  }

  private scopeOf(name: string): Map<string, Value> {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame?.has(name)) return frame;
    }
    return this.vars;
  }

  setVariable(name: string, value: Value): void {
    this.scopeOf(name).set(name, value);
  }

  foreach(varName: string, iterable: Value, body: Exec): void {
    // A snapshot: Java would throw on a list changed inside its own loop; iterating a copy keeps
    // the loop finite instead of letting `$list.add()` in the body extend it.
    const items =
      iterable instanceof VList
        ? iterable.items.slice()
        : iterable instanceof VMap
          ? [...iterable.entries.values()]
          : null;
    if (!items || items.length === 0) return;
    const max = this.budget.limits.maxForeachIterations;
    const scope = new ForeachScope(this.loop, items.length);
    const store = this.scopeOf(varName);
    const had = store.has(varName);
    const saved = store.get(varName);
    this.loop = scope;
    try {
      for (let i = 0; i < items.length; i++) {
        if (i >= max) throw limitError(`#foreach ran more than ${max} iterations`);
        this.budget.tick();
        scope.index = i;
        const item = items[i] ?? null;
        if (item === null) store.delete(varName);
        else store.set(varName, item);
        try {
          body(this);
        } catch (signal) {
          if (signal instanceof BreakSignal && (signal.scope === null || signal.scope === scope)) break;
          throw signal;
        }
      }
    } finally {
      this.loop = scope.parent;
      if (had) store.set(varName, saved ?? null);
      else store.delete(varName);
    }
  }

  private enterCall(): void {
    if (++this.callDepth > MAX_CALL_DEPTH) {
      this.callDepth--;
      throw limitError(`macro or #define calls nested deeper than ${MAX_CALL_DEPTH}`);
    }
  }

  renderNested(body: Exec): string {
    this.enterCall();
    try {
      return this.renderToString(body);
    } catch (signal) {
      if (signal instanceof BreakSignal && signal.scope === null) return '';
      throw signal;
    } finally {
      this.callDepth--;
    }
  }

  /** A call of `macro` whose arguments match its parameters in number. */
  callMacro(macro: CompiledMacro, args: readonly Eval[], position: TemplatePosition): void {
    const frame = new Map<string, Value>();
    macro.params.forEach((param, i) => {
      const arg = args[i];
      frame.set(param, arg ? arg(this) : null);
    });
    try {
      this.enterCall();
    } catch (error) {
      throw atPosition(error as TemplateError, position);
    }
    this.frames.push(frame);
    try {
      macro.body(this);
    } catch (signal) {
      if (!(signal instanceof BreakSignal && signal.scope === null)) throw signal;
    } finally {
      this.frames.pop();
      this.callDepth--;
    }
  }
}
