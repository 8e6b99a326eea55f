import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config';
import { CompositeNotifier } from './composite-notifier';
import { EmailNotifier } from './email-notifier';
import { LoggingNotifier } from './logging-notifier';
import type { CreditNotifier, Notifier } from './notification';

export interface NotificationChannels {
  /** What the workflow's notify activities call: every channel at once (pack notices: the channels that can send them). */
  notifier: Notifier & CreditNotifier;
  /** The channels' names, e.g. ['log', 'email', 'slack'], for the start-up log. */
  channels: string[];
  /** Closes the channels' connections (SMTP). */
  close(): void;
}

/**
 * The worker's notifier: the log always, e-mail when SMTP_URL is set, and the chat
 * platforms' notifiers the caller passes (e.g. `{ slack, discord }`).
 */
export function createNotificationChannels(options: { config: Pick<AppConfig, 'SMTP_URL' | 'MAIL_FROM'>; orm: MikroORM; chat?: Record<string, Notifier & Partial<CreditNotifier>> }): NotificationChannels {
  const channels: Record<string, Notifier & Partial<CreditNotifier>> = { log: new LoggingNotifier(), ...options.chat };
  let email: EmailNotifier | undefined;
  if (options.config.SMTP_URL && options.config.MAIL_FROM) {
    email = new EmailNotifier({ orm: options.orm, smtpUrl: options.config.SMTP_URL, from: options.config.MAIL_FROM });
    channels.email = email;
  }
  return {
    notifier: new CompositeNotifier(channels),
    channels: Object.keys(channels),
    close: () => email?.close(),
  };
}
