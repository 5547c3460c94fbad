// Reading typed fields from a management request body, for apigateway (v1) and apigatewayv2
// alike. The AWS CLI and SDKs already send the right JSON types; anything else (hand-written
// requests) gets a BadRequestException naming the field instead of a confusing failure later on.
import { badRequest } from './admin-errors.js';

export type Body = Record<string, unknown>;

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** A JSON object: not null, not a list. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
  if (!isRecord(value)) throw badRequest(`Invalid ${name}: it must be an object`);
  return value;
}

function optionalMap<T extends 'string' | 'boolean'>(
  body: Body,
  name: string,
  kind: T,
): Record<string, T extends 'string' ? string : boolean> | undefined {
  const value = optionalObject(body, name);
  if (value === undefined) return undefined;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== kind) {
      throw badRequest(
        `Invalid ${name}: the value of ${key} must be ${kind === 'string' ? 'a string' : 'true or false'}`,
      );
    }
  }
  return value as Record<string, T extends 'string' ? string : boolean>;
}

/** A map of strings: tags, stage variables, templates, parameter mappings … */
export const optionalStringMap = (body: Body, name: string): Record<string, string> | undefined =>
  optionalMap(body, name, 'string');

/** A map of flags: v1's request and response parameters, each one required or not. */
export const optionalBooleanMap = (body: Body, name: string): Record<string, boolean> | undefined =>
  optionalMap(body, name, 'boolean');

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
