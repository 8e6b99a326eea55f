import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ChatIdentity, ChatMessage, Trainer, User } from '../../src/db/entities';
import { logger } from '../../src/logger';
import type { Audience, CreditNotice, CreditNotifier, Notification, NotificationKind, Notifier } from '../../src/notifications/notification';
import type { PlatformAdapters } from '../core/adapter';
import type { OutgoingMessage } from '../core/messages';
import { loadNotificationView, type NotificationView } from './notification-view';
import { closedOptionsMessage, renderForClient, renderForTrainer } from './render-notification';
import { renderCreditNotice, type CreditNoticeView } from './render-credit-notice';

/** What a delivery is, for its de-dup row: a workflow notification, or a credit notice (no booking request: 0). */
interface Delivery {
  key: string;
  kind: string;
  bookingRequestId: number;
}

/** Outcomes after which the trainer's earlier Approve/Reject buttons must go, whoever is told. */
const CLOSES_OPTIONS = new Set<NotificationKind>(['request.approved', 'request.rejected', 'request.expired', 'request.withdrawn']);
const OPENS_OPTIONS = new Set<NotificationKind>(['request.options', 'request.slot-taken']);

/**
 * Delivers workflow notifications to people in chat: each audience (client, trainer) on
 * every platform they have an account on and this process has an adapter for, rendered in
 * the neutral message model. A retried activity does not post twice (one row per
 * notification and account), and once a request is decided the trainer's request message
 * is edited to show the outcome instead of its buttons.
 */
export class ChatNotifier implements Notifier, CreditNotifier {
  constructor(
    private readonly orm: MikroORM,
    private readonly adapters: PlatformAdapters,
  ) {}

  async notify(notification: Notification): Promise<void> {
    const em = this.orm.em.fork();
    const view = await loadNotificationView(em, notification.bookingRequestId);
    if (!view) {
      logger.warn({ key: notification.key, bookingRequestId: notification.bookingRequestId }, 'notification for an unknown booking request; nothing to send');
      return;
    }
    // A slot-taken message to the trainer brings new options; the client's copy closes nothing.
    const replacesOptions = notification.kind === 'request.slot-taken' && notification.audience.includes('trainer');
    if (CLOSES_OPTIONS.has(notification.kind) || replacesOptions) await this.closeOpenOptions(em, notification, view);
    for (const audience of notification.audience) {
      const message = audience === 'client' ? renderForClient(notification, view) : renderForTrainer(notification, view);
      await this.deliver(em, notification, audience, audience === 'client' ? view.clientUserId : view.trainerUserId, message);
    }
  }

  /**
   * A credit notice (issue 13: a pack bought, running low, about to expire, expired) to the
   * client and/or the trainer, once per notice and chat account like any notification.
   */
  async notifyCredits(notice: CreditNotice): Promise<void> {
    const em = this.orm.em.fork();
    const view = await loadCreditNoticeView(em, notice);
    if (!view) {
      logger.warn({ key: notice.key, clientId: notice.clientId, trainerId: notice.trainerId }, 'credit notice for an unknown client or trainer; nothing to send');
      return;
    }
    for (const audience of notice.audience) {
      const message = renderCreditNotice(notice, view, audience);
      await this.deliver(em, { key: notice.key, kind: notice.kind, bookingRequestId: 0 }, audience, audience === 'client' ? view.clientUserId : view.trainerUserId, message);
    }
  }

  private async deliver(em: EntityManager, notification: Delivery, audience: Audience, userId: number, message: OutgoingMessage): Promise<void> {
    const identities = await em.find(ChatIdentity, { user: userId }, { orderBy: { id: 'asc' } });
    const reachable = identities.filter((identity) => this.adapters.get(identity.platform));
    if (reachable.length === 0) {
      logger.info({ key: notification.key, audience, userId }, 'no chat account to notify on the platforms this process serves');
      return;
    }
    for (const identity of reachable) {
      if ((await em.count(ChatMessage, { notificationKey: notification.key, identity: identity.id })) > 0) continue;
      const adapter = this.adapters.get(identity.platform)!;
      const ref = await adapter.send({ workspaceId: identity.workspaceId, externalUserId: identity.externalUserId, channelId: identity.directChannelId ?? null }, message);
      em.create(ChatMessage, {
        notificationKey: notification.key,
        bookingRequestId: notification.bookingRequestId,
        kind: notification.kind,
        identity,
        platform: ref.platform,
        workspaceId: ref.workspaceId,
        channelId: ref.channelId,
        messageId: ref.messageId,
        hasOpenActions: audience === 'trainer' && OPENS_OPTIONS.has(notification.kind as NotificationKind) && (message.actions?.length ?? 0) > 0,
      });
      await em.flush();
    }
  }

  private async closeOpenOptions(em: EntityManager, notification: Notification, view: NotificationView): Promise<void> {
    // Not the ones this very notification posted on an earlier attempt (a retried slot-taken).
    const open = await em.find(ChatMessage, { bookingRequestId: notification.bookingRequestId, hasOpenActions: true, notificationKey: { $ne: notification.key } });
    const closed = closedOptionsMessage(notification, view);
    for (const row of open) {
      const adapter = this.adapters.get(row.platform);
      if (!adapter) continue;
      try {
        await adapter.update({ platform: row.platform, workspaceId: row.workspaceId, channelId: row.channelId, messageId: row.messageId }, closed);
      } catch (error) {
        // A deleted message or a revoked channel must not hold up the notification itself.
        logger.warn({ err: error, messageId: row.messageId, platform: row.platform }, 'could not edit an earlier request message');
      }
      row.hasOpenActions = false;
    }
    await em.flush();
  }
}

/** The client and trainer a credit notice is about; undefined when either is gone. */
async function loadCreditNoticeView(em: EntityManager, notice: CreditNotice): Promise<CreditNoticeView | undefined> {
  const [client, trainer] = await Promise.all([em.findOne(User, notice.clientId), em.findOne(Trainer, notice.trainerId, { populate: ['user'] })]);
  if (!client || !trainer) return undefined;
  return {
    clientUserId: client.id,
    clientName: client.fullName,
    trainerUserId: trainer.user.id,
    trainerName: trainer.user.fullName,
    clientTimeZone: client.timeZone ?? trainer.timeZone,
    trainerTimeZone: trainer.timeZone,
  };
}
