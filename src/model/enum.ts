import { Type, type TUnsafe } from '@sinclair/typebox';

/** A string enum; validation errors list the allowed values. */
export function literals<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}
