import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 12, series requests: `booking_request.recurrence` holds how a series request
 * repeats (interval, weekdays, count or until, conflict mode; `SeriesRecurrence`), null for
 * a single booking. The series' occurrences, once confirmed, are `booking` rows of a
 * `booking_series` (Migration20261210000000BookingSeries).
 */
export class Migration20261211000000SeriesRequests extends Migration {
  override up(): void {
    this.addSql(`alter table "booking_request" add "recurrence" jsonb null;`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_recurrence_object" check ("recurrence" is null or jsonb_typeof("recurrence") = 'object');`);
  }

  override down(): void {
    this.addSql(`alter table "booking_request" drop constraint if exists "booking_request_recurrence_object";`);
    this.addSql(`alter table "booking_request" drop column "recurrence";`);
  }
}
