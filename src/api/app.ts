import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { logger } from '../logger';
import { createAuthenticator } from './auth/authenticate';
import type { ApiDeps } from './deps';
import { handleApiError } from './error-handler';
import { registerOpenApi } from './openapi';
import { DEFAULT_WRITE_RATE_PER_MINUTE, registerWriteRateLimit } from './rate-limit';
import { bookingRequestRoutes } from './routes/booking-requests';
import { bookingSeriesRoutes } from './routes/booking-series';
import { bookingRoutes } from './routes/bookings';
import { calendarFeedTokenRoutes, calendarPublicRoutes } from './routes/calendar';
import { creditRoutes, paymentRoutes } from './routes/credits';
import { healthRoutes } from './routes/health';
import { packageRoutes } from './routes/packages';
import { timeSlotRoutes } from './routes/time-slots';
import { trainerPolicyRoutes } from './routes/trainer-policy';

const BODY_LIMIT_BYTES = 1_048_576;

/**
 * The HTTP API as a Fastify instance, ready but not listening (tests and `startApi` listen).
 * Health, readiness, the docs and the calendar files (their URLs are the secret) are public; every other route needs a bearer token.
 */
export async function buildApiApp(deps: ApiDeps): Promise<FastifyInstance> {
  const apiLogger: FastifyBaseLogger = logger.child({ component: 'api' });
  const app = Fastify({
    loggerInstance: apiLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleApiError);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'not_found', message: `There is no ${request.method} ${request.url.split('?')[0]}; see ${'/docs'}.` }),
  );
  app.decorateRequest('caller', null as never);

  await registerOpenApi(app);
  await app.register(healthRoutes, deps);
  await app.register(calendarPublicRoutes, deps);
  const authenticate = createAuthenticator({ orm: deps.orm, adminToken: deps.config.ADMIN_API_TOKEN });
  await app.register(async (secured) => {
    secured.addHook('onRequest', authenticate);
    await registerWriteRateLimit(secured, deps.config.API_WRITE_RATE_PER_MINUTE ?? DEFAULT_WRITE_RATE_PER_MINUTE);
    await secured.register(bookingRequestRoutes, deps);
    await secured.register(bookingRoutes, deps);
    await secured.register(bookingSeriesRoutes, deps);
    await secured.register(timeSlotRoutes, deps);
    await secured.register(trainerPolicyRoutes, deps);
    await secured.register(packageRoutes, deps);
    await secured.register(paymentRoutes, deps);
    await secured.register(creditRoutes, deps);
    await secured.register(calendarFeedTokenRoutes, deps);
  });
  await app.ready();
  return app;
}
