/**
 * The command table: flags and help only. Each action turns its options into a typed object and
 * lazy-imports the command, so start-up stays fast and commands can be tested without the parser.
 */
import { Command, Option } from 'commander';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import {
  addConnectionOptions,
  addOutputOptions,
  readConnectionFlags,
  readLogLevel,
} from './options.js';

/** Builds the commander program. */
export function buildProgram(): Command {
  const program = new Command(TOOL_NAME)
    .description(
      'Back up, restore and migrate Project Calico data between etcd and the Kubernetes API datastore',
    )
    .version(TOOL_VERSION)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  const exportCommand = program
    .command('export')
    .description('snapshot every Calico resource of a datastore into a verifiable archive')
    .addOption(
      new Option('--from <datastore>', 'source datastore (default: DATASTORE_TYPE)').choices([
        'etcd',
        'etcdv3',
        'kdd',
        'kubernetes',
      ]),
    )
    .requiredOption('-o, --output <file>', 'archive to write (.tar.gz), or - for stdout');
  addOutputOptions(addConnectionOptions(exportCommand)).action(
    async (options: Record<string, unknown>) => {
      const { runExport } = await import('./commands/export.js');
      await runExport({
        from: options.from as string | undefined,
        output: options.output as string,
        connection: readConnectionFlags(options),
        logLevel: readLogLevel(options),
      });
    },
  );

  program
    .command('inspect')
    .description('validate an archive (format, checksums, manifest) and print what it holds')
    .argument('<archive>', 'archive file, or - for stdin')
    .option('--list', 'list every object')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (archive: string, options: Record<string, unknown>) => {
      const { runInspect } = await import('./commands/inspect.js');
      await runInspect({
        archive,
        list: options.list === true,
        output: options.output as 'text' | 'json',
      });
    });

  return program;
}
