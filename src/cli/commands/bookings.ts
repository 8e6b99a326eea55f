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
    .action(async (id: number, options: { reason?: string }) => {
      const em = (await ctx.orm()).em.fork();
      const booking = await em.findOne(Booking, id);
      if (!booking) throw new CliInputError(`There is no booking ${id}.`);
      const client = await ctx.bookings();
      const outcome = await client.cancel(booking.bookingRequest.id, { actor: OPERATOR, ...(options.reason ? { reason: options.reason } : {}) });
      if (outcome.result === 'refused') throw new CliInputError(outcome.message);
      if (outcome.result === 'conflict') throw new CliInputError(outcome.message);
      ctx.print(outcome.duplicate ? `Booking ${id} was already cancelled.` : `Cancelled booking ${id} (${outcome.booking.startTime}); its slots are free again.`);
    });

  return bookings;
}
