// Reading typed fields from an apigatewayv2 request body. The AWS CLI and SDKs already send the
// right JSON types; anything else (hand-written requests) gets a BadRequestException naming the
// field instead of a confusing failure later on.
import { badRequest } from '../admin-errors.js';

export type Body = Record<string, unknown>;

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid ${name}: it must be a string`);
  return value;
}

export function requiredString(body: Body, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || value === '') throw badRequest(`${name} is required`);
  return value;
}

export function optionalBoolean(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`Invalid ${name}: it must be true or false`);
  return value;
}

export function optionalInteger(body: Body, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`Invalid ${name}: it must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function optionalObject(body: Body, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`Invalid ${name}: it must be an object`);
  return value as Record<string, unknown>;
}

export function optionalStringMap(body: Body, name: string): Record<string, string> | undefined {
  const value = optionalObject(body, name);
  if (value === undefined) return undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw badRequest(`Invalid ${name}: the value of ${key} must be a string`);
  }
  return value as Record<string, string>;
}

export function optionalStringList(body: Body, name: string): string[] | undefined {
  const value = body[name];
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw badRequest(`Invalid ${name}: it must be a list of strings`);
  }
  return value as string[];
}

/** Sets `target[name]` to `value`, or leaves it alone when the request did not send the field. */
export function assign<T extends object, K extends keyof T>(
  target: T,
  name: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) target[name] = value;
}

/** v2 sends every date as an ISO-8601 timestamp (the `date-time` format of the apigatewayv2 model). */
export const isoDate = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();
