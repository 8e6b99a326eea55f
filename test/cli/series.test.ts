import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api/auth/api-tokens';
import { CliInputError, type CliContext } from '../../src/cli/context';
import { buildCliProgram } from '../../src/cli/program';
import { Booking } from '../../src/db/entities';
import { savePolicy } from '../../src/policy';
import { createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { at, atDate, plusDays } from '../support/time';
import { createPerson, SLOT_DAY, startApiHarness, type ApiHarness } from '../api/support/api-harness';
import type { Answer, Approval, RequestDetail, RequestView, SeriesView } from '../api/support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = { orm: () => Promise.resolve(h.db.orm), bookings: () => Promise.resolve(h.worker.bookings), print: (line) => lines.push(line) };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

const monday = (week: number): string => plusDays(SLOT_DAY, 7 * week);

/** A trainer with a 10:00 UTC slot on `weeks` Mondays, a client, and a booking request of theirs approved over HTTP. */
async function approvedRequest(weeks: number, recurrence: Record<string, unknown> | undefined) {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 90 });
  for (let week = 0; week < weeks; week++) await createSlots(em, trainer, atDate(monday(week), 10), 1);
  await savePolicy(em, trainer.id, { maxUpcomingBookings: 100 });
  const trainerToken = (await issueToken(em, trainer.user.id, 'test')).token;
  const client = await createPerson(em, 'CLIENT');
  const body = { trainer_id: trainer.id, session_type: 'Strength Training', duration_minutes: 60, start_time: at(monday(0), 10), time_zone: 'UTC', ...(recurrence ? { recurrence } : {}) };
  const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body });
  expect(created.status).toBe(201);
  const detail = await h.call<RequestDetail>('GET', `/booking-requests/${created.body.id}`, { token: trainerToken });
  const slotId = detail.body.workflow!.options[0]!.slot_id;
  const approved = await h.call<Answer<Approval & { series?: SeriesView }>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainerToken, body: { status: 'APPROVED', slot_id: slotId } });
  expect(approved.status).toBe(200);
  return { trainerId: trainer.id, approved: approved.body };
}

describe('bookings cancel for a weekly series', () => {
  it('cancels one session through its own workflow, and with --following that session and every later one', async () => {
    const { trainerId, approved } = await approvedRequest(4, { frequency: 'WEEKLY', weekdays: ['MO'], count: 4 });
    const series = approved.series!;
    const [first, second, third, fourth] = series.occurrences.map((o) => o.booking_id) as [number, number, number, number];

    expect(await cli('bookings', 'cancel', String(first), '--reason', 'Away')).toEqual([`Cancelled booking ${first} (${at(monday(0), 10)}); its slots are free again.`]);
    const lines = await cli('bookings', 'cancel', String(third), '--following', '--reason', 'Moving away');
    expect(lines[0]).toBe(`Cancelled 2 session(s) of series ${series.id} from booking ${third}; their slots are free again (series CONFIRMED).`);
    expect(lines.slice(1)).toEqual([`  booking ${third}  ${at(monday(2), 10)}  CANCELLED`, `  booking ${fourth}  ${at(monday(3), 10)}  CANCELLED`]);

    const em = h.db.orm.em.fork();
    const statuses = await em.find(Booking, { series: series.id }, { orderBy: { startTime: 'asc' } });
    expect(statuses.map((b) => [b.id, b.status, b.cancellationReason])).toEqual([
      [first, 'CANCELLED', 'Away'],
      [second, 'CONFIRMED', null],
      [third, 'CANCELLED', 'Moving away'],
      [fourth, 'CANCELLED', 'Moving away'],
    ]);
    expect((await checkBookingInvariants(em, trainerId)).violations).toEqual([]);
  });

  it('refuses --following for a booking outside a series with one sentence, changing nothing', async () => {
    const { approved } = await approvedRequest(1, undefined);
    const bookingId = approved.booking_id!;
    await expect(cli('bookings', 'cancel', String(bookingId), '--following')).rejects.toThrow(
      new CliInputError(`Booking ${bookingId} is not a session of a weekly series, so it has no following sessions; leave out --following.`),
    );
    expect((await h.db.orm.em.fork().findOneOrFail(Booking, bookingId)).status).toBe('CONFIRMED');
  });
});
