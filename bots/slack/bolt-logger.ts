import { LogLevel, type Logger } from '@slack/bolt';
import { logger } from '../../src/logger';

const log = logger.child({ component: 'slack' });

const BOLT_LEVEL: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

/** Bolt's arguments as one pino call: errors as `err`, everything else as the message. */
function write(level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]): void {
  const error = parts.find((part): part is Error => part instanceof Error);
  const text = parts
    .filter((part) => part !== error)
    .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
    .join(' ');
  if (error) log[level]({ err: error }, text || error.message);
  else log[level](text);
}

/**
 * Bolt, its Web API client and its Socket Mode client log through the app's logger, so
 * their lines are structured like every other and pass the same secret scrubbing. The
 * level is the app's (LOG_LEVEL); Bolt may ask for it but not change it.
 */
export function boltLogger(): Logger {
  return {
    debug: (...parts: unknown[]) => write('debug', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    setLevel: () => {},
    getLevel: () => BOLT_LEVEL[log.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}
