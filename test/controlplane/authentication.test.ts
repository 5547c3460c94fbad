// Every management request must carry a valid SigV4 signature from configured credentials:
// missing, unknown, wrong, stale and tampered requests are refused with AWS's error types, and
// the AWS CLI and SDK get through with the right credentials and fail with wrong ones.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { signRequest } from '../../src/sigv4/index.js';
import {
  CREDENTIALS_FILE_NAME,
  parseCredentials,
  resolveAdminCredentials,
} from '../../src/controlplane/credentials.js';
import { awsCliAvailable } from '../helpers/services.js';
import { startTestManagement, type TestManagement } from '../helpers/admin.js';

const hasAwsCli = awsCliAvailable();
let m: TestManagement;
beforeAll(async () => {
  m = await startTestManagement();
});
afterAll(() => m.close());

async function signedCall(opts: {
  method?: string;
  path?: string;
  body?: string;
  sendBody?: string;
  secret?: string;
  keyId?: string;
  at?: Date;
}) {
  const url = `${m.adminUrl}${opts.path ?? '/restapis'}`;
  const body = Buffer.from(opts.body ?? '');
  const headers = { 'content-type': 'application/json' };
  const signature = await signRequest(
    { method: opts.method ?? 'GET', url, headers, body },
    {
      accessKeyId: opts.keyId ?? m.credential.accessKeyId,
      secretAccessKey: opts.secret ?? m.credential.secretAccessKey,
    },
    { service: 'apigateway', region: 'eu-west-3' },
    opts.at,
  );
  const response = await request(url, {
    method: (opts.method ?? 'GET') as 'GET',
    headers: { ...headers, ...signature },
    body: opts.sendBody ?? (opts.body === undefined ? null : body),
  });
  return {
    status: response.statusCode,
    type: response.headers['x-amzn-errortype'],
    body: (await response.body.json()) as { message?: string },
  };
}

describe('management API authentication', () => {
  it('accepts a correctly signed request for any region', async () => {
    const result = await signedCall({});
    expect(result.status).toBe(200);
  });

  it('refuses a request without a signature', async () => {
    const response = await request(`${m.adminUrl}/restapis`);
    expect(response.statusCode).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(await response.body.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('refuses an unknown access key', async () => {
    const result = await signedCall({ keyId: 'AKIDUNKNOWN' });
    expect(result.status).toBe(403);
    expect(result.type).toBe('UnrecognizedClientException');
    expect(result.body.message).toBe('The security token included in the request is invalid.');
  });

  it('refuses a wrong secret', async () => {
    const result = await signedCall({ secret: 'not-the-secret' });
    expect(result.status).toBe(403);
    expect(result.type).toBe('InvalidSignatureException');
    expect(result.body.message).toMatch(/^The request signature we calculated does not match/);
  });

  it('refuses a date more than 15 minutes off', async () => {
    const result = await signedCall({ at: new Date(Date.now() - 16 * 60_000) });
    expect(result.status).toBe(403);
    expect(result.type).toBe('InvalidSignatureException');
    expect(result.body.message).toMatch(/^Signature expired/);
  });

  it('refuses a body changed after signing', async () => {
    const result = await signedCall({
      method: 'POST',
      body: '{"name":"signed"}',
      sendBody: '{"name":"tampered"}',
    });
    expect(result.status).toBe(403);
    expect(result.type).toBe('InvalidSignatureException');
    expect((await m.store.listApis()).map((api) => api.name)).not.toContain('tampered');
  });

  it('answers an unknown path with NotFoundException after authentication', async () => {
    const result = await signedCall({ path: '/no-such-thing' });
    expect(result.status).toBe(404);
    expect(result.type).toBe('NotFoundException');
  });

  it('gives the SDK its usual exception for wrong credentials', async () => {
    const client = new APIGatewayClient({
      endpoint: m.adminUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: m.credential.accessKeyId, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    const error = await client.send(new GetRestApisCommand({})).catch((e: unknown) => e);
    client.destroy();
    expect((error as Error).name).toBe('InvalidSignatureException');
  });

  it.runIf(hasAwsCli)('lets the AWS CLI in with the right credentials and not with wrong ones', async () => {
    const ok = await m.aws(['apigateway', 'get-rest-apis']);
    expect(ok.code).toBe(0);
    const refused = await m.aws(['apigateway', 'get-rest-apis'], {
      credential: { accessKeyId: m.credential.accessKeyId, secretAccessKey: 'wrong' },
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidSignatureException');
  });

  it('answers an oversized body with 413 without reading it all', async () => {
    const big = 'x'.repeat(11 * 1024 * 1024);
    const response = await request(`${m.adminUrl}/restapis`, { method: 'POST', body: big });
    expect(response.statusCode).toBe(413);
    await response.body.dump();
  });
});

describe('management API rate limit', () => {
  it('answers TooManyRequestsException past the per-key limit, which the SDK raises as such', async () => {
    const limited = await startTestManagement({ rateLimit: 1 });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () =>
          limited.v1.send(new GetRestApisCommand({})).then(
            () => 'ok',
            (error: unknown) => (error as Error).name,
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'TooManyRequestsException')).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });
});

describe('admin credentials', () => {
  it('parses KEY:SECRET lists and refuses malformed entries without echoing secrets', () => {
    expect(parseCredentials('AK1:s1,AK2:s:2', 'env')).toEqual([
      { accessKeyId: 'AK1', secretAccessKey: 's1' },
      { accessKeyId: 'AK2', secretAccessKey: 's:2' },
    ]);
    expect(() => parseCredentials('AK1:s1,justasecretvalue', 'env')).toThrow(/credential 2/);
    expect(() => parseCredentials('AK1:s1,justasecretvalue', 'env')).not.toThrow(/justasecretvalue/);
    expect(() => parseCredentials('', 'env')).toThrow(/no credentials/);
  });

  it('generates a pair on first start, readable by its owner only, and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-creds-'));
    try {
      const first = resolveAdminCredentials({ env: {}, dataDir: dir });
      expect(first.source).toBe('generated');
      const file = join(dir, CREDENTIALS_FILE_NAME);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const [keyId] = first.credentials.accessKeyIds;
      expect(keyId).toMatch(/^GH[A-Z2-7]{18}$/);
      expect(await readFile(file, 'utf8')).toContain(`${keyId}:`);
      const second = resolveAdminCredentials({ env: {}, dataDir: dir });
      expect(second.source).toBe('data directory');
      expect(second.credentials.accessKeyIds).toEqual([keyId]);
      const fromEnv = resolveAdminCredentials({
        env: { GATEHOUSE_ADMIN_CREDENTIALS: 'ENVKEY:envsecret' },
        dataDir: dir,
      });
      expect(fromEnv.source).toBe('environment');
      expect(fromEnv.credentials.secretFor('ENVKEY')).toBe('envsecret');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
