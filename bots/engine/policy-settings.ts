import { describePolicyForTrainer, policyWording, type NumericPolicyField, type TrainerPolicy } from '../../src/domain/policy';
import type { PolicyPatch } from '../../src/policy';
import type { ActionEvent, FormEvent } from '../core/events';
import type { FormRequest, MessageField, OutgoingMessage } from '../core/messages';
import { privateReply, reply } from '../core/replies';
import { ACTIONS, FORMS } from './action-ids';
import type { DialogueContext } from './dialogue-context';
import type { FlowStep } from './step-result';

type Unit = 'min' | 'h' | 'days';
interface SettingField {
  field: NumericPolicyField;
  label: string;
  unit: Unit;
}

/** The two forms (Discord allows five fields a modal): times, and per-client limits. */
const SETTING_FORMS: Record<string, { title: string; fields: SettingField[] }> = {
  times: {
    title: 'Booking times',
    fields: [
      { field: 'minNoticeMinutes', label: 'Minimum notice (hours)', unit: 'h' },
      { field: 'horizonDays', label: 'Booking horizon (days ahead)', unit: 'days' },
      { field: 'bufferBeforeMinutes', label: 'Buffer before each session (min)', unit: 'min' },
      { field: 'bufferAfterMinutes', label: 'Buffer after each session (min)', unit: 'min' },
      { field: 'cancelCutoffMinutes', label: 'Cancellation cutoff (hours before)', unit: 'h' },
    ],
  },
  limits: {
    title: 'Limits per client',
    fields: [
      { field: 'maxPendingPerClient', label: 'Pending requests per client', unit: 'min' },
      { field: 'maxPendingPerPair', label: 'Pending requests with you', unit: 'min' },
      { field: 'maxUpcomingBookings', label: 'Upcoming bookings per client', unit: 'min' },
    ],
  },
};
const COUNTS = new Set<NumericPolicyField>(['maxPendingPerClient', 'maxPendingPerPair', 'maxUpcomingBookings']);
const MINUTES_PER: Record<Unit, number> = { min: 1, h: 60, days: 1440 };

const shown = (policy: TrainerPolicy, setting: SettingField): string => {
  const value = policy[setting.field];
  if (COUNTS.has(setting.field) || setting.field === 'horizonDays') return String(value);
  const inUnit = value / MINUTES_PER[setting.unit];
  return Number.isInteger(inUnit) ? String(inUnit) : `${value} min`;
};

function settingsForm(key: string, policy: TrainerPolicy): FormRequest | undefined {
  const form = SETTING_FORMS[key];
  if (!form) return undefined;
  return {
    id: `${FORMS.policyPrefix}${key}`,
    title: form.title,
    submitLabel: 'Save',
    // Empty leaves a rule as it is; the placeholder shows the current value.
    fields: form.fields.map((f) => ({ id: f.field, label: f.label, placeholder: `now ${shown(policy, f)}; empty keeps it`, maxLength: 20, optional: true })),
  };
}

/** The policy, one field a line, with the buttons that change it. */
export function policyView(policy: TrainerPolicy, lead: string = policyWording.settingsIntro()): OutgoingMessage {
  const fields: MessageField[] = describePolicyForTrainer(policy).map((line) => {
    const at = line.indexOf(': ');
    return { label: line.slice(0, at), value: line.slice(at + 2) };
  });
  const auto = policy.approvalMode === 'AUTO_DIRECT';
  return {
    text: lead,
    fields,
    actions: [
      { kind: 'button', id: ACTIONS.policyForm, value: 'times', label: 'Change times…' },
      { kind: 'button', id: ACTIONS.policyForm, value: 'limits', label: 'Change limits…' },
      auto
        ? { kind: 'button', id: ACTIONS.policyApproval, value: 'MANUAL', label: 'Approve every request myself' }
        : { kind: 'button', id: ACTIONS.policyApproval, value: 'AUTO_DIRECT', label: 'Auto-approve direct requests', style: 'primary' },
    ],
  };
}

const onlyTrainers = (): FlowStep => ({ replies: [privateReply(policyWording.onlyTrainers())], effects: [] });

/** "policy" / "settings": a trainer sees their rules with buttons to change them; a client is told politely. */
export async function showPolicy(context: DialogueContext): Promise<FlowStep> {
  if (context.me.trainerId === null) return onlyTrainers();
  return { replies: [reply(policyView(await context.policy(context.me.trainerId)))], effects: [] };
}

/** The approval-mode buttons and the "Change …" buttons (which open a form). */
export async function onPolicyAction(event: ActionEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  if (event.actionId === ACTIONS.policyApproval) {
    if (event.value !== 'MANUAL' && event.value !== 'AUTO_DIRECT') return showPolicy(context);
    return { replies: [], effects: [{ type: 'save-policy', trainerId, patch: { approvalMode: event.value } }] };
  }
  const policy = await context.policy(trainerId);
  const form = settingsForm(event.value, policy);
  if (!form) return showPolicy(context);
  return { replies: [reply({ text: `${form.title}: write the new values; leave a field empty to keep it.`, form })], effects: [] };
}

/** "12", "12 h", "90 min", "1.5 hours", "2 days" in the field's own unit when none is written; undefined if unreadable. */
function minutesOf(written: string, unit: Unit): number | undefined {
  const match = /^(\d{1,6}(?:[.,]\d{1,2})?)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)?$/i.exec(written.trim());
  if (!match) return undefined;
  const amount = Number(match[1]!.replace(',', '.'));
  const said = match[2]?.toLowerCase();
  const per = said === undefined ? MINUTES_PER[unit] : said.startsWith('m') ? 1 : said.startsWith('h') ? 60 : 1440;
  return Math.round(amount * per);
}

/** A settings form's submission: the filled fields become a patch; savePolicy checks the whole. */
export async function onPolicyForm(event: FormEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const form = SETTING_FORMS[event.formId.slice(FORMS.policyPrefix.length)];
  if (!form) return { replies: [privateReply('That form has expired; please start again.')], effects: [] };
  const patch: PolicyPatch = {};
  for (const setting of form.fields) {
    const written = (event.values[setting.field] ?? '').trim();
    if (!written) continue;
    const counted = COUNTS.has(setting.field) ? (/^\d{1,6}$/.test(written) ? Number(written) : undefined) : minutesOf(written, setting.unit);
    if (counted === undefined) return { replies: [privateReply(policyWording.unreadableValue(setting.label.replace(/ \(.*\)$/, '').toLowerCase(), written.slice(0, 20)))], effects: [] };
    patch[setting.field] = setting.field === 'horizonDays' ? counted / MINUTES_PER.days : counted;
  }
  if (Object.keys(patch).length === 0) return showPolicy(context);
  return { replies: [], effects: [{ type: 'save-policy', trainerId, patch }] };
}
