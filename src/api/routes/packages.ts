import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Trainer } from '../../db/entities';
import { mayManagePacks } from '../../domain/credits/access';
import { normalizeCurrency } from '../../domain/credits/money';
import { creditAccessWording } from '../../domain/credits/wording';
import { NotFoundError } from '../../domain/errors';
import { actorOf } from '../auth/caller';
import { creditDepsOf, type ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { authErrorResponses, errorSchema } from '../schemas/common';
import { createPackageBodySchema, listPackagesQuerySchema, packageParamsSchema, packageTypeSchema } from '../schemas/credits';
import { trainerParamsSchema } from '../schemas/time-slots';
import { packageTypeView } from '../views/credit-views';

const TAG = ['Packs and payments'];

export const packageRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, deps, done) => {
  const { orm } = deps;
  const { ledger } = creditDepsOf(deps);

  async function assertTrainerExists(trainerId: number): Promise<void> {
    if (!(await orm.em.fork().findOne(Trainer, trainerId, { fields: ['id'] }))) throw notFound('Trainer', trainerId);
  }

  app.get('/trainers/:id/packages', {
    schema: {
      tags: TAG,
      summary: "A trainer's packs (session packs) and their prices",
      description:
        'Anyone signed in: the packs the trainer sells, shortest sessions and cheapest first. `include_inactive=true` adds the packs no longer sold, for the trainer and admins only (403 for others).',
      params: trainerParamsSchema,
      querystring: listPackagesQuerySchema,
      response: { 200: z.array(packageTypeSchema), 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      const includeInactive = request.query.include_inactive === 'true';
      if (includeInactive) {
        const refusal = mayManagePacks(actorOf(request.caller), trainerId, creditAccessWording.seeUnsoldPacks);
        if (refusal) throw forbidden(refusal);
      }
      await assertTrainerExists(trainerId);
      return (await ledger.packageTypes.list(trainerId, { includeInactive })).map(packageTypeView);
    },
  });

  app.post('/trainers/:id/packages', {
    schema: {
      tags: TAG,
      summary: 'Add a pack the trainer sells (the trainer or an admin)',
      description:
        'A pack is `sessions` credits, each paying for one session of up to `session_minutes`, for `price_minor` minor units of `currency`, valid `validity_days` from the payment. ' +
        'Bounds and a name already used by the trainer are 422 naming the field; a client or another trainer gets 403 and nothing is stored.',
      params: trainerParamsSchema,
      body: createPackageBodySchema,
      response: { 201: packageTypeSchema, 404: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const trainerId = request.params.id;
      const refusal = mayManagePacks(actorOf(request.caller), trainerId);
      if (refusal) throw forbidden(refusal);
      await assertTrainerExists(trainerId);
      const body = request.body;
      const pack = await ledger.packageTypes.create({
        trainerId,
        name: body.name,
        sessions: body.sessions,
        sessionMinutes: body.session_minutes,
        priceMinor: BigInt(body.price_minor),
        currency: normalizeCurrency(body.currency) ?? body.currency,
        validityDays: body.validity_days,
      });
      request.log.info({ trainerId, packageTypeId: pack.id }, 'pack added');
      return reply.code(201).send(packageTypeView(pack));
    },
  });

  app.post('/trainers/:id/packages/:package_id/deactivate', {
    schema: {
      tags: TAG,
      summary: 'Stop selling a pack (the trainer or an admin); lots already bought stay valid',
      description: 'The pack is kept (its payments and lots name it) with `active: false`; clients no longer see it. Deactivating twice answers the same.',
      params: packageParamsSchema,
      response: { 200: packageTypeSchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const { id: trainerId, package_id: packageId } = request.params;
      const refusal = mayManagePacks(actorOf(request.caller), trainerId);
      if (refusal) throw forbidden(refusal);
      try {
        return packageTypeView(await ledger.packageTypes.deactivate(trainerId, packageId));
      } catch (error) {
        if (error instanceof NotFoundError) throw notFound(`Package ${packageId} of trainer`, trainerId);
        throw error;
      }
    },
  });
  done();
};
