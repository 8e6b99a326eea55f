import { ButtonStyle, ComponentType, TextInputStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../../bots/core/action-codec';
import type { Action } from '../../../bots/core/messages';
import { renderActionRows, renderMessage } from '../../../bots/discord/render/components';
import { renderModal } from '../../../bots/discord/render/modal';
import { newPackForm } from '../../../bots/engine/credits/packs';
import { paymentForm } from '../../../bots/engine/credits/sell';
import { renderForClient, renderForTrainer } from '../../../bots/notifications/render-notification';
import { largestSeriesNotifications, seriesOption, seriesView, seriesViewWithLongNote, TAKEN } from '../support/series-notifications';
import { messageBodyProblems, modalProblems } from './fake/validation';

const NOW = new Date('2026-12-01T12:00:00Z');

const button = (label: string, value = label): Action => ({ kind: 'button', id: 'approve', value, label });

describe('rendering for Discord', () => {
  it('fills rows of five buttons in order, gives each select its own row, and keeps within five rows', () => {
    const actions: Action[] = [
      ...['1', '2', '3', '4', '5', '6'].map((n) => button(`Approve ${n}`, `12.${n}`)),
      { kind: 'select', id: 'b.when', placeholder: 'Which days', options: [{ label: 'This week', value: 'n.this' }] },
      { kind: 'button', id: 'reject', value: '12', label: 'Reject', style: 'danger' },
    ];
    const rows = renderActionRows(actions);
    expect(rows.map((row) => row.components.map((c) => c.type))).toEqual([[2, 2, 2, 2, 2], [2], [3], [2]]);
    const first = rows[0]!.components[0]!;
    expect(first.type === ComponentType.Button && 'custom_id' in first && decodeAction(first.custom_id)).toEqual({ id: 'approve', value: '12.1' });
    expect(rows[3]!.components[0]).toMatchObject({ style: ButtonStyle.Danger, label: 'Reject' });

    const many = Array.from({ length: 8 }, (_, i): Action => ({ kind: 'select', id: `s${i}`, placeholder: 'p', options: [{ label: 'x', value: 'x' }] }));
    expect(renderActionRows(many)).toHaveLength(5);
  });

  it('turns a date picker into a select of the next 14 days whose values are what the picker sends', () => {
    const rows = renderActionRows([{ kind: 'date', id: 'b.day', placeholder: 'Pick a date', valuePrefix: 'n1.' }], new Date('2026-12-30T22:00:00Z'));
    const select = rows[0]!.components[0]!;
    if (select.type !== ComponentType.StringSelect) throw new Error('not a select');
    expect(select.options).toHaveLength(14);
    expect(select.options[0]).toMatchObject({ label: 'Wed 30 Dec', value: 'n1.2026-12-30' });
    expect(select.options[2]).toMatchObject({ label: 'Fri 1 Jan', value: 'n1.2027-01-01' });
    expect(decodeAction(select.custom_id)?.id).toBe('b.day');
  });

  it('cuts what is too long for Discord instead of having the message refused, and leaves no duplicate custom ids', () => {
    const long = 'x'.repeat(3000);
    const rendered = renderMessage({
      text: long,
      fields: Array.from({ length: 30 }, (_, i) => ({ label: `Field ${i}`, value: i === 0 ? long : '' })),
      actions: [button('y'.repeat(120), 'same'), button('again', 'same'), { kind: 'select', id: 'b.slot', placeholder: 'z'.repeat(200), options: Array.from({ length: 30 }, (_, i) => ({ label: 'w'.repeat(150), value: `v${i}` })) }],
    });
    expect(rendered.content).toHaveLength(2000);
    expect(rendered.embeds[0]!.fields).toHaveLength(25);
    expect(rendered.components[0]!.components).toHaveLength(1);
    expect(messageBodyProblems(rendered, { partial: false })).toEqual([]);
  });

  it('makes a modal of a form: a labelled text input per field', () => {
    const modal = renderModal({ id: 'reject.12', title: 'Reject request', submitLabel: 'Reject', fields: [{ id: 'reason', label: 'Why? The client will read this, so please be kind and specific.', multiline: true, maxLength: 1000 }] });
    expect(modal).toEqual({
      custom_id: 'reject.12',
      title: 'Reject request',
      components: [
        {
          type: ComponentType.Label,
          label: 'Why? The client will read this, so please be…',
          description: 'Why? The client will read this, so please be kind and specific.',
          component: { type: ComponentType.TextInput, custom_id: 'reason', style: TextInputStyle.Paragraph, required: true, max_length: 1000 },
        },
      ],
    });
    expect(modalProblems(modal)).toEqual([]);
  });

  it('prefills the payment form (the pack, its price) and keeps to five inputs', () => {
    const pack = { id: 4, trainerId: 3, name: 'Ten sessions', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90, active: true, createdAt: new Date(0) };
    for (const form of [paymentForm(pack, { userId: 9, fullName: 'Jamie Lee', username: 'jamie', timeZone: null }), paymentForm(pack, undefined), newPackForm('EUR')]) {
      const modal = renderModal(form);
      expect(modalProblems(modal)).toEqual([]);
      expect(modal.components).toHaveLength(form.fields.length);
    }
    const modal = renderModal(paymentForm(pack, { userId: 9, fullName: 'Jamie Lee', username: 'jamie', timeZone: null }));
    expect(modal.custom_id).toBe('pay.4.9');
    expect(modal.components.map((c) => (c.type === ComponentType.Label && c.component.type === ComponentType.TextInput ? [c.component.custom_id, c.component.value ?? null, c.component.required] : []))).toEqual([
      ['client', 'Jamie Lee', true],
      ['pack', 'Ten sessions', true],
      ['amount', '700.00', true],
      ['method', null, true],
      ['reference', null, false],
    ]);
  });
});

describe('rendering a weekly series for Discord', () => {
  it('keeps the largest series messages within what Discord takes, every field whole with its "and N more"', () => {
    for (const view of [seriesView, seriesViewWithLongNote]) {
      for (const notification of largestSeriesNotifications()) {
        for (const [who, message] of [['trainer', renderForTrainer(notification, view)], ['client', renderForClient(notification, view)]] as const) {
          const rendered = renderMessage(message, NOW);
          expect(messageBodyProblems(rendered, { partial: false })).toEqual([]);
          expect(rendered.content).toBe(message.text);
          expect(rendered.embeds.flatMap((e) => e.fields ?? []).map((f) => ({ label: f.name, value: f.value }))).toEqual(message.fields ?? []);
          if (notification.kind === 'request.options' && who === 'trainer') expect((message.fields ?? []).filter((f) => f.value.includes('; and 45 more'))).toHaveLength(5);
        }
      }
    }
  });

  it('shows a series option as a field and an Approve button per weekly time, whose custom id carries the slot', () => {
    const options = [seriesOption(5, { '2026-12-22': TAKEN }), seriesOption(9)];
    const rendered = renderMessage(renderForTrainer({ key: 'k', kind: 'request.options', audience: ['trainer'], bookingRequestId: 12, trainerId: 3, clientId: 1, text: '', options }, seriesView), NOW);
    expect(rendered.embeds[0]!.fields!.find((f) => f.name === 'Option 1')!.value).toBe(
      `Tuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 9 of 10 sessions free · score 80\nNot free: Tue 22 Dec: ${TAKEN}\nAll or nothing: every session is booked, or none is.`,
    );
    const buttons = rendered.components.flatMap((row) => row.components).map((c) => (c.type === ComponentType.Button && 'custom_id' in c ? [c.label, decodeAction(c.custom_id)?.value] : []));
    expect(buttons).toEqual([
      ['Approve Tue 18:00 weekly, from 8 Dec', '12.5'],
      ['Approve Tue 18:00 weekly, from 8 Dec', '12.9'],
      ['Reject', '12'],
    ]);
  });

  it('cuts fields to the 6,000 characters all embeds of a message may hold together', () => {
    const rendered = renderMessage({ text: 'many', fields: Array.from({ length: 10 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(1000) })) });
    const fields = rendered.embeds[0]!.fields!;
    expect(fields.reduce((n, f) => n + f.name.length + f.value.length, 0)).toBeLessThanOrEqual(6000);
    expect(fields.map((f) => f.value.length)).toEqual([1000, 1000, 1000, 1000, 1000, 988]);
    expect(messageBodyProblems(rendered, { partial: false })).toEqual([]);
  });
});
