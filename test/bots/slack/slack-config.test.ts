import { describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import type { ChatEngine } from '../../../bots/engine/chat-engine';
import { slackModeFor, startSlackBot } from '../../../bots/slack/slack-bot';
import { ConfigError, loadConfig } from '../../../src/config';
import type { MikroORM } from '@mikro-orm/postgresql';
import { FakeSlack } from './fake-slack';
import { SLACK_TOKENS } from './slack-harness';

const noEngine: ChatEngine = { handle: () => Promise.resolve([]) };

describe('Slack settings', () => {
  it('chooses Socket Mode when there is an app token, HTTP with only a signing secret', () => {
    expect(slackModeFor({ SLACK_BOT_TOKEN: SLACK_TOKENS.bot, SLACK_APP_TOKEN: SLACK_TOKENS.app, SLACK_SIGNING_SECRET: SLACK_TOKENS.signingSecret, SLACK_API_URL: undefined })).toBe('socket');
    expect(slackModeFor({ SLACK_BOT_TOKEN: SLACK_TOKENS.bot, SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: SLACK_TOKENS.signingSecret, SLACK_API_URL: undefined })).toBe('http');
    expect(slackModeFor({ SLACK_BOT_TOKEN: undefined, SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined, SLACK_API_URL: undefined })).toBeUndefined();
  });

  it('reads SLACK_API_URL as an http(s) URL and refuses anything else', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:3999/api/' }, { envFile: null }).SLACK_API_URL).toBe('http://127.0.0.1:3999/api/');
    expect(() => loadConfig({ SLACK_API_URL: 'ftp://example.com/' }, { envFile: null })).toThrow(/SLACK_API_URL is not valid/);
  });

  it('refuses to start without the credentials its mode needs, naming each missing one', async () => {
    const start = (mode: 'socket' | 'http') =>
      startSlackBot({ orm: undefined as unknown as MikroORM, engine: noEngine, adapters: new PlatformAdapters(), mode, config: { SLACK_BOT_TOKEN: undefined, SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined, SLACK_API_URL: undefined } });
    await expect(start('socket')).rejects.toThrow(ConfigError);
    await expect(start('socket')).rejects.toThrow(/SLACK_BOT_TOKEN is missing[\s\S]*SLACK_APP_TOKEN is missing/);
    await expect(start('http')).rejects.toThrow(/SLACK_SIGNING_SECRET is missing — HTTP mode needs it/);
  });

  it('stops at start with one sentence when Slack refuses a token, without repeating the token', async () => {
    const fake = await FakeSlack.start({ botToken: SLACK_TOKENS.bot, appToken: SLACK_TOKENS.app, signingSecret: SLACK_TOKENS.signingSecret });
    const revokedBot = 'xoxb-1000000001-2000000002-revokedRevokedRevoked';
    const revokedApp = 'xapp-1-A0FAKEAPP-3000000003-revokedRevokedRevoked';
    const start = (mode: 'socket' | 'http', bot: string, app: string) =>
      startSlackBot({ orm: undefined as unknown as MikroORM, engine: noEngine, adapters: new PlatformAdapters(), mode, port: 0, host: '127.0.0.1', retryConfig: { retries: 0 }, socketRetryConfig: { retries: 0 }, config: { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: SLACK_TOKENS.signingSecret, SLACK_API_URL: fake.apiUrl } });
    try {
      for (const [mode, bot, app, variable] of [['http', revokedBot, SLACK_TOKENS.app, 'SLACK_BOT_TOKEN'], ['socket', revokedBot, SLACK_TOKENS.app, 'SLACK_BOT_TOKEN'], ['socket', SLACK_TOKENS.bot, revokedApp, 'SLACK_APP_TOKEN']] as const) {
        const error = (await start(mode, bot, app).catch((e: unknown) => e)) as ConfigError;
        expect(error).toBeInstanceOf(ConfigError);
        expect(error.problems).toEqual([expect.stringMatching(new RegExp(`^${variable} was refused by Slack \\(invalid_auth\\) — `))]);
        expect(error.message).not.toContain('revoked');
      }
      expect(fake.socketConnected).toBe(false);
    } finally {
      await fake.stop();
    }
  });
});
