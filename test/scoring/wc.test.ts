import { describe, expect, it } from 'vitest';
import vectors from '../fixtures/wc-vectors.json';
import {
  WcInputError,
  assertTimeZone,
  createWcScorer,
  parseCalendarDate,
  parseTimeBlock,
  scoreCandidate,
  validateWcPreferences,
  type WcPreferences,
  type WcScore,
} from '../../src/scoring/wc';

describe('wc-vectors.json', () => {
  it.each(vectors)('$name', (vector) => {
    const { request: r, expected: e } = vector;
    const prefs: WcPreferences = {
      preferredStartDate: r.preferred_start_date,
      preferredEndDate: r.preferred_end_date,
      preferredTimes: r.preferred_times,
      avoidTimes: r.avoid_times,
      allowWeekends: r.allow_weekends,
      allowEvenings: r.allow_evenings,
    };
    expect(scoreCandidate(prefs, new Date(vector.start), vector.duration_minutes, vector.time_zone)).toEqual({
      totalScore: e.total_score,
      breakdown: {
        dateMatch: e.date_match,
        timeOfDayMatch: e.time_of_day_match,
        avoidTimePenalty: e.avoid_time_penalty,
        weekendEveningBonus: e.weekend_evening_bonus,
      },
      requiresManualReview: e.requires_manual_review,
    });
  });
});

const NO_PREFS: WcPreferences = {
  preferredStartDate: '2024-01-15',
  preferredEndDate: '2024-01-20',
  preferredTimes: [],
  avoidTimes: [],
  allowWeekends: false,
  allowEvenings: false,
};

function prefs(overrides: Partial<WcPreferences>): WcPreferences {
  return { ...NO_PREFS, ...overrides };
}

function expected(dateMatch: number, timeOfDayMatch: number, avoidTimePenalty: number, weekendEveningBonus: number, totalScore: number): WcScore {
  return {
    totalScore,
    breakdown: { dateMatch, timeOfDayMatch, avoidTimePenalty, weekendEveningBonus },
    requiresManualReview: totalScore < 0,
  };
}

function score(p: WcPreferences, startIso: string, durationMinutes: number, timeZone: string): WcScore {
  return scoreCandidate(p, new Date(startIso), durationMinutes, timeZone);
}

describe('DST in Europe/Berlin (2024: CET+1 -> CEST+2 at 01:00Z on Sun 31 Mar, back at 01:00Z on Sun 27 Oct)', () => {
  const spring = prefs({
    preferredStartDate: '2024-03-30',
    preferredEndDate: '2024-04-03',
    preferredTimes: ['09:00-10:00'],
    avoidTimes: ['08:00-09:00'],
    allowWeekends: true,
  });

  it('a 09:00 local start on the spring-forward day is 09:00 CEST', () => {
    // 07:00Z + 2h = 09:00 Sun 31 Mar. d=1, span=4: 50*(1-1/4) = 37.5. [09:00,10:00) overlaps
    // 09:00-10:00 -> 40; only touches 08:00-09:00 -> 0. Sunday +5. 37.5+40+0+5 = 82.5
    expect(score(spring, '2024-03-31T07:00:00Z', 60, 'Europe/Berlin')).toEqual(expected(37.5, 40, 0, 5, 82.5));
  });

  it('the day before uses CET', () => {
    // 08:00Z + 1h = 09:00 Sat 30 Mar. d=0 -> 50; preferred 40; Saturday +5 = 95
    expect(score(spring, '2024-03-30T08:00:00Z', 60, 'Europe/Berlin')).toEqual(expected(50, 40, 0, 5, 95));
  });

  it('a session spanning spring-forward is placed by local start + duration, not stretched', () => {
    // 00:30Z + 1h = 01:30 CET; 120 min -> wall clock [01:30,03:30) even though it really ends at
    // 04:30 CEST. Overlaps 03:00-04:00 -> 40; touches 03:30-05:00 -> no penalty. Single day -> 50.
    // Sunday but weekends not allowed. 50+40 = 90
    const p = prefs({
      preferredStartDate: '2024-03-31',
      preferredEndDate: '2024-03-31',
      preferredTimes: ['03:00-04:00'],
      avoidTimes: ['03:30-05:00'],
    });
    expect(score(p, '2024-03-31T00:30:00Z', 120, 'Europe/Berlin')).toEqual(expected(50, 40, 0, 0, 90));
  });

  it('both 02:30s of the fall-back day score as 02:30', () => {
    // 00:30Z + 2h (CEST) and 01:30Z + 1h (CET) are both 02:30 Sun 27 Oct. Single day -> 50;
    // [02:30,03:30) overlaps 02:00-03:00 -> 40; Sunday +5. 95
    const p = prefs({
      preferredStartDate: '2024-10-27',
      preferredEndDate: '2024-10-27',
      preferredTimes: ['02:00-03:00'],
      allowWeekends: true,
    });
    expect(score(p, '2024-10-27T00:30:00Z', 60, 'Europe/Berlin')).toEqual(expected(50, 40, 0, 5, 95));
    expect(score(p, '2024-10-27T01:30:00Z', 60, 'Europe/Berlin')).toEqual(expected(50, 40, 0, 5, 95));
  });

  it('a 09:00 local start on the fall-back day is 09:00 CET', () => {
    // 08:00Z + 1h = 09:00 Sun 27 Oct. d=6, span=6 (last day) -> 0; preferred 40; Sunday +5 = 45.
    // (Had CEST been used it would be 10:00 and miss 09:00-10:00.)
    const p = prefs({
      preferredStartDate: '2024-10-21',
      preferredEndDate: '2024-10-27',
      preferredTimes: ['09:00-10:00'],
      allowWeekends: true,
    });
    expect(score(p, '2024-10-27T08:00:00Z', 60, 'Europe/Berlin')).toEqual(expected(0, 40, 0, 5, 45));
  });
});

describe('DST in America/New_York (2024: EST-5 -> EDT-4 at 07:00Z on Sun 10 Mar, back at 06:00Z on Sun 3 Nov)', () => {
  it('a 09:00 local start on the spring-forward day is 09:00 EDT', () => {
    // 13:00Z - 4h = 09:00 Sun 10 Mar. d=6, span=10: 50*(1-6/10) = 20. Overlaps 09:00-09:30 -> 40;
    // touches 08:00-09:00 -> 0. Sunday +5. 20+40+5 = 65
    const p = prefs({
      preferredStartDate: '2024-03-04',
      preferredEndDate: '2024-03-14',
      preferredTimes: ['09:00-09:30'],
      avoidTimes: ['08:00-09:00'],
      allowWeekends: true,
    });
    expect(score(p, '2024-03-10T13:00:00Z', 60, 'America/New_York')).toEqual(expected(20, 40, 0, 5, 65));
  });

  it('both 01:30s of the fall-back day score as 01:30', () => {
    // 05:30Z - 4h (EDT) and 06:30Z - 5h (EST) are both 01:30 Sun 3 Nov. d=2, span=4: 50*(1-2/4) = 25.
    // [01:30,02:30) overlaps 01:00-02:00 -> 40. Weekends not allowed. 65
    const p = prefs({ preferredStartDate: '2024-11-01', preferredEndDate: '2024-11-05', preferredTimes: ['01:00-02:00'] });
    expect(score(p, '2024-11-03T05:30:00Z', 60, 'America/New_York')).toEqual(expected(25, 40, 0, 0, 65));
    expect(score(p, '2024-11-03T06:30:00Z', 60, 'America/New_York')).toEqual(expected(25, 40, 0, 0, 65));
  });

  it('a session spanning fall-back is placed by local start + duration, not shrunk', () => {
    // 04:30Z - 4h = 00:30 EDT; 120 min -> wall clock [00:30,02:30) although it really ends at
    // 01:30 EST. Overlaps 02:00-03:00 -> time 0, penalty -50. Single day -> 50. 50+0-50 = 0,
    // which is not < 0, so no manual review.
    const p = prefs({ preferredStartDate: '2024-11-03', preferredEndDate: '2024-11-03', avoidTimes: ['02:00-03:00'] });
    expect(score(p, '2024-11-03T04:30:00Z', 120, 'America/New_York')).toEqual(expected(50, 0, -50, 0, 0));
  });
});

describe('non-hour offsets', () => {
  it('Asia/Kolkata (+05:30)', () => {
    // 04:00Z + 5:30 = 09:30 Tue 16 Jan. d=1, span=5: 40. [09:30,10:30) touches 09:00-09:30 (no
    // preferred match) and overlaps 10:15-10:45 -> time 0, penalty -50. 40+0-50 = -10 -> review
    const p = prefs({ preferredTimes: ['09:00-09:30'], avoidTimes: ['10:15-10:45'] });
    expect(score(p, '2024-01-16T04:00:00Z', 60, 'Asia/Kolkata')).toEqual(expected(40, 0, -50, 0, -10));
  });

  it('Asia/Kathmandu (+05:45)', () => {
    // 11:15Z + 5:45 = 17:00 Tue 16 Jan. d=1 -> 40. [17:00,18:00) touches 16:00-17:00 -> no match,
    // no avoids -> 20. 17:00 is an evening start -> +5. 40+20+5 = 65
    const p = prefs({ preferredTimes: ['16:00-17:00'], allowEvenings: true });
    expect(score(p, '2024-01-16T11:15:00Z', 60, 'Asia/Kathmandu')).toEqual(expected(40, 20, 0, 5, 65));
  });

  it('Australia/Adelaide in summer (+10:30), local date ahead of UTC', () => {
    // 23:30Z Tue 16 Jan + 10:30 = 10:00 Wed 17 Jan. d=2, span=5: 50*(1-2/5) = 30. Preferred 40. 70
    const p = prefs({ preferredTimes: ['10:00-11:00'] });
    expect(score(p, '2024-01-16T23:30:00Z', 60, 'Australia/Adelaide')).toEqual(expected(30, 40, 0, 0, 70));
  });

  it('Australia/Adelaide in winter (+09:30)', () => {
    // 00:30Z + 9:30 = 10:00 Mon 1 Jul. Single day -> 50. Preferred 40. 90
    const p = prefs({ preferredStartDate: '2024-07-01', preferredEndDate: '2024-07-01', preferredTimes: ['10:00-11:00'] });
    expect(score(p, '2024-07-01T00:30:00Z', 60, 'Australia/Adelaide')).toEqual(expected(50, 40, 0, 0, 90));
  });
});

describe('local date and weekday, not UTC', () => {
  const p = prefs({ allowWeekends: true, allowEvenings: true });

  it('Friday evening in Los Angeles is Saturday in UTC', () => {
    // 04:00Z Sat 20 Jan - 8h = 20:00 Fri 19 Jan. d=4, span=5: 50*(1-4/5) = 10. No blocks -> 20.
    // Friday: no weekend bonus; 20:00 in [17:00,21:00) -> +5. 10+20+5 = 35
    expect(score(p, '2024-01-20T04:00:00Z', 60, 'America/Los_Angeles')).toEqual(expected(10, 20, 0, 5, 35));
  });

  it('Sunday evening in Los Angeles is Monday in UTC', () => {
    // 02:00Z Mon 22 Jan - 8h = 18:00 Sun 21 Jan: after the range -> 0. 20 + 5 (Sunday) + 5 (18:00) = 30
    expect(score(p, '2024-01-22T02:00:00Z', 60, 'America/Los_Angeles')).toEqual(expected(0, 20, 0, 10, 30));
  });

  it('Monday morning in Tokyo is Sunday in UTC', () => {
    // 23:00Z Sun 14 Jan + 9h = 08:00 Mon 15 Jan. d=0 -> 50. 20. Monday, morning -> 0. 70
    expect(score(p, '2024-01-14T23:00:00Z', 60, 'Asia/Tokyo')).toEqual(expected(50, 20, 0, 0, 70));
  });
});

describe('block boundaries (UTC, Tue 16 Jan: d=1, span=5 -> dateMatch 40)', () => {
  const p = prefs({ preferredTimes: ['10:00-12:00'], avoidTimes: ['14:00-15:00'] });

  it('a session ending exactly when a block starts does not overlap it', () => {
    // [09:00,10:00) vs 10:00-12:00: 10:00 < 10:00 is false -> 20. 40+20 = 60
    expect(score(p, '2024-01-16T09:00:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
    // [13:00,14:00) vs avoided 14:00-15:00: no overlap -> 20, no penalty. 60
    expect(score(p, '2024-01-16T13:00:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
  });

  it('a session starting exactly when a block ends does not overlap it', () => {
    // [12:00,13:00) vs 10:00-12:00 -> 20. [15:00,16:00) vs avoided 14:00-15:00 -> 20. Both 60
    expect(score(p, '2024-01-16T12:00:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
    expect(score(p, '2024-01-16T15:00:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
  });

  it('one minute of overlap counts', () => {
    // [09:01,10:01) overlaps 10:00-12:00 -> 40 (80). [13:01,14:01) overlaps 14:00-15:00 -> 0, -50 (-10)
    expect(score(p, '2024-01-16T09:01:00Z', 60, 'UTC')).toEqual(expected(40, 40, 0, 0, 80));
    expect(score(p, '2024-01-16T13:01:00Z', 60, 'UTC')).toEqual(expected(40, 0, -50, 0, -10));
  });

  it('a session covering both a preferred and an avoided block gets 40 and -50', () => {
    // [11:00,15:00) overlaps 10:00-12:00 and 14:00-15:00: 40+40-50 = 30
    expect(score(p, '2024-01-16T11:00:00Z', 240, 'UTC')).toEqual(expected(40, 40, -50, 0, 30));
  });

  it('"24:00" is a valid block end', () => {
    // [23:00,24:00) overlaps avoided 22:00-24:00 -> 0, -50. 40-50 = -10
    const late = prefs({ avoidTimes: ['22:00-24:00'] });
    expect(score(late, '2024-01-16T23:00:00Z', 60, 'UTC')).toEqual(expected(40, 0, -50, 0, -10));
    expect(parseTimeBlock('22:00-24:00')).toEqual({ startMinute: 1320, endMinute: 1440 });
    expect(parseTimeBlock('00:00-24:00')).toEqual({ startMinute: 0, endMinute: 1440 });
  });

  it('a session past midnight is compared only with its start day', () => {
    // [23:30,24:30) of Tue 16 Jan: 00:00-01:00 belongs to no earlier day -> no preferred match;
    // overlaps avoided 23:00-24:00 -> 0, -50. 40-50 = -10
    const night = prefs({ preferredTimes: ['00:00-01:00'], avoidTimes: ['23:00-24:00'] });
    expect(score(night, '2024-01-16T23:30:00Z', 60, 'UTC')).toEqual(expected(40, 0, -50, 0, -10));
    // Without the avoided block: neutral 20. 60
    const nightOnly = prefs({ preferredTimes: ['00:00-01:00'] });
    expect(score(nightOnly, '2024-01-16T23:30:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
  });
});

describe('evening window [17:00, 21:00) by start time (UTC, Tue 16 Jan: 40 + neutral 20)', () => {
  const p = prefs({ allowEvenings: true });
  it.each([
    ['16:59', 0], // a 60-min session reaching into the evening does not count: start time only
    ['17:00', 5],
    ['20:59', 5],
    ['21:00', 0],
  ])('start %s -> bonus %i', (time, bonus) => {
    expect(score(p, `2024-01-16T${time}:00Z`, 60, 'UTC')).toEqual(expected(40, 20, 0, bonus, 60 + bonus));
  });

  it('no evening bonus when evenings are not allowed', () => {
    expect(score(prefs({}), '2024-01-16T18:00:00Z', 60, 'UTC')).toEqual(expected(40, 20, 0, 0, 60));
  });

  it('weekend and evening bonuses add up', () => {
    // Sat 20 Jan 18:00: d=5 -> 0; 20; +5 +5. 30
    const both = prefs({ allowEvenings: true, allowWeekends: true });
    expect(score(both, '2024-01-20T18:00:00Z', 60, 'UTC')).toEqual(expected(0, 20, 0, 10, 30));
  });
});

describe('date range (UTC)', () => {
  const p = prefs({}); // 15..20 Jan, span 5

  it.each([
    ['2024-01-14', 0, 'day before the range'],
    ['2024-01-15', 50, 'first day: 50*(1-0/5)'],
    ['2024-01-18', 20, 'd=3: 50*(1-3/5)'],
    ['2024-01-20', 0, 'last day: 50*(1-5/5)'],
    ['2024-01-21', 0, 'day after the range'],
  ])('%s -> %d (%s)', (day, dateMatch) => {
    // Mon 15 - Sat 20 Jan; weekends not allowed, so total = dateMatch + neutral 20
    expect(score(p, `${day}T10:00:00Z`, 60, 'UTC')).toEqual(expected(dateMatch, 20, 0, 0, dateMatch + 20));
  });

  it('single-day range gives 50 on that day only', () => {
    const one = prefs({ preferredStartDate: '2024-01-16', preferredEndDate: '2024-01-16' });
    expect(score(one, '2024-01-16T00:00:00Z', 60, 'UTC')).toEqual(expected(50, 20, 0, 0, 70));
    expect(score(one, '2024-01-17T00:00:00Z', 60, 'UTC')).toEqual(expected(0, 20, 0, 0, 20));
  });

  it('rounds dateMatch to 2 decimals, half up, and the total is the sum of the breakdown', () => {
    // span=3: d=1 -> 50*2/3 = 33.333.. -> 33.33; d=2 -> 50/3 = 16.666.. -> 16.67
    const thirds = prefs({ preferredStartDate: '2024-01-15', preferredEndDate: '2024-01-18' });
    expect(score(thirds, '2024-01-16T10:00:00Z', 60, 'UTC')).toEqual(expected(33.33, 20, 0, 0, 53.33));
    expect(score(thirds, '2024-01-17T10:00:00Z', 60, 'UTC')).toEqual(expected(16.67, 20, 0, 0, 36.67));
    // span=16, d=15: 50/16 = 3.125 exactly, a tie -> 3.13; with an avoided overlap 3.13-50 = -46.87
    const sixteen = prefs({ preferredStartDate: '2024-01-01', preferredEndDate: '2024-01-17', avoidTimes: ['10:00-11:00'] });
    expect(score(sixteen, '2024-01-16T10:00:00Z', 60, 'UTC')).toEqual(expected(3.13, 0, -50, 0, -46.87));
  });

  it('leap day is a real date', () => {
    expect(parseCalendarDate('2024-02-29')).toBe(parseCalendarDate('2024-03-01') - 1);
    expect(parseCalendarDate('1970-01-01')).toBe(0);
  });
});

describe('invalid input throws WcInputError naming the value', () => {
  function thrown(fn: () => unknown): WcInputError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(WcInputError);
      expect(error).toBeInstanceOf(RangeError);
      return error as WcInputError;
    }
    throw new Error('expected a WcInputError');
  }
  const at = new Date('2024-01-16T10:00:00Z');

  it('end date before start date', () => {
    const e = thrown(() => scoreCandidate(prefs({ preferredStartDate: '2024-01-20', preferredEndDate: '2024-01-15' }), at, 60, 'UTC'));
    expect(e.message).toContain('"2024-01-15"');
    expect(e.message).toContain('"2024-01-20"');
  });

  it.each(['9:00-10:00', '10:00-09:00', '10:00-10:00', '24:00-24:00', '23:00-24:30', '24:30-25:00', '10:60-11:00', '10:00–11:00', '10:00 - 11:00', '', '10:00'])(
    'block %j',
    (block) => {
      expect(thrown(() => parseTimeBlock(block)).message).toContain(JSON.stringify(block));
      expect(thrown(() => scoreCandidate(prefs({ preferredTimes: ['08:00-09:00', block] }), at, 60, 'UTC')).message).toContain(
        JSON.stringify(block),
      );
      expect(thrown(() => validateWcPreferences(prefs({ avoidTimes: [block] }))).message).toContain('avoidTimes');
    },
  );

  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-5', '2024/01/05', '20240105', ''])('date %j', (date) => {
    expect(thrown(() => parseCalendarDate(date)).message).toContain(JSON.stringify(date));
    expect(thrown(() => scoreCandidate(prefs({ preferredEndDate: date }), at, 60, 'UTC')).message).toContain(JSON.stringify(date));
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Berlinn', ''])('time zone %j', (zone) => {
    expect(thrown(() => scoreCandidate(NO_PREFS, at, 60, zone)).message).toContain(JSON.stringify(zone));
    expect(thrown(() => assertTimeZone(zone)).message).toContain(JSON.stringify(zone));
  });

  it.each([0, -30, Number.NaN, Number.POSITIVE_INFINITY])('duration %d', (duration) => {
    expect(thrown(() => scoreCandidate(NO_PREFS, at, duration, 'UTC')).message).toContain(String(duration));
  });

  it('invalid start', () => {
    expect(thrown(() => scoreCandidate(NO_PREFS, new Date('not a date'), 60, 'UTC')).message).toContain('Invalid Date');
    expect(thrown(() => createWcScorer(NO_PREFS, 60, 'UTC').score(Number.NaN)).message).toContain('NaN');
  });

  it('non-boolean flags', () => {
    const bad = { ...NO_PREFS, allowWeekends: 'false' } as unknown as WcPreferences;
    expect(thrown(() => validateWcPreferences(bad)).message).toContain('"false"');
  });
});
