import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

/**
 * Structured logs for every process. Secrets can reach log calls by accident (a config
 * object, a connection string, an Authorization header, a driver's error message), so they
 * are kept out in three layers:
 * 1. keys that name a secret (password, token, secret, authorization, …) are censored at any
 *    depth of a logged object, including an error's own properties;
 * 2. every finished line is scrubbed of the secret values the configuration holds (see
 *    `registerSecretValues`), of passwords inside URLs, bearer tokens and token-shaped strings;
 * 3. `redactUrl` shows a connection string to a person without its password.
 */

const CENSOR = '[redacted]';
const LEVELS: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Keys whose value is a secret, wherever they appear in a logged object. */
const SECRET_KEY = /passw(or)?d|passphrase|^pass$|_pwd$|^pwd$|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key/i;

/** Values registered by the configuration, longest first (a secret may contain another). */
let secretValues: string[] = [];
// A short password (`booking` on a developer's machine) would censor ordinary words in every
// line; inside a URL, where passwords appear, the URL pattern below censors it anyway.
const MIN_SECRET_LENGTH = 12;

/**
 * Makes the logger censor these values (tokens, passwords) wherever they appear, also
 * percent-encoded (as in a URL) or JSON-escaped (as inside a logged string).
 */
export function registerSecretValues(values: Iterable<string | undefined>): void {
  const known = new Set(secretValues);
  for (const value of values) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    known.add(value).add(encodeURIComponent(value)).add(JSON.stringify(value).slice(1, -1));
  }
  secretValues = [...known].sort((a, b) => b.length - a.length);
}

const SECRET_PATTERNS: [RegExp, string][] = [
  // The password of any URL: scheme://user:password@host (the last @ before the host).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"]*):[^\s/"]*@/gi, '$1:***@'],
  // Credentials in a query string.
  [/([?&](?:access_token|token|api_key|apikey|password|secret|signature|sig)=)[^&\s"#]+/gi, `$1${CENSOR}`],
  // Authorization header values written out in text.
  // (Credentials are long; a short word after "Bot" is just a sentence.)
  [/\b(Bearer|Basic|Bot|Token)\s+[A-Za-z0-9._~+/=-]{20,}/g, `$1 ${CENSOR}`],
  // Slack tokens, Discord bot tokens, JWTs.
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, CENSOR],
  [/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g, CENSOR],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, CENSOR],
];

/** A line of text with every known secret value and secret-shaped string censored. */
export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const value of secretValues) scrubbed = scrubbed.replaceAll(value, CENSOR);
  for (const [pattern, replacement] of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

const MAX_DEPTH = 10;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy of `value` whose secret-named keys are censored, at any depth. */
function censorSecretKeys(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => censorSecretKeys(item, depth + 1, seen));
  }
  // Class instances (dates, buffers, entities) are logged as they serialize themselves.
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && item !== '' ? CENSOR : censorSecretKeys(item, depth + 1, seen);
  }
  return copy;
}

/** Every line passes through `scrubSecrets` on its way out. */
function scrubbing(destination: DestinationStream): DestinationStream {
  const target = destination as DestinationStream & { flushSync?: () => void };
  return {
    write: (line: string) => target.write(scrubSecrets(line)),
    ...(target.flushSync ? { flushSync: () => target.flushSync?.() } : {}),
  };
}

function levelFromEnv(): LevelWithSilent {
  const wanted = process.env.LOG_LEVEL as LevelWithSilent | undefined;
  // A wrong LOG_LEVEL is reported by loadConfig with a clear message; it must not crash here.
  return wanted && LEVELS.includes(wanted) ? wanted : 'info';
}

/**
 * A logger writing JSON lines to `destination` (stderr by default, so a command's own output
 * on stdout stays readable and pipeable) with every secret protection applied.
 */
export function createLogger(destination: DestinationStream = pino.destination(2), level: LevelWithSilent = levelFromEnv()): Logger {
  return pino(
    {
      level,
      base: { service: 'trainer-booking' },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'databaseUrl', '*.databaseUrl', 'authorization', '*.authorization', '*.headers.authorization', 'secret', '*.secret'],
        censor: CENSOR,
      },
      serializers: {
        err: (error: unknown) => censorSecretKeys(pino.stdSerializers.err(error as Error)),
      },
      formatters: {
        bindings: (bindings) => censorSecretKeys(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (first !== null && typeof first === 'object' && !(first instanceof Error)) {
            return method.apply(this, [censorSecretKeys(first) as object, ...rest] as Parameters<typeof method>);
          }
          return method.apply(this, args);
        },
      },
    },
    scrubbing(destination),
  );
}

export const logger: Logger = createLogger();

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
