// How `gatehouse serve` is told to throttle: the configuration file's `throttling` and `state`,
// --state and GATEHOUSE_STATE.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type GatehouseConfig } from '../../../src/config/gatehouse-config.js';
import { compileThrottle, Throttling, throttlingSettingsOf } from '../../../src/features/throttling/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-throttling-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFrom(yaml: string): Promise<GatehouseConfig> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  return (await loadConfig(file)).config;
}

describe('throttling settings', () => {
  it('reads the account limits and the state from the configuration file', async () => {
    const config = await configFrom(
      [
        'throttling: { rateLimit: 500, burstLimit: 100 }',
        'state: { url: "redis://127.0.0.1:6379", failure: closed, timeoutMs: 25, keyPrefix: "edge:" }',
      ].join('\n'),
    );
    expect(throttlingSettingsOf(config, undefined, {})).toEqual({
      state: { url: 'redis://127.0.0.1:6379', failure: 'closed', timeoutMs: 25, keyPrefix: 'edge:' },
      account: { rateLimit: 500, burstLimit: 100 },
    });
  });

  it('--state wins over GATEHOUSE_STATE, which wins over the file; memory by default', async () => {
    const config = await configFrom('state: { url: "redis://file:6379" }');
    const env = { GATEHOUSE_STATE: 'redis://env:6379' };
    expect(throttlingSettingsOf(config, 'redis://flag:6379', env).state?.url).toBe('redis://flag:6379');
    expect(throttlingSettingsOf(config, undefined, env).state?.url).toBe('redis://env:6379');
    expect(throttlingSettingsOf(config, undefined, {}).state?.url).toBe('redis://file:6379');
    expect(throttlingSettingsOf(undefined, undefined, {}).state?.url).toBeUndefined();
    expect(throttlingSettingsOf(undefined, 'memory', env).state?.url).toBe('memory');
  });

  it('refuses a state that is neither memory nor a Redis URL, naming it', () => {
    expect(() => throttlingSettingsOf(undefined, 'postgres://db', {})).toThrow(/postgres:\/\/db/);
    // A password in the URL stays out of the message.
    expect(() => throttlingSettingsOf(undefined, 'postgres://user:s3cret@db', {})).toThrow(
      /^(?!.*s3cret).*postgres:\/\/db/,
    );
    expect(() => throttlingSettingsOf(undefined, undefined, { GATEHOUSE_STATE: 'redis:/x' })).toThrow(
      /memory or a redis/,
    );
  });

  it('refuses bad throttling and state settings in the file with a JSON pointer', async () => {
    for (const [yaml, pointer] of [
      ['throttling: { rateLimit: -1, burstLimit: 5 }', '/throttling'],
      ['throttling: { rateLimit: 5 }', '/throttling'],
      ['state: { failure: sometimes }', '/state/failure'],
      ['state: { url: "memcached://x" }', '/state/url'],
      ['state: { timeoutMs: 0 }', '/state/timeoutMs'],
    ] as const) {
      const attempt = configFrom(yaml);
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(pointer);
    }
  });

  it('throttling: false switches every throttle step off', async () => {
    const config = await configFrom('throttling: false');
    const settings = throttlingSettingsOf(config, undefined, {});
    expect(settings).toEqual({ enabled: false });
    const throttling = new Throttling({ enabled: false });
    const step = compileThrottle({
      throttling,
      apiId: 'a',
      stageName: 'prod',
      routeKey: 'GET /',
      limits: { rateLimit: 0, burstLimit: 0 },
      planMethodKey: '//GET',
    });
    expect(step).toBeNull();
  });

  it('a route with no limits and no account bucket gets no step at all', () => {
    const throttling = new Throttling({ account: null });
    expect(
      compileThrottle({ throttling, apiId: 'a', stageName: 'p', routeKey: 'GET /', limits: undefined }),
    ).toBeNull();
    expect(
      compileThrottle({
        throttling: new Throttling(),
        apiId: 'a',
        stageName: 'p',
        routeKey: 'GET /',
        limits: undefined,
      }),
    ).not.toBeNull();
  });
});
