import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  mail: ParsedMail;
  /** The SMTP envelope's recipients (RCPT TO). */
  recipients: string[];
}

export interface SmtpInbox {
  /** SMTP_URL for this server, with its credentials. */
  url: string;
  received: ReceivedMail[];
  /** Addresses the server refuses (550), to simulate a failing delivery. */
  refuse: Set<string>;
  /** Mails whose X-Booking-Notification header (the notification key) matches. */
  withKey(match: (key: string) => boolean): ReceivedMail[];
  waitFor(match: (key: string) => boolean, count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export function notificationKeyOf(mail: ParsedMail): string {
  const key = mail.headers.get('x-booking-notification');
  return typeof key === 'string' ? key : '';
}

/**
 * A real SMTP server on 127.0.0.1 (a free port) that requires the given login and keeps
 * every message it accepts, parsed. Plain SMTP without STARTTLS, as a local relay would be.
 */
export async function startSmtpInbox(user: string, password: string): Promise<SmtpInbox> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, recipients: session.envelope.rcptTo.map((recipient) => recipient.address) });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  const withKey = (match: (key: string) => boolean): ReceivedMail[] => received.filter(({ mail }) => match(notificationKeyOf(mail)));
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    received,
    refuse,
    withKey,
    async waitFor(match, count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (withKey(match).length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails within ${timeoutMs} ms; received: ${JSON.stringify(received.map(({ mail }) => notificationKeyOf(mail)))}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return withKey(match);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
