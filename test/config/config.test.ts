import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';

const ROOT = join(import.meta.dirname, '..', '..');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration from the environment', () => {
  it('runs on defaults with an empty environment: embedded PostgreSQL and Temporal, API on 127.0.0.1:8080', () => {
    expect(loadConfig({})).toEqual({
      EMBEDDED_PG_PORT: 54329,
      EMBEDDED_PG_DIR: '.data/postgres',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'booking',
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_PORT: 7233,
      LOG_LEVEL: 'info',
      API_HOST: '127.0.0.1',
      API_PORT: 8080,
      API_WRITE_RATE_PER_MINUTE: 30,
      CHAT_RATE_PER_MINUTE: 20,
    });
  });

  it('reads every setting of a full deployment, numbers as numbers', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://booking:pw@postgres:5432/trainer_booking',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'bookings',
      TEMPORAL_TASK_QUEUE: 'booking-prod',
      LOG_LEVEL: 'debug',
      API_HOST: '0.0.0.0',
      API_PORT: '9000',
      ADMIN_API_TOKEN: 'a'.repeat(64),
      SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
      SLACK_APP_TOKEN: 'xapp-1-A1-2-abc',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      DISCORD_BOT_TOKEN: 'MTA5ODc2NTQzMjEwOTg3NjU0.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789',
      DISCORD_APPLICATION_ID: '1098765432109876543',
      SMTP_URL: 'smtps://mailer:pw@mail.example.com:465',
      MAIL_FROM: 'Trainer Booking <bookings@example.com>',
    });
    expect(config).toMatchObject({ API_PORT: 9000, TEMPORAL_ADDRESS: 'temporal:7233', LOG_LEVEL: 'debug', SMTP_URL: 'smtps://mailer:pw@mail.example.com:465' });
  });

  it('treats an empty variable as unset, as compose writes `FOO=` for optional ones', () => {
    const config = loadConfig({ DATABASE_URL: '', API_PORT: '', SLACK_BOT_TOKEN: '', SMTP_URL: '', MAIL_FROM: '' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.API_PORT).toBe(8080);
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('names every wrong variable once, with what it expects', () => {
    const problems = problemsOf({ API_PORT: 'eighty', LOG_LEVEL: 'verbose', DATABASE_URL: 'mysql://u:p@h/db', TEMPORAL_ADDRESS: 'temporal 7233', DISCORD_APPLICATION_ID: 'my-app', DISCORD_BOT_TOKEN: 'a.b.c' });
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL is not valid — expected a PostgreSQL connection URL/),
      expect.stringMatching(/^TEMPORAL_ADDRESS is not valid — expected host:port/),
      'LOG_LEVEL is not valid — expected one of trace, debug, info, warn, error, fatal, silent',
      expect.stringMatching(/^API_PORT is not valid — expected a TCP port between 0 and 65535/),
      expect.stringMatching(/^DISCORD_APPLICATION_ID is not valid — expected the Discord application id/),
    ]);
  });

  it('reports settings that only work together as missing, naming the one that needs them', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://mail.example.com:587' })).toEqual([expect.stringMatching(/^MAIL_FROM is missing \(needed because SMTP_URL is set\) — expected the sender/)]);
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1-abc' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is missing \(needed because SLACK_APP_TOKEN is set\)/)]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1-abc' })).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN is missing/)]);
    expect(problemsOf({ DISCORD_APPLICATION_ID: '1098765432109876543' })).toEqual([expect.stringMatching(/^DISCORD_BOT_TOKEN is missing/)]);
    // Either Slack connection mode is enough.
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' }).SLACK_BOT_TOKEN).toBe('xoxb-1-abc');
  });

  it('reports every problem of one start together, dependent settings included', () => {
    const problems = problemsOf({ API_PORT: '-1', SMTP_URL: 'smtp://mail.example.com' });
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['API_PORT', 'MAIL_FROM']);
  });

  it('never repeats a value in its messages: several settings are secrets', () => {
    const secrets = {
      ADMIN_API_TOKEN: 'too-short-admin-secret',
      SLACK_BOT_TOKEN: 'not-a-slack-token-s3cr3t',
      SLACK_SIGNING_SECRET: 'has spaces s3cr3t',
      DISCORD_BOT_TOKEN: 'discord-s3cr3t-without-dots',
      DATABASE_URL: 'mysql://booking:db-s3cr3t-password@db/x',
      SMTP_URL: 'http://mailer:smtp-s3cr3t-password@mail',
    };
    let message = '';
    try {
      loadConfig(secrets);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:/);
    for (const name of Object.keys(secrets)) expect(message).toContain(name);
    for (const fragment of ['too-short-admin-secret', 'not-a-slack-token', 's3cr3t', 'db-s3cr3t-password', 'mysql://', 'smtp-s3cr3t']) expect(message).not.toContain(fragment);
  });
});

describe('.env file', () => {
  let dir: string | undefined;
  const names = ['BOOKING_TEST_FROM_FILE', 'BOOKING_TEST_OVERRIDDEN'];
  afterEach(async () => {
    for (const name of names) delete process.env[name];
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is read into the environment first, and a real variable wins over it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'booking-env-'));
    const file = join(dir, '.env');
    await writeFile(file, '# comment\nBOOKING_TEST_FROM_FILE=from file\nBOOKING_TEST_OVERRIDDEN=from file\nAPI_PORT=\n');
    process.env.BOOKING_TEST_OVERRIDDEN = 'real';

    loadConfig(process.env, { envFile: file });

    expect(process.env.BOOKING_TEST_FROM_FILE).toBe('from file');
    expect(process.env.BOOKING_TEST_OVERRIDDEN).toBe('real');
  });

  it('is optional: a missing file is no error', () => {
    expect(loadConfig(process.env, { envFile: join(tmpdir(), 'no-such-dir', '.env') }).TEMPORAL_TASK_QUEUE).toBeTypeOf('string');
  });

  it('is not read into an environment passed explicitly (tests, tools)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'booking-env-'));
    const file = join(dir, '.env');
    await writeFile(file, 'BOOKING_TEST_FROM_FILE=from file\nAPI_PORT=9999\n');
    expect(loadConfig({}, { envFile: file }).API_PORT).toBe(8080);
    expect(process.env.BOOKING_TEST_FROM_FILE).toBeUndefined();
  });
});

describe('.env.example', () => {
  it('lists every setting the app reads, each with a comment above it', async () => {
    const text = await readFile(join(ROOT, '.env.example'), 'utf8');
    const listed = Object.keys(parseEnv(text));
    expect(listed).toEqual(expect.arrayContaining(CONFIG_VARIABLES));
    const lines = text.split('\n');
    for (const name of listed) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[index - 1], `comment above ${name}`).toMatch(/^#/);
    }
  });

  it('is a valid configuration as it stands (every value empty or a default)', async () => {
    const example = parseEnv(await readFile(join(ROOT, '.env.example'), 'utf8'));
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });

  it('lists no secret values', async () => {
    const example = parseEnv(await readFile(join(ROOT, '.env.example'), 'utf8'));
    for (const name of ['POSTGRES_PASSWORD', 'ADMIN_API_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_BOT_TOKEN', 'SMTP_URL', 'DATABASE_URL']) {
      expect(example[name], name).toBe('');
    }
  });
});
