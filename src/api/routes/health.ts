import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../deps';

const CHECK_TIMEOUT_MS = 3_000;
const TAG = ['Health'];

const checkSchema = z.object({ status: z.enum(['ok', 'failing']), error: z.string().optional() });
const readinessSchema = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.object({ database: checkSchema, temporal: checkSchema }) });

async function check(run: () => Promise<unknown>): Promise<z.infer<typeof checkSchema>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok' };
  } catch (error) {
    // Only the kind of failure: a driver message may carry a host name or user, never a secret.
    return { status: 'failing', error: error instanceof Error ? error.name : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (the process answers) and readiness (its database and Temporal answer too). Public. */
export const healthRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm, temporalClient }, done) => {
  app.get('/health', {
    schema: { tags: TAG, summary: 'Liveness: the process is up', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: { tags: TAG, summary: 'Readiness: PostgreSQL and Temporal are reachable', security: [], response: { 200: readinessSchema, 503: readinessSchema } },
    handler: async (request, reply) => {
      const [database, temporal] = await Promise.all([
        check(() => orm.em.fork().getConnection().execute('select 1')),
        check(() => temporalClient.workflowService.getSystemInfo({})),
      ]);
      const ready = database.status === 'ok' && temporal.status === 'ok';
      if (!ready) request.log.warn({ database, temporal }, 'not ready');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal } });
    },
  });
  done();
};
