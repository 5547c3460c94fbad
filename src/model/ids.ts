import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Identifiers shaped like AWS's: lowercase letters and digits (10 for APIs, 6 for resources and deployments). */
export function newId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export const newApiId = (): string => newId(10);
export const newResourceId = (): string => newId(6);
export const newDeploymentId = (): string => newId(6);
export const newRouteId = (): string => newId(7);
export const newIntegrationId = (): string => newId(7);
