import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOOK_COMMAND } from '../../../bots/slack/listeners/commands';

const ROOT = join(import.meta.dirname, '../../..');

describe('slack-app-manifest.yml', () => {
  it('creates an app with everything the bot uses, in Socket Mode', async () => {
    const manifest = parse(await readFile(join(ROOT, 'slack-app-manifest.yml'), 'utf8')) as {
      _metadata: { major_version: number };
      features: { bot_user: { display_name: string }; slash_commands: { command: string }[]; app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean } };
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
    };
    expect(manifest._metadata.major_version).toBe(2);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([BOOK_COMMAND]);
    // People write to the bot in its Messages tab.
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    // chat.postMessage/update/postEphemeral, /book, message.im, conversations.open, users.info.
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'im:history', 'im:write', 'users:read']);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['message.im']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
