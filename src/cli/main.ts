#!/usr/bin/env node
// The `gatehouse` command. Exit codes: 0 success, 1 failure (bad file, unknown API, …),
// 2 wrong usage.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runDeploy, runExport, runImport, runList, storeOption } from './config-commands.js';
import { registerApiKeyCommands } from './api-key-commands.js';
import { runEnableCors } from './cors-command.js';
import { runExample, runServe } from './serve-commands.js';
import { registerStageCommands } from './stage-commands.js';

const DEFAULT_DATA_DIR = '.gatehouse';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100)
    throw new InvalidArgumentError('must be a percentage from 0 to 100');
  return n;
}

const dataOption = () => new Option('--data <dir>', 'data directory').default(DEFAULT_DATA_DIR);

export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('A self-hosted API gateway that runs AWS API Gateway APIs unchanged')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('serve')
    .description('serve every deployed stage')
    .option('--port <port>', 'data-plane port', port, 8080)
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--config <file>', 'configuration file: function runtimes (docs/configuration.md)')
    .option('--admin-port <port>', 'management API port (AWS CLI and SDK endpoint)', port, 9080)
    .option('--no-admin', 'serve the data plane only, without the management API')
    .option('--tls-port <port>', 'also serve HTTPS on this port: custom domains, SNI, mutual TLS', port)
    .option(
      '--state <url>',
      'runtime state for throttling, quotas and response caches: memory (default) or a redis:// URL that several gateways share (or GATEHOUSE_STATE)',
    )
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      (opts: {
        port: number;
        host: string;
        config?: string;
        data: string;
        adminPort: number;
        admin: boolean;
        tlsPort?: number;
        state?: string;
      }) => runServe(opts),
    );

  program
    .command('import')
    .description('import an OpenAPI 3 or Swagger 2 file (YAML or JSON) as a new API; prints its id last')
    .argument('<file>', 'the OpenAPI file')
    .option('--stage <name>', 'also deploy the API to this stage')
    .option('--variables <k=v,...>', 'stage variables, with --stage')
    .option('--config <file>', 'refuse the deployment if a function it names is not in this configuration')
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      async (file: string, opts: { stage?: string; variables?: string; config?: string; data: string }) => {
        await runImport(file, opts);
      },
    );

  program
    .command('deploy')
    .description('deploy the API as it is now to a stage (creating the stage if needed)')
    .argument('<apiId>', 'the API id')
    .requiredOption('--stage <name>', 'stage name')
    .option(
      '--variables <k=v,...>',
      'stage variables, merged over the existing ones (with --canary: its overrides)',
    )
    .option('--description <text>', 'deployment description')
    .option(
      '--canary <percent>',
      "deploy as the stage's canary taking this share of its traffic (promote with `gatehouse canary promote`)",
      percent,
    )
    .option('--config <file>', 'refuse the deployment if a function it names is not in this configuration')
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      (
        apiId: string,
        opts: {
          stage: string;
          variables?: string;
          description?: string;
          config?: string;
          data: string;
          canary?: number;
        },
      ) => runDeploy(apiId, opts),
    );

  program
    .command('export')
    .description('print an API as OpenAPI 3.0 (or Swagger 2.0) with the x-amazon-apigateway extensions')
    .argument('<apiId>', 'the API id')
    .option('--stage <name>', "export the stage's deployed snapshot rather than the current API")
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('yaml'))
    .option('--swagger', "write Swagger 2.0, as AWS's swagger export does (REST APIs only)")
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      (apiId: string, opts: { stage?: string; format: 'json' | 'yaml'; swagger?: boolean; data: string }) =>
        runExport(apiId, opts),
    );

  program
    .command('ls')
    .description('list APIs, their stages and invoke URLs')
    .option('--port <port>', 'data-plane port to show in URLs', port, 8080)
    .addOption(dataOption())
    .addOption(storeOption())
    .action((opts: { port: number; data: string }) => runList(opts));

  program
    .command('cors')
    .description('enable CORS on a REST API as the AWS console\'s "Enable CORS" does')
    .argument('<apiId>', 'the REST API id')
    .option('--origin <origin>', "Access-Control-Allow-Origin (default '*')")
    .option('--headers <list>', 'Access-Control-Allow-Headers (default: the console list)')
    .option('--methods <list>', "Access-Control-Allow-Methods (default: each resource's methods and OPTIONS)")
    .option('--paths <paths>', 'comma-separated resource paths (default: every resource with methods)')
    .option('--deploy <stage>', 'deploy to this stage afterwards')
    .addOption(dataOption())
    .addOption(storeOption())
    .action(
      (
        apiId: string,
        o: {
          origin?: string;
          headers?: string;
          methods?: string;
          paths?: string;
          deploy?: string;
          data: string;
          store?: string;
        },
      ) =>
        runEnableCors(apiId, {
          data: o.data,
          ...(o.store !== undefined && { store: o.store }),
          ...(o.origin !== undefined && { origin: o.origin }),
          ...(o.headers !== undefined && { headers: o.headers }),
          ...(o.methods !== undefined && { methods: o.methods }),
          ...(o.paths !== undefined && { paths: o.paths }),
          ...(o.deploy !== undefined && { deployStage: o.deploy }),
        }),
    );

  program
    .command('example')
    .description('serve the bundled example API with its small backend, and print URLs to try')
    .option('--port <port>', 'data-plane port', port, 8080)
    .action((opts: { port: number }) => runExample(opts));

  registerApiKeyCommands(program, dataOption);
  registerStageCommands(program, dataOption);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; everything else commander reports is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    // Problems with files, ids or the data directory: one clear line, no stack trace.
    process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
