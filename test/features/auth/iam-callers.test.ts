// The `callers` section of Gatehouse's config file: defaults, the problems it reports (by JSON
// pointer, never with a secret), and what each caller shows as its identity.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/gatehouse-config.js';
import { compileIamCallers, IamCallerError } from '../../../src/features/auth/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-callers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(text: string): Promise<string> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return file;
}

describe('callers in the config file', () => {
  it('loads callers with and without ARN and policy', async () => {
    const file = await configFile(`
callers:
  ci-bot:
    accessKeyId: AKIACIBOT000000000001
    secretAccessKey: s3cr3t-ci
    policy:
      Version: '2012-10-17'
      Statement:
        - Effect: Allow
          Action: execute-api:Invoke
          Resource: arn:aws:execute-api:*:*:*/prod/GET/*
  deployer:
    accessKeyId: AKIADEPLOYER00000001
    secretAccessKey: s3cr3t-deployer
    arn: arn:aws:sts::000000000000:assumed-role/Deployer/pipeline
    policy: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
`);
    const { config } = await loadConfig(file);
    const callers = compileIamCallers(config.callers);
    expect(callers.size).toBe(2);
    const bot = callers.callerOf('AKIACIBOT000000000001')!;
    expect(bot.arn).toBe('arn:aws:iam::000000000000:user/ci-bot');
    expect(bot.identity).toEqual({
      accessKey: 'AKIACIBOT000000000001',
      accountId: '000000000000',
      principalId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      userArn: 'arn:aws:iam::000000000000:user/ci-bot',
    });
    expect(bot.invoke?.evaluate('arn:aws:execute-api:us-east-1:000000000000:a1/prod/GET/pets')).toBe('allow');
    expect(bot.invoke?.evaluate('arn:aws:execute-api:us-east-1:000000000000:a1/prod/POST/pets')).toBe(
      'implicit-deny',
    );
    expect(bot.invalidateCache?.evaluate('arn:aws:execute-api:us-east-1:000000000000:a1/prod/GET/pets')).toBe(
      'implicit-deny',
    );
    const deployer = callers.callerOf('AKIADEPLOYER00000001')!;
    expect(deployer.identity.principalId).toMatch(/^AROA[A-Z2-7]{17}:pipeline$/);
    expect(deployer.conditions['aws:principalarn']).toBe('arn:aws:iam::000000000000:role/Deployer');
    expect(
      deployer.invalidateCache?.evaluate('arn:aws:execute-api:us-east-1:000000000000:a1/prod/GET/x'),
    ).toBe('allow');
    expect(callers.secretOf('AKIADEPLOYER00000001')).toBe('s3cr3t-deployer');
    expect(callers.secretOf('AKIAUNKNOWN000000000')).toBeUndefined();
  });

  it('names every problem by pointer and never shows a secret', async () => {
    const file = await configFile(`
callers:
  a:
    accessKeyId: AKIASAME000000000001
    secretAccessKey: hunter2-a
    policy: '{not json'
  b:
    accessKeyId: AKIASAME000000000001
    secretAccessKey: hunter2-b
  c:
    accessKeyId: AKIAC000000000000001
    secretAccessKey: hunter2-c
    arn: ci-bot
  d:
    accessKeyId: AKIAD000000000000001
    secretAccessKey: hunter2-d
    policy:
      Statement: { Effect: Allow, Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }
  e:
    accessKeyId: AKIAE000000000000001
    secretAccessKey: hunter2-e
    policy:
      Statement: { Effect: Maybe, Action: 'execute-api:Invoke', Resource: '*' }
`);
    const error = await loadConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      `${file}: /callers/a/policy: The policy is not valid JSON`,
      `${file}: /callers/b/accessKeyId: caller "a" has the same access key id`,
      `${file}: /callers/c/arn: must be an IAM or STS ARN such as arn:aws:iam::000000000000:user/c`,
      `${file}: /callers/d/policy: Statement 1 has a Principal; identity policies name none`,
      `${file}: /callers/e/policy: Statement 1 has Effect "Maybe"; expected "Allow" or "Deny"`,
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('checks the shape of each caller', async () => {
    const file = await configFile(`
callers:
  bad/name:
    accessKeyId: AKIABAD0000000000001
    secretAccessKey: oops-1
  ok:
    accessKeyId: AKIA/WITH/SLASHES
    secret: oops-2
`);
    const error = await loadConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      expect.stringMatching(/\/callers\/bad~1name: not allowed; names must match/) as unknown,
      `${file}: /callers/ok: missing required field "secretAccessKey"`,
      `${file}: /callers/ok/secret: not allowed; this field is not part of the model`,
      `${file}: /callers/ok/accessKeyId: must match pattern "^\\w{1,128}$"`,
    ]);
    expect((error as Error).message).not.toContain('oops');
  });

  it('keeps secrets out of a caller’s printed form', () => {
    const callers = compileIamCallers({
      bot: { accessKeyId: 'AKIABOT0000000000001', secretAccessKey: 'top-secret' },
    });
    expect(inspect(callers, { depth: 10 })).not.toContain('top-secret');
    expect(JSON.stringify(callers.list())).not.toContain('top-secret');
    expect(() => compileIamCallers({ x: { accessKeyId: 'K', secretAccessKey: 's', arn: 'nope' } })).toThrow(
      IamCallerError,
    );
  });
});
