import { CommanderError } from 'commander';
import { CliInputError } from '../cli/context';
import { buildCliProgram } from '../cli/program';
import { openCliResources } from '../cli/resources';
import { ConfigError, loadConfig } from '../config';
import { logger } from '../logger';
import { runApp } from './lifecycle';

/** `npm run cli -- <command>`: see `npm run cli -- --help`. Exits with the command's code. */
runApp(async (app) => {
  try {
    const config = loadConfig();
    // Opens its database and Temporal connections on first use; closed when the command ends.
    const resources = await app.start({ name: 'cli resources', start: () => openCliResources(config, (line) => process.stdout.write(`${line}\n`)), stop: (r) => r.close() });
    await buildCliProgram(resources).parseAsync(process.argv.slice(2), { from: 'user' });
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
  }
});
