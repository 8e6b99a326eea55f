import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { announceAvailabilityChange } from '../../availability/announce';
import { publishSlots, SlotOverlapError, TrainerNotFoundError } from '../../availability/publish-slots';
import { blockTimeOff, describeTimeOff } from '../../availability/time-off';
import { Trainer } from '../../db/entities';
import { loadFreeSlots } from '../../slots/free-slots';
import { trainerToActFor } from '../auth/access';
import { slotsFromBulkBody } from '../bulk-slots';
import type { ApiDeps } from '../deps';
import { ApiError, forbidden, invalidField, notFound } from '../errors';
import { authErrorResponses, errorSchema } from '../schemas/common';
import {
  availableQuerySchema,
  bulkCreateBodySchema,
  bulkCreateResponseSchema,
  slotOverlapSchema,
  timeOffBodySchema,
  timeOffResponseSchema,
  timeSlotSchema,
  trainerParamsSchema,
} from '../schemas/time-slots';

const TAG = ['Time slots'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEFAULT_RANGE_MS = 14 * DAY_MS;
const MAX_RANGE_MS = 92 * DAY_MS;

const overlapView = (overlap: SlotOverlapError['overlaps'][number]) => ({
  start_time: overlap.slot.startTime.toISOString(),
  end_time: overlap.slot.endTime.toISOString(),
  conflicts_with: { start_time: overlap.conflictsWith.startTime.toISOString(), end_time: overlap.conflictsWith.endTime.toISOString() },
});

const MAX_TIME_OFF_MS = 366 * DAY_MS;

export const timeSlotRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm, bookings }, done) => {
  app.post('/time-slots/bulk-create', {
    schema: {
      tags: TAG,
      summary: "Publish a trainer's availability: a list of slots, or a weekly pattern over a date range",
      description: 'All slots are created in one transaction, or none. Overlaps within the list are 422, overlaps with published slots 409; both name the times at fault.',
      body: bulkCreateBodySchema,
      response: { 201: bulkCreateResponseSchema, 409: slotOverlapSchema, 422: slotOverlapSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const trainerId = trainerToActFor(request.caller, request.body.trainer_id);
      const em = orm.em.fork();
      const trainer = await em.findOne(Trainer, trainerId);
      if (!trainer) throw invalidField('trainer_id', `there is no trainer ${trainerId}`);
      const slots = slotsFromBulkBody(request.body, trainer.timeZone);
      try {
        const published = await publishSlots(em, trainerId, slots);
        await announceAvailabilityChange(bookings, { trainerId, reason: 'published' });
        return reply.code(201).send({
          trainer_id: trainerId,
          created: published.length,
          slots: published.map((slot) => ({ id: slot.id, trainer_id: trainerId, start_time: slot.startTime.toISOString(), end_time: slot.endTime.toISOString(), duration_minutes: slot.durationMinutes })),
        });
      } catch (error) {
        if (error instanceof TrainerNotFoundError) throw invalidField('trainer_id', `there is no trainer ${trainerId}`);
        if (!(error instanceof SlotOverlapError)) throw error;
        const overlaps = error.overlaps.map(overlapView);
        if (error.source === 'batch') throw new ApiError(422, 'slots_overlap', error.message, { field: 'slots', overlaps });
        throw new ApiError(409, 'slots_overlap', error.message, { overlaps });
      }
    },
  });

  app.post('/time-slots/trainer/:id/time-off', {
    schema: {
      tags: TAG,
      summary: "Block time off: the trainer's free slots in [from, to) disappear; booked and held ones stay and are listed",
      description:
        'Trainer-own or admin. In one transaction every free slot overlapping the range is deleted; a booked slot, or one a pending request holds for the trainer\'s answer, is never removed ' +
        'and is listed in `in_the_way`. Pending requests then re-rank their options.',
      params: trainerParamsSchema,
      body: timeOffBodySchema,
      response: { 200: timeOffResponseSchema, 404: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      const caller = request.caller;
      if (caller.role !== 'ADMIN' && (caller.role !== 'TRAINER' || caller.trainerId !== trainerId)) throw forbidden('Only the trainer (or an admin) can block their time off.');
      const from = new Date(request.body.from);
      const to = new Date(request.body.to);
      if (to <= from) throw invalidField('to', 'must be after from');
      if (to.getTime() - from.getTime() > MAX_TIME_OFF_MS) throw invalidField('to', 'time off may span at most 366 days per call');
      if (!(await orm.em.fork().count(Trainer, trainerId))) throw notFound('Trainer', trainerId);
      const result = await blockTimeOff(orm.em, { trainerId, from, to });
      if (result.removedSlots > 0) await announceAvailabilityChange(bookings, { trainerId, reason: 'removed' });
      return {
        trainer_id: trainerId,
        removed_slots: result.removedSlots,
        in_the_way: result.inTheWay.map((item) => ({ kind: item.kind, id: item.id, start_time: item.start.toISOString(), end_time: item.end.toISOString() })),
        message: describeTimeOff(result),
      };
    },
  });

  app.get('/time-slots/trainer/:id/available', {
    schema: {
      tags: TAG,
      summary: "A trainer's bookable slots (published, not booked, not held) in a time range",
      params: trainerParamsSchema,
      querystring: availableQuerySchema,
      response: { 200: z.array(timeSlotSchema), 404: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      const em = orm.em.fork();
      if (!(await em.count(Trainer, trainerId))) throw notFound('Trainer', trainerId);
      const now = new Date();
      const from = request.query.from ? new Date(request.query.from) : now;
      const to = request.query.to ? new Date(request.query.to) : new Date(from.getTime() + DEFAULT_RANGE_MS);
      if (to <= from) throw invalidField('to', 'must be after from');
      if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw invalidField('to', 'the range may span at most 92 days');
      const free = await loadFreeSlots(em, { trainerId, from, to, now });
      return free.map((slot) => ({
        id: slot.id,
        trainer_id: trainerId,
        start_time: new Date(slot.startMs).toISOString(),
        end_time: new Date(slot.endMs).toISOString(),
        duration_minutes: Math.round((slot.endMs - slot.startMs) / MINUTE_MS),
      }));
    },
  });
  done();
};
