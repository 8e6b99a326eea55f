import { logger } from '../logger';
import type { Notification, Notifier } from './notification';

/** Stands in for chat and e-mail where none is configured: every notification is logged. */
export class LoggingNotifier implements Notifier {
  notify(notification: Notification): Promise<void> {
    logger.info(
      { notification: { key: notification.key, kind: notification.kind, audience: notification.audience, bookingRequestId: notification.bookingRequestId, options: notification.options?.length, booking: notification.booking?.bookingId } },
      `notify ${notification.audience.join(' & ')}: ${notification.text}`,
    );
    return Promise.resolve();
  }
}
