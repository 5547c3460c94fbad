// Which compiled stage serves a request: a custom domain's API mapping (Host + base path), else
// the API from the Host (`{apiId}.execute-api.…`) or the path style `/_aws/execute-api/{apiId}/…`
// and the stage from the first path segment (an HTTP API's `$default` stage has none); then the
// stage's canary when it takes the request. Stages and domains are replaced together.
import type { CompiledStage } from './compiled-stage.js';
import { GatewayError } from './gateway-responses.js';
import { DomainTable, type DomainMatch, type MappingMatch } from './domains/domain-table.js';
import type { CanaryRelease } from '../features/canary/index.js';

export interface ApiStages {
  protocol: 'REST' | 'HTTP';
  stages: ReadonlyMap<string, CompiledStage>;
  /** The canary releases of stages that have one, by stage name. */
  canaries?: ReadonlyMap<string, CanaryRelease>;
}

export interface Resolved {
  stage: CompiledStage;
  /** The request path after the stage segment (custom domains: after the base path). */
  path: string;
  /** The stage's canary deployment serves this request. */
  isCanaryRequest: boolean;
  /** The custom domain and API mapping the request came through. */
  domain: MappingMatch | undefined;
}

const PATH_STYLE_PREFIX = '/_aws/execute-api/';
const HOST_PATTERN = /^([a-z0-9]+)\.execute-api\./i;

export class StageRegistry {
  private apis: ReadonlyMap<string, ApiStages> = new Map();
  private domainTable = DomainTable.EMPTY;

  /** Both in one synchronous step: no request sees new mappings with old stages. */
  replace(apis: ReadonlyMap<string, ApiStages>, domains: DomainTable = DomainTable.EMPTY): void {
    this.apis = apis;
    this.domainTable = domains;
  }

  list(): ReadonlyMap<string, ApiStages> {
    return this.apis;
  }

  /** The custom domain names being served (the TLS listener picks certificates from it). */
  domains(): DomainTable {
    return this.domainTable;
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
    } else {
      const custom = this.domainTable.match(host, collapseLeadingSlashes(path));
      if (custom) return this.resolveMapped(custom);
      if (host) apiId = HOST_PATTERN.exec(host)?.[1]?.toLowerCase();
    }
    // `//stage/path` and `/stage//path` reach the same route as `/stage/path`, as on AWS.
    rest = collapseLeadingSlashes(rest);
    const api = apiId === undefined ? undefined : this.apis.get(apiId);
    if (!api) throw new UnresolvedError('REST', new GatewayError('ACCESS_DENIED', 'Forbidden'));

    const end = rest.indexOf('/', 1);
    const first = rest.slice(1, end === -1 ? undefined : end);
    const name = first.includes('%') ? safeDecode(first) : first;
    const stage = name === '' ? undefined : api.stages.get(name);
    if (stage) {
      const stagePath = end === -1 ? '/' : collapseLeadingSlashes(rest.slice(end));
      return served(api, name, stage, stagePath, undefined);
    }
    const fallback = api.stages.get('$default');
    if (fallback) return served(api, '$default', fallback, rest, undefined);
    throw new UnresolvedError(
      api.protocol,
      api.protocol === 'REST'
        ? new GatewayError('ACCESS_DENIED', 'Forbidden')
        : new GatewayError('RESOURCE_NOT_FOUND'),
    );
  }

  /**
   * A custom domain's mapping, or AWS's 403 when the domain maps nothing at this path or the
   * mapped stage is not deployed.
   */
  private resolveMapped(match: DomainMatch): Resolved {
    if (match.mapping) {
      const api = this.apis.get(match.mapping.apiId);
      const stage = api?.stages.get(match.mapping.stage);
      if (api && stage) return served(api, match.mapping.stage, stage, match.path, match);
    }
    throw new UnresolvedError('REST', new GatewayError('ACCESS_DENIED', 'Forbidden'));
  }
}

function served(
  api: ApiStages,
  stageName: string,
  stage: CompiledStage,
  path: string,
  domain: MappingMatch | undefined,
): Resolved {
  const canary = api.canaries?.get(stageName);
  if (canary?.takesRequest()) return { stage: canary.stage, path, isCanaryRequest: true, domain };
  return { stage, path, isCanaryRequest: false, domain };
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
