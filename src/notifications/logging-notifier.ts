import { logger } from '../logger';
import type { CreditNotice, CreditNotifier, Notification, Notifier } from './notification';

/** Stands in for chat and e-mail where none is configured: every notification is logged. */
export class LoggingNotifier implements Notifier, CreditNotifier {
  notify(notification: Notification): Promise<void> {
    logger.info(
      { notification: { key: notification.key, kind: notification.kind, audience: notification.audience, bookingRequestId: notification.bookingRequestId, options: notification.options?.length, booking: notification.booking?.bookingId } },
      `notify ${notification.audience.join(' & ')}: ${notification.text}`,
    );
    return Promise.resolve();
  }

  notifyCredits(notice: CreditNotice): Promise<void> {
    logger.info({ notice: { key: notice.key, kind: notice.kind, audience: notice.audience, lotId: notice.lotId, totalLeft: notice.totalLeft } }, `notify ${notice.audience.join(' & ')}: ${notice.text}`);
    return Promise.resolve();
  }
}
