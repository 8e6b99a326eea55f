import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { APPROVAL_MODES, POLICY_BOUNDS, type NumericPolicyField } from '../../domain/policy/policy';
import { Trainer } from './trainer';

/**
 * A trainer's own booking policy (src/domain/policy). One row per trainer at most; a
 * missing row, or a null field, means the default of `DEFAULT_POLICY`, so a change of a
 * default reaches every trainer who never chose that field. The buffers are also read by
 * the database itself (the booking's blocked-range trigger), which treats null as 0.
 */
const column = (field: NumericPolicyField): string => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
/** The bounds of POLICY_BOUNDS, also in the database, so no path can store a value the rules refuse. */
const boundsCheck = (field: NumericPolicyField) => ({
  name: `trainer_policy_${column(field)}_bounds`,
  expression: `${column(field)} >= ${POLICY_BOUNDS[field].min} and ${column(field)} <= ${POLICY_BOUNDS[field].max}`,
});

export const TrainerPolicyRecord = defineEntity({
  name: 'TrainerPolicyRecord',
  tableName: 'trainer_policy',
  checks: (Object.keys(POLICY_BOUNDS) as NumericPolicyField[]).map(boundsCheck),
  properties: {
    trainer: () => p.oneToOne(Trainer).owner().primary().deleteRule('cascade'),
    minNoticeMinutes: p.integer().nullable(),
    horizonDays: p.integer().nullable(),
    bufferBeforeMinutes: p.integer().nullable(),
    bufferAfterMinutes: p.integer().nullable(),
    cancelCutoffMinutes: p.integer().nullable(),
    maxPendingPerClient: p.integer().nullable(),
    maxPendingPerPair: p.integer().nullable(),
    maxUpcomingBookings: p.integer().nullable(),
    approvalMode: p.enum(APPROVAL_MODES).nullable(),
    /** The credit rules (issue 13, src/domain/credits): null means the default of DEFAULT_POLICY (false, false, true). */
    creditToRequest: p.boolean().nullable(),
    creditToApprove: p.boolean().nullable(),
    lateCancelConsumes: p.boolean().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type TrainerPolicyRecord = InferEntity<typeof TrainerPolicyRecord>;
