import { describe, expect, it } from 'vitest';
import {
  blockedRange,
  checkBuffers,
  checkClientLimits,
  checkClientOverlap,
  checkClientReschedule,
  checkPolicyValid,
  checkStartAllowed,
  checkTrainerReschedule,
  decideClientCancel,
  DEFAULT_POLICY,
  isPolicyRefusal,
  lateCancelWarning,
  mayAutoApprove,
  POLICY_BOUNDS,
  windowForStarts,
  withDefaults,
  type ClientLoad,
  type TrainerPolicy,
} from '../../src/domain/policy';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/domain/time';

// A fixed instant: nothing here depends on the day the suite runs.
const NOW = new Date('2030-03-06T10:00:00Z');
const after = (ms: number): Date => new Date(NOW.getTime() + ms);
const policy = (overrides: Partial<TrainerPolicy> = {}): TrainerPolicy => ({ ...DEFAULT_POLICY, ...overrides });
const strict = policy({ minNoticeMinutes: 12 * 60, horizonDays: 60, cancelCutoffMinutes: 24 * 60 });
const code = (result: unknown): string | null => (isPolicyRefusal(result) ? result.code : null);

describe('checkStartAllowed: minimum notice and horizon', () => {
  const cases: [string, TrainerPolicy, number, string | null][] = [
    ['one minute short of the notice', strict, 12 * HOUR_MS - MINUTE_MS, 'policy_min_notice'],
    ['exactly at the notice', strict, 12 * HOUR_MS, null],
    ['in the past', strict, -HOUR_MS, 'policy_min_notice'],
    ['exactly at the horizon', strict, 60 * DAY_MS, null],
    ['one minute past the horizon', strict, 60 * DAY_MS + MINUTE_MS, 'policy_horizon'],
    ['no notice: now is allowed', policy({ minNoticeMinutes: 0 }), 0, null],
    ['no notice: the past is not', policy({ minNoticeMinutes: 0 }), -MINUTE_MS, 'policy_min_notice'],
    ['defaults: a day ahead', DEFAULT_POLICY, DAY_MS, null],
    ['defaults: 30 minutes ahead', DEFAULT_POLICY, 30 * MINUTE_MS, 'policy_min_notice'],
    ['defaults: 91 days ahead', DEFAULT_POLICY, 91 * DAY_MS, 'policy_horizon'],
  ];
  it.each(cases)('%s', (_name, p, offset, expected) => {
    expect(code(checkStartAllowed(p, after(offset), NOW))).toBe(expected);
  });

  it('names the field and words the rule with the trainer', () => {
    expect(checkStartAllowed(strict, after(HOUR_MS), NOW, 'Alex')).toEqual({
      code: 'policy_min_notice',
      field: 'start_time',
      sentence: 'Alex needs at least 12 h notice: choose a later start.',
    });
    expect(checkStartAllowed(strict, after(61 * DAY_MS), NOW, 'Alex')?.sentence).toBe('Alex takes bookings at most 60 days ahead: choose an earlier start.');
    expect(checkStartAllowed(policy({ minNoticeMinutes: 0 }), after(-MINUTE_MS), NOW)?.sentence).toBe('That time has already passed: choose a later start.');
  });

  it('agrees with windowForStarts at both ends', () => {
    const { earliest, latest } = windowForStarts(strict, NOW);
    expect([earliest, latest]).toEqual([after(12 * HOUR_MS), after(60 * DAY_MS)]);
    expect(checkStartAllowed(strict, earliest, NOW)).toBeNull();
    expect(checkStartAllowed(strict, latest, NOW)).toBeNull();
    expect(code(checkStartAllowed(strict, new Date(earliest.getTime() - 1), NOW))).toBe('policy_min_notice');
    expect(code(checkStartAllowed(strict, new Date(latest.getTime() + 1), NOW))).toBe('policy_horizon');
  });
});

describe('decideClientCancel and lateCancelWarning: the cutoff', () => {
  const cases: [string, TrainerPolicy, number, string][] = [
    ['well before the cutoff', strict, 3 * DAY_MS, 'free'],
    ['exactly at the cutoff', strict, 24 * HOUR_MS, 'free'],
    ['one minute inside the cutoff', strict, 24 * HOUR_MS - MINUTE_MS, 'late'],
    ['a minute before the start', strict, MINUTE_MS, 'late'],
    ['at the start', strict, 0, 'policy_started'],
    ['after the start', strict, -HOUR_MS, 'policy_started'],
    ['no cutoff: a minute before the start', policy({ cancelCutoffMinutes: 0 }), MINUTE_MS, 'free'],
    ['no cutoff: after the start', policy({ cancelCutoffMinutes: 0 }), -MINUTE_MS, 'policy_started'],
  ];
  it.each(cases)('%s', (_name, p, offset, expected) => {
    const verdict = decideClientCancel(p, after(offset), NOW);
    expect(isPolicyRefusal(verdict) ? verdict.code : verdict).toBe(expected);
    expect(lateCancelWarning(p, after(offset), NOW) !== null).toBe(expected === 'late');
  });

  it('warns in one sentence before the client confirms', () => {
    expect(lateCancelWarning(strict, after(HOUR_MS), NOW)).toBe('Cancelling now counts as a late cancellation: the session starts in less than 24 h.');
    expect(decideClientCancel(strict, after(-MINUTE_MS), NOW)).toMatchObject({ sentence: expect.stringContaining('already started') as unknown });
  });
});

describe('checkClientReschedule and checkTrainerReschedule', () => {
  const cases: [string, number, number, string | null, string | null][] = [
    // name, old start offset, new start offset, client verdict, trainer verdict
    ['both far enough ahead', 3 * DAY_MS, 4 * DAY_MS, null, null],
    ['old start exactly at the cutoff', 24 * HOUR_MS, 4 * DAY_MS, null, null],
    ['old start inside the cutoff', 24 * HOUR_MS - MINUTE_MS, 4 * DAY_MS, 'policy_cutoff_reschedule', null],
    ['old session already started', -MINUTE_MS, 4 * DAY_MS, 'policy_started', 'policy_started'],
    ['old session starts now', 0, 4 * DAY_MS, 'policy_started', 'policy_started'],
    ['new start too soon', 3 * DAY_MS, HOUR_MS, 'policy_min_notice', 'policy_min_notice'],
    ['new start beyond the horizon', 3 * DAY_MS, 61 * DAY_MS, 'policy_horizon', 'policy_horizon'],
  ];
  it.each(cases)('%s', (_name, oldOffset, newOffset, clientExpected, trainerExpected) => {
    expect(code(checkClientReschedule(strict, after(oldOffset), after(newOffset), NOW))).toBe(clientExpected);
    expect(code(checkTrainerReschedule(strict, after(oldOffset), after(newOffset), NOW))).toBe(trainerExpected);
  });

  it('tells the client why a move inside the cutoff is refused', () => {
    expect(checkClientReschedule(strict, after(HOUR_MS * 20), after(3 * DAY_MS), NOW)?.sentence).toBe(
      'This session starts in less than 24 h, so it can no longer be moved; you can still cancel it, which counts as a late cancellation.',
    );
  });
});

describe('checkClientLimits', () => {
  const load = (pendingRequests: number, pendingWithTrainer: number, upcomingBookings: number): ClientLoad => ({ pendingRequests, pendingWithTrainer, upcomingBookings });
  const cases: [string, ClientLoad, string | null][] = [
    ['nothing open', load(0, 0, 0), null],
    ['just under every limit', load(2, 0, 9), null],
    ['one pending with this trainer', load(1, 1, 0), 'policy_limit_pair'],
    ['three pending elsewhere', load(3, 0, 0), 'policy_limit_pending'],
    ['ten upcoming bookings', load(0, 0, 10), 'policy_limit_upcoming'],
    ['pair and overall at once: the pair is named', load(3, 1, 10), 'policy_limit_pair'],
    ['overall and upcoming at once', load(3, 0, 10), 'policy_limit_pending'],
  ];
  it.each(cases)('%s (defaults 3/1/10)', (_name, l, expected) => {
    expect(code(checkClientLimits(DEFAULT_POLICY, l))).toBe(expected);
  });

  it('follows the trainer\'s own limits and words them', () => {
    const generous = policy({ maxPendingPerClient: 5, maxPendingPerPair: 2, maxUpcomingBookings: 1 });
    expect(checkClientLimits(generous, load(4, 1, 0))).toBeNull();
    expect(checkClientLimits(generous, load(4, 2, 0), 'Alex')?.sentence).toBe('You already have 2 pending requests with Alex, the most allowed: wait for an answer or withdraw it first.');
    expect(checkClientLimits(generous, load(5, 0, 0))?.sentence).toBe('You already have 5 pending requests, the most you can have at once: wait for an answer or withdraw one first.');
    expect(checkClientLimits(generous, load(0, 0, 1))?.sentence).toBe('You already have 1 upcoming booking, the most you can hold at once: book again after one of them.');
  });
});

describe('mayAutoApprove', () => {
  const auto = policy({ approvalMode: 'AUTO_DIRECT', minNoticeMinutes: 12 * 60 });
  const cases: [string, TrainerPolicy, Parameters<typeof mayAutoApprove>[1], boolean][] = [
    ['auto, direct, within the policy', auto, { kind: 'direct', start: after(DAY_MS) }, true],
    ['auto, direct, too soon', auto, { kind: 'direct', start: after(HOUR_MS) }, false],
    ['auto, direct, beyond the horizon', auto, { kind: 'direct', start: after(100 * DAY_MS) }, false],
    ['auto, direct without a start', auto, { kind: 'direct', start: null }, false],
    ['auto, flexible', auto, { kind: 'flexible' }, false],
    ['manual, direct, within the policy', policy({ minNoticeMinutes: 12 * 60 }), { kind: 'direct', start: after(DAY_MS) }, false],
  ];
  it.each(cases)('%s', (_name, p, request, expected) => {
    expect(mayAutoApprove(p, request, NOW)).toBe(expected);
  });
});

describe('buffers and client overlaps', () => {
  const range = (startHour: number, endHour: number) => ({ start: after(startHour * HOUR_MS), end: after(endHour * HOUR_MS) });
  const buffered = policy({ bufferBeforeMinutes: 15, bufferAfterMinutes: 30 });

  it('widens a session by the before-buffer ahead and the after-buffer behind', () => {
    expect(blockedRange(buffered, range(24, 25))).toEqual({ start: after(24 * HOUR_MS - 15 * MINUTE_MS), end: after(25 * HOUR_MS + 30 * MINUTE_MS) });
    expect(blockedRange(DEFAULT_POLICY, range(24, 25))).toEqual(range(24, 25));
  });

  const gap = (minutes: number) => ({ start: after(25 * HOUR_MS + minutes * MINUTE_MS), end: after(26 * HOUR_MS + minutes * MINUTE_MS) });
  const cases: [string, TrainerPolicy, ReturnType<typeof range>, string | null][] = [
    ['no buffers: back to back is fine', DEFAULT_POLICY, gap(0), null],
    ['no buffers: a real overlap is not', DEFAULT_POLICY, gap(-30), 'policy_buffer'],
    ['15 + 30: exactly 45 minutes apart', buffered, gap(45), null],
    ['15 + 30: 44 minutes apart', buffered, gap(44), 'policy_buffer'],
    ['15 + 30: back to back', buffered, gap(0), 'policy_buffer'],
    ['15 + 30: a candidate before the other, 45 minutes apart', buffered, { start: after(22 * HOUR_MS + 15 * MINUTE_MS), end: after(23 * HOUR_MS + 15 * MINUTE_MS) }, null],
    ['15 + 30: a candidate before the other, 44 minutes apart', buffered, { start: after(22 * HOUR_MS + 16 * MINUTE_MS), end: after(23 * HOUR_MS + 16 * MINUTE_MS) }, 'policy_buffer'],
  ];
  it.each(cases)('%s', (_name, p, candidate, expected) => {
    expect(code(checkBuffers(p, candidate, [range(24, 25)]))).toBe(expected);
  });

  it('words the buffer refusal', () => {
    expect(checkBuffers(buffered, gap(0), [range(24, 25)], 'Alex')?.sentence).toBe('Alex keeps 15 min before and 30 min after each session free: choose another time.');
  });

  const overlapCases: [string, ReturnType<typeof range>, string | null][] = [
    ['touching at the end', range(25, 26), null],
    ['touching at the start', range(23, 24), null],
    ['overlapping by a minute', { start: after(25 * HOUR_MS - MINUTE_MS), end: after(26 * HOUR_MS) }, 'policy_client_overlap'],
    ['inside', { start: after(24 * HOUR_MS + 15 * MINUTE_MS), end: after(24 * HOUR_MS + 45 * MINUTE_MS) }, 'policy_client_overlap'],
  ];
  it.each(overlapCases)('client overlap: %s', (_name, candidate, expected) => {
    expect(code(checkClientOverlap(candidate, [range(24, 25)]))).toBe(expected);
  });
});

describe('the policy itself', () => {
  it('fills missing fields with the defaults', () => {
    expect(withDefaults(null)).toEqual(DEFAULT_POLICY);
    expect(withDefaults({ minNoticeMinutes: 720, approvalMode: 'AUTO_DIRECT' })).toEqual({ ...DEFAULT_POLICY, minNoticeMinutes: 720, approvalMode: 'AUTO_DIRECT' });
  });

  it('accepts the defaults and every bound', () => {
    expect(checkPolicyValid(DEFAULT_POLICY)).toBeNull();
    expect(checkPolicyValid(policy({ minNoticeMinutes: 0, horizonDays: 1, bufferBeforeMinutes: 240, bufferAfterMinutes: 240, cancelCutoffMinutes: 0, maxPendingPerClient: 50, maxPendingPerPair: 20, maxUpcomingBookings: 200 }))).toBeNull();
  });

  const cases: [string, Partial<TrainerPolicy>, string][] = [
    ['notice below 0', { minNoticeMinutes: -1 }, 'min_notice_minutes'],
    ['horizon 0', { horizonDays: 0 }, 'horizon_days'],
    ['horizon above the bound', { horizonDays: POLICY_BOUNDS.horizonDays.max + 1 }, 'horizon_days'],
    ['fractional buffer', { bufferBeforeMinutes: 7.5 }, 'buffer_before_minutes'],
    ['buffer above the bound', { bufferAfterMinutes: 241 }, 'buffer_after_minutes'],
    ['cutoff above the bound', { cancelCutoffMinutes: 14 * 24 * 60 + 1 }, 'cancel_cutoff_minutes'],
    ['no pending requests at all', { maxPendingPerClient: 0 }, 'max_pending_per_client'],
    ['upcoming limit 0', { maxUpcomingBookings: 0 }, 'max_upcoming_bookings'],
    ['pair limit above the per-client one', { maxPendingPerClient: 2, maxPendingPerPair: 3 }, 'max_pending_per_pair'],
    ['notice as long as the horizon', { minNoticeMinutes: 24 * 60, horizonDays: 1 }, 'min_notice_minutes'],
  ];
  it.each(cases)('refuses %s, naming the field', (_name, overrides, field) => {
    expect(checkPolicyValid(policy(overrides))).toMatchObject({ code: 'policy_invalid', field });
  });
});
