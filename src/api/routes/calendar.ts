import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildCalendar, calendarContentType, calendarFeedUrl, issueFeedToken, loadCalendarBookingByKey, loadFeedBookings, publicBaseUrlOf, resolveFeedToken, revokeFeedTokens } from '../../calendar';
import { calendarWording, feedName } from '../../domain/calendar/wording';
import type { ApiDeps } from '../deps';
import { ApiError, forbidden } from '../errors';
import { authErrorResponses, errorSchema } from '../schemas/common';

const TAG = ['Calendars'];
/** A subscribed calendar is asked to look again every hour. */
const FEED_REFRESH_SECONDS = 3600;

const icsResponse = (description: string) => ({ description, content: { 'text/calendar': { schema: z.string().describe('An iCalendar object (RFC 5545)') } } });
/** The calendar text goes out as it is (these routes' 200 is not JSON); their error bodies are JSON as everywhere. */
const sendText = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));
// One answer for every calendar that is not there: a feed secret that never existed and a revoked one look the same.
const noCalendar = (): ApiError => new ApiError(404, 'not_found', 'There is no such calendar.');

const feedParamsSchema = z.object({ token: z.string().max(100).describe('The secret of the feed URL') });
const bookingParamsSchema = z.object({ calendar_key: z.string().max(100).describe("The booking's calendar key (a UUID), from its link") });
const feedTokenSchema = z
  .object({
    feed_url: z.string().describe('The secret feed URL to subscribe to; shown once, only its hash is stored'),
    message: z.string(),
  })
  .meta({ id: 'CalendarFeedToken' });

/**
 * The public calendar files: a user's feed behind its secret URL and one booking's invite
 * behind its unguessable key. No bearer token: calendar apps cannot send one.
 */
export const calendarPublicRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm }, done) => {
  app.get('/calendar/:token.ics', {
    schema: {
      tags: TAG,
      summary: "A user's calendar feed (subscribe to it)",
      description:
        'Every session the user takes part in, as client or trainer, from 30 days back on; cancelled ones as `STATUS:CANCELLED`. `METHOD:PUBLISH`. ' +
        'No bearer token: the URL is the secret (`POST /calendar/feed-token`). An unknown or revoked secret is 404.',
      security: [],
      params: feedParamsSchema,
      response: { 200: icsResponse('The feed'), 404: errorSchema },
    },
    serializerCompiler: sendText,
    handler: async (request, reply) => {
      const user = await resolveFeedToken(orm.em, request.params.token);
      if (!user) throw noCalendar();
      const bookings = await loadFeedBookings(orm.em, user.id);
      const text = buildCalendar({ method: 'PUBLISH', bookings, name: feedName(user.fullName), refreshSeconds: FEED_REFRESH_SECONDS });
      return reply.type(calendarContentType('PUBLISH')).header('cache-control', 'private, max-age=300').send(text);
    },
  });

  app.get('/calendar/bookings/:calendar_key.ics', {
    schema: {
      tags: TAG,
      summary: "One booking's calendar event (add it to a calendar)",
      description: 'The booking as an iCalendar file (`METHOD:PUBLISH`, its stable UID and current SEQUENCE), cancelled or not. The key is in the booking\'s link; an unknown key is 404.',
      security: [],
      params: bookingParamsSchema,
      response: { 200: icsResponse("The booking's event"), 404: errorSchema },
    },
    serializerCompiler: sendText,
    handler: async (request, reply) => {
      const booking = await loadCalendarBookingByKey(orm.em, request.params.calendar_key);
      if (!booking) throw noCalendar();
      return reply
        .type(calendarContentType('PUBLISH'))
        .header('content-disposition', `attachment; filename="booking-${booking.bookingId}.ics"`)
        .send(buildCalendar({ method: 'PUBLISH', bookings: [booking] }));
    },
  });
  done();
};

/** Issuing and revoking the caller's own feed URL (signed in). */
export const calendarFeedTokenRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm, config }, done) => {
  const userIdOf = (caller: { userId: number | null }): number => {
    if (caller.userId === null) throw forbidden('The bootstrap admin token is no user and has no calendar; use a user\'s token.');
    return caller.userId;
  };

  app.post('/calendar/feed-token', {
    schema: {
      tags: TAG,
      summary: "Issue the caller's secret calendar feed URL",
      description: 'A new secret feed URL for the caller, shown only in this answer; the previous one stops working.',
      response: { 201: feedTokenSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const userId = userIdOf(request.caller);
      const issued = await issueFeedToken(orm.em.fork(), userId);
      const url = calendarFeedUrl(publicBaseUrlOf(config), issued.token);
      request.log.info({ userId }, 'calendar feed issued');
      return reply.code(201).send({ feed_url: url, message: calendarWording.feedIssued(url) });
    },
  });

  app.delete('/calendar/feed-token', {
    schema: {
      tags: TAG,
      summary: "Revoke the caller's calendar feed URL",
      description: 'The feed URL answers 404 from now on. `revoked` is false when there was none.',
      response: { 200: z.object({ revoked: z.boolean(), message: z.string() }), ...authErrorResponses },
    },
    handler: async (request) => {
      const userId = userIdOf(request.caller);
      const count = await revokeFeedTokens(orm.em.fork(), userId);
      request.log.info({ userId, count }, 'calendar feed revoked');
      return { revoked: count > 0, message: calendarWording.feedRevoked(count) };
    },
  });
  done();
};
