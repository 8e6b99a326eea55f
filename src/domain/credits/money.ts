/**
 * Money as integer minor units (`bigint`) of an ISO 4217 currency: cents for EUR, yen for
 * JPY, fils for BHD. Never floating point: text is read digit by digit into a bigint, and
 * formatted by Intl from an exact decimal string. Which currencies exist and how many minor
 * digits each has come from Intl (the ICU data of the runtime), not from a table of ours.
 */

/** The largest amount the database stores (PostgreSQL bigint). */
export const MAX_MONEY_MINOR = 9_223_372_036_854_775_807n;

let supported: ReadonlySet<string> | undefined;
const supportedCurrencies = (): ReadonlySet<string> => (supported ??= new Set(Intl.supportedValuesOf('currency')));

/** True for an upper-case ISO 4217 code the runtime knows ("EUR"; not "eur", not "EURO"). */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supportedCurrencies().has(code);
}

/** The ISO code for what a person or program wrote (" eur " → "EUR"), or null when it is not one. */
export function normalizeCurrency(code: string): string | null {
  const upper = code.trim().toUpperCase();
  return isCurrency(upper) ? upper : null;
}

const digitsCache = new Map<string, number>();

/** How many minor digits the currency has: 2 for EUR, 0 for JPY, 3 for BHD. */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

const TEN = 10n;
const scale = (currency: string): bigint => TEN ** BigInt(minorDigits(currency));

/** Minor units as an exact decimal string in the currency's digits: 70000n EUR → "700.00", 700n JPY → "700", -5n EUR → "-0.05". */
export function toDecimalString(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const magnitude = negative ? -minor : minor;
  const whole = (magnitude / scale(currency)).toString();
  const fraction = digits === 0 ? '' : `.${(magnitude % scale(currency)).toString().padStart(digits, '0')}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** An amount for people, by Intl: 70000n EUR → "€700.00", 700n JPY → "¥700", 1234500n BHD → "BHD 1,234.500". */
export function formatMoney(minor: bigint, currency: string, locale = 'en'): string {
  const digits = minorDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(toDecimalString(minor, currency) as Intl.StringNumericLiteral);
}

/** Why a text is not an amount of the currency (worded by `creditWording.moneyProblem`). */
export type MoneyProblem =
  | { kind: 'unreadable' }
  | { kind: 'negative' }
  | { kind: 'too_precise'; digits: number }
  | { kind: 'other_currency'; written: string }
  | { kind: 'too_large' };

export type MoneyParse = { ok: true; minor: bigint } | { ok: false; problem: MoneyProblem };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** NFKC (full-width digits, no-break spaces) with every run of spaces as one space. */
const normalizeSpaces = (text: string): string => text.normalize('NFKC').replace(/\s+/gu, ' ').trim();

/** What may stand for the currency around a number: its code and its English symbols ("€", "$" and "US$" for USD, "A$" and "$" for AUD). */
function markersOf(currency: string): string[] {
  const symbol = (display: 'symbol' | 'narrowSymbol'): string | undefined =>
    new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: display }).formatToParts(1).find((part) => part.type === 'currency')?.value;
  const markers = new Set(
    [currency, symbol('symbol'), symbol('narrowSymbol')].filter((marker): marker is string => marker !== undefined && marker.length > 0).map(normalizeSpaces),
  );
  // Longest first: "US$" before "$".
  return [...markers].sort((a, b) => b.length - a.length);
}

/** The text without one marker of the currency before or after the number; null when a marker of another currency is there. */
function withoutMarker(text: string, currency: string): { rest: string } | { other: string } {
  for (const marker of markersOf(currency)) {
    const pattern = escapeRegExp(marker);
    const before = new RegExp(`^${pattern}\\s*`, 'iu');
    const after = new RegExp(`\\s*${pattern}$`, 'iu');
    if (before.test(text)) return { rest: text.replace(before, '') };
    if (after.test(text)) return { rest: text.replace(after, '') };
  }
  const code = /^([A-Za-z]{3})\s*(?=[-−\d])|(?<=\d)\s*([A-Za-z]{3})$/u.exec(text);
  const written = code?.[1] ?? code?.[2];
  if (written && isCurrency(written.toUpperCase())) return { other: written.toUpperCase() };
  const symbol = /\p{Sc}/u.exec(text);
  if (symbol) return { other: symbol[0] };
  return { rest: text };
}

const GROUPED_WHOLE = /^(\d{1,3})((?:[ ,.'’]\d{3})+)$/u;

/**
 * Whole and fraction digits of a plain number text, or null when the separators make no
 * sense. With both "." and ",", the last one is the decimal separator ("1,234.50",
 * "1.234,50"). With one of them once, it is the decimal separator, except a comma before
 * exactly three digits, which groups thousands as English writes it ("1,000"). Several of
 * one kind, spaces and apostrophes group thousands, in groups of three.
 */
function splitNumber(text: string): { whole: string; fraction: string } | null {
  if (!/^\d[\d ,.'’]*$/u.test(text) || !/\d$/u.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) decimalAt = Math.max(lastDot, lastComma);
  else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    const once = text.indexOf(separator) === at;
    const thousands = separator === ',' && text.length - at - 1 === 3;
    if (once && !thousands) decimalAt = at;
  }
  const wholeText = decimalAt >= 0 ? text.slice(0, decimalAt) : text;
  const fraction = decimalAt >= 0 ? text.slice(decimalAt + 1) : '';
  if (!/^\d*$/u.test(fraction)) return null;
  if (/^\d+$/u.test(wholeText)) return { whole: wholeText, fraction };
  const grouped = GROUPED_WHOLE.exec(wholeText);
  if (!grouped) return null;
  const separators = new Set(grouped[2]!.replace(/\d/gu, ''));
  if (separators.size !== 1 || (decimalAt >= 0 && separators.has(text[decimalAt]!))) return null;
  return { whole: wholeText.replace(/\D/gu, ''), fraction };
}

/**
 * Reads an amount of `currency` as people write it: "700", "700.50", "700,50", "€700",
 * "700 EUR", "eur 1,234.50", "1.234,50 €", "1 234,50", "¥7,000". A lone comma before exactly
 * three digits groups thousands ("1,000" is a thousand); a dot is a decimal point unless it
 * groups ("1.000.000", "1.234,50"). More decimals than the currency has are refused, even
 * zeros ("1.000" EUR may mean a thousand: the reader is asked, not guessed for), as are
 * negative amounts, another currency's code or symbol, and anything above the database's
 * bigint.
 */
export function parseMoney(text: string, currency: string): MoneyParse {
  const normalized = normalizeSpaces(text);
  const marked = withoutMarker(normalized, currency);
  if ('other' in marked) return { ok: false, problem: { kind: 'other_currency', written: marked.other } };
  const rest = marked.rest.trim();
  if (/^[-−]/u.test(rest)) return { ok: false, problem: { kind: 'negative' } };
  const parts = splitNumber(rest);
  if (!parts) return { ok: false, problem: { kind: 'unreadable' } };
  const digits = minorDigits(currency);
  if (parts.fraction.length > digits) return { ok: false, problem: { kind: 'too_precise', digits } };
  const minor = BigInt(parts.whole) * scale(currency) + BigInt(parts.fraction.padEnd(digits, '0') || '0');
  if (minor > MAX_MONEY_MINOR) return { ok: false, problem: { kind: 'too_large' } };
  return { ok: true, minor };
}

/** Minor units from what the database or a JSON body holds ("70000", 70000, 70000n); null when it is not a whole number in range. */
export function toMinor(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value >= -MAX_MONEY_MINOR && value <= MAX_MONEY_MINOR ? value : null;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && /^-?\d{1,19}$/u.test(value)) return toMinor(BigInt(value));
  return null;
}
