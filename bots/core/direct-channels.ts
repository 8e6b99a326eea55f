/**
 * The bot's direct conversation with each person on one platform. Opening one is
 * idempotent on the platforms (Slack `conversations.open`, Discord `POST
 * /users/@me/channels` answer with the existing one), so this cache only saves calls;
 * losing it (a restart) loses nothing.
 */
export class DirectChannels {
  private readonly byUser = new Map<string, string>();

  /** `open` asks the platform for the direct channel with a user id. */
  constructor(private readonly open: (userId: string) => Promise<string>) {}

  async of(userId: string): Promise<string> {
    const known = this.byUser.get(userId);
    if (known) return known;
    const channelId = await this.open(userId);
    this.byUser.set(userId, channelId);
    return channelId;
  }

  /** Drops a channel the platform no longer knows, so the next `of` opens it afresh. */
  forget(userId: string): void {
    this.byUser.delete(userId);
  }
}
