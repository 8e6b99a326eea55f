import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { Trainer } from '../../db/entities';
import { PolicyRefusalError } from '../../domain/policy/errors';
import { BOOLEAN_POLICY_FIELDS, NUMERIC_POLICY_FIELDS, type PolicyField } from '../../domain/policy/policy';
import { policyFieldApiName } from '../../domain/policy/rules';
import { describeCreditPolicyForClient } from '../../domain/credits/wording';
import { describePolicyForClient } from '../../domain/policy/wording';
import { loadStoredPolicy, savePolicy, type PolicyPatch, type StoredPolicy } from '../../policy';
import type { Caller } from '../auth/caller';
import type { ApiDeps } from '../deps';
import { ApiError, forbidden, notFound } from '../errors';
import { authErrorResponses, errorSchema } from '../schemas/common';
import { trainerParamsSchema } from '../schemas/time-slots';
import { policySchema, policyUpdateBodySchema, type PolicyUpdateBody } from '../schemas/trainer-policy';

const TAG = ['Trainer policy'];
const FIELDS: PolicyField[] = [...NUMERIC_POLICY_FIELDS, 'approvalMode', ...BOOLEAN_POLICY_FIELDS];

/** Only the trainer themself, or an admin. */
function assertOwnPolicy(caller: Caller, trainerId: number): void {
  if (caller.role === 'ADMIN') return;
  if (caller.role !== 'TRAINER' || caller.trainerId !== trainerId) throw forbidden('Only the trainer (or an admin) may see and change a trainer\'s policy.');
}

function patchFrom(body: PolicyUpdateBody): PolicyPatch {
  const patch: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const name = policyFieldApiName(field) as keyof PolicyUpdateBody;
    if (name in body) patch[field] = body[name];
  }
  return patch;
}

function view(trainerId: number, trainerName: string, stored: StoredPolicy) {
  const numbers = Object.fromEntries(NUMERIC_POLICY_FIELDS.map((field) => [policyFieldApiName(field), stored.policy[field]]));
  const credits = Object.fromEntries(BOOLEAN_POLICY_FIELDS.map((field) => [policyFieldApiName(field), stored.policy[field]]));
  return {
    trainer_id: trainerId,
    ...numbers,
    approval_mode: stored.policy.approvalMode,
    ...credits,
    customized: stored.customized.map(policyFieldApiName),
    client_summary: describePolicyForClient(stored.policy, trainerName),
    credit_summary: describeCreditPolicyForClient(stored.policy, trainerName),
  };
}

export const trainerPolicyRoutes: FastifyPluginCallbackZod<ApiDeps> = (app, { orm }, done) => {
  async function trainerName(trainerId: number): Promise<string> {
    const trainer = await orm.em.fork().findOne(Trainer, trainerId, { populate: ['user'] });
    if (!trainer) throw notFound('Trainer', trainerId);
    return trainer.user.fullName;
  }

  app.get('/trainers/:id/policy', {
    schema: {
      tags: TAG,
      summary: "A trainer's booking policy: notice, horizon, buffers, cancellation cutoff, client limits, approval mode, credit rules",
      description: 'The trainer themself or an admin. Fields the trainer never set show the defaults.',
      params: trainerParamsSchema,
      response: { 200: policySchema, 404: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      assertOwnPolicy(request.caller, trainerId);
      const name = await trainerName(trainerId);
      return view(trainerId, name, await loadStoredPolicy(orm.em.fork(), trainerId));
    },
  });

  app.put('/trainers/:id/policy', {
    schema: {
      tags: TAG,
      summary: "Change a trainer's booking policy",
      description:
        'The trainer themself or an admin. Send only the fields to change: a value sets a field, null returns it to the default, a missing field stays as it is. ' +
        'The result must hold as a whole (max_pending_per_pair at most max_pending_per_client, min_notice_minutes shorter than the horizon); otherwise 422 `policy_invalid` names the field and nothing changes.',
      params: trainerParamsSchema,
      body: policyUpdateBodySchema,
      response: { 200: policySchema, 404: errorSchema, 422: errorSchema, ...authErrorResponses },
    },
    handler: async (request) => {
      const trainerId = request.params.id;
      assertOwnPolicy(request.caller, trainerId);
      const name = await trainerName(trainerId);
      try {
        const stored = await savePolicy(orm.em.fork(), trainerId, patchFrom(request.body));
        request.log.info({ trainerId, fields: Object.keys(request.body) }, 'trainer policy changed');
        return view(trainerId, name, stored);
      } catch (error) {
        if (error instanceof PolicyRefusalError) throw new ApiError(422, error.code, error.message, error.field ? { field: error.field } : {});
        throw error;
      }
    },
  });
  done();
};
