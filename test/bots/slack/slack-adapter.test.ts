import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../../bots/slack/slack-adapter';
import { createSlackWebClient } from '../../../bots/slack/slack-web-client';
import { FakeSlack } from './fake-slack';
import { SLACK_TOKENS } from './slack-harness';
import { bodyOf, buttonsOf, fieldsOf } from './slack-person';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await FakeSlack.start({ botToken: SLACK_TOKENS.bot, appToken: SLACK_TOKENS.app, signingSecret: SLACK_TOKENS.signingSecret });
  fake.addUser({ id: 'UTRAINER', name: 'ana', realName: 'Ana Trainer', tz: 'Europe/Berlin' });
});
afterAll(async () => {
  await fake?.stop();
});

const adapterWith = (token: string): SlackAdapter => new SlackAdapter(createSlackWebClient({ SLACK_BOT_TOKEN: token, SLACK_APP_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined, SLACK_API_URL: fake.apiUrl }, { retries: 0 }));

describe('SlackAdapter on its own (a worker that only delivers notifications)', () => {
  it('opens the DM when none is known, posts Block Kit, and edits the message later with the bot token', async () => {
    const adapter = adapterWith(SLACK_TOKENS.bot);
    const ref = await adapter.send(
      { workspaceId: fake.teamId, externalUserId: 'UTRAINER', channelId: null },
      { text: 'New booking request #3 from Jo', fields: [{ label: 'Client', value: 'Jo' }], actions: [{ kind: 'button', id: 'approve', value: '3.9', label: 'Approve Tue 1 Dec, 10:00', style: 'primary' }] },
    );
    expect(ref).toMatchObject({ platform: 'slack', workspaceId: fake.teamId, channelId: 'DUTRAINER' });
    expect(fake.callsOf('conversations.open').map((c) => c.args)).toEqual([{ users: 'UTRAINER' }]);
    const posted = fake.botMessagesIn('DUTRAINER').find((m) => m.ts === ref.messageId)!;
    expect(buttonsOf(posted)).toEqual(['Approve Tue 1 Dec, 10:00']);
    expect(fieldsOf(posted)).toEqual({ Client: 'Jo' });

    await adapter.update(ref, { text: 'Request #3 from Jo: approved.', fields: [{ label: 'Client', value: 'Jo' }] });
    expect(bodyOf(posted)).toBe('Request #3 from Jo: approved.');
    expect(buttonsOf(posted)).toEqual([]);
    expect(fake.calls.every((c) => c.token === SLACK_TOKENS.bot && c.contentType === 'application/x-www-form-urlencoded')).toBe(true);
  });

  it('fails loudly with a token Slack refuses, and posts nothing', async () => {
    const before = fake.messages.length;
    await expect(adapterWith('xoxb-0-0-revoked').send({ workspaceId: fake.teamId, externalUserId: 'UTRAINER', channelId: 'DUTRAINER' }, { text: 'hello' })).rejects.toThrow(/invalid_auth/);
    expect(fake.messages).toHaveLength(before);
  });
});
