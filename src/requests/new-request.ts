import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { Trainer, User } from '../db/entities';
import { checkStartAllowed } from '../domain/policy/rules';
import { PolicyRefusalError } from '../domain/policy/errors';
import { LOCATION_TYPES } from '../domain/statuses';
import { loadPolicy } from '../policy/policy-store';
import { assertTimeZone, validateWcPreferences, WcInputError } from '../scoring/wc';
import type { BookingRequestInput } from '../../workflows/contract';

/** A bad field in a new request, named so an API can answer 422 and a bot one sentence. */
export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const preferencesSchema = z.object({
  preferredStartDate: z.string(),
  preferredEndDate: z.string(),
  preferredTimes: z.array(z.string()).max(12).default([]),
  avoidTimes: z.array(z.string()).max(12).default([]),
  allowWeekends: z.boolean().default(false),
  allowEvenings: z.boolean().default(false),
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
 * notice and horizon (else a PolicyRefusalError). Attaches the trainer's policy and name. Resolves the zone the
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
    throw new RequestValidationError(field, `${field}: ${issue.message}`);
  }
  const input = parsed.data;
  const [client, trainer] = await Promise.all([em.findOne(User, input.clientId), em.findOne(Trainer, input.trainerId, { populate: ['user'] })]);
  if (!client) throw new RequestValidationError('clientId', `clientId: there is no user ${input.clientId}`);
  if (!trainer) throw new RequestValidationError('trainerId', `trainerId: there is no trainer ${input.trainerId}`);
  if (input.startTime && Date.parse(input.startTime) <= now.getTime()) {
    throw new RequestValidationError('startTime', 'startTime: the chosen time has already passed.');
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
      throw new RequestValidationError('preferences.preferredEndDate', `preferences.preferredEndDate: must not be in the past (${preferences.preferredEndDate} has passed; today is ${today} in ${timeZone}).`);
    }
    if (preferences.preferredStartDate < today) preferences = { ...preferences, preferredStartDate: today };
  }
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
  };
}
