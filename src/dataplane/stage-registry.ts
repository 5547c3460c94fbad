// Which compiled stage serves a request: the API from the Host (`{apiId}.execute-api.…`) or
// the path style `/_aws/execute-api/{apiId}/…`, then the stage from the first path segment
// (an HTTP API's `$default` stage has none). The whole map is replaced in one assignment.
import type { CompiledStage } from './compiled-stage.js';
import { GatewayError } from './gateway-responses.js';

export interface ApiStages {
  protocol: 'REST' | 'HTTP';
  stages: ReadonlyMap<string, CompiledStage>;
}

export interface Resolved {
  stage: CompiledStage;
  /** The request path after the stage segment. */
  path: string;
}

const PATH_STYLE_PREFIX = '/_aws/execute-api/';
const HOST_PATTERN = /^([a-z0-9]+)\.execute-api\./i;

export class StageRegistry {
  private apis: ReadonlyMap<string, ApiStages> = new Map();

  replace(apis: ReadonlyMap<string, ApiStages>): void {
    this.apis = apis;
  }

  list(): ReadonlyMap<string, ApiStages> {
    return this.apis;
  }

  /**
   * Throws a GatewayError when nothing serves the request; `protocol` on the error tells how
   * to render it (an unknown API renders as REST does).
   */
  resolve(host: string | undefined, path: string): Resolved {
    let apiId: string | undefined;
    let rest = path;
    if (path.startsWith(PATH_STYLE_PREFIX)) {
      const end = path.indexOf('/', PATH_STYLE_PREFIX.length);
      apiId = path.slice(PATH_STYLE_PREFIX.length, end === -1 ? undefined : end);
      rest = end === -1 ? '/' : path.slice(end);
    } else if (host) {
      apiId = HOST_PATTERN.exec(host)?.[1]?.toLowerCase();
    }
    // `//stage/path` and `/stage//path` reach the same route as `/stage/path`, as on AWS.
    rest = collapseLeadingSlashes(rest);
    const api = apiId === undefined ? undefined : this.apis.get(apiId);
    if (!api) throw new UnresolvedError('REST', new GatewayError('ACCESS_DENIED', 'Forbidden'));

    const end = rest.indexOf('/', 1);
    const first = rest.slice(1, end === -1 ? undefined : end);
    const stage = first === '' ? undefined : api.stages.get(safeDecode(first));
    if (stage) return { stage, path: end === -1 ? '/' : collapseLeadingSlashes(rest.slice(end)) };
    const fallback = api.stages.get('$default');
    if (fallback) return { stage: fallback, path: rest };
    throw new UnresolvedError(
      api.protocol,
      api.protocol === 'REST'
        ? new GatewayError('ACCESS_DENIED', 'Forbidden')
        : new GatewayError('RESOURCE_NOT_FOUND'),
    );
  }
}

export class UnresolvedError extends Error {
  constructor(
    readonly protocol: 'REST' | 'HTTP',
    readonly gatewayError: GatewayError,
  ) {
    super(gatewayError.message);
  }
}

function collapseLeadingSlashes(path: string): string {
  return path.length > 1 && path[1] === '/' ? path.replace(/^\/+/, '/') : path;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
