import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { Booking, BookingSeries } from '../../db/entities';
import type { SeriesSummary } from '../../../workflows/contract';
import { assertParty } from '../auth/access';
import type { ApiDeps } from '../deps';
import { notFound } from '../errors';
import { bookingSeriesSchema } from '../schemas/booking-series';
import { authErrorResponses, errorSchema, idParamsSchema } from '../schemas/common';
import { bookingSeriesView } from '../views/series-view';

const TAG = ['Booking series'];

/** A series row with its bookings read from the database, and the skipped dates the workflow reported. */
export async function loadSeriesView(em: EntityManager, series: BookingSeries, skipped: SeriesSummary['skipped'] | null) {
  const bookings = await em.find(Booking, { series: series.id }, { orderBy: { startTime: 'asc', id: 'asc' } });
  return bookingSeriesView(series, bookings, skipped);
}

export const bookingSeriesRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm, bookings }, done) => {
  app.get('/booking-series/:id', {
    schema: {
      tags: TAG,
      summary: 'A weekly series: its rule, every booked session (a booking each) and the dates that were skipped',
      description:
        'For its client, its trainer and admins, like its bookings. `occurrences` are read from the database; `skipped` (available_only series) from the ' +
        "request's workflow, and null when Temporal cannot be reached.",
      params: idParamsSchema,
      response: { 200: bookingSeriesSchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const em = orm.em.fork();
      const series = await em.findOne(BookingSeries, request.params.id);
      if (!series) throw notFound('Booking series', request.params.id);
      assertParty(request.caller, { clientId: series.client.id, trainerId: series.trainer.id }, 'series');
      let skipped: SeriesSummary['skipped'] | null = null;
      try {
        skipped = (await bookings.state(series.bookingRequest.id)).series?.skipped ?? [];
      } catch (error) {
        request.log.warn({ err: error, seriesId: series.id }, 'workflow state unavailable');
      }
      return loadSeriesView(em, series, skipped);
    },
  });
  done();
};
