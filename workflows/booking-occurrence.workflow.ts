import { setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import { activities, finish, ownBooking, registerHandlers } from './booking-phases';
import { BookingRequestState, DEFAULT_TIMINGS } from './booking-request-state';
import { occurrenceCancelledSignal, type BookingState, type OccurrenceWorkflowArgs } from './contract';

/**
 * One occurrence of a confirmed weekly series, started by the series request's workflow:
 * owns its ONE booking exactly as phase 4 of a single booking does (reminder, cancel,
 * reschedule, outcome, freed time announced), and ends early when the series' workflow
 * cancels it with the rest ("this and all following": it told both sides already).
 */
export async function bookingOccurrenceWorkflow(args: OccurrenceWorkflowArgs): Promise<BookingState> {
  const occurrence = new BookingRequestState(args.request, { ...DEFAULT_TIMINGS, ...args.timings }, workflowInfo().workflowId, activities);
  // The booking first: an Update delivered with the first workflow task is validated against it.
  occurrence.adoptOccurrence(args.booking, args.seriesId);
  registerHandlers(occurrence);
  setHandler(occurrenceCancelledSignal, (cancelled) =>
    occurrence.accept(() => occurrence.validateOccurrenceCancelled(cancelled), { type: 'occurrence-cancelled', id: uuid4(), cancelled }),
  );

  await ownBooking(occurrence);

  await finish(occurrence);
  return occurrence.state;
}
