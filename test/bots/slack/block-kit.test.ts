import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../bots/core/messages';
import { parseSlackActionId, slackActionId } from '../../../bots/slack/render/action-ids';
import { messageBlocks, slackMessage } from '../../../bots/slack/render/block-kit';
import { closedBlocks } from '../../../bots/slack/render/closed-message';
import { formMetadataOf, formValuesOf, formView } from '../../../bots/slack/render/modal';
import { plainTextOf } from '../../../bots/slack/render/slack-text';
import { newPackForm } from '../../../bots/engine/credits/packs';
import { paymentForm } from '../../../bots/engine/credits/sell';
import { renderForClient, renderForTrainer } from '../../../bots/notifications/render-notification';
import { largestSeriesNotifications, seriesOption, seriesView, seriesViewWithLongNote, TAKEN } from '../support/series-notifications';
import { blockProblems, viewProblems } from './block-rules';

type Json = Record<string, unknown>;
const elements = (blocks: unknown[]): Json[] => (blocks as unknown as Json[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]);

describe('Block Kit rendering', () => {
  it("gives every control a unique action id that leads back to the engine's id and value", () => {
    const message: OutgoingMessage = {
      text: 'New booking request #7 from Jo: approve one of the best-matching slots, or reject.',
      actions: [
        { kind: 'button', id: 'approve', value: '7.101', label: 'Approve Tue 1 Dec, 10:00', style: 'primary' },
        { kind: 'button', id: 'approve', value: '7.102', label: 'Approve Tue 1 Dec, 11:00', style: 'default' },
        { kind: 'date', id: 'b.day', placeholder: 'Pick a date', valuePrefix: 'n0nce.' },
        { kind: 'select', id: 'b.when', placeholder: 'Which days', options: [{ label: 'Next week', value: 'n0nce.next' }] },
        { kind: 'button', id: 'reject', value: '7', label: 'Reject', style: 'danger' },
      ],
    };
    const controls = elements(messageBlocks(message));
    expect(new Set(controls.map((c) => c.action_id)).size).toBe(5);
    expect(controls.map((c) => parseSlackActionId(c.action_id as string)?.engineId)).toEqual(['approve', 'approve', 'b.day', 'b.when', 'reject']);
    expect(parseSlackActionId(controls[2]!.action_id as string)).toEqual({ engineId: 'b.day', valuePrefix: 'n0nce.' });
    expect(controls.map((c) => c.value)).toEqual(['7.101', '7.102', undefined, undefined, '7']);
    // Slack knows primary and danger; the neutral "default" is Slack's default look.
    expect(controls.map((c) => c.style)).toEqual(['primary', undefined, undefined, undefined, 'danger']);
    expect(blockProblems(messageBlocks(message))).toEqual([]);
    expect(parseSlackActionId('drop-tables')).toBeUndefined();
    expect(parseSlackActionId('approve~x')).toBeUndefined();
    expect(() => slackActionId('a~b', 0)).toThrow(RangeError);
  });

  it('fits what Slack limits: fields in tens, controls in twenty-fives, long labels cut, text escaped', () => {
    const message: OutgoingMessage = {
      text: `Notes from <@U1> & co: ${'x'.repeat(4000)}`,
      fields: Array.from({ length: 23 }, (_, i) => ({ label: `Option ${i + 1}`, value: `v${i}` })),
      actions: Array.from({ length: 30 }, (_, i) => ({ kind: 'button' as const, id: 'approve', value: `1.${i}`, label: `Approve ${'very long label '.repeat(8)}` })),
    };
    const blocks = messageBlocks(message) as unknown as Json[];
    expect(blockProblems(blocks)).toEqual([]);
    expect(blocks.filter((b) => b.fields).map((b) => (b.fields as unknown[]).length)).toEqual([10, 10, 3]);
    expect(blocks.filter((b) => b.type === 'actions').map((b) => (b.elements as unknown[]).length)).toEqual([25, 5]);
    const text = (blocks[0]!.text as Json).text as string;
    expect(text.startsWith('Notes from &lt;@U1&gt; &amp; co: ')).toBe(true);
    expect(text).toHaveLength(3000);
    expect(slackMessage(message).text.length).toBeLessThanOrEqual(4000);
  });

  it('closes a pressed message: no controls, and the outcome or the choice shown', () => {
    const posted = messageBlocks({ text: 'Please check your request', fields: [{ label: 'Trainer', value: 'Ana' }], actions: [{ kind: 'button', id: 'b.ok', value: 'n', label: 'Confirm' }] });
    const decided = closedBlocks(posted, { outcome: 'Sent! Ana has your request #5.' }) as unknown as Json[];
    expect(blockProblems(decided)).toEqual([]);
    expect(decided.map((b) => b.type)).toEqual(['section', 'section']);
    expect((decided[0]!.text as Json).text).toBe('Sent! Ana has your request #5.');
    const chosen = closedBlocks(posted, { choice: 'Confirm' }) as unknown as Json[];
    expect(chosen.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    // Closing twice does not stack lines (block ids must stay unique).
    expect(blockProblems(closedBlocks(chosen, { choice: 'Again' }))).toEqual([]);
  });

  it('renders a form as a modal and reads its submission back', () => {
    const view = formView({ id: 'reject.7', title: 'Reject request with a much too long title', submitLabel: 'Reject', fields: [{ id: 'reason', label: 'Why?', multiline: true, maxLength: 1000 }] }, { formId: 'reject.7', channelId: 'D1' });
    expect(viewProblems(view)).toEqual([]);
    expect(formMetadataOf(view.private_metadata)).toEqual({ formId: 'reject.7', channelId: 'D1' });
    expect(formMetadataOf('not json')).toBeUndefined();
    expect(formValuesOf({ reason: { reason: { value: 'Away' } }, other: { other: { value: null } } })).toEqual({ reason: 'Away', other: '' });
  });

  it('opens the payment and new-pack forms prefilled where the engine knows the answer', () => {
    const pack = { id: 4, trainerId: 3, name: 'Ten sessions', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n, currency: 'EUR', validityDays: 90, active: true, createdAt: new Date(0) };
    const payment = formView(paymentForm(pack, { userId: 9, fullName: 'Jamie Lee', username: 'jamie', timeZone: null }), { formId: 'pay.4.9', channelId: 'D1' });
    expect(viewProblems(payment)).toEqual([]);
    const inputs = (payment.blocks as unknown as Json[]).map((b) => [b.block_id, (b.element as Json).initial_value, b.optional ?? false]);
    expect(inputs).toEqual([
      ['client', 'Jamie Lee', false],
      ['pack', 'Ten sessions', false],
      ['amount', '700.00', false],
      ['method', undefined, false],
      ['reference', undefined, true],
    ]);
    const newPack = formView(newPackForm('EUR'), { formId: 'pack.new', channelId: 'D1' });
    expect(viewProblems(newPack)).toEqual([]);
    expect((newPack.blocks as unknown as Json[]).map((b) => (b.element as Json).initial_value ?? null)).toEqual([null, null, null, null, '90']);
  });

  it('reads incoming message text as the person typed it', () => {
    expect(plainTextOf('next week &amp; mornings &lt;10&gt; <@U123> <https://example.com|site> <#C1|general>')).toBe('next week & mornings <10> @U123 site general');
  });
});

describe('Block Kit rendering of a weekly series', () => {
  it('keeps the largest series messages within what Slack takes, the "and N more" of each list included', () => {
    for (const view of [seriesView, seriesViewWithLongNote]) {
      for (const notification of largestSeriesNotifications()) {
        for (const [who, message] of [['trainer', renderForTrainer(notification, view)], ['client', renderForClient(notification, view)]] as const) {
          const blocks = messageBlocks(message);
          expect(blockProblems(blocks)).toEqual([]);
          expect(slackMessage(message).text.length).toBeLessThanOrEqual(4000);
          // Nothing had to be cut: the text and every field are whole, each list ending in its own "and N more".
          const texts = (blocks as unknown as Json[]).flatMap((b) => [b.text, ...((b.fields as unknown[] | undefined) ?? [])]).map((t) => (t as Json | undefined)?.text);
          expect(texts).toContain(message.text);
          for (const field of message.fields ?? []) expect(texts).toContain(`*${field.label}*\n${field.value}`);
          if (notification.kind === 'request.options' && who === 'trainer') expect((message.fields ?? []).filter((f) => f.value.includes('; and 45 more'))).toHaveLength(5);
        }
      }
    }
  });

  it('shows a series option with its taken dates, an Approve button per weekly time and Reject', () => {
    const options = [seriesOption(5, { '2026-12-22': TAKEN }, { conflictMode: 'AVAILABLE_ONLY' }), seriesOption(9)];
    const blocks = messageBlocks(renderForTrainer({ key: 'k', kind: 'request.options', audience: ['trainer'], bookingRequestId: 12, trainerId: 3, clientId: 1, text: '', options }, seriesView));
    const option = (blocks as unknown as Json[]).flatMap((b) => (b.fields as Json[] | undefined) ?? []).find((f) => String(f.text).startsWith('*Option 1*'));
    expect(option?.text).toBe(
      `*Option 1*\nTuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 9 of 10 sessions free · score 80\nNot free: Tue 22 Dec: ${TAKEN}\nAvailable dates only: the free sessions are booked and the others skipped.`,
    );
    expect(elements(blocks).map((e) => [(e.text as Json).text, e.value])).toEqual([
      ['Approve Tue 18:00 weekly, from 8 Dec', '12.5'],
      ['Approve Tue 18:00 weekly, from 8 Dec', '12.9'],
      ['Reject', '12'],
    ]);
  });
});
