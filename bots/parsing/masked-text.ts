/**
 * Free text being read piece by piece: each rule takes the words it understands and blanks
 * them out (same length, so positions stay put), so a later rule — and chrono-node, last —
 * never reads them a second time. "90 min" becomes a duration, not "in 90 minutes".
 */
export class MaskedText {
  /** Lower-cased, dashes unified; same length as the original. */
  private text: string;

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
    for (const [start, end] of accepted) this.blank(start, end);
  }

  blank(start: number, end: number): void {
    this.text = this.text.slice(0, start) + ' '.repeat(end - start) + this.text.slice(end);
  }

  /** The clause (between commas, semicolons or line breaks) around a position. */
  clauseAround(index: number): { start: number; text: string } {
    const before = Math.max(this.original.lastIndexOf(',', index - 1), this.original.lastIndexOf(';', index - 1), this.original.lastIndexOf('\n', index - 1));
    const afterCandidates = [',', ';', '\n'].map((c) => this.original.indexOf(c, index)).filter((i) => i >= 0);
    const end = afterCandidates.length > 0 ? Math.min(...afterCandidates) : this.original.length;
    const start = before + 1;
    return { start, text: this.original.slice(start, end).toLowerCase() };
  }

  /** What is left, with the blanks squeezed, for a last look. */
  leftover(): string {
    return this.text.replace(/\s+/g, ' ').trim();
  }
}
