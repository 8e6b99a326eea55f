import { Command } from 'commander';
import { Booking } from '../../db/entities';
import { CliInputError, type CliContext } from '../context';
import { positiveInt } from '../lookup';

/** Operators act as an admin; the workflow records them as user 0 (like the bootstrap token). */
const OPERATOR = { role: 'ADMIN', userId: 0 } as const;

export function bookingsCommand(ctx: CliContext): Command {
  const bookings = new Command('bookings').description('Confirmed bookings');

  bookings
    .command('cancel')
    .description("Cancel a booking through its workflow (the slots become free; client and trainer are told)")
    .argument('<id>', 'booking id', positiveInt('<id>'))
    .option('--reason <text>', 'why, for client and trainer')
    .option('--following', 'a session of a weekly series: cancel it and every later session not yet started')
    .action(async (id: number, options: { reason?: string; following?: boolean }) => {
      const em = (await ctx.orm()).em.fork();
      const booking = await em.findOne(Booking, id);
      if (!booking) throw new CliInputError(`There is no booking ${id}.`);
      const client = await ctx.bookings();
      const reason = options.reason ? { reason: options.reason } : {};
      const seriesId = booking.series?.id ?? null;
      if (options.following) {
        if (seriesId === null) throw new CliInputError(`Booking ${id} is not a session of a weekly series, so it has no following sessions; leave out --following.`);
        const outcome = await client.cancelSeries(booking.bookingRequest.id, { actor: OPERATOR, fromBookingId: id, ...reason });
        if (outcome.result !== 'done') throw new CliInputError(outcome.message);
        if (outcome.cancelled.length === 0) return ctx.print(`Booking ${id} and the sessions after it in series ${seriesId} were already cancelled.`);
        ctx.print(`Cancelled ${outcome.cancelled.length} session(s) of series ${seriesId} from booking ${id}; their slots are free again (series ${outcome.series.status}).`);
        for (const cancelled of outcome.cancelled) ctx.print(`  booking ${cancelled.bookingId}  ${cancelled.startTime}  ${cancelled.status}`);
        return;
      }
      const target = { bookingRequestId: booking.bookingRequest.id, bookingId: id, seriesId };
      const outcome = await client.cancel(target, { actor: OPERATOR, ...reason });
      if (outcome.result === 'refused') throw new CliInputError(outcome.message);
      if (outcome.result === 'conflict') throw new CliInputError(outcome.message);
      ctx.print(outcome.duplicate ? `Booking ${id} was already cancelled.` : `Cancelled booking ${id} (${outcome.booking.startTime}); its slots are free again.`);
    });

  return bookings;
}
