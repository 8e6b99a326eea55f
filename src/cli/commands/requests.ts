import { Command, Option } from 'commander';
import { BookingRequest } from '../../db/entities';
import { formatRankedOptions } from '../../demo/print-ranked-slots';
import { REQUEST_STATUSES, type RequestStatus } from '../../domain/statuses';
import { rankSlotsForRequest } from '../../slots/rank-slots';
import { toSlotOption } from '../../slots/slot-option';
import { workflowIdFor } from '../../temporal/workflow-ids';
import { CliInputError, type CliContext } from '../context';
import { positiveInt } from '../lookup';

export function requestsCommand(ctx: CliContext): Command {
  const requests = new Command('requests').description('Booking requests and their W_C score breakdowns');

  requests
    .command('list')
    .description('List booking requests, newest first')
    .addOption(new Option('--status <status>', 'only this status').choices(REQUEST_STATUSES))
    .option('--trainer <id>', 'only this trainer', positiveInt('--trainer'))
    .option('--client <id>', 'only this client (user id)', positiveInt('--client'))
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 50)
    .action(async (options: { status?: RequestStatus; trainer?: number; client?: number; limit: number }) => {
      const em = (await ctx.orm()).em.fork();
      const where = { ...(options.status ? { status: options.status } : {}), ...(options.trainer ? { trainer: options.trainer } : {}), ...(options.client ? { client: options.client } : {}) };
      const rows = await em.find(BookingRequest, where, { orderBy: { id: 'desc' }, limit: options.limit });
      if (rows.length === 0) ctx.print('No booking requests.');
      for (const r of rows) {
        const when = r.startTime ? `at ${r.startTime.toISOString()}` : `${r.preferredStartDate} to ${r.preferredEndDate}`;
        ctx.print(`${String(r.id).padStart(8)}  ${r.status.padEnd(8)}  trainer ${r.trainer.id}  client ${r.client.id}  ${r.sessionType}, ${r.durationMinutes} min, ${when}  expires ${r.expiresAt.toISOString()}`);
      }
    });

  requests
    .command('show')
    .description('One request: its fields, its workflow state, and the W_C-ranked free starts with their breakdowns')
    .argument('<id>', 'booking request id', positiveInt('<id>'))
    .option('--max-results <n>', 'how many ranked starts', positiveInt('--max-results'), 5)
    .action(async (id: number, options: { maxResults: number }) => {
      const em = (await ctx.orm()).em.fork();
      const request = await em.findOne(BookingRequest, id, { populate: ['trainer', 'client'] });
      if (!request) throw new CliInputError(`There is no booking request ${id}.`);
      ctx.print(`Status ${request.status}, expires ${request.expiresAt.toISOString()}, client ${request.client.id} (${request.client.username}), workflow ${request.workflowId ?? workflowIdFor(id)}`);
      if (request.startTime) ctx.print(`Direct booking at ${request.startTime.toISOString()}`);
      if (request.rejectionReason) ctx.print(`Rejected: ${request.rejectionReason}`);
      try {
        const state = await (await ctx.bookings()).state(id);
        ctx.print(`Workflow: ${state.status}, ${state.options.length} offered option(s)${state.booking ? `, booking ${state.booking.bookingId} at ${state.booking.startTime}` : ''}`);
        for (const entry of state.history) ctx.print(`  ${entry.at}  ${entry.event}${entry.detail ? ` — ${entry.detail}` : ''}`);
      } catch (error) {
        ctx.print(`Workflow state unavailable: ${(error as Error).message}`);
      }
      ctx.print('');
      const ranked = await rankSlotsForRequest(em, id, { maxResults: options.maxResults, holdOwner: workflowIdFor(id) });
      const description = {
        bookingRequestId: id,
        sessionType: request.sessionType,
        durationMinutes: request.durationMinutes,
        trainerId: request.trainer.id,
        timeZone: request.timeZone,
        startTime: request.startTime?.toISOString() ?? null,
        preferences:
          request.preferredStartDate && request.preferredEndDate
            ? { preferredStartDate: request.preferredStartDate, preferredEndDate: request.preferredEndDate, preferredTimes: request.preferredTimes, avoidTimes: request.avoidTimes, allowWeekends: request.allowWeekends, allowEvenings: request.allowEvenings }
            : null,
      };
      ctx.print(formatRankedOptions(description, ranked.map((slot) => toSlotOption(slot, request.durationMinutes))));
    });

  requests
    .command('withdraw')
    .description("Withdraw a pending request for its client (closed as WITHDRAWN: holds released, the trainer told)")
    .argument('<id>', 'booking request id', positiveInt('<id>'))
    .option('--reason <text>', 'why (the trainer is told)')
    .action(async (id: number, options: { reason?: string }) => {
      const em = (await ctx.orm()).em.fork();
      const request = await em.findOne(BookingRequest, id);
      if (!request) throw new CliInputError(`There is no booking request ${id}.`);
      if (request.status === 'WITHDRAWN') return ctx.print(`Booking request ${id} was already withdrawn.`);
      if (request.status !== 'PENDING') throw new CliInputError(`Booking request ${id} is already ${request.status.toLowerCase()}, so it can no longer be withdrawn.`);
      const outcome = await (await ctx.bookings()).withdraw(id, { actor: { role: 'ADMIN', userId: 0 }, ...(options.reason ? { reason: options.reason } : {}) });
      if (outcome.result === 'refused') throw new CliInputError(outcome.message);
      if (outcome.result === 'closed' && outcome.status !== 'WITHDRAWN') throw new CliInputError(`Booking request ${id} is already ${outcome.status.toLowerCase()}, so it can no longer be withdrawn.`);
      ctx.print(outcome.result === 'withdrawn' && !outcome.duplicate ? `Booking request ${id} withdrawn; its holds are released and the trainer is told.` : `Booking request ${id} was already withdrawn.`);
    });

  return requests;
}
