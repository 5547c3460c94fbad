// List answers in each service's shape: v1 `{item: [...], position}` with `limit` (default 25,
// max 500), v2 `{items: [...], nextToken}` with `maxResults`. The token is the next index.
import type { AdminRequest } from './admin-router.js';
import { badRequest } from './admin-errors.js';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 500;

function page<T>(all: T[], limitText: string | null, token: string | null): { items: T[]; next?: string } {
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw badRequest(`Invalid limit: it must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const start = token === null || token === '' ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid pagination token');
  const items = all.slice(start, start + limit);
  return start + limit < all.length ? { items, next: String(start + limit) } : { items };
}

/** A v1 list: `{item, position}`. */
export function v1List<T>(request: AdminRequest, all: T[]): { item: T[]; position?: string } {
  const { items, next } = page(all, request.query.get('limit'), request.query.get('position'));
  return next === undefined ? { item: items } : { item: items, position: next };
}

/** A v2 list: `{items, nextToken}`. */
export function v2List<T>(request: AdminRequest, all: T[]): { items: T[]; nextToken?: string } {
  const { items, next } = page(all, request.query.get('maxResults'), request.query.get('nextToken'));
  return next === undefined ? { items } : { items, nextToken: next };
}
