/** A clause of the original text: between commas, semicolons or line breaks. */
export interface Clause {
  start: number;
  end: number;
  /** The clause, lower-cased. */
  text: string;
}

const isClauseBreak = (char: string): boolean => char === ',' || char === ';' || char === '\n';

/**
 * Free text being read piece by piece: each rule takes the words it understands and blanks
 * them out (same length, so positions stay put), so a later rule — and chrono-node, last —
 * never reads them a second time. "90 min" becomes a duration, not "in 90 minutes".
 *
 * Every operation is linear in the length of the text (or better), however many matches a
 * rule finds: blanks are applied in one pass per rule, and clauses are looked up in an
 * index built once.
 */
export class MaskedText {
  /** Lower-cased, dashes unified; same length as the original. */
  private text: string;
  /** Positions of the clause breaks in the original, ascending; built on first use. */
  private breaks?: number[];
  private readonly clauses = new Map<string, Clause>();

  constructor(readonly original: string) {
    // Same-length rewrites only: "noon" reads as 12pm and "midday" as 12pm plus blanks.
    this.text = original
      .toLowerCase()
      .replace(/[–—−]/g, '-')
      .replace(/[’‘]/g, "'")
      .replace(/\bnoon\b/g, '12pm')
      .replace(/\bmidday\b/g, '12pm  ');
  }

  get current(): string {
    return this.text;
  }

  /**
   * Calls `use` for every match of `pattern` (which must be global) in what is left; a match
   * it accepts (returns true) is blanked out.
   */
  take(pattern: RegExp, use: (match: RegExpExecArray) => boolean): void {
    if (!pattern.global) throw new Error(`pattern ${pattern} must be global`);
    const accepted: [number, number][] = [];
    for (const match of this.text.matchAll(pattern)) {
      if (use(match)) accepted.push([match.index, match.index + match[0].length]);
    }
    this.blankAll(accepted);
  }

  blank(start: number, end: number): void {
    this.blankAll([[start, end]]);
  }

  /** Blanks every [start, end) span at once: one pass over the text, not one per span. */
  blankAll(spans: readonly (readonly [number, number])[]): void {
    if (spans.length === 0) return;
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    const parts: string[] = [];
    let at = 0;
    for (const [spanStart, spanEnd] of sorted) {
      const start = Math.max(at, Math.min(spanStart, this.text.length));
      const end = Math.min(Math.max(spanEnd, start), this.text.length);
      if (end <= start) continue;
      parts.push(this.text.slice(at, start), ' '.repeat(end - start));
      at = end;
    }
    parts.push(this.text.slice(at));
    this.text = parts.join('');
  }

  /** The clause (between commas, semicolons or line breaks) around a position. */
  clauseAround(index: number): Clause {
    const breaks = (this.breaks ??= breakPositions(this.original));
    // The last break at or before index - 1 (a position below 0 reads as 0, as lastIndexOf does).
    const before = lastAtOrBefore(breaks, Math.max(index - 1, 0));
    const after = firstAtOrAfter(breaks, index);
    const start = before + 1;
    const end = after ?? this.original.length;
    const key = `${start}:${end}`;
    let clause = this.clauses.get(key);
    if (!clause) {
      clause = { start, end, text: this.original.slice(start, end).toLowerCase() };
      this.clauses.set(key, clause);
    }
    return clause;
  }

  /** What is left, with the blanks squeezed, for a last look. */
  leftover(): string {
    return this.text.replace(/\s+/g, ' ').trim();
  }
}

function breakPositions(text: string): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) if (isClauseBreak(text[i]!)) positions.push(i);
  return positions;
}

/** The largest element ≤ limit, or -1. */
function lastAtOrBefore(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! <= limit) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? sorted[low - 1]! : -1;
}

/** The smallest element ≥ limit, if any. */
function firstAtOrAfter(sorted: readonly number[], limit: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < limit) low = mid + 1;
    else high = mid;
  }
  return sorted[low];
}
