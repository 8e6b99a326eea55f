// Generators of hostile input for the property tests: values shaped like the real thing
// but often just wrong (out of range, badly formatted, another type), so that they reach
// past the first type check into the parsers.
import fc from 'fast-check';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Usually the valid-looking value, sometimes anything at all (another type, an object, undefined). */
export function mostly<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary, weight: 6 }, { arbitrary: fc.anything(), weight: 1 });
}

export const clockTime: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 26 }), fc.integer({ min: 0, max: 61 })).map(([h, m]) => `${pad(h)}:${pad(m)}`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([h, m]) => `${h}:${m}`),
);

export const timeBlock: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(clockTime, clockTime).map(([a, b]) => `${a}-${b}`), weight: 6 },
  { arbitrary: fc.constantFrom('00:00-24:00', '24:00-24:00', '09:00-09:00', '23:59-24:00', '09:00–10:00', ' 09:00-10:00', '09:00-10:00\n', '９:00-10:00'), weight: 2 },
  { arbitrary: fc.string(), weight: 1 },
);

export const calendarDate: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`), weight: 6 },
  { arbitrary: fc.constantFrom('2032-02-29', '2031-02-29', '0000-01-01', '9999-12-31', '2031-1-5', '2031-01-05T00:00:00Z', '+2031-01-05'), weight: 2 },
  { arbitrary: fc.string(), weight: 1 },
);

const ZONES = Intl.supportedValuesOf('timeZone');

export const timeZoneName: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ZONES), weight: 4 },
  { arbitrary: fc.constantFrom(...ZONES).map((zone) => (zone.length % 2 === 0 ? zone.toUpperCase() : zone.toLowerCase())), weight: 1 },
  {
    arbitrary: fc.constantFrom('UTC', 'utc', 'Z', 'GMT', 'Etc/GMT+14', 'Etc/GMT-15', '+05:30', '-00:00', '+14:00', '+24:00', '-12', 'EST5EDT', 'Local', 'America/Nowhere', '../etc/passwd', ''),
    weight: 2,
  },
  { arbitrary: fc.string(), weight: 1 },
);

export const isoDateTime: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true, min: new Date('1990-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') }).map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', '+00:00', '+05:30', '-14:00', '+25:00', '', '.123Z', '.5+01:00'),
    )
    .map(([y, mo, d, h, mi, zone]) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:00${zone}`),
  fc.string(),
);

const validBlock: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .filter(([a, b]) => a < b)
  .map(([a, b]) => `${pad(Math.floor(a / 60))}:${pad(a % 60)}-${pad(Math.floor(b / 60))}:${pad(b % 60)}`);

/** Preferences that pass validation: a real date range, well-formed blocks, flags. */
export const validPreferences: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    start: fc.date({ noInvalidDate: true, min: new Date('1990-01-01T00:00:00Z'), max: new Date('2150-01-01T00:00:00Z') }),
    spanDays: fc.integer({ min: 0, max: 120 }),
    preferredTimes: fc.array(validBlock, { maxLength: 4 }),
    avoidTimes: fc.array(validBlock, { maxLength: 4 }),
    allowWeekends: fc.boolean(),
    allowEvenings: fc.boolean(),
  })
  .map(({ start, spanDays, ...rest }) => ({
    preferredStartDate: start.toISOString().slice(0, 10),
    preferredEndDate: new Date(start.getTime() + spanDays * 86_400_000).toISOString().slice(0, 10),
    ...rest,
  }));

const hostileField: Record<string, fc.Arbitrary<unknown>> = {
  preferredStartDate: mostly(calendarDate),
  preferredEndDate: mostly(calendarDate),
  preferredTimes: mostly(fc.array(timeBlock, { maxLength: 14 })),
  avoidTimes: mostly(fc.array(timeBlock, { maxLength: 14 })),
  allowWeekends: fc.anything(),
  allowEvenings: fc.anything(),
};

/**
 * Preferences as they may arrive: valid ones, valid ones with one field spoilt (or
 * missing), and records where every field is hostile.
 */
export const preferences: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { arbitrary: validPreferences, weight: 3 },
  {
    arbitrary: fc
      .tuple(validPreferences, fc.constantFrom(...Object.keys(hostileField)), fc.boolean())
      .chain(([valid, key, drop]) =>
        drop ? fc.constant(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))) : hostileField[key]!.map((value) => ({ ...valid, [key]: value })),
      ),
    weight: 3,
  },
  { arbitrary: fc.record(hostileField, { requiredKeys: [] }), weight: 1 },
);
