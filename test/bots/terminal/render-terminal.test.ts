import { describe, expect, it } from 'vitest';
import { renderForTrainer } from '../../../bots/notifications/render-notification';
import { numberChoices, renderTerminalMessage } from '../../../bots/terminal/render-terminal';
import { seriesOption, seriesSummary, seriesView, TAKEN, TUESDAYS } from '../support/series-notifications';

const base = { key: 'k', bookingRequestId: 12, trainerId: 3, clientId: 1, text: '' };

describe('terminal rendering of a weekly series', () => {
  it('shows each weekly time with its dates under it, and numbers an Approve per option and Reject', () => {
    const message = renderForTrainer({ ...base, kind: 'request.options', audience: ['trainer'], options: [seriesOption(5, { '2026-12-22': TAKEN, '2027-01-05': TAKEN }, { conflictMode: 'AVAILABLE_ONLY' })] }, seriesView);
    const lines = renderTerminalMessage('Alex Morgan', message, numberChoices(message.actions ?? [])).split('\n');
    expect(lines[1]).toBe('New weekly series request #12 from Jamie Lee: approve one of the weekly times, or reject.');
    const option = lines.indexOf('   Option 1: Tuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 8 of 10 sessions free · score 80');
    expect(option).toBeGreaterThan(0);
    expect(lines.slice(option + 1, option + 5)).toEqual([
      `      Not free: Tue 22 Dec, Tue 5 Jan: ${TAKEN}`,
      '      Available dates only: the free sessions are booked and the others skipped.',
      '   [1] Approve Tue 18:00 weekly, from 8 Dec',
      '   [2] Reject',
    ]);
  });

  it('lists the booked sessions of an approved series', () => {
    const message = renderForTrainer({ ...base, kind: 'request.approved', audience: ['trainer'], series: seriesSummary(TUESDAYS.slice(0, 3)) }, seriesView);
    expect(renderTerminalMessage('Alex Morgan', message, numberChoices(message.actions ?? []))).toBe(
      [
        '── Alex Morgan ──',
        'Booked: 3 weekly sessions of Strength Training with Jamie Lee (Europe/Berlin): Tue 8 Dec 18:00, Tue 15 Dec 18:00, Tue 22 Dec 18:00, total 360.00.',
        '   [1] My bookings',
        '',
      ].join('\n'),
    );
  });
});
