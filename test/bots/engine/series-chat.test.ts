// A weekly series from the chat through the real engine, the real request checks
// (prepareBookingRequest with the series rules) and the real workflow: free text → the
// summary with its sessions → Confirm → the trainer's one approval → every session booked;
// and a series the service refuses comes back as its one sentence, with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import type { OutgoingMessage } from '../../../bots/core/messages';
import { Booking, BookingRequest } from '../../../src/db/entities';
import { startBookingStack, type BookingStack } from '../../support/booking-stack';
import { createSlots, createTrainerWithSlots } from '../../support/fixtures';
import { formatDay } from '../../../bots/core/format';
import { atDate, plusDays, weekdayOf, workdayAhead } from '../../support/time';
import { ChatPerson, texts } from '../support/chat-person';

let stack: BookingStack;
let engine: ChatEngine;

beforeAll(async () => {
  stack = await startBookingStack();
  engine = createChatEngine({ orm: stack.db.orm, bookings: stack.running.bookings });
});
afterAll(async () => stack?.stop());

let people = 0;
const client = (): ChatPerson => new ChatPerson(engine, 'discord', `D-series-${++people}`, `Series Client ${people}`, 'G1');
const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;

describe('a weekly series in chat with the real engine and workflow', () => {
  it('free text → the sessions in the summary → Confirm → the trainer approves → three confirmed bookings in one series', async () => {
    // Six hourly slots from 09:00 UTC on a working day at least 3 days ahead and the same weekday the two weeks after; everyone reads UTC.
    const day = workdayAhead(3);
    const em = stack.db.orm.em.fork();
    const { trainer, name } = await createTrainerWithSlots(em, day);
    await createSlots(em, trainer, atDate(plusDays(day, 7), 9), 6);
    await createSlots(em, trainer, atDate(plusDays(day, 14), 9), 6);
    const jamie = client();
    const weekday = weekdayOf(day);
    await jamie.say(`book ${name}, strength, 60 min, at the gym, every ${weekday} at 10:00 from ${day}, 3 sessions`);
    const [summary] = await jamie.press('Skip');
    expect(fieldValue(summary!.message, 'Repeats')).toBe(
      `3 sessions, ${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}s at 10:00 (UTC): ${[day, plusDays(day, 7), plusDays(day, 14)].map(formatDay).join(', ')}`,
    );

    const sent = texts(await jamie.press('Confirm'));
    const id = Number(/request #(\d+)/.exec(sent.join(' '))?.[1]);
    expect(id, sent.join(' | ')).toBeGreaterThan(0);
    const row = await stack.db.orm.em.fork().findOneOrFail(BookingRequest, id);
    expect(row.trainer.id).toBe(trainer.id);
    expect(row.recurrence).toEqual({ interval: 1, weekdays: [weekday.slice(0, 2).toUpperCase()], count: 3, conflictMode: 'ALL_OR_NOTHING' });
    expect(row.startTime?.toISOString()).toBe(`${day}T10:00:00.000Z`);

    // The trainer is offered the weekly time with every session free, and approves it once.
    const [offer] = await stack.notifier.waitFor(id, 'request.options');
    const [option] = offer!.options!;
    expect(option!.series).toMatchObject({ localTime: '10:00', timeZone: 'UTC', total: 3, free: 3, conflictMode: 'ALL_OR_NOTHING' });
    const outcome = await stack.running.bookings.decide(id, { kind: 'approve', trainerId: trainer.id, slotId: option!.slotId }, `approve-${id}`);
    expect(outcome).toMatchObject({ result: 'approved', series: { status: 'CONFIRMED', skipped: [] } });
    const booked = await stack.db.orm.em.fork().find(Booking, { bookingRequest: id }, { orderBy: { startTime: 'asc' } });
    expect(booked.map((b) => [b.startTime.toISOString(), b.status, b.isRecurring])).toEqual(
      [day, plusDays(day, 7), plusDays(day, 14)].map((d) => [`${d}T10:00:00.000Z`, 'CONFIRMED', true]),
    );
  });

  it('a day the trainer publishes nothing on: the service\'s sentence, and the days are asked again', async () => {
    const day = workdayAhead(3);
    const { trainer, name } = await createTrainerWithSlots(stack.db.orm.em.fork(), day);
    const other = weekdayOf(plusDays(day, 1)) === 'saturday' ? plusDays(day, 3) : plusDays(day, 1);
    const otherName = weekdayOf(other);
    const sam = client();
    await sam.say(`book ${name}, strength, 60 min, at the gym, every ${otherName} at 10:00 from ${other}, 3 sessions`);
    await sam.press('Skip');
    const replies = await sam.press('Confirm');
    expect(texts(replies)).toHaveLength(2);
    expect(texts(replies)[0]).toBe(`Sending your request to ${name}…`);
    expect(texts(replies)[1]).toMatch(new RegExp(`^${name} has no published times on ${otherName.charAt(0).toUpperCase()}${otherName.slice(1)}s between .*: choose other days\\.$`));
    // Back on the days of the week, nothing stored.
    expect((replies[1]!.message.actions ?? []).some((a) => a.kind === 'select' && a.id === 'b.rep.day')).toBe(true);
    expect(await stack.db.orm.em.fork().count(BookingRequest, { trainer: trainer.id })).toBe(0);
  });
});
