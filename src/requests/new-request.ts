import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { Trainer, User } from '../db/entities';
import { checkStartAllowed } from '../domain/policy/rules';
import { PolicyRefusalError } from '../domain/policy/errors';
import { SERIES_CONFLICT_MODES } from '../domain/series/series';
import { LOCATION_TYPES } from '../domain/statuses';
import { loadPolicy } from '../policy/policy-store';
import { assertTimeZone, validateWcPreferences, WcInputError } from '../scoring/wc';
import type { BookingRequestInput } from '../../workflows/contract';
import { prepareSeriesRecurrence } from '../series/series-request';
import { refuseWithoutCredit } from './credit-door';
import { RequestValidationError } from './request-validation-error';

export { RequestValidationError } from './request-validation-error';

/** "Too small: expected number to be >=15" → "Too small: expected number to be >=15." */
const asSentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const preferencesSchema = z.object({
  preferredStartDate: z.string(),
  preferredEndDate: z.string(),
  preferredTimes: z.array(z.string()).max(12).default([]),
  avoidTimes: z.array(z.string()).max(12).default([]),
  allowWeekends: z.boolean().default(false),
  allowEvenings: z.boolean().default(false),
});

/**
 * A weekly series instead of one session (issue 12). Direct series: `startTime` is the first
 * session and names the local time; flexible: the preferences say when the series should
 * begin and W_C picks candidate weekly times. `weekdays` defaults to the first session's day.
 */
export const seriesRecurrenceSchema = z.object({
  // Loose on purpose: validateRecurrence words each problem for a person (src/domain/series).
  frequency: z.string().default('WEEKLY'),
  interval: z.number().int().default(1),
  weekdays: z.array(z.string().max(10)).max(14).default([]),
  count: z.number().int().nullish(),
  until: z.string().max(40).nullish(),
  conflictMode: z.enum(SERIES_CONFLICT_MODES).default('ALL_OR_NOTHING'),
});

export const newBookingRequestSchema = z
  .object({
    clientId: z.number().int().positive(),
    trainerId: z.number().int().positive(),
    sessionType: z.string().trim().min(1).max(100),
    durationMinutes: z.number().int().min(15).max(480),
    location: z.string().trim().max(200).nullish(),
    locationType: z.enum(LOCATION_TYPES).default('GYM'),
    specialRequests: z.string().trim().max(1000).nullish(),
    startTime: z.iso.datetime({ offset: true }).nullish(),
    preferences: preferencesSchema.nullish(),
    timeZone: z.string().trim().min(1).nullish(),
    recurrence: seriesRecurrenceSchema.nullish(),
  })
  .superRefine((value, ctx) => {
    if (!value.startTime === !value.preferences) {
      ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'Give either an exact startTime (direct booking) or preferences (flexible request), not both or neither.' });
    }
    if (value.preferences) {
      try {
        validateWcPreferences(value.preferences);
      } catch (error) {
        if (!(error instanceof WcInputError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['preferences'], message: error.message });
      }
    }
    if (value.timeZone) {
      try {
        assertTimeZone(value.timeZone);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `${value.timeZone} is not a known time zone.` });
      }
    }
  });

export type NewBookingRequest = z.input<typeof newBookingRequestSchema>;

/**
 * Checks a new request completely before any workflow starts: shape, dates and blocks,
 * that trainer and client exist, that a direct start lies ahead and within the trainer's
 * notice and horizon (else a PolicyRefusalError), and, when the trainer asks for a credit to
 * request, that the client has one (else a NoCreditError naming the trainer's packs and
 * prices). Attaches the trainer's policy and name. Resolves the zone the
 * preferences are meant in (the given one, else the client's, else the trainer's) and
 * reserves the request's id, so the workflow can be named after it.
 *
 * A date range is read in that zone, as the chat reads one: a range that has entirely
 * passed is refused (naming preferredEndDate); one that began before today starts today.
 */
export async function prepareBookingRequest(em: EntityManager, raw: unknown, now: Date = new Date()): Promise<BookingRequestInput> {
  const parsed = newBookingRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new RequestValidationError(field, asSentence(issue.message));
  }
  const input = parsed.data;
  const [client, trainer] = await Promise.all([em.findOne(User, input.clientId), em.findOne(Trainer, input.trainerId, { populate: ['user'] })]);
  if (!client) throw new RequestValidationError('clientId', `There is no user ${input.clientId}.`);
  if (!trainer) throw new RequestValidationError('trainerId', `There is no trainer ${input.trainerId}.`);
  if (input.startTime && Date.parse(input.startTime) <= now.getTime()) {
    throw new RequestValidationError('startTime', 'The chosen time has already passed.');
  }
  // The trainer's policy travels with the request (the rules the client agreed to); a direct start must satisfy it now.
  const policy = await loadPolicy(em, trainer.id);
  const trainerName = trainer.user.fullName;
  const refusal = input.startTime ? checkStartAllowed(policy, new Date(input.startTime), now, trainerName) : null;
  if (refusal) throw new PolicyRefusalError(refusal);
  const timeZone = input.timeZone ?? client.timeZone ?? trainer.timeZone;
  let preferences = input.preferences ?? null;
  if (preferences) {
    const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? now.toISOString().slice(0, 10);
    if (preferences.preferredEndDate < today) {
      throw new RequestValidationError('preferences.preferredEndDate', `The preferred dates have already passed (${preferences.preferredEndDate} was the last one; today is ${today} in ${timeZone}).`);
    }
    if (preferences.preferredStartDate < today) preferences = { ...preferences, preferredStartDate: today };
  }
  const recurrence = input.recurrence
    ? await prepareSeriesRecurrence(em, {
        recurrence: input.recurrence,
        startTime: input.startTime ? new Date(input.startTime).toISOString() : null,
        preferredStartDate: preferences?.preferredStartDate ?? null,
        timeZone,
        trainerId: trainer.id,
        durationMinutes: input.durationMinutes,
        policy,
        trainerName,
        now,
      })
    : null;
  // The trainer's credit requirement (issue 13): a client without a usable credit is told how to get one (NoCreditError), nothing stored.
  await refuseWithoutCredit(em, {
    clientId: client.id,
    trainerId: trainer.id,
    durationMinutes: input.durationMinutes,
    startTime: input.startTime ? new Date(input.startTime).toISOString() : null,
    preferredStartDate: preferences?.preferredStartDate ?? null,
    timeZone,
    recurrence,
    policy,
    now,
  });
  const [row] = await em.getConnection().execute<{ id: string }[]>(`select nextval('booking_request_id_seq') as id`);
  return {
    bookingRequestId: Number(row!.id),
    clientId: client.id,
    trainerId: trainer.id,
    sessionType: input.sessionType,
    durationMinutes: input.durationMinutes,
    location: input.location ?? trainer.gymName ?? null,
    locationType: input.locationType,
    specialRequests: input.specialRequests ?? null,
    startTime: input.startTime ? new Date(input.startTime).toISOString() : null,
    preferences,
    timeZone,
    policy,
    trainerName,
    ...(recurrence ? { recurrence } : {}),
  };
}
