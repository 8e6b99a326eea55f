export { bookingEvent, bookingUid, buildCalendar, calendarContentType, type BuildCalendarOptions, type CalendarBooking, type CalendarMethod } from './calendar';
export { FEED_DAYS_BACK, loadCalendarBookingByKey, loadCalendarBookings, loadFeedBookings } from './load';
export { hashFeedToken, issueFeedToken, resolveFeedToken, revokeFeedTokens, type IssuedFeedToken } from './feed-tokens';
export { bookingCalendarUrl, calendarFeedUrl, publicBaseUrlOf } from './links';
export { bookingCalendarLink, issueCalendarFeedUrl, revokeCalendarFeedUrl } from './chat-links';
