/** Public links to calendars, under PUBLIC_BASE_URL (e.g. https://booking.example.com). */

const trimmed = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

/** A user's secret feed URL: `<base>/calendar/<token>.ics`. */
export function calendarFeedUrl(baseUrl: string, token: string): string {
  return `${trimmed(baseUrl)}/calendar/${encodeURIComponent(token)}.ics`;
}

/** One booking's invite: `<base>/calendar/bookings/<calendar_key>.ics`. */
export function bookingCalendarUrl(baseUrl: string, calendarKey: string): string {
  return `${trimmed(baseUrl)}/calendar/bookings/${encodeURIComponent(calendarKey)}.ics`;
}

/** PUBLIC_BASE_URL, else the API's own address (http://API_HOST:API_PORT). */
export function publicBaseUrlOf(config: { PUBLIC_BASE_URL?: string | undefined; API_HOST?: string | undefined; API_PORT?: number | undefined }): string {
  if (config.PUBLIC_BASE_URL) return trimmed(config.PUBLIC_BASE_URL);
  const host = config.API_HOST ?? '127.0.0.1';
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.API_PORT ?? 8080}`;
}
