import { z } from 'zod';
import { APPROVAL_MODES, BOOLEAN_POLICY_FIELDS, DEFAULT_POLICY, NUMERIC_POLICY_FIELDS, POLICY_BOUNDS, type BooleanPolicyField, type NumericPolicyField } from '../../domain/policy/policy';
import { policyFieldApiName } from '../../domain/policy/rules';

const DESCRIPTIONS: Record<NumericPolicyField, string> = {
  minNoticeMinutes: 'No option, direct request, approval or reschedule starts sooner than this after now',
  horizonDays: 'Nothing starts further ahead than this',
  bufferBeforeMinutes: 'Kept free before each session',
  bufferAfterMinutes: 'Kept free after each session; two sessions are at least after + before apart',
  cancelCutoffMinutes: "A client's cancel this close to the start is a late cancellation; a client's reschedule is refused",
  maxPendingPerClient: 'Pending requests one client may have open, across all trainers',
  maxPendingPerPair: 'Pending requests one client may have open with this trainer',
  maxUpcomingBookings: 'Upcoming bookings one client may hold, across all trainers',
};
const CREDIT_DESCRIPTIONS: Record<BooleanPolicyField, string> = {
  creditToRequest: 'A client needs a credit that pays for the session (a pack of the trainer\'s) to request it; without one the request is refused with 422 credit_none naming the packs',
  creditToApprove: 'Approving a session needs one of the client\'s credits (else 422 credit_none and the request keeps waiting); without either rule a credit is still used when the client has one',
  lateCancelConsumes: "A client's late cancellation uses the session's credit (true) or gives it back (false)",
};
const APPROVAL_DESCRIPTION = 'MANUAL: the trainer approves every request. AUTO_DIRECT: a direct request that follows the policy is confirmed at once';

const bounded = (field: NumericPolicyField) => z.number().int().min(POLICY_BOUNDS[field].min).max(POLICY_BOUNDS[field].max);
const numericShape = <T extends z.ZodType>(make: (field: NumericPolicyField) => T): Record<string, T> =>
  Object.fromEntries(NUMERIC_POLICY_FIELDS.map((field) => [policyFieldApiName(field), make(field)]));

/** PUT body: every field optional; a value sets it, null returns it to the default, a missing field stays as it is. */
export const policyUpdateBodySchema = z
  .strictObject({
    ...numericShape((field) => bounded(field).nullable().optional().describe(`${DESCRIPTIONS[field]} (default ${DEFAULT_POLICY[field]})`)),
    approval_mode: z.enum(APPROVAL_MODES).nullable().optional().describe(`${APPROVAL_DESCRIPTION} (default ${DEFAULT_POLICY.approvalMode})`),
    ...Object.fromEntries(BOOLEAN_POLICY_FIELDS.map((field) => [policyFieldApiName(field), z.boolean().nullable().optional().describe(`${CREDIT_DESCRIPTIONS[field]} (default ${DEFAULT_POLICY[field]})`)])),
  })
  .meta({ id: 'TrainerPolicyUpdate', example: { min_notice_minutes: 720, buffer_after_minutes: 15, cancel_cutoff_minutes: 1440 } });

export type PolicyUpdateBody = z.infer<typeof policyUpdateBodySchema>;

export const policySchema = z
  .object({
    trainer_id: z.number().int(),
    ...numericShape((field) => z.number().int().describe(DESCRIPTIONS[field])),
    approval_mode: z.enum(APPROVAL_MODES).describe(APPROVAL_DESCRIPTION),
    ...Object.fromEntries(BOOLEAN_POLICY_FIELDS.map((field) => [policyFieldApiName(field), z.boolean().describe(CREDIT_DESCRIPTIONS[field])])),
    customized: z.array(z.string()).describe('The fields this trainer has set; the others are the defaults'),
    client_summary: z.string().describe('The rules a client sees before committing'),
    credit_summary: z.string().nullable().describe('What a client should know about credits before committing; null when the trainer asks for none'),
  })
  .meta({ id: 'TrainerPolicy' });
