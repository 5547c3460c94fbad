// A small OpenID provider for JWT tests: a node:http server on port 0 that publishes a
// discovery document under any issuer path and a key set the test can swap, counts what it
// serves, and signs tokens with jose.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(
  kid: string,
  alg: 'RS256' | 'ES256' | 'PS256' = 'RS256',
): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

export interface IdentityProvider {
  /** `http://127.0.0.1:{port}`. */
  base: string;
  /** The issuer served at the root: the same as base. */
  issuer: string;
  jwksUri: string;
  keys: SigningKey[];
  /** Requests served per path. */
  hits: Map<string, number>;
  /** Status to answer discovery requests with, for outage tests. */
  discoveryStatus: number;
  sign(key: SigningKey, claims: JWTPayload, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  /** Seconds from now (negative: in the past); omitted claims are not set. */
  expiresIn?: number;
  notBefore?: number;
  /** The clock the relative times count from, in milliseconds. Default Date.now(). */
  now?: number;
  issuer?: string;
  header?: Record<string, unknown>;
}

const DISCOVERY = '/.well-known/openid-configuration';

export async function startIdentityProvider(keys: SigningKey[]): Promise<IdentityProvider> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.endsWith(DISCOVERY)) {
      if (idp.discoveryStatus !== 200) {
        res.writeHead(idp.discoveryStatus).end();
        return;
      }
      const issuer = idp.base + path.slice(0, -DISCOVERY.length);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer, jwks_uri: idp.jwksUri }));
      return;
    }
    if (path === '/jwks') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: idp.keys.map((key) => key.jwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp: IdentityProvider = {
    base,
    issuer: base,
    jwksUri: `${base}/jwks`,
    keys,
    hits,
    discoveryStatus: 200,
    async sign(key, claims, options = {}) {
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
        .setIssuer(options.issuer ?? idp.issuer)
        .setIssuedAt(now);
      if (options.expiresIn !== undefined) jwt.setExpirationTime(now + options.expiresIn);
      if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
      return jwt.sign(key.privateKey);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return idp;
}
