// Reads a generated calendar with ical.js, an iCalendar parser independent of the one that wrote it.
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  /** The DTSTART as written (…Z: a UTC instant). */
  startText: string;
  summary: string;
  description: string;
  location: string;
  status: string;
  organizer: string | null;
  attendees: string[];
}

export interface ParsedCalendar {
  method: string | null;
  name: string | null;
  events: ParsedEvent[];
}

/** A cal-address with its URI scheme in lower case (schemes are case-insensitive: "MAILTO:" is "mailto:"). */
const address = (value: unknown): string => String(value).replace(/^mailto:/i, 'mailto:');

export function parseIcs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const events = calendar.getAllSubcomponents('vevent').map((vevent): ParsedEvent => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      startText: event.startDate.toString(),
      summary: event.summary,
      description: event.description,
      location: event.location,
      status: String(vevent.getFirstPropertyValue('status')),
      organizer: vevent.hasProperty('organizer') ? address(vevent.getFirstPropertyValue('organizer')) : null,
      attendees: vevent.getAllProperties('attendee').map((p) => address(p.getFirstValue())),
    };
  });
  const text_ = (name: string): string | null => (calendar.getFirstPropertyValue(name) as string | null) ?? null;
  return { method: text_('method'), name: text_('x-wr-calname'), events };
}
