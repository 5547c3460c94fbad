// A domain with mutual TLS serves only requests on a TLS connection made to that domain (by SNI)
// whose client certificate its truststore verified. Checked per request against the Host the
// request names, so neither plain HTTP nor a connection opened under another name bypasses it.
// AWS completes the handshake and answers 403 Forbidden; so does Gatehouse.
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { GatewayError } from '../gateway-responses.js';
import { hostnameOf, type DomainEntry, type DomainTable } from './domain-table.js';

export function requireTrustedClient(
  req: IncomingMessage,
  domain: DomainEntry,
  domains: DomainTable,
  log: (message: string, fields?: Record<string, unknown>) => void,
): void {
  const socket = req.socket;
  let reason: string | undefined;
  if (!(socket instanceof TLSSocket)) {
    reason = 'not a TLS connection';
  } else {
    const servername = typeof socket.servername === 'string' ? hostnameOf(socket.servername) : '';
    if (servername === '' || domains.find(servername)?.domainName !== domain.domainName)
      reason = `the TLS connection was opened for ${servername || 'no server name'}`;
    else if (!socket.authorized)
      reason = socket.authorizationError ? String(socket.authorizationError) : 'no client certificate';
  }
  if (reason === undefined) return;
  // As AWS's execution log puts it: "Access denied. Reason: …".
  log('mutual TLS: access denied', { domainName: domain.domainName, reason });
  throw new GatewayError('ACCESS_DENIED', 'Forbidden');
}
