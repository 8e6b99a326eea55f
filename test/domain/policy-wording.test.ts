import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, describePolicyForClient, describePolicyForTrainer, formatMinutes, policyWording, type TrainerPolicy } from '../../src/domain/policy';

const policy = (overrides: Partial<TrainerPolicy> = {}): TrainerPolicy => ({ ...DEFAULT_POLICY, ...overrides });

describe('policy wording', () => {
  it.each([
    [0, '0 min'],
    [15, '15 min'],
    [60, '1 h'],
    [90, '1 h 30 min'],
    [720, '12 h'],
    [1440, '24 h'],
    [2880, '2 days'],
    [2940, '49 h'],
  ])('formats %i minutes as "%s"', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });

  it.each<[string, Partial<TrainerPolicy>, string]>([
    ['notice and cutoff', { minNoticeMinutes: 720, cancelCutoffMinutes: 1440 }, 'Alex needs 12 h notice; cancelling within 24 h counts as a late cancellation.'],
    ['no notice', { minNoticeMinutes: 0 }, 'Cancelling within 24 h counts as a late cancellation.'],
    ['no cutoff', { cancelCutoffMinutes: 0 }, 'Alex needs 1 h notice.'],
    ['neither', { minNoticeMinutes: 0, cancelCutoffMinutes: 0 }, 'Alex takes bookings up to 90 days ahead.'],
  ])('tells the client the rules that matter: %s', (_name, overrides, sentence) => {
    expect(describePolicyForClient(policy(overrides), 'Alex')).toBe(sentence);
  });

  it("words the booking workflow's notices of a late cancellation and a withdrawal", () => {
    expect(policyWording.lateCancelledByClient(policy({ cancelCutoffMinutes: 1440 }))).toBe('The booking was cancelled by the client 24 h or less before the start; it counts as a late cancellation.');
    expect(policyWording.requestWithdrawn()).toBe('The client withdrew the request.');
    expect(policyWording.requestWithdrawn('Found another time')).toBe('The client withdrew the request: Found another time');
  });

  it('lists every field for the trainer', () => {
    const lines = describePolicyForTrainer(policy({ bufferBeforeMinutes: 15, approvalMode: 'AUTO_DIRECT' }));
    expect(lines).toHaveLength(9);
    expect(lines).toContain('Buffer before each session: 15 min');
    expect(lines.at(-1)).toBe('Approval: direct requests that follow the policy are confirmed at once');
  });
});
