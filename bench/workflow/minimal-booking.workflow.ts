// Benchmark 3's baseline: the booking workflow's shape with nothing in it. Persist, rank,
// notify twice, wait for the trainer's Update, confirm, notify: six activity calls, the same
// retry options, no database and no state beyond what the Update needs.
import { allHandlersFinished, condition, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { MinimalActivities } from './minimal-activities';
import { minimalDecideUpdate, type MinimalBooking, type MinimalRequest } from './minimal-definitions';

const activities = proxyActivities<MinimalActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function minimalBookingWorkflow(request: MinimalRequest): Promise<MinimalBooking> {
  let booking: MinimalBooking | undefined;
  let offered = false;
  setHandler(
    minimalDecideUpdate,
    async (option) => {
      booking = await activities.confirm({ ...request, ...option });
      await activities.notify({ requestId: request.requestId, kind: 'approved', options: [] });
      return booking;
    },
    {
      validator: (_option) => {
        if (!offered || booking) throw new Error('not waiting for a decision');
      },
    },
  );
  await activities.persist(request);
  const options = await activities.rank(request);
  await activities.notify({ requestId: request.requestId, kind: 'received', options: [] });
  offered = true;
  await activities.notify({ requestId: request.requestId, kind: 'options', options });
  await condition(() => booking !== undefined);
  // Like the booking workflow, stay open after confirming (that one goes on to own the
  // booking): a workflow that completes right after the Update would add a task to its answer.
  await sleep('1 day');
  await condition(allHandlersFinished);
  return booking!;
}
