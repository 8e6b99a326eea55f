import { z } from 'zod';
import { loadEnvFile } from './config/env-file';
import { secretValuesOf } from './config/secret-values';
import { registerSecretValues } from './logger';

/**
 * Every setting comes from the environment (and an optional `.env` file), validated once at
 * start so each wrong or missing value is reported as one sentence naming the variable and
 * what it expects, instead of failing later. `.env.example` lists and explains them all.
 * Messages never repeat a value: several of these are secrets.
 */

// An empty variable means "not set", as it does for most tools (and for `FOO=` in compose).
const unset = (value: unknown): unknown => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());
const tcpPort = (min: number) => z.coerce.number().int().min(min).max(65535);

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const HOST_AND_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
const MAIL_ADDRESS = /^(?:[^<>]+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

const schema = z
  .object({
    DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/ })).describe(
      'a PostgreSQL connection URL such as postgresql://booking:password@localhost:5432/trainer_booking (unset: embedded PostgreSQL)',
    ),
    EMBEDDED_PG_PORT: z.preprocess(unset, tcpPort(1024).default(54329)).describe('a TCP port between 1024 and 65535 for the embedded PostgreSQL'),
    EMBEDDED_PG_DIR: z.preprocess(unset, z.string().min(1).default('.data/postgres')).describe('a folder for the embedded PostgreSQL data'),
    TEMPORAL_ADDRESS: optional(z.string().regex(HOST_AND_PORT)).describe('host:port of a Temporal frontend such as temporal:7233 (unset: a local dev server)'),
    TEMPORAL_NAMESPACE: z.preprocess(unset, z.string().regex(/^\S+$/).default('default')).describe('a Temporal namespace name without spaces'),
    TEMPORAL_TASK_QUEUE: z.preprocess(unset, z.string().regex(/^\S+$/).default('booking')).describe('a task queue name without spaces'),
    TEMPORAL_UI_PORT: z.preprocess(unset, tcpPort(1024).default(8233)).describe('a TCP port between 1024 and 65535 for the dev server Web UI'),
    TEMPORAL_PORT: z.preprocess(unset, tcpPort(1024).default(7233)).describe('a TCP port between 1024 and 65535 for the dev server'),
    LOG_LEVEL: z.preprocess(unset, z.enum(LOG_LEVELS).default('info')).describe(`one of ${LOG_LEVELS.join(', ')}`),
    API_HOST: z.preprocess(unset, z.string().regex(/^\S+$/).default('127.0.0.1')).describe('an address for the HTTP API to listen on, such as 127.0.0.1 or 0.0.0.0'),
    API_PORT: z.preprocess(unset, tcpPort(0).default(8080)).describe('a TCP port between 0 and 65535 for the HTTP API (0 picks a free one)'),
    PUBLIC_BASE_URL: optional(z.url({ protocol: /^https?$/ })).describe(
      'the public address of the HTTP API for links people open, such as https://booking.example.com (unset: http://API_HOST:API_PORT)',
    ),
    ADMIN_API_TOKEN: optional(z.string().regex(/^\S{32,}$/)).describe('at least 32 characters without spaces, for example from `openssl rand -hex 32`'),
    API_WRITE_RATE_PER_MINUTE: z
      .preprocess(unset, z.coerce.number().int().min(0).max(100_000).default(30))
      .describe('a whole number from 0 to 100000: writes (POST, PUT, DELETE) per minute per API token, 0 for no limit'),
    CHAT_RATE_PER_MINUTE: z
      .preprocess(unset, z.coerce.number().int().min(0).max(10_000).default(20))
      .describe('a whole number from 0 to 10000: chat messages and button presses per minute per person, 0 for no limit'),
    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-\S+$/)).describe('the Slack bot token, starting with xoxb-'),
    SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-\S+$/)).describe('the Slack app-level token for Socket Mode, starting with xapp-'),
    SLACK_SIGNING_SECRET: optional(z.string().regex(/^[A-Za-z0-9]{20,}$/)).describe("the Slack app's signing secret (letters and digits only)"),
    SLACK_API_URL: optional(z.url({ protocol: /^https?$/ })).describe('the Slack Web API base URL, such as https://slack.com/api/ (unset: Slack itself)'),
    DISCORD_BOT_TOKEN: optional(z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/)).describe('the Discord bot token (three parts separated by dots)'),
    DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{17,20}$/)).describe('the Discord application id (17 to 20 digits)'),
    DISCORD_API_URL: optional(z.url({ protocol: /^https?$/ })).describe('the Discord API base URL without the version, such as https://discord.com/api (unset: Discord itself)'),
    SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })).describe('an SMTP server URL such as smtp://user:password@mail.example.com:587 or smtps://…:465 (unset: no e-mail)'),
    MAIL_FROM: optional(z.string().regex(MAIL_ADDRESS)).describe('the sender of e-mails, such as "Trainer Booking <bookings@example.com>"'),
  })
  // Settings that only make sense together; checked even when a single value is wrong, so
  // one start reports every problem.
  .superRefine(
    (config, ctx) => {
      const needs = (name: keyof typeof config, because: string): void => {
        if (config[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is missing (needed because ${because})` });
      };
      if (config.SMTP_URL) needs('MAIL_FROM', 'SMTP_URL is set');
      if (config.SLACK_APP_TOKEN) needs('SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN is set');
      if (config.SLACK_SIGNING_SECRET) needs('SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET is set');
      if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET) needs('SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET; one of the two connects the bot');
      if (config.DISCORD_BOT_TOKEN) needs('DISCORD_APPLICATION_ID', 'DISCORD_BOT_TOKEN is set');
      if (config.DISCORD_APPLICATION_ID) needs('DISCORD_BOT_TOKEN', 'DISCORD_APPLICATION_ID is set');
    },
    { when: () => true },
  );

export type AppConfig = z.infer<typeof schema>;

/** Every variable the app reads (`.env.example` explains each). */
export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof AppConfig)[];

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One sentence per wrong or missing variable. */
  readonly problems: string[];

  /** Problems, one sentence each; a single string is taken as the whole message. */
  constructor(problems: string[] | string) {
    super(typeof problems === 'string' ? problems : `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = typeof problems === 'string' ? [problems] : problems;
  }
}

function describeProblems(issues: z.core.$ZodIssue[], env: NodeJS.ProcessEnv): string[] {
  const byVariable = new Map<string, string>();
  for (const issue of issues) {
    const name = String(issue.path[0] ?? '(configuration)');
    if (byVariable.has(name)) continue;
    const expected = schema.shape[name as keyof typeof schema.shape]?.description;
    const problem = issue.code === 'custom' ? issue.message : unset(env[name]) === undefined ? 'is missing' : 'is not valid';
    byVariable.set(name, `${name} ${problem}${expected ? ` — expected ${expected}` : ''}`);
  }
  return [...byVariable.values()];
}

export interface LoadConfigOptions {
  /** The `.env` file read into the process environment first; `null` reads none. */
  envFile?: string | null;
}

/**
 * The validated settings. With the default `env` (the process environment), `.env` is
 * loaded first if it exists; real variables win over it. Secret values are handed to the
 * logger so that they are censored wherever they would appear in a log line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  const envFile = options.envFile === undefined ? '.env' : options.envFile;
  if (env === process.env && envFile !== null) {
    try {
      loadEnvFile(envFile);
    } catch (error) {
      throw new ConfigError([`${envFile} could not be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`]);
    }
  }
  registerSecretValues(secretValuesOf(env));
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(describeProblems(result.error.issues, env));
  return result.data;
}
