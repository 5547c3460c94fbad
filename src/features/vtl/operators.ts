// Velocity 1.7's operators: truthiness, ==, comparisons and arithmetic.
import { limitError } from './errors.js';
import { MAX_VALUE_DEPTH, type Budget } from './limits.js';
import { toText } from './stringify.js';
import { VEntry, VList, VMap, type Value } from './values.js';
import type { BinaryOperator } from './ast.js';

/** Only null and false are false: Velocity 1.7 treats "" and 0 as true. */
export function isTruthy(v: Value): boolean {
  return v !== null && v !== false;
}

/**
 * Velocity's `==`: numbers by value, values of one kind by Java equals(), anything else by
 * comparing the printed forms (so `1 == "1"`). A missing value equals both null and "": AWS
 * renders missing values as empty, and templates test them either way.
 */
export function velocityEquals(a: Value, b: Value, budget: Budget): boolean {
  if (a === null || b === null) {
    const other = a === null ? b : a;
    return other === null || other === '';
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (sameKind(a, b)) return javaEquals(a, b, 0);
  return toText(a, budget) === toText(b, budget);
}

function sameKind(a: Value, b: Value): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return typeof a === typeof b;
  return (
    (a instanceof VList && b instanceof VList) ||
    (a instanceof VMap && b instanceof VMap) ||
    (a instanceof VEntry && b instanceof VEntry) ||
    a === b
  );
}

/** Java's equals(): type-strict, deep for collections. */
export function javaEquals(a: Value, b: Value, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (depth > MAX_VALUE_DEPTH) throw limitError(`a value is nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (a instanceof VList && b instanceof VList) {
    if (a.items.length !== b.items.length) return false;
    return a.items.every((item, i) => javaEquals(item, b.items[i] ?? null, depth + 1));
  }
  if (a instanceof VMap && b instanceof VMap) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a.entries) {
      if (!b.has(key) || !javaEquals(value, b.get(key), depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof VEntry && b instanceof VEntry) {
    return javaEquals(a.key, b.key, depth + 1) && javaEquals(a.value, b.value, depth + 1);
  }
  return false;
}

export function indexOfValue(items: readonly Value[], target: Value): number {
  return items.findIndex((item) => javaEquals(item, target));
}

/** `<`, `<=`, `>`, `>=`: Velocity 1.7 compares numbers only; anything else is false. */
export function compareValues(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * `+` joins when either side is a string; otherwise arithmetic on numbers, integer division
 * when both are integers (Velocity's MathUtils), and null for anything else or a zero divisor.
 */
export function arithmetic(
  op: Extract<BinaryOperator, '+' | '-' | '*' | '/' | '%'>,
  a: Value,
  b: Value,
  budget: Budget,
): Value {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    return budget.checkString(toText(a, budget) + toText(b, budget));
  }
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return null;
      return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
    case '%':
      if (b === 0) return null;
      return a % b;
  }
}
