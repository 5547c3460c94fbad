// Walks a parsed template against one request. One Renderer per render: it owns the variables,
// the output and the budget, so renders of one compiled template never share state.
import type { ProgramFacts } from './analysis.js';
import type { Expr, Node, Program, Ref } from './ast.js';
import { atPosition, limitError, TemplateError } from './errors.js';
import { InputHost, type JsonPathCache } from './input-host.js';
import type { PatternCache } from './java-regex.js';
import { stringMap } from './json-values.js';
import { Budget, MAX_CALL_DEPTH, type TemplateLimits } from './limits.js';
import { callMethod, getIndex, getProperty, setIndex, setProperty, type MethodContext } from './methods.js';
import { arithmetic, compareValues, isTruthy, velocityEquals } from './operators.js';
import { contextValues, requestOverrideOf, responseOverrideOf } from './overrides.js';
import { DefineBlock, ForeachScope } from './scopes.js';
import { toText } from './stringify.js';
import type { RenderResult, TemplateInput } from './types.js';
import { UtilHost } from './util-functions.js';
import { VList, VMap, type Value } from './values.js';

/** #stop: ends the render, keeping what was written. Thrown, never reported. */
class StopSignal extends Error {}
const STOP = new StopSignal('#stop');

/** #break: ends the given loop, or the innermost loop, macro or #define when none is given. */
class BreakSignal extends Error {
  constructor(readonly scope: ForeachScope | null) {
    super('#break');
  }
}

export interface TemplateCaches {
  readonly patterns: PatternCache;
  readonly paths: JsonPathCache;
  readonly facts: ProgramFacts;
}

/** Shared by every call without arguments; no method keeps or changes its arguments. */
const NO_ARGS: readonly Value[] = [];

export function renderProgram(
  program: Program,
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

class Renderer implements MethodContext {
  readonly vars = new Map<string, Value>();
  private out = '';
  private outLength = 0;
  /** Macro arguments, innermost last; #set of an argument name stays in its frame. */
  private readonly frames: Map<string, Value>[] = [];
  private loop: ForeachScope | null = null;
  private callDepth = 0;

  constructor(
    private readonly program: Program,
    readonly budget: Budget,
    readonly patterns: PatternCache,
  ) {}

  run(): string {
    try {
      this.renderNodes(this.program.body);
    } catch (signal) {
      if (signal !== STOP && !(signal instanceof BreakSignal)) throw signal;
    }
    return this.out;
  }

  private write(s: string): void {
    if (s === '') return;
    this.outLength += s.length;
    if (this.outLength > this.budget.limits.maxOutputBytes) {
      throw limitError(`template output is larger than ${this.budget.limits.maxOutputBytes} bytes`);
    }
    this.out += s;
    this.budget.tick();
  }

  private renderToString(nodes: readonly Node[]): string {
    const savedOut = this.out;
    const savedLength = this.outLength;
    this.out = '';
    this.outLength = 0;
    try {
      this.renderNodes(nodes);
      return this.out;
    } finally {
      this.out = savedOut;
      this.outLength = savedLength;
    }
  }

  private renderNodes(nodes: readonly Node[]): void {
    for (const node of nodes) {
      switch (node.k) {
        case 'text':
          this.write(node.v);
          break;
        case 'out':
          this.renderReference(node.ref, node.src, node.escapes);
          break;
        case 'set':
          this.assign(node.target, this.evaluate(node.value));
          break;
        case 'if': {
          let body = node.otherwise;
          for (const branch of node.branches) {
            if (isTruthy(this.evaluate(branch.cond))) {
              body = branch.body;
              break;
            }
          }
          if (body) this.renderNodes(body);
          break;
        }
        case 'foreach':
          try {
            this.foreach(node.varName, this.evaluate(node.iterable), node.body);
          } catch (error) {
            if (error instanceof TemplateError) throw atPosition(error, node);
            throw error;
          }
          break;
        case 'break': {
          const scope = node.scope ? this.evaluate(node.scope) : null;
          throw new BreakSignal(scope instanceof ForeachScope ? scope : null);
        }
        case 'stop':
          throw STOP;
        case 'define': {
          const body = node.body;
          this.setVariable(node.name, new DefineBlock(() => this.renderNested(body)));
          break;
        }
        case 'call':
          this.callMacro(node);
          break;
      }
    }
  }

  /** `\$x` prints `$x` when $x has a value and `\$x` when it has none, as Velocity does. */
  private renderReference(ref: Ref, src: string, escapes: number): void {
    const value = this.reference(ref);
    if (escapes === 0) {
      if (typeof value === 'string') this.write(value);
      else if (value !== null) this.write(toText(value, this.budget));
      return;
    }
    const literal = escapes % 2 === 1;
    this.write('\\'.repeat(value === null ? escapes : Math.floor(escapes / 2)));
    if (literal) this.write(src);
    else if (value !== null) this.write(toText(value, this.budget));
  }

  private lookup(name: string): Value {
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

  private scopeOf(name: string): Map<string, Value> {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame?.has(name)) return frame;
    }
    return this.vars;
  }

  private setVariable(name: string, value: Value): void {
    this.scopeOf(name).set(name, value);
  }

  /** The value of `ref`, or of its first `end` parts. */
  private reference(ref: Ref, end = ref.parts.length): Value {
    try {
      let value = this.lookup(ref.root);
      const parts = ref.parts;
      for (let i = 0; i < end; i++) {
        if (value === null) return null;
        const part = parts[i]!;
        switch (part.k) {
          case 'prop':
            value = getProperty(value, part.name);
            break;
          case 'call':
            value = callMethod(value, part.name, this.evaluateArgs(part.args), this);
            break;
          case 'index':
            value = getIndex(value, this.evaluate(part.index), this);
            break;
        }
      }
      return value;
    } catch (error) {
      if (error instanceof TemplateError) throw atPosition(error, ref);
      throw error;
    }
  }

  private evaluateArgs(args: readonly Expr[]): readonly Value[] {
    if (args.length === 0) return NO_ARGS;
    const values: Value[] = [];
    for (const arg of args) values.push(this.evaluate(arg));
    return values;
  }

  /** #set. A null value leaves the target as it was: Velocity 1.x's documented behaviour. */
  private assign(target: Ref, value: Value): void {
    if (value === null) return;
    const parts = target.parts;
    const last = parts.at(-1);
    if (!last) {
      this.setVariable(target.root, value);
      return;
    }
    const owner = this.reference(target, parts.length - 1);
    if (owner === null) return;
    try {
      if (last.k === 'prop') setProperty(owner, last.name, value, this);
      else if (last.k === 'index') setIndex(owner, this.evaluate(last.index), value, this);
    } catch (error) {
      if (error instanceof TemplateError) throw atPosition(error, target);
      throw error;
    }
  }

  private evaluate(e: Expr): Value {
    switch (e.k) {
      case 'str':
      case 'num':
      case 'bool':
        return e.v;
      case 'ref':
        return this.reference(e.ref);
      case 'interp':
        return this.budget.checkString(this.renderToString(e.body));
      case 'list': {
        this.budget.checkCollection(e.items.length);
        return new VList(
          e.items.map((item) => this.evaluate(item)),
          false,
        );
      }
      case 'map': {
        const map = new VMap();
        for (const [key, value] of e.entries) map.put(this.evaluate(key), this.evaluate(value), this.budget);
        return map;
      }
      case 'range':
        return this.range(this.evaluate(e.from), this.evaluate(e.to));
      case 'not':
        return !isTruthy(this.evaluate(e.operand));
      case 'bin':
        switch (e.op) {
          case '&&':
            return isTruthy(this.evaluate(e.left)) && isTruthy(this.evaluate(e.right));
          case '||':
            return isTruthy(this.evaluate(e.left)) || isTruthy(this.evaluate(e.right));
          case '==':
            return velocityEquals(this.evaluate(e.left), this.evaluate(e.right), this.budget);
          case '!=':
            return !velocityEquals(this.evaluate(e.left), this.evaluate(e.right), this.budget);
          case '<':
          case '<=':
          case '>':
          case '>=':
            return compareValues(e.op, this.evaluate(e.left), this.evaluate(e.right));
          case '+':
          case '-':
          case '*':
          case '/':
          case '%':
            return arithmetic(e.op, this.evaluate(e.left), this.evaluate(e.right), this.budget);
        }
    }
  }

  /** `[a..b]`, counting down when b < a; Velocity accepts integers only. */
  private range(from: Value, to: Value): Value {
    if (
      typeof from !== 'number' ||
      typeof to !== 'number' ||
      !Number.isInteger(from) ||
      !Number.isInteger(to)
    ) {
      return null;
    }
    this.budget.checkCollection(Math.abs(to - from) + 1);
    const items: Value[] = [];
    const step = from <= to ? 1 : -1;
    for (let i = from; i !== to + step; i += step) items.push(i);
    return new VList(items, false);
  }

  private foreach(varName: string, iterable: Value, body: readonly Node[]): void {
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
          this.renderNodes(body);
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

  private renderNested(body: readonly Node[]): string {
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

  private callMacro(node: Extract<Node, { k: 'call' }>): void {
    const macro = this.program.macros.get(node.name);
    if (!macro || macro.params.length !== node.args.length) {
      // Velocity prints a call it cannot resolve as plain text.
      this.write(node.src);
      return;
    }
    const frame = new Map<string, Value>();
    macro.params.forEach((param, i) => {
      const arg = node.args[i];
      frame.set(param, arg ? this.evaluate(arg) : null);
    });
    try {
      this.enterCall();
    } catch (error) {
      throw atPosition(error as TemplateError, node);
    }
    this.frames.push(frame);
    try {
      this.renderNodes(macro.body);
    } catch (signal) {
      if (!(signal instanceof BreakSignal && signal.scope === null)) throw signal;
    } finally {
      this.frames.pop();
      this.callDepth--;
    }
  }
}
