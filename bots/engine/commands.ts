/** Things a person can ask for at any time, whatever the dialogue is doing. */
export type Command =
  | { kind: 'help' }
  | { kind: 'book'; rest: string }
  | { kind: 'list' }
  | { kind: 'stop' }
  | { kind: 'cancel-booking'; bookingId: number }
  | { kind: 'reschedule'; bookingId?: number }
  | { kind: 'publish'; rest: string }
  | { kind: 'time-zone'; zone: string }
  | { kind: 'link'; code: string }
  | { kind: 'policy' }
  | { kind: 'time-off'; rest: string }
  /** "my credits" (`mine`), or "credits" / "balance": a client's packs; a trainer's clients running low. */
  | { kind: 'credits'; mine: boolean }
  | { kind: 'client-credits'; client: string }
  | { kind: 'sell'; client: string }
  | { kind: 'packs' }
  | { kind: 'new-pack' }
  | { kind: 'low-credits' }
  /** "calendar": a new secret feed URL (the old one stops working); "revoke calendar": none. */
  | { kind: 'calendar'; revoke: boolean };

const RULES: [RegExp, (m: RegExpExecArray) => Command][] = [
  [/^\/?(?:help|\?|menu|start|hi|hello|hey)[.!]*$/i, () => ({ kind: 'help' })],
  [/^\/?(?:book|new booking|start over|restart|book a session)\b[\s,:]*(.*)$/is, (m) => ({ kind: 'book', rest: m[1] ?? '' })],
  [/^\/?(?:my bookings|bookings|list|my requests|requests|upcoming|schedule)[.!]*$/i, () => ({ kind: 'list' })],
  [/^\/?(?:cancel|stop|quit|abort|never ?mind|forget it)[.!]*$/i, () => ({ kind: 'stop' })],
  [/^\/?cancel\s+(?:booking\s+)?#?(\d{1,10})$/i, (m) => ({ kind: 'cancel-booking', bookingId: Number(m[1]) })],
  [/^\/?(?:reschedule|move)(?:\s+(?:booking\s+)?#?(\d{1,10}))?$/i, (m) => (m[1] ? { kind: 'reschedule', bookingId: Number(m[1]) } : { kind: 'reschedule' })],
  // Not "available dates only": a client's answer about a series with taken dates.
  [/^\/?(?:publish|availability|available)\b(?!\s+(?:dates?|days?|sessions?|ones?|weeks?)\s+only\b)[\s,:]*(.*)$/is, (m) => ({ kind: 'publish', rest: m[1] ?? '' })],
  [/^\/?(?:time ?zone|tz)\s+([\w/+-]+)$/i, (m) => ({ kind: 'time-zone', zone: m[1]! })],
  [/^\/?link\s+([a-z0-9-]{4,20})$/i, (m) => ({ kind: 'link', code: m[1]! })],
  [/^\/?(?:policy|settings|my rules|rules|booking rules)[.!]*$/i, () => ({ kind: 'policy' })],
  // Packs and credits (issue 13).
  [/^\/?(?:my (?:credits?|balance|session packs)|credits? left)[.!?]*$/i, () => ({ kind: 'credits', mine: true })],
  [/^\/?(?:credits?|balances?)[.!?]*$/i, () => ({ kind: 'credits', mine: false })],
  [/^\/?(?:credits?|balances?|packs?)\s+(?:for|of)\s+(.{1,100})$/i, (m) => ({ kind: 'client-credits', client: m[1]!.trim().replace(/[.!?]+$/, '') })],
  [/^\/?(?:sell(?:\s+an?)?\s+pack|record(?:\s+an?)?\s+payment|new payment)(?:\s+(?:to|from|for)\s+(.{1,100}))?[.!]*$/i, (m) => ({ kind: 'sell', client: (m[1] ?? '').trim() })],
  [/^\/?(?:new|create|add)(?:\s+an?)?\s+(?:pack|package)(?:\s+type)?[.!]*$/i, () => ({ kind: 'new-pack' })],
  [/^\/?(?:packs|my packs|packages|my packages|package types|pack types)[.!?]*$/i, () => ({ kind: 'packs' })],
  [/^\/?(?:low credits?|low balances?|expiring(?: credits| packs)?|who is low)[.!?]*$/i, () => ({ kind: 'low-credits' })],
  // Calendars (issue 14).
  [/^\/?(?:my )?calendar(?: feed| link| url)?[.!?]*$/i, () => ({ kind: 'calendar', revoke: false })],
  [/^\/?(?:revoke|stop|end|delete|remove) (?:my )?calendar(?: feed| link| url)?[.!?]*$/i, () => ({ kind: 'calendar', revoke: true })],
  [/^\/?(?:block|time ?off|day ?off|days ?off|remove slots?|unpublish)\b[\s,:]*(.*)$/is, (m) => ({ kind: 'time-off', rest: m[1] ?? '' })],
];

export function commandOf(text: string): Command | undefined {
  const trimmed = text.trim();
  for (const [pattern, make] of RULES) {
    const match = pattern.exec(trimmed);
    if (match) return make(match);
  }
  return undefined;
}
