// Money is integer minor units (bigint) of an ISO 4217 currency, read and written without
// ever passing through a floating-point number: every amount the database can hold, in
// every currency the runtime knows, survives formatting and reading back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, isCurrency, MAX_MONEY_MINOR, minorDigits, normalizeCurrency, parseMoney, toDecimalString, toMinor } from '../../src/domain/credits/money';
import { creditWording } from '../../src/domain/credits/wording';

const CURRENCIES = Intl.supportedValuesOf('currency');
const currency = fc.constantFrom(...CURRENCIES);
/** Amounts from 0 to the database's bigint, with the small ones (and those around 2^53) well represented. */
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 100_000n }),
  fc.bigInt({ min: 2n ** 53n - 1000n, max: 2n ** 53n + 1000n }),
  fc.bigInt({ min: 0n, max: MAX_MONEY_MINOR }),
);

const parsed = (text: string, code: string): bigint => {
  const result = parseMoney(text, code);
  if (!result.ok) throw new Error(`${text} (${code}): ${result.problem.kind}`);
  return result.minor;
};

describe('currencies come from Intl', () => {
  it('knows codes, not spellings, and their minor digits', () => {
    expect(CURRENCIES.length).toBeGreaterThan(100);
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('EURO')).toBe(false);
    expect(isCurrency('QQQ')).toBe(false);
    expect(normalizeCurrency(' eur ')).toBe('EUR');
    expect(normalizeCurrency('euro')).toBeNull();
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('BHD'), minorDigits('GBP')]).toEqual([2, 0, 3, 2]);
  });
});

describe('formatting', () => {
  it('writes exact decimals in the currency’s digits', () => {
    expect(formatMoney(70_000n, 'EUR')).toBe('€700.00');
    expect(formatMoney(70_050n, 'EUR')).toBe('€700.50');
    expect(formatMoney(7_000n, 'JPY')).toBe('¥7,000');
    expect(formatMoney(1_234_500n, 'BHD')).toBe('BHD\u00a01,234.500');
    expect(formatMoney(MAX_MONEY_MINOR, 'EUR')).toBe('€92,233,720,368,547,758.07');
    expect(toDecimalString(5n, 'EUR')).toBe('0.05');
    expect(toDecimalString(-5n, 'EUR')).toBe('-0.05');
    expect(toDecimalString(700n, 'JPY')).toBe('700');
  });

  it('keeps every digit of every amount (no rounding through a float)', () => {
    fc.assert(
      fc.property(currency, amount, (code, minor) => {
        const digits = minorDigits(code);
        const text = toDecimalString(minor, code);
        expect(text.replace('.', '')).toBe(minor.toString().padStart(digits + 1, '0'));
        expect(formatMoney(minor, code).replace(/\D/g, '')).toBe(minor.toString().padStart(digits + 1, '0'));
      }),
    );
  });
});

describe('reading', () => {
  it.each([
    ['700', 'EUR', 70_000n],
    ['700.50', 'EUR', 70_050n],
    ['700.5', 'EUR', 70_050n],
    ['700,50', 'EUR', 70_050n],
    ['€700', 'EUR', 70_000n],
    ['€ 700.00', 'EUR', 70_000n],
    ['700 EUR', 'EUR', 70_000n],
    ['eur 12', 'EUR', 1_200n],
    ['700€', 'EUR', 70_000n],
    ['1,000', 'EUR', 100_000n],
    ['1,234.50', 'EUR', 123_450n],
    ['1.234,50 €', 'EUR', 123_450n],
    ['1 234,50', 'EUR', 123_450n],
    ['1.000.000', 'EUR', 100_000_000n],
    ['0', 'EUR', 0n],
    ['¥7,000', 'JPY', 7_000n],
    ['7000 JPY', 'JPY', 7_000n],
    ['BHD 1.500', 'BHD', 1_500n],
    ['$12.34', 'USD', 1_234n],
    ['A$12.34', 'AUD', 1_234n],
    ['CHF 1’234.50', 'CHF', 123_450n],
    ['92233720368547758.07', 'EUR', MAX_MONEY_MINOR],
  ])('"%s" in %s is %s minor units', (text, code, minor) => {
    expect(parseMoney(text, code)).toEqual({ ok: true, minor });
  });

  it.each([
    ['700.505', 'EUR', 'too_precise'],
    ['700.500', 'EUR', 'too_precise'],
    ['1.000', 'EUR', 'too_precise'],
    ['700.5', 'JPY', 'too_precise'],
    ['-5', 'EUR', 'negative'],
    ['−5', 'EUR', 'negative'],
    ['£5', 'EUR', 'other_currency'],
    ['5 USD', 'EUR', 'other_currency'],
    ['abc', 'EUR', 'unreadable'],
    ['', 'EUR', 'unreadable'],
    ['1,00,000', 'EUR', 'unreadable'],
    ['1.234.5', 'EUR', 'unreadable'],
    ['1,234,5', 'EUR', 'unreadable'],
    ['1e3', 'EUR', 'unreadable'],
    ['92233720368547758.08', 'EUR', 'too_large'],
  ])('"%s" in %s is refused (%s), with a sentence', (text, code, kind) => {
    const result = parseMoney(text, code);
    expect(result).toMatchObject({ ok: false, problem: { kind } });
    if (!result.ok) expect(creditWording.moneyProblem(result.problem, code, text)).toMatch(/\.$/);
  });

  it.each(CURRENCIES)('reads back %s as it formats it', (code) => {
    for (const minor of [0n, 1n, 99n, 100n, 123_456_789n, 2n ** 53n + 1n, MAX_MONEY_MINOR]) expect(parsed(formatMoney(minor, code), code)).toBe(minor);
  });

  it('reads back whatever it formats, in every currency', () => {
    fc.assert(
      fc.property(currency, amount, (code, minor) => {
        expect(parsed(formatMoney(minor, code), code)).toBe(minor);
        expect(parsed(toDecimalString(minor, code), code)).toBe(minor);
      }),
    );
  });

  it('reads whole and fraction digits into exact minor units, also far beyond 2^53', () => {
    fc.assert(
      fc.property(currency, fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.nat(), (code, whole, seed) => {
        const digits = minorDigits(code);
        const fraction = digits === 0 ? '' : (seed % 10 ** digits).toString().padStart(digits, '0');
        const text = fraction === '' ? whole.toString() : `${whole}.${fraction}`;
        const expected = whole * 10n ** BigInt(digits) + BigInt(fraction || '0');
        expect(parsed(text, code)).toBe(expected);
      }),
    );
  });

  it('takes amounts from the database and JSON only when whole and in range', () => {
    expect(toMinor('70000')).toBe(70_000n);
    expect(toMinor(70_000)).toBe(70_000n);
    expect(toMinor(70_000n)).toBe(70_000n);
    expect(toMinor(700.5)).toBeNull();
    expect(toMinor(2 ** 60)).toBeNull();
    expect(toMinor('9223372036854775808')).toBeNull();
    expect(toMinor('7e4')).toBeNull();
  });
});
