import type { ChatEngine } from '../../engine/chat-engine';
import type { DirectChannels } from '../direct-channels';
import type { RecentDeliveries } from '../recent-deliveries';
import type { SlackPeople } from '../slack-people';

/** What every listener needs besides Bolt's own arguments. */
export interface ListenerDeps {
  engine: ChatEngine;
  people: SlackPeople;
  directChannels: DirectChannels;
  deliveries: RecentDeliveries;
}
