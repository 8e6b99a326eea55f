import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Booking, Trainer } from '../../db/entities';
import { listPayments } from '../../credits/payment-list';
import { creditReadScope, mayManagePacks, mayRecordPayment, type CreditScope } from '../../domain/credits/access';
import { creditAccessWording } from '../../domain/credits/wording';
import { NotFoundError } from '../../domain/errors';
import { isParty } from '../auth/access';
import { actorOf, type Caller } from '../auth/caller';
import { creditDepsOf, type ApiDeps } from '../deps';
import { forbidden, invalidField, notFound } from '../errors';
import { authErrorResponses, errorSchema } from '../schemas/common';
import {
  balancesQuerySchema,
  createPaymentBodySchema,
  creditBalanceSchema,
  ledgerEntrySchema,
  ledgerQuerySchema,
  listPaymentsQuerySchema,
  lowOrExpiringSchema,
  lowQuerySchema,
  paymentHeadersSchema,
  paymentSchema,
  recordedPaymentSchema,
  type CreatePaymentBody,
} from '../schemas/credits';
import { trainerParamsSchema } from '../schemas/time-slots';
import { balanceView, domainMethod, ledgerEntryView, lowOrExpiringView, paymentView, recordedPaymentView } from '../views/credit-views';

/** What the caller may read, from what they asked for; someone else's is 403 and reads nothing. */
function readScope(caller: Caller, asked: CreditScope): CreditScope {
  const decided = creditReadScope(actorOf(caller), asked);
  if ('refusal' in decided) throw forbidden(decided.refusal);
  return decided.scope;
}

/** A row the ledger could not find, as the body field that named it (422: the request is wrong, not the URL). */
function missingAsField(error: NotFoundError, body: CreatePaymentBody): Error {
  const field =
    error.entity === 'Package type' ? 'package_type_id' : error.entity === 'Booking' ? 'booking_id' : error.entity === 'Trainer' ? 'trainer_id' : error.id === body.client_id ? 'client_id' : null;
  return field ? invalidField(field, `there is no ${error.entity.toLowerCase()} ${error.id}`) : error;
}

export const paymentRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, deps, done) => {
  const { orm } = deps;
  const { recordPayment } = creditDepsOf(deps);
  const TAG = ['Packs and payments'];

  app.post('/payments', {
    schema: {
      tags: TAG,
      summary: "Record a payment: a pack (its credits are the client's at once) or one booked session",
      description:
        'The trainer who was paid, or an admin (with their own token: the payment names who recorded it); a client, or another trainer, gets 403 and nothing is recorded. ' +
        'Money is `amount_minor`, a whole number of the currency\'s minor units (70000 = €700.00), never a decimal. ' +
        "A pack's payment must be its price in its currency: another currency is 422 naming `currency`, another amount 422 naming `amount_minor` unless `price_override` is true (a discount). " +
        'Send an `Idempotency-Key` so a retry records once: the first call answers 201, a retry 200 with `already_recorded: true`, the same key with other details 422 naming `idempotency_key`. ' +
        'No card processing here: offline payments (cash, bank transfer, card at the gym) are recorded.',
      headers: paymentHeadersSchema,
      body: createPaymentBodySchema,
      response: { 200: recordedPaymentSchema, 201: recordedPaymentSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request, reply) => {
      const body = request.body;
      const caller = request.caller;
      const refusal = mayRecordPayment(actorOf(caller), body.trainer_id);
      if (refusal) throw forbidden(refusal);
      if (caller.userId === null) throw forbidden(creditAccessWording.recorderNoUser);
      const reference = body.reference ?? null;
      let recorded;
      try {
        recorded = await recordPayment({
          trainerId: body.trainer_id,
          clientId: body.client_id,
          recordedBy: caller.userId,
          amountMinor: BigInt(body.amount_minor),
          currency: body.currency,
          method: domainMethod(body.method),
          reference,
          ...(body.package_type_id !== undefined ? { packageTypeId: body.package_type_id } : { bookingId: body.booking_id! }),
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          priceOverride: body.price_override ?? false,
        });
      } catch (error) {
        if (error instanceof NotFoundError) throw missingAsField(error, body);
        throw error;
      }
      request.log.info({ paymentId: recorded.paymentId, lotId: recorded.lot?.lotId, alreadyRecorded: recorded.alreadyRecorded }, 'payment recorded');
      return reply.code(recorded.alreadyRecorded ? 200 : 201).send(recordedPaymentView(recorded, { clientId: body.client_id, trainerId: body.trainer_id, reference }));
    },
  });

  app.get('/payments', {
    schema: {
      tags: TAG,
      summary: "Recorded payments, newest first: a client's own, a trainer's own, any for an admin",
      description: "A client asking for another client's, or a trainer for another trainer's, gets 403.",
      querystring: listPaymentsQuerySchema,
      response: { 200: z.array(paymentSchema), ...authErrorResponses },
    },
    handler: async (request) => {
      const { client_id: clientId, trainer_id: trainerId, limit } = request.query;
      const scope = readScope(request.caller, { clientId, trainerId });
      return (await listPayments(orm.em.fork(), { ...scope, limit })).map(paymentView);
    },
  });
  done();
};

export const creditRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, deps, done) => {
  const { orm } = deps;
  const { ledger } = creditDepsOf(deps);
  const TAG = ['Credits'];

  app.get('/credits/balances', {
    schema: {
      tags: TAG,
      summary: 'Credit balances per client and trainer, each pack (lot) with what is left, held and when it ends',
      description:
        "A client sees their own (with every trainer, or `trainer_id`), a trainer their own clients' (all, or `client_id`), an admin any. Another client's or trainer's is 403. " +
        'Totals count lots that have not expired; `include_spent=true` also lists lots with nothing left or held.',
      querystring: balancesQuerySchema,
      response: { 200: z.array(creditBalanceSchema), ...authErrorResponses },
    },
    handler: async (request) => {
      const { client_id: clientId, trainer_id: trainerId, include_spent: includeSpent } = request.query;
      const scope = readScope(request.caller, { clientId, trainerId });
      return (await ledger.balances({ ...scope, includeSpent: includeSpent === 'true' })).map(balanceView);
    },
  });

  app.get('/credits/ledger', {
    schema: {
      tags: TAG,
      summary: 'Credit ledger entries, newest first: a client\'s, a trainer\'s clients\', or one booking\'s',
      description:
        'Append-only: PURCHASE +sessions, RESERVE −1 (a booked session holds a credit), RELEASE +1 (given back), CONSUME 0 (the held credit was used), EXPIRE (what was left at the end). ' +
        'The same access as balances; `booking_id` needs the booking\'s client, trainer or an admin. An admin names at least one of client_id, trainer_id, booking_id.',
      querystring: ledgerQuerySchema,
      response: { 200: z.array(ledgerEntrySchema), 404: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const { client_id: clientId, trainer_id: trainerId, booking_id: bookingId, limit } = request.query;
      if (bookingId !== undefined) {
        const booking = await orm.em.fork().findOne(Booking, bookingId, { fields: ['id', 'client', 'trainer'] });
        if (!booking) throw notFound('Booking', bookingId);
        if (!isParty(request.caller, { clientId: booking.client.id, trainerId: booking.trainer.id })) throw forbidden(creditAccessWording.otherBooking);
      }
      const scope = readScope(request.caller, { clientId, trainerId });
      if (scope.clientId === undefined && scope.trainerId === undefined && bookingId === undefined) {
        throw invalidField('client_id', 'name a client_id, a trainer_id or a booking_id to list ledger entries');
      }
      return (await ledger.entries({ ...scope, ...(bookingId !== undefined ? { bookingId } : {}), limit })).map(ledgerEntryView);
    },
  });

  app.get('/trainers/:id/credits/low', {
    schema: {
      tags: TAG,
      summary: "The trainer's clients running low on credits or about to lose some (the trainer or an admin)",
      description:
        'Clients holding a pack that has not ended who have at most `at_most` credits free to book with (`low`) or credits ending within `within_days` (`expiring`); fewest credits first. ' +
        'Clients and other trainers get 403.',
      params: trainerParamsSchema,
      querystring: lowQuerySchema,
      response: { 200: z.array(lowOrExpiringSchema), 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      const refusal = mayManagePacks(actorOf(request.caller), trainerId, creditAccessWording.lowList);
      if (refusal) throw forbidden(refusal);
      if (!(await orm.em.fork().findOne(Trainer, trainerId, { fields: ['id'] }))) throw notFound('Trainer', trainerId);
      const { at_most: atMost, within_days: withinDays } = request.query;
      return (await ledger.lowOrExpiring(trainerId, { atMost, withinDays })).map(lowOrExpiringView);
    },
  });
  done();
};
