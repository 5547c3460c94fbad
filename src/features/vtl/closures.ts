// Turns a parsed template into closures once per deployment: every node and expression becomes
// a function of one render's state (interpreter.ts), so a render neither switches over node
// kinds nor walks the tree, and each closure holds what its node needs (names, constants,
// compiled children) ready to use.
import type { BinaryOperator, Expr, Node, Program, Ref, RefPart } from './ast.js';
import { atPosition, TemplateError } from './errors.js';
import { BreakSignal, STOP, type Renderer } from './interpreter.js';
import { callMethod, getIndex, getProperty, setIndex, setProperty } from './methods.js';
import { arithmetic, compareValues, isTruthy, velocityEquals } from './operators.js';
import { DefineBlock, ForeachScope } from './scopes.js';
import { toText } from './stringify.js';
import { VList, VMap, type Value } from './values.js';

/** A node or block: writes to the render's output and changes its variables. */
export type Exec = (r: Renderer) => void;
/** An expression. */
export type Eval = (r: Renderer) => Value;

/** One step of a reference after its root: `.name`, `.name(args)` or `[index]`. */
type Step = (value: Value, r: Renderer) => Value;

export interface CompiledMacro {
  readonly params: readonly string[];
  readonly body: Exec;
}

export interface CompiledProgram {
  readonly body: Exec;
  readonly macros: ReadonlyMap<string, CompiledMacro>;
}

/** Shared by every call without arguments; no method keeps or changes its arguments. */
const NO_ARGS: readonly Value[] = [];

const nothing: Exec = () => undefined;

/** Names a #foreach answers itself while it runs; every other name is only a variable. */
const LOOP_NAMES: ReadonlySet<string> = new Set(['foreach', 'velocityCount', 'velocityHasNext']);

export function compileProgram(program: Program): CompiledProgram {
  const macros = new Map<string, CompiledMacro>();
  const compiler = new Compiler(macros);
  // Macro bodies are compiled before any render; calls look them up by name when they run,
  // so a macro may call one defined after it, or itself.
  for (const [name, macro] of program.macros) {
    macros.set(name, { params: macro.params, body: compiler.nodes(macro.body) });
  }
  return { body: compiler.nodes(program.body), macros };
}

class Compiler {
  constructor(private readonly macros: ReadonlyMap<string, CompiledMacro>) {}

  nodes(list: readonly Node[]): Exec {
    const steps = list.map((node) => this.node(node));
    if (steps.length === 0) return nothing;
    if (steps.length === 1) return steps[0]!;
    return (r) => {
      for (let i = 0; i < steps.length; i++) steps[i]!(r);
    };
  }

  private node(node: Node): Exec {
    switch (node.k) {
      case 'text': {
        const text = node.v;
        return (r) => r.write(text);
      }
      case 'out':
        return this.output(node.ref, node.src, node.escapes);
      case 'set': {
        const value = this.expr(node.value);
        const assign = this.assignment(node.target);
        return (r) => assign(r, value(r));
      }
      case 'if': {
        const conditions = node.branches.map((branch) => this.expr(branch.cond));
        const bodies = node.branches.map((branch) => this.nodes(branch.body));
        const otherwise = node.otherwise ? this.nodes(node.otherwise) : nothing;
        if (conditions.length === 1) {
          const condition = conditions[0]!;
          const body = bodies[0]!;
          return (r) => {
            if (isTruthy(condition(r))) body(r);
            else otherwise(r);
          };
        }
        return (r) => {
          for (let i = 0; i < conditions.length; i++) {
            if (isTruthy(conditions[i]!(r))) {
              bodies[i]!(r);
              return;
            }
          }
          otherwise(r);
        };
      }
      case 'foreach': {
        const { varName, line, column } = node;
        const iterable = this.expr(node.iterable);
        const body = this.nodes(node.body);
        const position = { line, column };
        return (r) => {
          try {
            r.foreach(varName, iterable(r), body);
          } catch (error) {
            if (error instanceof TemplateError) throw atPosition(error, position);
            throw error;
          }
        };
      }
      case 'break': {
        const scope = node.scope ? this.expr(node.scope) : null;
        return (r) => {
          const value = scope ? scope(r) : null;
          throw new BreakSignal(value instanceof ForeachScope ? value : null);
        };
      }
      case 'stop':
        return () => {
          throw STOP;
        };
      case 'define': {
        const { name } = node;
        const body = this.nodes(node.body);
        return (r) => r.setVariable(name, new DefineBlock(() => r.renderNested(body)));
      }
      case 'call': {
        const { name, src, line, column } = node;
        const args = node.args.map((arg) => this.expr(arg));
        const macros = this.macros;
        const position = { line, column };
        return (r) => {
          const macro = macros.get(name);
          if (!macro || macro.params.length !== args.length) {
            // Velocity prints a call it cannot resolve as plain text.
            r.write(src);
            return;
          }
          r.callMacro(macro, args, position);
        };
      }
    }
  }

  /** `\$x` prints `$x` when $x has a value and `\$x` when it has none, as Velocity does. */
  private output(ref: Ref, src: string, escapes: number): Exec {
    const reference = this.reference(ref, ref.parts.length);
    if (escapes === 0) {
      return (r) => {
        const value = reference(r);
        if (typeof value === 'string') r.write(value);
        else if (value !== null) r.write(toText(value, r.budget));
      };
    }
    const literal = escapes % 2 === 1;
    return (r) => {
      const value = reference(r);
      r.write('\\'.repeat(value === null ? escapes : Math.floor(escapes / 2)));
      if (literal) r.write(src);
      else if (value !== null) r.write(toText(value, r.budget));
    };
  }

  /** #set. A null value leaves the target as it was: Velocity 1.x's documented behaviour. */
  private assignment(target: Ref): (r: Renderer, value: Value) => void {
    const parts = target.parts;
    const last = parts.at(-1);
    const root = target.root;
    if (!last) {
      return (r, value) => {
        if (value !== null) r.setVariable(root, value);
      };
    }
    const owner = this.reference(target, parts.length - 1);
    const index = last.k === 'index' ? this.expr(last.index) : null;
    return (r, value) => {
      if (value === null) return;
      const object = owner(r);
      if (object === null) return;
      try {
        if (last.k === 'prop') setProperty(object, last.name, value, r);
        else if (index) setIndex(object, index(r), value, r);
      } catch (error) {
        if (error instanceof TemplateError) throw atPosition(error, target);
        throw error;
      }
    };
  }

  /** The value of `ref`'s root and its first `end` parts. */
  private reference(ref: Ref, end: number): Eval {
    const root = ref.root;
    const steps = ref.parts.slice(0, end).map((part) => this.step(part));
    const lookup: Eval = LOOP_NAMES.has(root) ? (r) => r.lookup(root) : (r) => r.lookupVariable(root);
    if (steps.length === 0) return lookup;
    return (r) => {
      try {
        let value = lookup(r);
        for (let i = 0; i < steps.length; i++) {
          if (value === null) return null;
          value = steps[i]!(value, r);
        }
        return value;
      } catch (error) {
        if (error instanceof TemplateError) throw atPosition(error, ref);
        throw error;
      }
    };
  }

  private step(part: RefPart): Step {
    switch (part.k) {
      case 'prop': {
        const { name } = part;
        return (value) => getProperty(value, name);
      }
      case 'call': {
        const { name } = part;
        const args = part.args.map((arg) => this.expr(arg));
        if (args.length === 0) return (value, r) => callMethod(value, name, NO_ARGS, r);
        if (args.length === 1) {
          const arg = args[0]!;
          return (value, r) => callMethod(value, name, [arg(r)], r);
        }
        return (value, r) => {
          const values: Value[] = [];
          for (let i = 0; i < args.length; i++) values.push(args[i]!(r));
          return callMethod(value, name, values, r);
        };
      }
      case 'index': {
        const index = this.expr(part.index);
        return (value, r) => getIndex(value, index(r), r);
      }
    }
  }

  private expr(e: Expr): Eval {
    switch (e.k) {
      case 'str':
      case 'num':
      case 'bool': {
        const value = e.v;
        return () => value;
      }
      case 'ref':
        return this.reference(e.ref, e.ref.parts.length);
      case 'interp': {
        const body = this.nodes(e.body);
        return (r) => r.budget.checkString(r.renderToString(body));
      }
      case 'list': {
        const items = e.items.map((item) => this.expr(item));
        return (r) => {
          r.budget.checkCollection(items.length);
          return new VList(
            items.map((item) => item(r)),
            false,
          );
        };
      }
      case 'map': {
        const entries = e.entries.map(([key, value]) => [this.expr(key), this.expr(value)] as const);
        return (r) => {
          const map = new VMap();
          for (const [key, value] of entries) map.put(key(r), value(r), r.budget);
          return map;
        };
      }
      case 'range': {
        const from = this.expr(e.from);
        const to = this.expr(e.to);
        return (r) => range(r, from(r), to(r));
      }
      case 'not': {
        const operand = this.expr(e.operand);
        return (r) => !isTruthy(operand(r));
      }
      case 'bin':
        return this.binary(e.op, this.expr(e.left), this.expr(e.right));
    }
  }

  private binary(op: BinaryOperator, left: Eval, right: Eval): Eval {
    switch (op) {
      case '&&':
        return (r) => isTruthy(left(r)) && isTruthy(right(r));
      case '||':
        return (r) => isTruthy(left(r)) || isTruthy(right(r));
      case '==':
        return (r) => velocityEquals(left(r), right(r), r.budget);
      case '!=':
        return (r) => !velocityEquals(left(r), right(r), r.budget);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return (r) => compareValues(op, left(r), right(r));
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return (r) => arithmetic(op, left(r), right(r), r.budget);
    }
  }
}

/** `[a..b]`, counting down when b < a; Velocity accepts integers only. */
function range(r: Renderer, from: Value, to: Value): Value {
  if (
    typeof from !== 'number' ||
    typeof to !== 'number' ||
    !Number.isInteger(from) ||
    !Number.isInteger(to)
  ) {
    return null;
  }
  r.budget.checkCollection(Math.abs(to - from) + 1);
  const items: Value[] = [];
  const step = from <= to ? 1 : -1;
  for (let i = from; i !== to + step; i += step) items.push(i);
  return new VList(items, false);
}
