import { z } from 'zod';
import { APPROVAL_MODES, BOOLEAN_POLICY_FIELDS, NUMERIC_POLICY_FIELDS, POLICY_BOUNDS, type BooleanPolicyField, type NumericPolicyField, type PolicyFields } from '../domain/policy/policy';

/**
 * A change to a trainer's policy: every field optional; a number sets it, null returns it
 * to the default. Bounds come from POLICY_BOUNDS (the same numbers the database checks).
 */
export type PolicyPatch = PolicyFields;

const bounded = (field: NumericPolicyField) => z.number().int().min(POLICY_BOUNDS[field].min).max(POLICY_BOUNDS[field].max).nullable().optional();

const yesNo = () => z.boolean().nullable().optional();

export const policyPatchSchema = z
  .object({
    ...(Object.fromEntries(NUMERIC_POLICY_FIELDS.map((field) => [field, bounded(field)])) as Record<NumericPolicyField, ReturnType<typeof bounded>>),
    approvalMode: z.enum(APPROVAL_MODES).nullable().optional(),
    ...(Object.fromEntries(BOOLEAN_POLICY_FIELDS.map((field) => [field, yesNo()])) as Record<BooleanPolicyField, ReturnType<typeof yesNo>>),
  })
  .strict();
