import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/docs';

/**
 * The OpenAPI 3 document, generated from the routes' zod schemas, and the Swagger UI page
 * that renders it. The UI's files ship inside @fastify/swagger-ui, so the page works offline.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trainer booking API',
        description:
          'Booking requests, W_C-scored slots, approvals, bookings and availability for personal trainers; session packs, recorded payments and the credit ledger; iCalendar feeds and invites. ' +
          'Every change runs through the same booking workflows as the chat bots. Authenticate with `Authorization: Bearer <token>`.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A per-user API token (or the bootstrap ADMIN_API_TOKEN)' } } },
      security: [{ bearerAuth: [] }],
      tags: [{ name: 'Booking requests' }, { name: 'Bookings' }, { name: 'Booking series' }, { name: 'Time slots' }, { name: 'Trainer policy' }, { name: 'Packs and payments' }, { name: 'Credits' }, { name: 'Calendars' }, { name: 'Health' }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { persistAuthorization: false, tryItOutEnabled: true } });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
