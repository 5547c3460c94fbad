// What a compiled template can reach, worked out once at compile time so renders can skip
// building what the template never uses.
import type { Expr, Node, Program, Ref } from './ast.js';

export interface ProgramFacts {
  /**
   * Whether any reference may reach `$context.requestOverride` or `$context.responseOverride`:
   * one naming either, or one that uses `$context` other than through a named property
   * (`$context` alone, `$context.get(...)`, `$context[...]`), which could reach anything in it.
   */
  readonly overridesReachable: boolean;
  /** Every variable name a reference starts with, anywhere in the template and its macros. */
  readonly roots: ReadonlySet<string>;
}

const OVERRIDES = new Set(['requestOverride', 'responseOverride']);

export function programFacts(program: Program): ProgramFacts {
  const walker = new Walker();
  walker.nodes(program.body);
  for (const macro of program.macros.values()) walker.nodes(macro.body);
  return { overridesReachable: walker.overridesReachable, roots: walker.roots };
}

class Walker {
  overridesReachable = false;
  readonly roots = new Set<string>();

  nodes(nodes: readonly Node[]): void {
    for (const node of nodes) this.node(node);
  }

  private node(node: Node): void {
    switch (node.k) {
      case 'text':
      case 'stop':
        return;
      case 'out':
        return this.ref(node.ref);
      case 'set':
        this.ref(node.target);
        return this.expr(node.value);
      case 'if':
        for (const branch of node.branches) {
          this.expr(branch.cond);
          this.nodes(branch.body);
        }
        if (node.otherwise) this.nodes(node.otherwise);
        return;
      case 'foreach':
        this.expr(node.iterable);
        return this.nodes(node.body);
      case 'break':
        if (node.scope) this.expr(node.scope);
        return;
      case 'define':
        return this.nodes(node.body);
      case 'call':
        for (const arg of node.args) this.expr(arg);
        return;
    }
  }

  private expr(e: Expr): void {
    switch (e.k) {
      case 'str':
      case 'num':
      case 'bool':
        return;
      case 'interp':
        return this.nodes(e.body);
      case 'list':
        for (const item of e.items) this.expr(item);
        return;
      case 'map':
        for (const [key, value] of e.entries) {
          this.expr(key);
          this.expr(value);
        }
        return;
      case 'range':
        this.expr(e.from);
        return this.expr(e.to);
      case 'ref':
        return this.ref(e.ref);
      case 'not':
        return this.expr(e.operand);
      case 'bin':
        this.expr(e.left);
        return this.expr(e.right);
    }
  }

  private ref(ref: Ref): void {
    this.roots.add(ref.root);
    if (ref.root === 'context') {
      const first = ref.parts[0];
      if (first?.k !== 'prop' || OVERRIDES.has(first.name)) this.overridesReachable = true;
    }
    for (const part of ref.parts) {
      if (part.k === 'call') for (const arg of part.args) this.expr(arg);
      else if (part.k === 'index') this.expr(part.index);
    }
  }
}
