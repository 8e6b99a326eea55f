import type { webApi } from '@slack/bolt';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatIdentity } from '../../src/db/entities';
import { logger } from '../../src/logger';
import type { ChatAddress } from '../core/events';
import { isDirectChannel } from './direct-channels';

const log = logger.child({ component: 'slack' });

export interface SlackActor {
  workspaceId: string;
  userId: string;
  /** Where the person acted (a DM, or a channel the bot's message was in). */
  channelId: string;
}

/**
 * Who wrote or pressed, as the engine's ChatAddress. Slack events carry only a user id, so
 * for a person the bot has not met yet their name and time zone come from `users.info`
 * (scope users:read): the engine gives a new person an account with them. Known people
 * cost one indexed lookup, not an API call.
 */
export class SlackPeople {
  private readonly known = new Set<string>();

  constructor(
    private readonly orm: MikroORM,
    private readonly client: webApi.WebClient,
  ) {}

  async address(actor: SlackActor): Promise<ChatAddress> {
    const address: ChatAddress = { platform: 'slack', workspaceId: actor.workspaceId, externalUserId: actor.userId, channelId: actor.channelId, isDirect: isDirectChannel(actor.channelId) };
    const key = `${actor.workspaceId}:${actor.userId}`;
    if (this.known.has(key)) return address;
    const count = await this.orm.em.fork().count(ChatIdentity, { platform: 'slack', workspaceId: actor.workspaceId, externalUserId: actor.userId });
    if (count > 0) {
      this.known.add(key);
      return address;
    }
    return { ...address, ...(await this.profile(actor.userId)) };
  }

  private async profile(userId: string): Promise<Pick<ChatAddress, 'displayName' | 'timeZone'>> {
    try {
      const { user } = await this.client.users.info({ user: userId });
      const displayName = user?.profile?.real_name || user?.real_name || user?.profile?.display_name || user?.name;
      return { ...(displayName ? { displayName } : {}), ...(user?.tz ? { timeZone: user.tz } : {}) };
    } catch (error) {
      // A name is nice to have: the engine names the account after the user id instead.
      log.warn({ err: error }, 'could not read a new Slack user profile');
      return {};
    }
  }
}
