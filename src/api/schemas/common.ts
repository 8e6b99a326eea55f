import { z } from 'zod';
import { assertTimeZone, parseCalendarDate, parseTimeBlock } from '../../scoring/wc';

/** A database id in a path or a body. Path parameters arrive as text, hence the coercion. */
export const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
export const idParamsSchema = z.object({ id: idSchema.describe('The id of the resource') });

/** An instant with an explicit offset, e.g. 2024-01-16T10:00:00Z or 2024-01-16T11:00:00+01:00. */
export const instantSchema = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time with an offset, e.g. 2024-01-16T10:00:00Z' });

const succeeds = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

export const calendarDateSchema = z
  .string()
  .refine((value) => succeeds(() => parseCalendarDate(value)), { message: 'expected a calendar date YYYY-MM-DD' })
  .meta({ format: 'date', example: '2024-01-15' });

export const timeBlockSchema = z
  .string()
  .refine((value) => succeeds(() => parseTimeBlock(value)), { message: 'expected a time block "HH:MM-HH:MM" with the start before the end' })
  .meta({ example: '10:00-12:00' });

export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a clock time HH:MM').meta({ example: '07:00' });

export const timeZoneSchema = z
  .string()
  .refine((value) => succeeds(() => assertTimeZone(value)), { message: 'expected an IANA time zone such as Europe/Berlin' })
  .meta({ example: 'Europe/Berlin' });

/** Every error the API answers with: a stable code, one sentence, and the field at fault. */
export const errorSchema = z
  .object({
    statusCode: z.number().int(),
    error: z.string().describe('A stable, machine-readable code, e.g. validation_error, forbidden, slots_unavailable'),
    message: z.string().describe('One sentence a person can act on'),
    field: z.string().optional().describe('The request field at fault (snake_case, dotted for nested fields)'),
    needed: z.number().int().optional().describe('credit_none: the credits the sessions asked for need'),
    available: z.number().int().optional().describe("credit_none: how many of them the client's credits cover"),
  })
  .meta({ id: 'Error' });

/** Responses every authenticated route can give besides its own. */
export const authErrorResponses = {
  401: errorSchema,
  403: errorSchema,
} as const;
