import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import { startTerminalChat } from '../../../bots/terminal/terminal-chat';
import { Booking, BookingRequest, User } from '../../../src/db/entities';
import { startBookingStack, type BookingStack } from '../../support/booking-stack';
import type { TestDatabase } from '../../support/database';
import { createClient, createSlots, createTrainer } from '../../support/fixtures';
import type { RunningBookingWorker } from '../../support/temporal';
import { atDate, dayAhead } from '../../support/time';
import { formatDay } from '../../../src/domain/credits/wording';


let stack: BookingStack<ChatNotifier>;
let db: TestDatabase;
let running: RunningBookingWorker;
const adapters = new PlatformAdapters();

beforeAll(async () => {
  stack = await startBookingStack({ notifier: (created) => new ChatNotifier(created.orm, adapters) });
  ({ db, running } = stack);
});
afterAll(async () => stack?.stop());

describe('terminal chat', () => {
  it('plays client and trainer through streams: book by words, approve by number, both see the outcome', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    trainer.trainingTypes = ['Strength Training', 'HIIT'];
    await em.flush();
    await createSlots(em, trainer, atDate(dayAhead(2), 9), 4);
    const client = await createClient(em);
    const trainerName = (await em.findOneOrFail(User, trainer.user.id)).fullName;

    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const chat = await startTerminalChat({ orm: db.orm, bookings: running.bookings, adapters, input, output, personas: { clientUserId: client.id, trainerUserId: trainer.user.id } });

    let seen = 0;
    /** Types a line and waits until the screen shows `expected` after what was already read. */
    const type = async (line: string, expected: RegExp): Promise<string> => {
      input.write(`${line}\n`);
      await expect.poll(() => screen.slice(seen), { timeout: 20_000 }).toMatch(expected);
      const match = expected.exec(screen.slice(seen))!;
      seen += match.index + match[0].length;
      return match[0];
    };

    expect(screen).toMatch(/You are Client \w+ \(client\)\. Type "help" or "book"\./);
    await type('book', /Which trainer would you like to book\? Pick one or type a name\.\n {3}\[1\] Trainer \w+ — Strength\n {3}\[2\] Cancel/);
    await type('1', /What kind of session .*\n {3}\[1\] Strength Training\n {3}\[2\] HIIT/);
    await type('2', /How long should the session be\?/);
    await type('next 7 days, mornings 9-12, 60 min, gym', /Anything the trainer should know/);
    await type('skip', /Please check your request[^]*Session: HIIT[^]*\[1\] Confirm/);
    const sent = await type('1', /Sent! .* request #\d+/);
    const bookingRequestId = Number(/#(\d+)/.exec(sent)![1]);

    // The workflow's notification reaches the trainer persona in the same terminal.
    await type('/as trainer', new RegExp(`You are now ${trainerName} \\(trainer\\)\\.`));
    await expect.poll(() => screen, { timeout: 20_000 }).toMatch(new RegExp(`to ${trainerName} \\(trainer\\) · m\\d+ ──\\nNew booking request #${bookingRequestId}[^]*\\[1\\] Approve`));
    seen = screen.length;
    const beforeApproval = seen;
    // The first free start inside 9-12 on the first day: 09:00.
    await type('1', /Approved: Client \w+, .* 09:00–10:00 \(UTC\)/);
    const afterApproval = (): string => screen.slice(beforeApproval);
    await expect.poll(afterApproval, { timeout: 20_000 }).toMatch(/m\d+ updated, to .* \(trainer\) ──\nRequest #\d+ from Client \w+: approved for/);
    await expect.poll(afterApproval, { timeout: 20_000 }).toMatch(/\(client\) · m\d+ ──\nConfirmed: HIIT with .*, total 60\.00\.\n {3}\[1\] Reschedule/);
    expect(await db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'APPROVED' });
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);

    // Unclear words get one sentence, and the chat goes on.
    await type('/as client', /You are now Client \w+ \(client\)\./);
    await type('gibberish', /I didn't catch that; write "book" to book a session/);
    input.write('/quit\n');
    await chat.closed;
    expect(adapters.get('terminal')).toBeUndefined();
  });

  it('asks a form field by field, shows the prefilled answer, and keeps it on an empty line: a pack sold from the terminal', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const chat = await startTerminalChat({ orm: db.orm, bookings: running.bookings, input, output, personas: { clientUserId: client.id, trainerUserId: trainer.user.id } });
    let seen = 0;
    const type = async (line: string, expected: RegExp): Promise<RegExpExecArray> => {
      input.write(`${line}\n`);
      await expect.poll(() => screen.slice(seen), { timeout: 20_000 }).toMatch(expected);
      const match = expected.exec(screen.slice(seen))!;
      seen += match.index + match[0].length;
      return match;
    };

    await type('/as trainer', /You are now .* \(trainer\)\./);
    await type('packs', /You have no packs for sale yet[^]*\[1\] New pack…/);
    await type('1', /\(New pack: answer the questions below\)\nName \(e\.g\. Ten sessions\)\n/);
    await type('Ten sessions', /Sessions in the pack \(e\.g\. 10\)\n/);
    await type('10', /Minutes per session \(the longest it pays\) \(e\.g\. 60\)\n/);
    await type('60', /Price \(e\.g\. 700 EUR\)\n/);
    await type('700 EUR', /Valid for \(days after purchase\) \[90\] \(empty keeps it\)\n/);
    await type('', /Created "Ten sessions" \(10 × 60 min\): 10 × 60 min for €700\.00, valid 90 days\./);

    await type(`sell a pack to ${client.username}`, new RegExp(`Which pack did ${client.fullName} pay for\\?[^]*\\[1\\] Ten sessions · €700\\.00`));
    await type('1', new RegExp(`Client \\(name or username\\) \\[${client.fullName}\\] \\(empty keeps it\\)\\n`));
    await type('', /Pack \[Ten sessions\] \(empty keeps it\)\n/);
    await type('', /Amount paid \(EUR\) \[700\.00\] \(empty keeps it\)\n/);
    await type('', /Paid by \(cash, bank transfer, card at the gym or other\)\n/);
    await type('bank transfer', /Reference \(optional\) \(receipt number, transfer text…\)\n/);
    const recorded = await type('', new RegExp(`Recorded: ${client.fullName} paid €700\\.00 \\(bank transfer\\) for 10 × 60 min, 10 credits until (\\d{1,2} \\w+ \\d{4})\\.`));
    const [lot] = await db.orm.em.fork().execute<{ expires_at: Date }[]>('select expires_at from credit_lot where client_id = ?', [client.id]);
    expect(recorded[1]).toBe(formatDay(new Date(lot!.expires_at)));

    await type('/as client', /You are now .* \(client\)\./);
    await type('my credits', new RegExp(`Your session packs, per trainer:\\n {3}.*: 10 credits left\\n {6}• "Ten sessions" \\(10 × 60 min\\): 10 of 10 left, until ${recorded[1]}`));
    input.write('/quit\n');
    await chat.closed;
  });
});
