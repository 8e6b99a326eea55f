import { afterAll, beforeAll, expect, it } from 'vitest';
import { savePolicy } from '../../src/policy';
import { Booking } from '../../src/db/entities';
import { SLOTS_UNAVAILABLE_MESSAGE } from '../../src/reservation/errors';
import { createSlots, createTrainer } from '../support/fixtures';
import { checkBookingInvariants } from '../support/invariants';
import { issueToken } from '../../src/api/auth/api-tokens';
import { at, atDate, plusDays } from '../support/time';
import { createPerson, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, Approval, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

const GROUPS = 3;
const PER_GROUP = 4;

it('many concurrent approvals over shared slots: exactly one 200 per conflicting group, the rest 409, no double booking', async () => {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 90 });
  const trainerToken = (await issueToken(em, trainer.user.id, 'race')).token;
  const client = await createPerson(em, 'CLIENT');
  // One client opens all the requests: the limits are raised here and tested in client-limits.test.ts.
  await savePolicy(em, trainer.id, { maxPendingPerClient: 50, maxPendingPerPair: 20 });
  // Group g lives on the g-th day after SLOT_DAY: 120-minute sessions, half of them approved at 10:00 and half
  // at 11:00, so every approval of a group needs the 11:00 slot.
  for (let g = 0; g < GROUPS; g++) await createSlots(em, trainer, atDate(plusDays(SLOT_DAY, g), 9), 6);

  const approvals: { group: number; id: number; start: string }[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (let i = 0; i < PER_GROUP; i++) {
      const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', {
        token: client.token,
        body: { trainer_id: trainer.id, session_type: 'Strength Training', duration_minutes: 120, preferred_start_date: plusDays(SLOT_DAY, g), preferred_end_date: plusDays(SLOT_DAY, g), preferred_times: ['10:00-12:00'], time_zone: 'UTC' },
      });
      expect(created.status).toBe(201);
      approvals.push({ group: g, id: created.body.id, start: at(plusDays(SLOT_DAY, g), i % 2 === 0 ? 10 : 11) });
    }
  }

  const answers = await Promise.all(
    approvals.map(async (a) => ({ ...a, res: await h.call<Answer<Approval>>('PUT', `/booking-requests/${a.id}/approve`, { token: trainerToken, body: { status: 'APPROVED', confirmed_date: a.start } }) })),
  );

  for (let g = 0; g < GROUPS; g++) {
    const group = answers.filter((a) => a.group === g);
    const statuses = group.map((a) => a.res.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const winner = group.find((a) => a.res.status === 200)!;
    expect(winner.res.body).toMatchObject({ status: 'confirmed', message: 'Booking approved and confirmed', confirmed_time: winner.start, slots_booked: 2 });
    for (const loser of group.filter((a) => a.res.status === 409)) {
      expect(loser.res.body).toMatchObject({ statusCode: 409, error: 'slots_unavailable', message: SLOTS_UNAVAILABLE_MESSAGE });
      // The fresh options no longer overlap the winner's session.
      const winnerStart = Date.parse(winner.start);
      for (const option of loser.res.body.options ?? []) {
        const start = Date.parse(option.slot_start);
        expect(start + 2 * 3_600_000 <= winnerStart || start >= winnerStart + 2 * 3_600_000).toBe(true);
      }
    }
  }

  const report = await checkBookingInvariants(h.db.orm.em.fork(), trainer.id);
  expect(report.violations).toEqual([]);
  expect(report.activeBookings).toBe(GROUPS);
  expect(report.approvedRequests).toBe(GROUPS);
  expect(report.pendingRequests).toBe(GROUPS * (PER_GROUP - 1));
  expect(await h.db.orm.em.fork().count(Booking, { trainer: trainer.id })).toBe(GROUPS);
});
