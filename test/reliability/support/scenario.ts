import type { EntityManager } from '@mikro-orm/postgresql';
import { Booking, BookingRequest, Session } from '../../../src/db/entities';
import type { TimeSlot, Trainer, User } from '../../../src/db/entities';
import type { NewBookingRequest } from '../../../src/requests/new-request';
import { createClient, createSlots, createTrainer } from '../../support/fixtures';
import { savePolicy } from '../../../src/policy';
import { atDate, dayAhead } from '../../support/time';


export interface Scenario {
  trainer: Trainer;
  client: User;
  /** Hourly slots from 06:00 UTC three days ahead. */
  slots: TimeSlot[];
  /** A flexible one-hour request whose best option is slot `index` (its hour is the one preferred). */
  requestFor(index: number): NewBookingRequest;
}

/** One trainer with `slotCount` hourly slots, and requests that each prefer a different slot. */
export async function createScenario(em: EntityManager, slotCount: number): Promise<Scenario> {
  const trainer = await createTrainer(em, { pricePerHour: 60 });
  const client = await createClient(em);
  // One client sends every request of a drill: its limits are raised (they are tested in test/api/client-limits.test.ts).
  await savePolicy(em, trainer.id, { maxPendingPerClient: 50, maxPendingPerPair: 20, maxUpcomingBookings: 200 });
  // Any weekday: a weekend or evening bonus applies to every slot alike, and the preferred hour decides.
  const date = dayAhead(3);
  const slots = await createSlots(em, trainer, atDate(date, 6), slotCount);
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return {
    trainer,
    client,
    slots,
    requestFor(index) {
      const slot = slots[index]!;
      return {
        clientId: client.id,
        trainerId: trainer.id,
        sessionType: 'Fault drill',
        durationMinutes: 60,
        timeZone: 'UTC',
        preferences: {
          preferredStartDate: date,
          preferredEndDate: date,
          preferredTimes: [`${clock(slot.startTime.getTime())}-${clock(slot.endTime.getTime())}`],
          avoidTimes: [],
          allowWeekends: true,
          allowEvenings: true,
        },
      };
    },
  };
}

/** Rows stored for one request: what "exactly once" is checked against. */
export async function storedFor(em: EntityManager, bookingRequestId: number) {
  const request = await em.findOneOrFail(BookingRequest, bookingRequestId);
  const bookings = await em.find(Booking, { bookingRequest: bookingRequestId });
  const sessions = await em.count(Session, { booking: { $in: bookings.map((b) => b.id) } });
  return { status: request.status, bookings, sessions };
}
