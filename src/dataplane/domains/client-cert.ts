// The client certificate of a mutual TLS connection, shaped as API Gateway exposes it in
// `$context.identity.clientCert` and in Lambda events. Worked out once per connection: every
// request on a keep-alive connection shares the same certificate.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface ClientCert {
  clientCertPem: string;
  subjectDN: string;
  issuerDN: string;
  /** Colon-separated lowercase hex pairs, as AWS writes it. */
  serialNumber: string;
  /** OpenSSL's text form, e.g. `May 28 12:30:02 2019 GMT`. */
  validity: { notBefore: string; notAfter: string };
}

const byConnection = new WeakMap<Socket, ClientCert | null>();

/**
 * The verified certificate the client presented on this connection; null on plain HTTP, on TLS
 * without mutual TLS, and when the certificate was not trusted (such a request is refused
 * before anything reads this).
 */
export function clientCertOf(socket: Socket): ClientCert | null {
  if (!(socket instanceof TLSSocket)) return null;
  let cert = byConnection.get(socket);
  if (cert === undefined) {
    cert = socket.authorized ? describe(socket) : null;
    byConnection.set(socket, cert);
  }
  return cert;
}

function describe(socket: TLSSocket): ClientCert | null {
  const x509 = socket.getPeerX509Certificate();
  if (!x509) return null;
  return {
    clientCertPem: x509.toString(),
    subjectDN: distinguishedName(x509.subject),
    issuerDN: distinguishedName(x509.issuer),
    serialNumber: colonHex(x509.serialNumber),
    validity: { notBefore: x509.validFrom, notAfter: x509.validTo },
  };
}

/**
 * Node lists a name's attributes one per line, most general first (`C=…\nO=…\nCN=…`); the
 * distinguished name is written the RFC 4514 way, most specific first and comma-separated.
 */
function distinguishedName(lines: string): string {
  return lines.split('\n').filter(Boolean).reverse().join(',');
}

function colonHex(hex: string): string {
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return (even.toLowerCase().match(/../g) ?? []).join(':');
}
