import pino, { type Logger } from 'pino';

/**
 * Structured logs for every process. Secrets can reach log calls by accident (a config
 * object, a connection string, an Authorization header), so the usual places are redacted
 * by path and connection strings are scrubbed by `redactUrl` before they are logged.
 */
// Logs go to stderr so a command's own output on stdout stays readable and pipeable.
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'trainer-booking' },
  redact: {
    paths: [
      'password',
      '*.password',
      'token',
      '*.token',
      'databaseUrl',
      '*.databaseUrl',
      'authorization',
      '*.authorization',
      '*.headers.authorization',
      'secret',
      '*.secret',
    ],
    censor: '[redacted]',
  },
}, pino.destination(2));

/** Replaces the password of a connection URL so it can be shown to a person or logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
