import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../bots/core/messages';
import { renderMessage } from '../../../bots/discord/render/components';
import { renderCreditNotice, type CreditNoticeView } from '../../../bots/notifications/render-credit-notice';
import { renderForClient, renderForTrainer } from '../../../bots/notifications/render-notification';
import type { NotificationView } from '../../../bots/notifications/notification-view';
import { messageBlocks, slackMessage } from '../../../bots/slack/render/block-kit';
import { numberChoices, renderTerminalMessage } from '../../../bots/terminal/render-terminal';
import type { Audience, CreditNotice, CreditNoticeKind } from '../../../src/notifications/notification';
import { messageBodyProblems } from '../discord/fake/validation';
import { blockProblems } from '../slack/block-rules';
import { seriesSummary, seriesView, sessionOf, TUESDAYS } from '../support/series-notifications';

// Rendering is pure: a notice and whom it is about in, the neutral message out.
const NOW = new Date('2026-12-01T12:00:00Z');
const view: CreditNoticeView = { clientUserId: 1, clientName: 'Jamie Lee', trainerUserId: 2, trainerName: 'Sam Rivera', clientTimeZone: 'America/New_York', trainerTimeZone: 'Europe/Berlin' };
const notice = (kind: CreditNoticeKind, extra: Partial<CreditNotice> = {}): CreditNotice => ({
  key: `credits-${kind}`,
  kind,
  audience: ['client', 'trainer'],
  clientId: 1,
  trainerId: 3,
  text: 'the ledger sentence',
  lotId: 40,
  packName: 'Ten sessions',
  available: 10,
  totalLeft: 12,
  // 1 Mar 2027, 00:30 in Berlin, still 28 Feb in New York.
  expiresAt: '2027-02-28T23:30:00.000Z',
  ...extra,
});

const labels = (message: OutgoingMessage): string[] => (message.actions ?? []).map((a) => (a.kind === 'button' ? `${a.label} → ${a.id}:${a.value}` : a.kind));

describe('rendering credit notices', () => {
  it('a pack bought: the ledger\'s sentence for the reader, the pack, its credits and end of validity in the reader\'s zone', () => {
    const client = renderCreditNotice(notice('credits.purchased', { audience: ['client'], text: 'Your pack "Ten sessions" with Sam Rivera is ready: 10 × 60 min until 28 Feb 2027.' }), view, 'client');
    expect(client.text).toBe('Your pack "Ten sessions" with Sam Rivera is ready: 10 × 60 min until 28 Feb 2027.');
    expect(client.fields).toEqual([
      { label: 'Pack', value: 'Ten sessions' },
      { label: 'Left in this pack', value: '10 credits' },
      { label: 'Left in all packs', value: '12 credits' },
      { label: 'Valid until', value: '28 Feb 2027' },
    ]);
    expect(labels(client)).toEqual(['Book a session → menu:book', 'My credits → menu:credits']);

    const trainer = renderCreditNotice(notice('credits.purchased', { audience: ['trainer'] }), view, 'trainer');
    expect(trainer.fields?.at(-1)).toEqual({ label: 'Valid until', value: '1 Mar 2027' });
    expect(labels(trainer)).toEqual(['Credits for Jamie Lee → cr.client:1']);
  });

  it('running low: the client can still book with what is left, the trainer can sell another pack', () => {
    const low = notice('credits.low', { available: 1, totalLeft: 1 });
    expect(labels(renderCreditNotice(low, view, 'client'))).toEqual(['Book a session → menu:book', 'My credits → menu:credits']);
    expect(labels(renderCreditNotice(low, view, 'trainer'))).toEqual(['Sell Jamie Lee a pack → cr.sell:1', 'Credits for Jamie Lee → cr.client:1']);
    const usedUp = notice('credits.low', { available: 0, totalLeft: 0 });
    expect(labels(renderCreditNotice(usedUp, view, 'client'))).toEqual(['My credits → menu:credits']);
    expect(renderCreditNotice(usedUp, view, 'client').fields?.find((f) => f.label === 'Left in all packs')).toEqual({ label: 'Left in all packs', value: '0 credits' });
  });

  it('about to expire and expired: when, in each side\'s zone', () => {
    const expiring = notice('credits.expiring', { available: 3, totalLeft: 3 });
    expect(renderCreditNotice(expiring, view, 'client').fields?.at(-1)).toEqual({ label: 'Valid until', value: '28 Feb 2027' });
    expect(labels(renderCreditNotice(expiring, view, 'trainer'))).toEqual(['Credits for Jamie Lee → cr.client:1']);

    const expired = notice('credits.expired', { available: 0, totalLeft: 2 });
    const client = renderCreditNotice(expired, view, 'client');
    expect(client.text).toBe('the ledger sentence');
    expect(client.fields).toEqual([
      { label: 'Pack', value: 'Ten sessions' },
      { label: 'Left in all packs', value: '2 credits' },
      { label: 'Expired on', value: '28 Feb 2027' },
    ]);
    expect(labels(client)).toEqual(['My credits → menu:credits']);
    expect(renderCreditNotice(expired, view, 'trainer').fields?.at(-1)).toEqual({ label: 'Expired on', value: '1 Mar 2027' });
    expect(labels(renderCreditNotice(expired, view, 'trainer'))).toEqual(['Sell Jamie Lee a pack → cr.sell:1', 'Credits for Jamie Lee → cr.client:1']);
  });

  it('fits Slack, Discord and the terminal for every kind and side, even with long names', () => {
    const long: CreditNoticeView = { ...view, clientName: `Jamie ${'Lee-'.repeat(30)}Smith`, trainerName: `Sam ${'Rivera-'.repeat(20)}Jones` };
    const kinds: CreditNoticeKind[] = ['credits.purchased', 'credits.low', 'credits.expiring', 'credits.expired'];
    for (const names of [view, long]) {
      for (const kind of kinds) {
        for (const audience of ['client', 'trainer'] as Audience[]) {
          const message = renderCreditNotice(notice(kind, { packName: 'P'.repeat(80), text: `${'A long sentence. '.repeat(20)}` }), names, audience);
          expect(blockProblems(messageBlocks(message))).toEqual([]);
          expect(slackMessage(message).text.length).toBeLessThanOrEqual(4000);
          const discord = renderMessage(message, NOW);
          expect(messageBodyProblems(discord, { partial: false })).toEqual([]);
          expect(discord.content).toBe(message.text);
          const terminal = renderTerminalMessage('to Jamie', message, numberChoices(message.actions ?? []));
          expect(terminal).toContain(message.text);
          expect(terminal).toContain('[1] ');
          for (const action of message.actions ?? []) if (action.kind === 'button') expect(action.label.length).toBeLessThanOrEqual(80);
        }
      }
    }
  });
});

describe('the credit an approved booking uses', () => {
  const requestView: NotificationView = { ...seriesView, recurrence: null, trainerTimeZone: 'Europe/Berlin', clientTimeZone: 'Europe/Berlin' };
  const booking = { bookingId: 7, startTime: '2026-12-08T17:00:00.000Z', endTime: '2026-12-08T18:00:00.000Z', durationMinutes: 60, slotIds: [5], totalCost: 80, status: 'CONFIRMED' };
  const base = { key: 'k', kind: 'request.approved' as const, audience: ['client' as const, 'trainer' as const], bookingRequestId: 12, trainerId: 3, clientId: 1, text: '' };

  it('a single session says "uses 1 credit, 4 left" in place of its price; unpaid it keeps the total', () => {
    const paid = { ...base, booking: { ...booking, credit: { lotId: 40, packName: 'Ten sessions', left: 4, expiresAt: '2027-03-01T09:00:00.000Z' } } };
    expect(renderForClient(paid, requestView).text).toMatch(/^Confirmed: .* with .*, Tue 8 Dec, 18:00–19:00 \(Europe\/Berlin\); uses 1 credit, 4 left\.$/);
    expect(renderForTrainer(paid, requestView).text).toMatch(/^Booked: .*, Tue 8 Dec, 18:00–19:00 \(Europe\/Berlin\); uses 1 credit, 4 left\.$/);
    expect(renderForClient({ ...base, booking: { ...booking, credit: null } }, requestView).text).toMatch(/, total 80\.00\.$/);
  });

  it('an approval waiting for a credit: the client goes to their credits, the trainer can sell a pack', () => {
    const needed = { ...base, kind: 'request.credit-needed' as const, text: 'the workflow sentence' };
    expect(renderForClient(needed, requestView)).toEqual({ text: 'the workflow sentence', actions: [{ kind: 'button', id: 'menu', value: 'credits', label: 'My credits' }] });
    expect(renderForTrainer(needed, requestView)).toEqual({
      text: 'the workflow sentence',
      actions: [{ kind: 'button', id: 'cr.sell', value: String(requestView.clientUserId), label: `Sell ${requestView.clientName} a pack`, style: 'primary' }],
    });
  });

  it('a series says how many credits its sessions use and what is left after the last', () => {
    const booked = TUESDAYS.slice(0, 3).map((start, i) => ({ ...sessionOf(start, 100 + i), credit: { lotId: 40, packName: 'Ten sessions', left: 6 - i, expiresAt: '2027-03-01T09:00:00.000Z' } }));
    const message = renderForClient({ ...base, series: { ...seriesSummary(TUESDAYS.slice(0, 3)), booked } }, seriesView);
    expect(message.fields).toEqual([{ label: 'Credits', value: 'uses 3 credits, 4 left' }]);
    expect(blockProblems(messageBlocks(message))).toEqual([]);
  });
});
