import { describe, expect, it } from 'vitest';
import { waitForOccurrence } from '../../src/temporal/occurrence-ready';
import type { BookingState } from '../../workflows/contract';

const target = { bookingRequestId: 5, bookingId: 42, seriesId: 7 };
const withBooking = (bookingId: number | null) => ({ booking: bookingId === null ? null : { bookingId } }) as unknown as BookingState;

describe('waitForOccurrence', () => {
  it("waits until the occurrence's workflow answers with its booking (not started, then not yet adopted)", async () => {
    const answers: (() => BookingState)[] = [
      () => {
        throw new Error('workflow not found');
      },
      () => withBooking(null),
      () => withBooking(42),
    ];
    let calls = 0;
    await waitForOccurrence({ state: () => Promise.resolve().then(answers[calls++]) }, target);
    expect(calls).toBe(3);
  });

  it('asks nothing for a booking outside a series', async () => {
    let calls = 0;
    await waitForOccurrence({ state: () => Promise.resolve(withBooking(calls++)) }, { ...target, seriesId: null });
    expect(calls).toBe(0);
  });

  it('gives up after the timeout and lets the change answer', async () => {
    let calls = 0;
    const started = Date.now();
    await waitForOccurrence({ state: () => Promise.resolve(withBooking(calls++ > 1_000 ? 42 : null)) }, target, 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBeGreaterThan(1);
  });
});
