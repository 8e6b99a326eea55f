import { Command } from 'commander';
import { DateTime } from 'luxon';
import { readFile } from 'node:fs/promises';
import { slotsFromBulkBody } from '../../api/bulk-slots';
import { ApiError } from '../../api/errors';
import { bulkCreateBodySchema } from '../../api/schemas/time-slots';
import { announceAvailabilityChange } from '../../availability/announce';
import { publishSlots, SlotOverlapError } from '../../availability/publish-slots';
import { blockTimeOff, describeTimeOff } from '../../availability/time-off';
import { Trainer } from '../../db/entities';
import { CliInputError, type CliContext } from '../context';
import { positiveInt } from '../lookup';

/** Body fields as the operator typed them. */
const OPTION_FOR_FIELD: Record<string, string> = {
  'weekly.from_date': '--from',
  'weekly.to_date': '--to',
  'weekly.weekdays': '--weekdays',
  'weekly.day_start': '--day-start',
  'weekly.day_end': '--day-end',
  'weekly.slot_minutes': '--slot-minutes',
  'weekly.time_zone': '--time-zone',
};

interface SlotOptions {
  trainer: number;
  file?: string;
  from?: string;
  to?: string;
  weekdays?: string;
  dayStart?: string;
  dayEnd?: string;
  slotMinutes?: string;
  timeZone?: string;
}

async function bodyFrom(options: SlotOptions): Promise<unknown> {
  if (options.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(options.file, 'utf8'));
    } catch (error) {
      throw new CliInputError(`--file ${options.file} could not be read as JSON: ${(error as Error).message}`);
    }
    // A bare list of {start_time, end_time}, or the API's body.
    return Array.isArray(parsed) ? { slots: parsed } : parsed;
  }
  if (!options.from || !options.to || !options.weekdays || !options.dayStart || !options.dayEnd) {
    throw new CliInputError('Give --file, or a weekly pattern with --from, --to, --weekdays, --day-start and --day-end.');
  }
  return {
    weekly: {
      from_date: options.from,
      to_date: options.to,
      weekdays: options.weekdays.split(',').map((d) => Number(d.trim())),
      day_start: options.dayStart,
      day_end: options.dayEnd,
      ...(options.slotMinutes ? { slot_minutes: Number(options.slotMinutes) } : {}),
      ...(options.timeZone ? { time_zone: options.timeZone } : {}),
    },
  };
}

export function slotsCommand(ctx: CliContext): Command {
  const slots = new Command('slots').description("Trainers' published availability");

  slots
    .command('bulk-create')
    .description('Publish slots for a trainer, all or none: from a JSON file, or a weekly pattern over a date range')
    .requiredOption('--trainer <id>', 'trainer id', positiveInt('--trainer'))
    .option('--file <path>', 'JSON: [{"start_time": "...", "end_time": "..."}, ...] (or the API body)')
    .option('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--weekdays <list>', 'ISO weekdays, e.g. 1,2,3,4,5 (1 = Monday)')
    .option('--day-start <HH:MM>', 'first slot starts, e.g. 07:00')
    .option('--day-end <HH:MM>', 'last slot ends, e.g. 20:00')
    .option('--slot-minutes <n>', 'slot length in minutes (default 60)')
    .option('--time-zone <zone>', "zone of the wall-clock times (default: the trainer's)")
    .action(async (options: SlotOptions) => {
      const parsed = bulkCreateBodySchema.safeParse(await bodyFrom(options));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.');
        const fieldPrefix = Object.keys(OPTION_FOR_FIELD).find((key) => field.startsWith(key));
        throw new CliInputError(`${(fieldPrefix && OPTION_FOR_FIELD[fieldPrefix]) ?? (field || 'input')}: ${issue.message}`);
      }
      const em = (await ctx.orm()).em.fork();
      const trainer = await em.findOne(Trainer, options.trainer);
      if (!trainer) throw new CliInputError(`There is no trainer ${options.trainer}.`);
      try {
        const published = await publishSlots(em, trainer.id, slotsFromBulkBody(parsed.data, trainer.timeZone));
        ctx.print(`Published ${published.length} slots for trainer ${trainer.id}, ${published[0]!.startTime.toISOString()} to ${published.at(-1)!.endTime.toISOString()}.`);
        await announceAvailabilityChange(() => ctx.bookings(), { trainerId: trainer.id, reason: 'published' });
      } catch (error) {
        if (error instanceof SlotOverlapError || error instanceof ApiError) throw new CliInputError(error.message);
        throw error;
      }
    });

  slots
    .command('block')
    .description("Block a trainer's time off: free slots in the range are deleted; booked and held ones stay and are listed")
    .argument('<trainer>', 'trainer id', positiveInt('<trainer>'))
    .requiredOption('--from <when>', "start: an ISO date-time (2024-12-24T14:00:00Z) or a day YYYY-MM-DD (its start, in the trainer's zone)")
    .requiredOption('--to <when>', "end (exclusive): an ISO date-time, or a day YYYY-MM-DD (the whole day included, in the trainer's zone)")
    .action(async (trainerId: number, options: { from: string; to: string }) => {
      const em = (await ctx.orm()).em.fork();
      const trainer = await em.findOne(Trainer, trainerId);
      if (!trainer) throw new CliInputError(`There is no trainer ${trainerId}.`);
      const from = instantOf('--from', options.from, trainer.timeZone, false);
      const to = instantOf('--to', options.to, trainer.timeZone, true);
      if (to <= from) throw new CliInputError('--to: must be after --from.');
      const result = await blockTimeOff(em, { trainerId, from, to });
      ctx.print(describeTimeOff(result));
      if (result.removedSlots > 0) await announceAvailabilityChange(() => ctx.bookings(), { trainerId, reason: 'removed' });
    });

  return slots;
}

/** An ISO date-time with an offset, or a day in the trainer's zone: its start (or, for an end, the next day's start). */
function instantOf(option: string, value: string, zone: string, endOfDay: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = DateTime.fromISO(value, { zone });
    if (!day.isValid) throw new CliInputError(`${option}: ${value} is not a calendar day.`);
    return (endOfDay ? day.plus({ days: 1 }) : day).toJSDate();
  }
  const instant = DateTime.fromISO(value, { setZone: true });
  if (!instant.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) throw new CliInputError(`${option}: expected a day YYYY-MM-DD or an ISO date-time with an offset, e.g. 2024-12-24T14:00:00Z.`);
  return instant.toJSDate();
}
