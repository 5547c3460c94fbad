// Custom domain names as the data plane reads them: host → domain (exact name first, then the
// most specific wildcard), then the request path → API mapping (the longest base path that is a
// prefix on a segment boundary, else the root mapping). Built by the stage loader from the store
// on every change and swapped into the registry whole; never changed after construction.
import type { ApiMapping, DomainName, MutualTlsAuthentication } from '../../model/domain-names.js';

export interface MappingEntry {
  /** The base path without slashes; '' for the root mapping. */
  apiMappingKey: string;
  apiId: string;
  stage: string;
}

export interface DomainEntry {
  /** As configured, lowercased; wildcards keep their `*.`. */
  domainName: string;
  endpointType: DomainName['endpointType'];
  /** The name of an entry in the configuration file's `certificates` (certificateName, else certificateArn). */
  certificateName: string | undefined;
  mutualTls: MutualTlsAuthentication | undefined;
  /** Longest base path first, the root mapping (if any) last. */
  mappings: readonly MappingEntry[];
}

export interface MappingMatch {
  domain: DomainEntry;
  mapping: MappingEntry;
  /** The request path after the base path, starting with '/'. */
  path: string;
}

/** A configured domain with no mapping for the path: AWS answers 403 Forbidden. */
export interface UnmappedDomain {
  domain: DomainEntry;
  mapping: undefined;
}

export type DomainMatch = MappingMatch | UnmappedDomain;

export class DomainTable {
  static readonly EMPTY = new DomainTable([], []);

  private readonly exact = new Map<string, DomainEntry>();
  /** Keyed by the suffix after `*` (`.example.com`). */
  private readonly wildcards = new Map<string, DomainEntry>();
  /** Wildcard suffix lengths, longest first, so the most specific wildcard is tried first. */
  private readonly wildcardLengths: number[];

  constructor(domains: readonly DomainName[], mappings: readonly ApiMapping[]) {
    const byDomain = new Map<string, MappingEntry[]>();
    for (const mapping of mappings) {
      const name = mapping.domainName.toLowerCase();
      let list = byDomain.get(name);
      if (!list) byDomain.set(name, (list = []));
      list.push({ apiMappingKey: mapping.apiMappingKey, apiId: mapping.apiId, stage: mapping.stage });
    }
    for (const domain of domains) {
      const name = domain.domainName.toLowerCase();
      const entry: DomainEntry = {
        domainName: name,
        endpointType: domain.endpointType,
        certificateName: domain.certificateName ?? domain.certificateArn,
        mutualTls: domain.mutualTlsAuthentication,
        mappings: (byDomain.get(name) ?? []).sort((a, b) => b.apiMappingKey.length - a.apiMappingKey.length),
      };
      if (name.startsWith('*.')) this.wildcards.set(name.slice(1), entry);
      else this.exact.set(name, entry);
    }
    this.wildcardLengths = [...new Set([...this.wildcards.keys()].map((s) => s.length))].sort(
      (a, b) => b - a,
    );
  }

  get size(): number {
    return this.exact.size + this.wildcards.size;
  }

  domains(): IterableIterator<DomainEntry> {
    return [...this.exact.values(), ...this.wildcards.values()].values();
  }

  /**
   * The domain serving a hostname (lowercase, no port). `*.example.com` stands for every name
   * below example.com, at any depth, but not example.com itself.
   */
  find(hostname: string): DomainEntry | undefined {
    const exact = this.exact.get(hostname);
    if (exact || this.wildcards.size === 0) return exact;
    for (const length of this.wildcardLengths) {
      // At least one label must stand where the `*` is.
      if (hostname.length <= length) continue;
      const suffix = hostname.slice(hostname.length - length);
      const entry = this.wildcards.get(suffix);
      if (entry) return entry;
    }
    return undefined;
  }

  /**
   * The mapping for a host and raw request path. Undefined when no domain is configured for the
   * host (other resolution applies); a domain with `mapping: undefined` is one that maps nothing
   * at this path.
   */
  match(host: string | undefined, path: string): DomainMatch | undefined {
    if (this.size === 0 || !host) return undefined;
    const domain = this.find(hostnameOf(host));
    if (!domain) return undefined;
    for (const mapping of domain.mappings) {
      const key = mapping.apiMappingKey;
      if (key === '') return { domain, mapping, path };
      // `/orders` and `/orders/…` belong to base path `orders`; `/ordersX` does not.
      const end = key.length + 1;
      if (path.startsWith(key, 1) && (path.length === end || path[end] === '/')) {
        return { domain, mapping, path: path.length === end ? '/' : path.slice(end) };
      }
    }
    return { domain, mapping: undefined };
  }
}

/** The Host header as a domain name: without the port and a trailing dot, lowercased. */
export function hostnameOf(host: string): string {
  let end = host.length;
  if (host[0] === '[') {
    // An IPv6 literal: never a custom domain, but keep it whole.
    const close = host.indexOf(']');
    end = close === -1 ? end : close + 1;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1) end = colon;
  }
  if (end > 0 && host[end - 1] === '.') end--;
  return (end === host.length ? host : host.slice(0, end)).toLowerCase();
}
