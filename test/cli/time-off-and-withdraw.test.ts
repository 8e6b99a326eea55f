import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliInputError, type CliContext } from '../../src/cli/context';
import { buildCliProgram } from '../../src/cli/program';
import { BookingRequest, TimeSlot } from '../../src/db/entities';
import { createPerson, createTrainerPerson, SLOT_DAY, startApiHarness, type ApiHarness } from '../api/support/api-harness';
import type { Answer, RequestView } from '../api/support/api-types';
import { at, plusDays } from '../support/time';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Runs one CLI command in-process against the test database and worker; returns its output lines. */
async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = { orm: () => Promise.resolve(h.db.orm), bookings: () => Promise.resolve(h.worker.bookings), print: (line) => lines.push(line) };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

describe('CLI: slots block and requests withdraw', () => {
  it('blocks whole days of time off in the trainer zone, keeping and naming a held slot', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 4); // SLOT_DAY 09:00 to 13:00 (UTC trainer)
    const client = await createPerson(em, 'CLIENT');
    const held = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 11), end_time: at(SLOT_DAY, 12) } });
    expect(held.status).toBe(201);
    const [line] = await cli('slots', 'block', String(trainer.trainerId), '--from', SLOT_DAY, '--to', SLOT_DAY);
    expect(line).toBe(
      `Removed 3 free slots. Still there, because time off never removes them: the hold of pending request ${held.body.id} (${new Date(at(SLOT_DAY, 11)).toISOString()} to ${new Date(at(SLOT_DAY, 12)).toISOString()}); cancel the booking or reject the request to free that time.`,
    );
    const left = await h.db.orm.em.fork().find(TimeSlot, { trainer: trainer.trainerId });
    expect(left.map((slot) => slot.startTime.toISOString())).toEqual([new Date(at(SLOT_DAY, 11)).toISOString()]);
    await expect(cli('slots', 'block', String(trainer.trainerId), '--from', plusDays(SLOT_DAY, 1), '--to', SLOT_DAY)).rejects.toThrow(new CliInputError('--to: must be after --from.'));
    await expect(cli('slots', 'block', String(trainer.trainerId), '--from', '2030-01-01T10:00', '--to', SLOT_DAY)).rejects.toThrow(/^--from: expected a day YYYY-MM-DD or an ISO date-time with an offset/);
  });

  it('withdraws a pending request for its client; a closed one is refused naming its status', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 2);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: { trainer_id: trainer.trainerId, session_type: 'HIIT', start_time: at(SLOT_DAY, 9), end_time: at(SLOT_DAY, 10) } });
    expect(created.status).toBe(201);
    expect(await cli('requests', 'withdraw', String(created.body.id), '--reason', 'Client called')).toEqual([`Booking request ${created.body.id} withdrawn; its holds are released and the trainer is told.`]);
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.body.id)).status).toBe('WITHDRAWN');
    expect(await cli('requests', 'withdraw', String(created.body.id))).toEqual([`Booking request ${created.body.id} was already withdrawn.`]);
    await em.nativeUpdate(BookingRequest, { id: created.body.id }, { status: 'EXPIRED' });
    await expect(cli('requests', 'withdraw', String(created.body.id))).rejects.toThrow(new CliInputError(`Booking request ${created.body.id} is already expired, so it can no longer be withdrawn.`));
  });
});
