import type { MinimalBooking, MinimalNotificationKind, MinimalOption, MinimalRequest } from './minimal-definitions';

/**
 * Activities that do no work, so the minimal workflow measures only what Temporal costs:
 * the same calls the booking workflow makes on its way to a confirmed booking.
 */
export function createMinimalActivities(onNotify: (requestId: number, kind: MinimalNotificationKind, options: MinimalOption[]) => void) {
  return {
    persist(_request: MinimalRequest): Promise<void> {
      return Promise.resolve();
    },
    rank(request: MinimalRequest): Promise<MinimalOption[]> {
      return Promise.resolve([{ slotId: request.requestId }]);
    },
    confirm(request: MinimalRequest & MinimalOption): Promise<MinimalBooking> {
      return Promise.resolve({ bookingId: request.slotId });
    },
    notify(args: { requestId: number; kind: MinimalNotificationKind; options: MinimalOption[] }): Promise<void> {
      onNotify(args.requestId, args.kind, args.options);
      return Promise.resolve();
    },
  };
}

export type MinimalActivities = ReturnType<typeof createMinimalActivities>;
