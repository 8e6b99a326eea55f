/**
 * What a person reads in a calendar event or about their calendar feed (issue 14), in one
 * place: the event's title and description, and the sentences of the chat and CLI.
 */

/** What one booking's calendar event says: plain data, no ORM. */
export interface CalendarEventFacts {
  bookingId: number;
  bookingRequestId: number;
  seriesId: number | null;
  sessionType: string;
  durationMinutes: number;
  pricePerHour: number;
  totalCost: number;
  trainerName: string;
  clientName: string;
  location: string | null;
  locationType: string;
  status: string;
  cancellationReason: string | null;
}

const LOCATION_WORDS: Record<string, string> = { GYM: 'at the gym', HOME: 'at home', ONLINE: 'online' };

/** "Strength training with Anna Trainer" */
export function eventSummary(facts: Pick<CalendarEventFacts, 'sessionType' | 'trainerName'>): string {
  return `${facts.sessionType} with ${facts.trainerName}`;
}

/** Where, for LOCATION: the address the trainer gave, else the kind of place ("online"). */
export function eventLocation(facts: Pick<CalendarEventFacts, 'location' | 'locationType'>): string {
  return facts.location?.trim() || (LOCATION_WORDS[facts.locationType] ?? facts.locationType.toLowerCase());
}

/** The event's DESCRIPTION: the session's details, one per line. */
export function eventDescription(facts: CalendarEventFacts): string {
  return [
    `${eventSummary(facts)} for ${facts.clientName}`,
    `Session: ${facts.sessionType}, ${facts.durationMinutes} minutes`,
    `Price: ${facts.totalCost.toFixed(2)} (${facts.pricePerHour.toFixed(2)} per hour)`,
    `Where: ${eventLocation(facts)}`,
    ...(facts.status === 'CANCELLED' ? [`Cancelled${facts.cancellationReason ? `: ${facts.cancellationReason}` : ''}`] : []),
    `Booking #${facts.bookingId}, request #${facts.bookingRequestId}${facts.seriesId !== null ? `, weekly series #${facts.seriesId}` : ''}`,
  ].join('\n');
}

/** The feed's calendar name: "Training sessions (Anna Trainer)". */
export function feedName(userName: string): string {
  return `Training sessions (${userName})`;
}

export const calendarWording = {
  /** Shown once when a feed URL is issued. */
  feedIssued: (url: string): string =>
    `Your calendar feed: ${url}\nSubscribe to it in Google, Apple or Outlook Calendar. Keep it secret: anyone with it sees your sessions. It is shown only this once; a new one replaces it.`,
  feedRevoked: (count: number): string => (count > 0 ? 'Your calendar feed URL no longer works.' : 'You had no calendar feed URL.'),
  bookingLink: (url: string): string => `Add it to your calendar: ${url}`,
} as const;
