import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import { commandDefinitions } from '../../../bots/discord/commands/command-definitions';
import { startDiscordBot } from '../../../bots/discord/discord-bot';
import { DiscordLoginError } from '../../../bots/discord/discord-login-error';
import type { ChatEngine } from '../../../bots/engine/chat-engine';
import { FakeDiscord } from './fake-discord';

const run = promisify(execFile);

/** Login fails before any event could reach it. */
const engine: ChatEngine = { handle: () => Promise.reject(new Error('no event expected')) };

let fake: FakeDiscord;
beforeAll(async () => {
  // Heartbeats every 100 ms, so the client beats (and gets ACKs) while the test watches.
  fake = await FakeDiscord.start({ heartbeatIntervalMs: 100 });
});
afterAll(async () => {
  await fake?.close();
});

/** The registration script as `npm run discord:register` runs it, with the fake's address. */
function registerScript(env: Record<string, string>, args: string[] = []) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/register-discord-commands.ts', ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
}

describe('connecting to Discord', () => {
  it('logs in, heartbeats, and stops cleanly', async () => {
    const adapters = new PlatformAdapters();
    const bot = await startDiscordBot({ engine, adapters, config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 } });
    expect(adapters.get('discord')).toBe(bot.adapter);
    expect(bot.client.user?.id).toBe(fake.botUser.id);
    expect(fake.gateway.sessions).toHaveLength(1);
    expect(fake.gateway.sessions[0]!.intents).toBe((1 << 0) | (1 << 12)); // GUILDS | DIRECT_MESSAGES
    const session = fake.gateway.sessions[0]!;
    await fake.waitFor('two heartbeats', () => session.heartbeats >= 2);
    await fake.waitFor('an acknowledged heartbeat', () => bot.client.ws.ping >= 0);
    await bot.stop();
    expect(adapters.get('discord')).toBeUndefined();
    await fake.waitFor('the session closed', () => fake.gateway.sessions.length === 0);
  });

  it('a token Discord refuses fails login with one clear sentence (REST 401), and nothing is left running', async () => {
    const adapters = new PlatformAdapters();
    const wrong = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.wrong-token-wrong-token-wrong-token';
    const failure = await startDiscordBot({ engine, adapters, config: { token: wrong, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DiscordLoginError);
    expect((failure as Error).message).toBe('Discord refused the bot token: check DISCORD_BOT_TOKEN (the Bot page of your application in the Discord developer portal; reset the token if it leaked).');
    expect((failure as Error).message).not.toContain(wrong);
    expect(adapters.get('discord')).toBeUndefined();
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/v10/gateway/bot', status: 401 });
  });

  it('a token the gateway refuses (close 4004) fails login the same way, without retrying', async () => {
    const adapters = new PlatformAdapters();
    fake.refuseOnGateway(fake.token);
    try {
      const failure = await startDiscordBot({ engine, adapters, config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DiscordLoginError);
      expect((failure as Error).message).toMatch(/^Discord refused the bot token: check DISCORD_BOT_TOKEN/);
      expect(fake.gateway.closeCodes).toEqual([4004]);
      expect(adapters.get('discord')).toBeUndefined();
    } finally {
      fake.gateway.closeCodes.length = 0;
    }
  });
});

describe('npm run discord:register', () => {
  it('PUTs every slash command to the application with the bot token', async () => {
    const { stdout } = await registerScript({ DISCORD_BOT_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
    expect(stdout).toBe('Registered 11 slash commands globally: /book, /bookings, /credits, /availability, /timeoff, /policy, /cancel, /reschedule, /timezone, /link, /help\n');
    const put = fake.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(put).toMatchObject({ path: `/api/v10/applications/${fake.applicationId}/commands`, authorization: `Bot ${fake.token}`, status: 200 });
    expect(put?.body).toEqual(commandDefinitions());
    expect(fake.commands.get('')?.map((c) => c.name)).toEqual(['book', 'bookings', 'credits', 'availability', 'timeoff', 'policy', 'cancel', 'reschedule', 'timezone', 'link', 'help']);
  });

  it('registers in one server with --guild', async () => {
    const guildId = '123456789012345678';
    const { stdout } = await registerScript({ DISCORD_BOT_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl }, ['--guild', guildId]);
    expect(stdout).toMatch(/^Registered 11 slash commands in server 123456789012345678: /);
    expect(fake.commands.get(guildId)).toHaveLength(11);
  });

  it('says clearly what is wrong, and exits 1', async () => {
    const refused = await registerScript({ DISCORD_BOT_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.wrong-token-wrong-token-wrong-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(refused).toMatchObject({ code: 1, stderr: 'Discord refused the bot token: check DISCORD_BOT_TOKEN.\n' });
    const missing = await registerScript({ DISCORD_BOT_TOKEN: '', DISCORD_APPLICATION_ID: '', DISCORD_API_URL: fake.apiUrl }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(missing).toMatchObject({ code: 1, stderr: 'DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID are needed to register the commands (see docs/discord.md)\n' });
  });
});
