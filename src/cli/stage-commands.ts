// CLI commands for stages and the management API's credentials: `stages`, `canary promote`,
// `credentials`. They work on the store directly, like `deploy`, so they need no signing.
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { promoteCanary } from '../controlplane/canary-promotion.js';
import {
  CREDENTIALS_FILE_NAME,
  CREDENTIALS_ENV,
  generateCredential,
  resolveAdminCredentials,
  writeCredentialsFile,
} from '../controlplane/credentials.js';
import type { Stage } from '../model/api.js';
import { storeOption, withStore } from './config-commands.js';

function describeStage(stage: Stage): string {
  const lines = [
    `${stage.stageName}  deployment ${stage.deploymentId ?? '(none)'}  updated ${new Date(stage.lastUpdatedDate * 1000).toISOString()}`,
  ];
  const variables = Object.entries(stage.variables);
  if (variables.length > 0) lines.push(`  variables: ${variables.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const canary = stage.canarySettings;
  if (canary) {
    const overrides = Object.entries(canary.stageVariableOverrides ?? {});
    lines.push(
      `  canary: ${canary.percentTraffic ?? 0}% to deployment ${canary.deploymentId ?? stage.deploymentId ?? '(none)'}` +
        (overrides.length > 0 ? `, overrides ${overrides.map(([k, v]) => `${k}=${v}`).join(', ')}` : ''),
    );
  }
  return lines.join('\n');
}

export function registerStageCommands(program: Command, dataOption: () => Option): void {
  program
    .command('stages')
    .description("list an API's stages with their deployments, variables and canaries")
    .argument('<apiId>', 'the API id')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((apiId: string, opts: { data: string; store?: string }) =>
      withStore(opts, async (store) => {
        if (!(await store.getApi(apiId))) throw new Error(`no API with id ${apiId}`);
        const stages = await store.listStages(apiId);
        process.stdout.write(
          stages.length === 0 ? 'no stages\n' : `${stages.map(describeStage).join('\n')}\n`,
        );
      }),
    );

  program
    .command('canary')
    .description('canary releases: deploy one with `gatehouse deploy --canary PERCENT`')
    .command('promote')
    .description("make the canary the stage's deployment (with its variable overrides) and remove the canary")
    .argument('<apiId>', 'the API id')
    .requiredOption('--stage <name>', 'stage name')
    .addOption(dataOption())
    .addOption(storeOption())
    .action((apiId: string, opts: { stage: string; data: string; store?: string }) =>
      withStore(opts, async (store) => {
        const stage = await store.getStage(apiId, opts.stage);
        if (!stage) throw new Error(`API ${apiId} has no stage ${opts.stage}`);
        const promoted = promoteCanary(stage, Math.floor(Date.now() / 1000));
        await store.putStage(promoted);
        process.stdout.write(`promoted: ${describeStage(promoted)}\n`);
      }),
    );

  program
    .command('credentials')
    .description('show the management API credentials kept in the data directory, or rotate them')
    .option('--rotate', 'replace them with a new pair (running gateways pick it up)')
    .option('--show-secret', 'print the secret access key too')
    .addOption(dataOption())
    .action((opts: { rotate?: boolean; showSecret?: boolean; data: string }) => {
      const file = join(opts.data, CREDENTIALS_FILE_NAME);
      if (process.env[CREDENTIALS_ENV]) {
        process.stderr.write(
          `note: ${CREDENTIALS_ENV} is set; a gateway started with it uses those instead\n`,
        );
      }
      let shown: { accessKeyId: string; secretAccessKey: string | undefined };
      if (opts.rotate) {
        const credential = generateCredential();
        writeCredentialsFile(file, [credential]);
        shown = credential;
        process.stdout.write(`rotated: the old credentials no longer sign requests\n`);
      } else {
        const { credentials } = resolveAdminCredentials({ env: {}, dataDir: opts.data });
        const accessKeyId = credentials.accessKeyIds[0]!;
        shown = { accessKeyId, secretAccessKey: credentials.secretFor(accessKeyId) };
      }
      process.stdout.write(
        [
          `file: ${file}`,
          `aws_access_key_id = ${shown.accessKeyId}`,
          `aws_secret_access_key = ${opts.showSecret || opts.rotate ? (shown.secretAccessKey ?? '') : '(hidden; --show-secret prints it)'}`,
          '',
        ].join('\n'),
      );
    });
}
