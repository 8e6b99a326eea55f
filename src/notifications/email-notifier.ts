import type { MikroORM } from '@mikro-orm/postgresql';
import { IANAZone } from 'luxon';
import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { buildCalendar, calendarContentType, loadCalendarBookings, type CalendarMethod } from '../calendar';
import { Trainer, User } from '../db/entities';
import { logger } from '../logger';
import { renderCreditEmail, renderEmail, type EmailMessage, type EmailRecipient } from './email-message';
import type { Audience, CreditNotice, CreditNotifier, Notification, NotificationKind, Notifier } from './notification';
import { RecentKeys } from './recent-keys';

const log = logger.child({ component: 'email' });

// Temporal gives the notify activity 30 s; a dead SMTP server must fail well within that,
// so the attempt is retried instead of timing out (nodemailer waits minutes by default).
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

export interface EmailNotifierOptions {
  orm: MikroORM;
  /** SMTP_URL: smtp://user:password@host:587 (STARTTLS) or smtps://…:465. */
  smtpUrl: string;
  /** MAIL_FROM: "Trainer Booking <bookings@example.com>". */
  from: string;
}

function validZone(zone: string | null | undefined): zone is string {
  return !!zone && IANAZone.isValidZone(zone);
}

/** The domain of the sender address, for Message-IDs. */
function domainOf(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'trainer-booking.invalid';
}

/** The invite an e-mail carries: the iCalendar text and its method. */
export interface EmailInvite {
  method: Extract<CalendarMethod, 'REQUEST' | 'CANCEL'>;
  content: string;
}

/** The notifications that carry `invite.ics`, with its method: confirmations and moves invite, cancellations cancel. */
const INVITE_METHODS: Partial<Record<NotificationKind, EmailInvite['method']>> = {
  'request.approved': 'REQUEST',
  'booking.rescheduled': 'REQUEST',
  'booking.cancelled': 'CANCEL',
  'series.cancelled': 'CANCEL',
};

/** The bookings a notification's invite is about: its booking, every booked session of a confirmed series, the cancelled sessions. */
export function inviteBookingIds(notification: Notification): number[] {
  if (notification.kind === 'series.cancelled') return (notification.cancelled ?? []).map((booking) => booking.bookingId);
  if (notification.kind === 'request.approved' && notification.series) {
    return notification.series.booked.filter((booking) => booking.status === 'CONFIRMED').map((booking) => booking.bookingId);
  }
  return notification.booking ? [notification.booking.bookingId] : [];
}

/** The bare address of a sender such as "Trainer Booking <bookings@example.com>". */
function addressOf(from: string): string | undefined {
  return /<([^\s<>]+@[^\s<>]+)>\s*$/.exec(from)?.[1] ?? (/^[^\s@<>]+@[^\s@<>]+$/.test(from.trim()) ? from.trim() : undefined);
}

/**
 * Notifications by e-mail, beside the chat notifiers: each addressed person with an e-mail
 * address gets a plain-text mail with times in their own zone (their User.timeZone, else
 * the trainer's zone, else UTC). People without an address are skipped.
 *
 * Temporal retries the notify activity, so a mail is sent once per notification key and
 * recipient within this process, and its Message-ID is derived from the same pair so that
 * mail systems can recognise a repeat sent by another worker after a crash.
 */
export class EmailNotifier implements Notifier, CreditNotifier {
  private readonly transporter: Transporter;
  private readonly delivered = new RecentKeys();
  private readonly messageIdDomain: string;

  constructor(private readonly options: EmailNotifierOptions) {
    this.transporter = createTransport({
      url: options.smtpUrl,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: CONNECTION_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
    this.messageIdDomain = domainOf(options.from);
  }

  async notify(notification: Notification): Promise<void> {
    const invite = await this.inviteFor(notification);
    await this.sendAll(notification, (recipient) => ({ ...renderEmail(notification, recipient), ...(invite ? { invite } : {}) }), { bookingRequestId: notification.bookingRequestId });
  }

  /**
   * The calendar attachment of a confirmation, move or cancellation (issue 14): the bookings
   * as the database has them now (SEQUENCE included), one event each; none when they are gone.
   */
  private async inviteFor(notification: Notification): Promise<EmailInvite | undefined> {
    const method = INVITE_METHODS[notification.kind];
    if (!method) return undefined;
    const bookings = await loadCalendarBookings(this.options.orm.em, inviteBookingIds(notification));
    if (bookings.length === 0) return undefined;
    return { method, content: buildCalendar({ method, bookings, organizerFallbackEmail: addressOf(this.options.from) }) };
  }

  /** A pack notice (issue 13): a short mail with its one sentence to each reader it names. */
  async notifyCredits(notice: CreditNotice): Promise<void> {
    await this.sendAll(notice, (recipient) => renderCreditEmail(notice, recipient), { lotId: notice.lotId });
  }

  private async sendAll(
    message: { key: string; kind: string; audience: Audience[]; trainerId: number; clientId: number },
    render: (recipient: EmailRecipient) => EmailMessage & { invite?: EmailInvite },
    logContext: Record<string, unknown>,
  ): Promise<void> {
    const recipients = await this.recipientsOf(message);
    const pending = recipients.filter((recipient) => !this.delivered.has(this.deliveryKey(message, recipient)));
    const results = await Promise.allSettled(pending.map((recipient) => this.send(message, recipient, render(recipient), logContext)));
    const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [{ role: pending[index]?.role, error: result.reason as unknown }] : []));
    if (failures.length > 0) {
      // Rejecting makes Temporal retry; recipients that already got theirs are not mailed again.
      throw new AggregateError(
        failures.map((failure) => failure.error),
        `e-mail to ${failures.map((failure) => failure.role).join(' & ')} failed for ${message.kind} (${message.key})`,
      );
    }
  }

  /** Closes the SMTP connections. */
  close(): void {
    this.transporter.close();
  }

  private deliveryKey(notification: { key: string }, recipient: EmailRecipient): string {
    return `${notification.key}\u0000${recipient.role}`;
  }

  private async send(notification: { key: string; kind: string }, recipient: EmailRecipient, message: EmailMessage & { invite?: EmailInvite }, logContext: Record<string, unknown>): Promise<void> {
    const deliveryKey = this.deliveryKey(notification, recipient);
    const id = createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32);
    await this.transporter.sendMail({
      from: this.options.from,
      to: { name: recipient.name, address: recipient.email },
      subject: message.subject,
      text: message.text,
      messageId: `<${id}@${this.messageIdDomain}>`,
      headers: { 'X-Booking-Notification': notification.key },
      ...(message.invite ? { attachments: [{ filename: 'invite.ics', content: message.invite.content, contentType: calendarContentType(message.invite.method) }] } : {}),
    });
    this.delivered.add(deliveryKey);
    log.info({ key: notification.key, kind: notification.kind, role: recipient.role, ...logContext }, 'e-mail sent');
  }

  private async recipientsOf(notification: { key: string; audience: Audience[]; trainerId: number; clientId: number }): Promise<EmailRecipient[]> {
    const em = this.options.orm.em.fork();
    const trainer = await em.findOne(Trainer, notification.trainerId, { populate: ['user'] });
    const trainerZone = validZone(trainer?.timeZone) ? trainer.timeZone : 'UTC';
    const recipients: EmailRecipient[] = [];
    const add = (role: EmailRecipient['role'], user: User | null | undefined): void => {
      if (!user?.email) {
        log.debug({ key: notification.key, role }, 'no e-mail address; skipped');
        return;
      }
      recipients.push({ role, email: user.email, name: user.fullName, timeZone: validZone(user.timeZone) ? user.timeZone : trainerZone });
    };
    if (notification.audience.includes('client')) add('client', await em.findOne(User, notification.clientId));
    if (notification.audience.includes('trainer')) add('trainer', trainer?.user);
    return recipients;
  }
}
