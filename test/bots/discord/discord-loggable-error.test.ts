import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loggableError } from '../../../bots/discord/loggable-error';

describe('logging a Discord error', () => {
  it('keeps what went wrong, and leaves out the interaction token and what was sent', () => {
    const error = new DiscordAPIError({ message: 'Unknown Webhook', code: 10015 }, 10015, 404, 'PATCH', 'https://discord.com/api/v10/webhooks/123456789012345678/aW50ZXJhY3Rpb246c2VjcmV0/messages/@original', {
      body: { content: 'private words of a client' },
    });
    const logged = loggableError(error);
    expect(logged).toEqual({ type: 'DiscordAPIError[10015]', message: 'Unknown Webhook', status: 404, method: 'PATCH', route: 'https://discord.com/api/v10/webhooks/123456789012345678/:token/messages/@original', code: 10015 });
    expect(JSON.stringify(logged)).not.toContain('aW50ZXJhY3Rpb246c2VjcmV0');
    expect(JSON.stringify(logged)).not.toContain('private words');
  });

  it('passes other errors on as they are', () => {
    const error = new Error('boom');
    expect(loggableError(error)).toBe(error);
  });
});
