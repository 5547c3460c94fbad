// The per-request state that flows through the request path. Every field is declared and
// initialised in the constructor, so every request object has the same shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

/** What an integration (or a step answering early) hands to the method response. */
export interface MethodResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  /** A buffer, a stream piped to the client, or null for no body. */
  body: Buffer | Readable | null;
}

/** A verified IAM caller, in the words of `$context.identity`. */
export interface IamIdentity {
  accessKey: string;
  accountId: string;
  /** The principal id (`AIDA…` for a user): `$context.identity.caller` and `.user`. */
  principalId: string;
  userArn: string;
}

export class RequestContext {
  /** Path parameters of the matched route, percent-decoded; `proxy` for `{proxy+}`. */
  pathParameters: Record<string, string> = {};
  /** Greedy path values as they came on the wire, for forwarding without re-encoding. */
  rawPathParameters: Record<string, string> = {};
  /** Set when the route was matched, e.g. `/pets/{id}` (REST) or `GET /pets/{id}` (HTTP API). */
  resourcePath = '';
  resourceId = '';
  routeKey = '';
  /**
   * What the route's authorizer established, as the integration's event carries it: REST Lambda
   * authorizers `{principalId, integrationLatency, ...context as strings}`, Cognito
   * `{claims}`; HTTP APIs with payload 2.0 `{lambda: {...}}` or `{jwt: {claims, scopes}}`, with
   * 1.0 the flat forms. Undefined on routes without an authorizer (see features/auth).
   */
  authorizer: Record<string, unknown> | undefined = undefined;
  /** The API key the request was accepted with (methods with apiKeyRequired). */
  apiKey: { id: string; value: string } | undefined = undefined;
  /**
   * The IAM caller whose SigV4 signature the request carried, once verified (AWS_IAM methods and
   * routes, or a cache invalidation); `$context.identity.*` and the events show it.
   */
  iamIdentity: IamIdentity | undefined = undefined;
  /** True when the request goes to the stage's canary deployment ($context.isCanaryRequest). */
  isCanaryRequest = false;
  /**
   * The API mapping's base path when the request came through a custom domain name ('' for the
   * domain's root mapping); undefined on execute-api hosts and the path style.
   */
  basePath: string | undefined = undefined;
  /** The stage cache key the method response is stored under; undefined when it is not stored (features/cache). */
  cacheKey: string | undefined = undefined;
  /** The client's `Cache-Control: max-age=0` was ignored and the response carries AWS's warning. */
  cacheControlIgnored = false;
  /** Set when the stage takes the request. */
  apiId = '';
  deploymentId = '';
  stageVariables: Readonly<Record<string, string>> = {};
  /** The buffered request body, once a step has asked for it (see body.ts). */
  body: Promise<Buffer> | undefined = undefined;
  /** The same body once it has been read, for synchronous readers such as parameter mappings. */
  bodyBuffer: Buffer | undefined = undefined;
  /** The request body as it came on the wire, once read (see body.ts). */
  rawBody: Promise<Buffer> | undefined = undefined;
  /** The body as it came on the wire, before Content-Encoding was decoded: what a SigV4 signature covers. */
  rawBodyBuffer: Buffer | undefined = undefined;

  constructor(
    readonly requestId: string,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly method: string,
    /** The request path after the stage segment, as received (percent-encoded), starting with '/'. */
    readonly path: string,
    /** The query string without '?', as received. */
    readonly rawQuery: string,
    readonly stageName: string,
    readonly requestTimeEpoch: number,
    readonly sourceIp: string,
  ) {}
}
