/** What relative words ("tomorrow", "next week") are read against. */
export interface ParseContext {
  /** The moment the person wrote; tests fix it. */
  now: Date;
  /** The person's IANA zone (their own, else their trainer's): whose "tomorrow" it is. */
  timeZone: string;
}
