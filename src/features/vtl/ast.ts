// The parsed form of a mapping template. compileTemplate builds it once; renders only walk it.

export type BinaryOperator =
  '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type RefPart =
  | { readonly k: 'prop'; readonly name: string }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly k: 'index'; readonly index: Expr };

/** `$root.part.part(...)[...]`, with where it starts for error messages. */
export interface Ref {
  readonly root: string;
  readonly parts: readonly RefPart[];
  readonly line: number;
  readonly column: number;
}

export type Expr =
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'bool'; readonly v: boolean }
  /** A double-quoted string containing `$` or `#`: rendered as a template each time. */
  | { readonly k: 'interp'; readonly body: readonly Node[] }
  | { readonly k: 'list'; readonly items: readonly Expr[] }
  | { readonly k: 'map'; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly k: 'range'; readonly from: Expr; readonly to: Expr }
  | { readonly k: 'ref'; readonly ref: Ref }
  | { readonly k: 'not'; readonly operand: Expr }
  | { readonly k: 'bin'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr };

export type Node =
  | { readonly k: 'text'; readonly v: string }
  /** A reference written to the output; `escapes` counts the backslashes in front of it. */
  | { readonly k: 'out'; readonly ref: Ref; readonly src: string; readonly escapes: number }
  | { readonly k: 'set'; readonly target: Ref; readonly value: Expr }
  | {
      readonly k: 'if';
      readonly branches: readonly { readonly cond: Expr; readonly body: readonly Node[] }[];
      readonly otherwise: readonly Node[] | null;
    }
  | {
      readonly k: 'foreach';
      readonly varName: string;
      readonly iterable: Expr;
      readonly body: readonly Node[];
      readonly line: number;
      readonly column: number;
    }
  | { readonly k: 'break'; readonly scope: Expr | null }
  | { readonly k: 'stop' }
  | { readonly k: 'define'; readonly name: string; readonly body: readonly Node[] }
  | {
      readonly k: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly src: string;
      readonly line: number;
      readonly column: number;
    };

export interface MacroDefinition {
  readonly name: string;
  readonly params: readonly string[];
  readonly body: readonly Node[];
}

export interface Program {
  readonly body: readonly Node[];
  readonly macros: ReadonlyMap<string, MacroDefinition>;
}
