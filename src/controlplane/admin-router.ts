// Maps a management request (method + path) to its operation. Both services share one port, as
// on AWS where apigateway and apigatewayv2 share one endpoint: v2 paths all begin with /v2/.
import FindMyWay from 'find-my-way';
import type { IncomingHttpHeaders } from 'node:http';
import type { AdminContext } from './admin-context.js';
import { badRequest, notImplemented } from './admin-errors.js';

export interface AdminRequest {
  method: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface AdminResponse {
  status: number;
  /** Serialised as JSON; omitted for an empty body. */
  body?: unknown;
  /** Sent as is (exports), with `contentType`. */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type AdminHandler = (request: AdminRequest, ctx: AdminContext) => Promise<AdminResponse>;

const DOMAIN_NAME_PARAMS = new Set(['domain_name', 'domainName']);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class AdminRoutes {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true });

  /** Registers an operation; `path` uses `:name` for parameters, as AWS's `{name}`. */
  add(method: HttpMethod, path: string, handler: AdminHandler): this {
    this.router.on(method, path, (() => undefined) as never, { handler });
    return this;
  }

  /** Registers an AWS operation Gatehouse does not implement, so it answers a clear 501. */
  unsupported(method: HttpMethod, path: string, operation: string): this {
    return this.add(method, path, () => Promise.reject(notImplemented(operation)));
  }

  find(method: string, path: string): { handler: AdminHandler; params: Record<string, string> } | undefined {
    const found = this.router.find(method as HttpMethod, path);
    if (!found) return undefined;
    const store = found.store as { handler: AdminHandler };
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.params)) {
      if (value === undefined) continue;
      // Domain names are stored in lower case, as AWS keeps them; a path may name one in any case.
      params[name] = DOMAIN_NAME_PARAMS.has(name) ? value.toLowerCase() : value;
    }
    return { handler: store.handler, params };
  }
}

/** The request body as a JSON object; `{}` when empty. */
export function jsonBody(request: AdminRequest): Record<string, unknown> {
  if (request.rawBody.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw badRequest('Invalid JSON in the request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
