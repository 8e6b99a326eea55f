import { condition, ParentClosePolicy, setHandler, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { bookingOccurrenceWorkflow } from './booking-occurrence.workflow';
import { activities, finish, ownBooking, registerHandlers } from './booking-phases';
import { BookingRequestState, DEFAULT_TIMINGS } from './booking-request-state';
import {
  cancelSeriesUpdate,
  OCCURRENCE_WORKFLOW_TYPE,
  occurrenceWorkflowIdFor,
  SEARCH_ATTRIBUTES,
  type BookingState,
  type BookingWorkflowArgs,
  type CancelSeriesCommand,
  type CancelSeriesOutcome,
} from './contract';

/**
 * One booking request, from the client's ask to the session's outcome: rank slots, ask the
 * trainer, wait up to 24 hours, reserve atomically (compensating on conflict), then own the
 * booking — reminder, cancel, reschedule, completion. A weekly series' request instead
 * supervises its occurrences, each owned by a child workflow of its own. The decisions live
 * in BookingRequestState; this function runs the phases.
 */
export async function bookingRequestWorkflow(args: BookingWorkflowArgs): Promise<BookingState> {
  const request = new BookingRequestState(args.request, { ...DEFAULT_TIMINGS, ...args.timings }, workflowInfo().workflowId, activities);
  registerHandlers(request);
  setHandler(cancelSeriesUpdate, (command) => request.submit<CancelSeriesOutcome>({ type: 'cancel-series', id: uuid4(), command }), {
    validator: (command: CancelSeriesCommand) => request.validateCancelSeries(command),
  });

  // 1. Store the request: PENDING for the approval window.
  await request.store();

  // 2. Options: the exact slot for a direct booking (held for us), W_C-ranked starts otherwise.
  if (!(await request.prepareOptions())) return request.state;

  // 3. Wait for the trainer until the request expires.
  while (request.state.status === 'PENDING') {
    const remaining = request.msUntilExpiry();
    if (remaining <= 0 || !(await condition(() => request.hasWork(), remaining))) {
      await request.expire();
      break;
    }
    await request.handleNext();
  }

  // 4. Own the booking: reminder, changes, and the session's outcome; a series' occurrences through their own workflows.
  if (request.ownsSeries()) await superviseSeries(request, args);
  else await ownBooking(request);

  await finish(request);
  return request.state;
}

/**
 * A confirmed series: one child workflow per booked occurrence (it owns that booking like
 * phase 4 of a single booking), while this workflow answers "this and all following"
 * (cancelSeries) until every child has ended. The history stays bounded: a few events per
 * occurrence here, each occurrence's own in its child (workflows/README.md).
 */
async function superviseSeries(request: BookingRequestState, args: BookingWorkflowArgs): Promise<void> {
  const series = request.state.series!;
  const { bookingRequestId, trainerId, clientId } = args.request;
  const occurrences = request.activeOccurrences();
  let running = 0;
  await Promise.all(
    occurrences.map(async (booking, index) => {
      let child;
      try {
        child = await startChild<typeof bookingOccurrenceWorkflow>(OCCURRENCE_WORKFLOW_TYPE, {
          workflowId: occurrenceWorkflowIdFor(bookingRequestId, booking.bookingId),
          args: [{ request: args.request, booking, seriesId: series.seriesId, ...(args.timings ? { timings: args.timings } : {}) }],
          // An occurrence outlives anything that ends this workflow early: its booking is real.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.bookingRequestId, value: String(bookingRequestId) },
            { key: SEARCH_ATTRIBUTES.trainerId, value: String(trainerId) },
            { key: SEARCH_ATTRIBUTES.clientId, value: String(clientId) },
            { key: SEARCH_ATTRIBUTES.seriesId, value: String(series.seriesId) },
            { key: SEARCH_ATTRIBUTES.bookingStatus, value: 'APPROVED' },
          ],
          staticSummary: `Session ${index + 1} of ${occurrences.length} of series ${series.seriesId} (booking request ${bookingRequestId}): booking ${booking.bookingId} at ${booking.startTime}`,
        });
      } catch (error) {
        request.occurrenceFinished(booking.bookingId, null, `not started: ${(error as Error).message}`);
        return;
      }
      running++;
      void child.result().then(
        (final) => request.occurrenceFinished(booking.bookingId, final),
        (error: unknown) => request.occurrenceFinished(booking.bookingId, null, `failed: ${(error as Error).message}`),
      ).finally(() => running--);
    }),
  );
  while (running > 0 || request.hasWork()) {
    await condition(() => request.hasWork() || running === 0);
    if (request.hasWork()) await request.handleNext();
  }
}
