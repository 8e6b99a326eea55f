import type { Writable } from 'node:stream';
import type { BookingClient } from '../temporal/booking-client';
import type { DemoData } from './demo-data';
import { demoFlexibleRequest } from './demo-request';
import { formatRankedOptions } from './print-ranked-slots';

/**
 * The demo's story: the demo client asks for next week's session, the workflow ranks the
 * trainer's slots, and the demo trainer takes the best one — the same Update a button
 * press sends — so the request goes PENDING → APPROVED in the Temporal UI.
 */
export async function runDemoBooking(options: { bookings: BookingClient; demo: DemoData; uiUrl: string | null; namespace: string; out: Writable }): Promise<void> {
  const { bookings, demo, out } = options;
  const raw = demoFlexibleRequest(demo);
  const started = await bookings.startRequest(raw);
  let state = await bookings.state(started.bookingRequestId);
  const deadline = Date.now() + 30_000;
  while (state.options.length === 0 && state.history.every((h) => h.event !== 'ranked options') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    state = await bookings.state(started.bookingRequestId);
  }
  out.write(`${formatRankedOptions({ ...raw, bookingRequestId: started.bookingRequestId }, state.options)}\n\n`);
  const best = state.options[0];
  if (!best) {
    out.write('No slot to approve; the request stays PENDING until it expires.\n');
    return;
  }
  const outcome = await bookings.decide(started.bookingRequestId, { kind: 'approve', trainerId: state.trainerId, slotId: best.slotId, notes: 'Demo approval' }, `demo-${started.bookingRequestId}`);
  const link = options.uiUrl ? `${options.uiUrl}/namespaces/${options.namespace}/workflows/${started.workflowId}` : started.workflowId;
  if (outcome.result === 'approved') {
    out.write(`Trainer approved option 1: booking ${outcome.booking.bookingId}, ${outcome.booking.startTime} – ${outcome.booking.endTime}, ${outcome.booking.slotIds.length} slots, total ${outcome.booking.totalCost.toFixed(2)}.\n`);
  } else {
    out.write(`Approval answered: ${JSON.stringify(outcome)}\n`);
  }
  out.write(`Request ${started.bookingRequestId} went PENDING → ${(await bookings.state(started.bookingRequestId)).status}; its history: ${link}\n`);
}
