// Suites that need PostgreSQL or Redis. On a machine without them the suite says so in one
// line and does not run; CI sets GATEHOUSE_REQUIRE_SERVICES=1 so a missing service fails the
// run instead of passing quietly.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export const POSTGRES_URL =
  process.env['GATEHOUSE_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env['GATEHOUSE_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

const required = process.env['GATEHOUSE_REQUIRE_SERVICES'] === '1';

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function available(name: string, url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  if (await reachable(hostname, Number(port))) return true;
  if (required) throw new Error(`${name} is not reachable at ${hostname}:${port}, and this run requires it`);
  console.warn(`${name} is not reachable at ${hostname}:${port}: its suites do not run here`);
  return false;
}

/** True when PostgreSQL answers; use with `describe.runIf(await postgresAvailable())`. */
export const postgresAvailable = (): Promise<boolean> => available('PostgreSQL', POSTGRES_URL);
/** True when Redis answers; use with `describe.runIf(await redisAvailable())`. */
export const redisAvailable = (): Promise<boolean> => available('Redis', REDIS_URL);

/** The AWS CLI v2 that management API tests drive (Debian's `awscli`; `.ci/run` installs it). */
export const AWS_CLI_PATH = '/usr/bin/aws';

/** True when the AWS CLI v2 is installed; use with `it.runIf(awsCliAvailable())`. */
export function awsCliAvailable(): boolean {
  if (existsSync(AWS_CLI_PATH)) return true;
  if (required) throw new Error(`the AWS CLI is not installed at ${AWS_CLI_PATH}, and this run requires it`);
  if (!cliWarned)
    console.warn(`the AWS CLI is not installed at ${AWS_CLI_PATH}: tests that drive it do not run here`);
  cliWarned = true;
  return false;
}
let cliWarned = false;
