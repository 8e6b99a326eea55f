import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createLogger, redactUrl } from '../../src/logger';

/** A logger whose JSON lines are kept for inspection. */
function capture(level: 'trace' | 'info' = 'trace') {
  const lines: string[] = [];
  const log = createLogger({ write: (line: string) => void lines.push(line) }, level);
  return { log, lines, text: () => lines.join('') };
}

const DB_PASSWORD = 'Db-pa55word-9f3k';
const DATABASE_URL = `postgresql://booking:${DB_PASSWORD}@db.internal:5432/trainer_booking`;
const SMTP_PASSWORD = 'smtp/p@ss:w0rd!';
const SMTP_URL = `smtps://mailer:${encodeURIComponent(SMTP_PASSWORD)}@mail.example.com:465`;
const ADMIN_API_TOKEN = 'adm1n-0123456789abcdef0123456789abcdef';
const SLACK_BOT_TOKEN = 'xoxb-2210-99887766-Zk3Qm8Xp2Lr9Tw4Yv6Nb1Hc5';
const SLACK_APP_TOKEN = 'xapp-1-A07SLACKAPP-881122-0f9e8d7c6b5a';
const SLACK_SIGNING_SECRET = '8f742231b10e8888abcd99e0f1f285a5';
const DISCORD_BOT_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.GabcDE.hjklmnopqrstuvwxyz0123456789ABCDE';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0cmFpbmVyLTEifQ.c2lnbmF0dXJlLXZhbHVl';

const SECRETS = [DB_PASSWORD, SMTP_PASSWORD, encodeURIComponent(SMTP_PASSWORD), ADMIN_API_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, DISCORD_BOT_TOKEN, BEARER];

function expectNoSecrets(text: string): void {
  expect(text.length).toBeGreaterThan(0);
  for (const secret of SECRETS) expect(text, `log output contains ${secret.slice(0, 6)}…`).not.toContain(secret);
}

const env = { DATABASE_URL, SMTP_URL, MAIL_FROM: 'Bookings <bookings@example.com>', ADMIN_API_TOKEN, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID: '1098765432109876543' };

describe('no token or secret ever reaches the logs', () => {
  it('a whole configuration object, logged as it is', () => {
    const config = loadConfig(env);
    const { log, text } = capture();
    log.info({ config }, 'starting');
    log.info(config, 'starting (spread)');
    expectNoSecrets(text());
    // What is not secret stays readable.
    expect(text()).toContain('db.internal:5432');
    expect(text()).toContain('1098765432109876543');
  });

  it('connection strings with passwords, in fields and in messages', () => {
    const { log, text } = capture();
    log.info({ url: DATABASE_URL, smtp: SMTP_URL, nested: { target: { connectionString: DATABASE_URL } } }, `connecting to ${DATABASE_URL}`);
    log.warn('retrying %s after failure', SMTP_URL);
    expectNoSecrets(text());
    expect(text()).toContain('postgresql://booking:***@db.internal:5432/trainer_booking');
  });

  it('even a password that is not registered anywhere, inside a URL', () => {
    const { log, text } = capture();
    log.info({ target: 'redis://:unregistered-Pa55@cache:6379/0' }, 'postgres://app:also-Unregistered@db/x');
    expect(text()).not.toContain('unregistered-Pa55');
    expect(text()).not.toContain('also-Unregistered');
  });

  it('Authorization headers, as objects and as text', () => {
    const { log, text } = capture();
    log.info({ req: { method: 'GET', url: '/bookings', headers: { authorization: `Bearer ${BEARER}`, 'x-request-id': 'r-1' } } }, 'request');
    log.info({ headers: { Authorization: `Bearer ${ADMIN_API_TOKEN}` } }, 'outgoing');
    log.info(`sent header Authorization: Bearer ${BEARER}`);
    expectNoSecrets(text());
    expect(text()).toContain('r-1');
  });

  it('tokens in nested objects and arrays, at any depth', () => {
    const { log, text } = capture();
    log.info(
      {
        platform: { slack: { auth: { botToken: SLACK_BOT_TOKEN, appToken: SLACK_APP_TOKEN, signingSecret: SLACK_SIGNING_SECRET } } },
        adapters: [{ name: 'discord', credentials: { token: DISCORD_BOT_TOKEN } }, { name: 'api', apiKey: ADMIN_API_TOKEN }],
        deep: { a: { b: { c: { d: { e: { password: DB_PASSWORD } } } } } },
      },
      'adapters ready',
    );
    expectNoSecrets(text());
    expect(text()).toContain('discord');
  });

  it('an Error whose message and stack carry a DATABASE_URL with its password', () => {
    const error = new Error(`connect ECONNREFUSED: could not reach ${DATABASE_URL}`);
    const { log, text } = capture();
    log.error({ err: error }, 'database failed');
    log.error(error);
    log.fatal({ err: new Error('wrapped', { cause: error }) }, error.message);
    expectNoSecrets(text());
    expect(text()).toContain('ECONNREFUSED');
  });

  it("an error's own properties (a driver error carrying its connection options)", () => {
    const error = Object.assign(new Error('password authentication failed for user "booking"'), { code: '28P01', connection: { user: 'booking', password: DB_PASSWORD, host: 'db.internal' } });
    const { log, text } = capture();
    log.error({ err: error }, 'query failed');
    expectNoSecrets(text());
    expect(text()).toContain('28P01');
  });

  it('secret values in free text and in child loggers’ bindings', () => {
    loadConfig(env); // registers the configured secret values with the logger
    const { log, text } = capture();
    const child = log.child({ component: 'bots', slack: { token: SLACK_BOT_TOKEN } });
    child.info(`signing with ${SLACK_SIGNING_SECRET} for app`);
    child.info({ note: `the admin token is ${ADMIN_API_TOKEN}` }, 'oops');
    child.info(`smtp password is ${SMTP_PASSWORD} and db password is ${DB_PASSWORD}`);
    expectNoSecrets(text());
  });

  it('keeps ordinary text readable: a short password is censored inside URLs, not as a word everywhere', () => {
    loadConfig({ DATABASE_URL: 'postgresql://booking:booking@localhost:5432/trainer_booking' });
    const { log, text } = capture();
    log.info({ url: 'postgresql://booking:booking@localhost:5432/trainer_booking' }, 'Bot connected; booking confirmed');
    expect(text()).toContain('"service":"trainer-booking"');
    expect(text()).toContain('postgresql://booking:***@localhost:5432/trainer_booking');
    expect(text()).toContain('Bot connected; booking confirmed');
  });

  it('redactUrl shows a connection string to a person without its password', () => {
    expect(redactUrl(DATABASE_URL)).toBe('postgresql://booking:***@db.internal:5432/trainer_booking');
    expect(redactUrl('not a url')).toBe('[unparseable url]');
  });
});
