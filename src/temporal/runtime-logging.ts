import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { logger } from '../logger';

const child = logger.child({ component: 'temporal' });
const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/** Temporal's SDK and worker logs, as structured pino records. */
const pinoForTemporal: TemporalLogger = {
  log: (level: LogLevel, message: string, meta?: LogMetadata) => child[LEVELS[level]](meta ?? {}, message),
  trace: (message, meta) => child.trace(meta ?? {}, message),
  debug: (message, meta) => child.debug(meta ?? {}, message),
  info: (message, meta) => child.info(meta ?? {}, message),
  warn: (message, meta) => child.warn(meta ?? {}, message),
  error: (message, meta) => child.error(meta ?? {}, message),
};

let installed = false;

/** Routes the Temporal runtime's logs into pino; must run before the first worker. */
export function installTemporalLogging(): void {
  if (installed) return;
  installed = true;
  try {
    Runtime.install({ logger: pinoForTemporal });
  } catch (error) {
    logger.warn({ err: error }, 'Temporal runtime was already set up; its logs keep their default destination');
  }
}
