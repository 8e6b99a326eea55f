import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 12, recurring weekly sessions:
 * - `booking_series`: one row per confirmed series (one per request), with its RFC 5545
 *   rule, zone, duration, how many occurrences were asked for, conflict mode and status.
 * - `booking.series_id`: the occurrences are ordinary bookings naming their series, at most
 *   one per start (`booking_series_id_start_time_unique`).
 * - One booking per request still holds for single bookings; the occurrences of a series
 *   share their request, so the unique key on `booking_request_id` becomes a partial unique
 *   index over the bookings outside a series (`booking_request_single_booking`), and a plain
 *   index keeps "the bookings of this request" a lookup.
 */
export class Migration20261210000000BookingSeries extends Migration {
  override up(): void {
    this.addSql(`create table "booking_series" ("id" serial primary key, "client_id" int not null, "trainer_id" int not null, "booking_request_id" int not null, "rrule" text not null, "time_zone" varchar(255) not null, "duration_minutes" int not null, "occurrence_count" int not null, "conflict_mode" text not null default 'ALL_OR_NOTHING', "status" text not null default 'CONFIRMED', "created_at" timestamptz not null);`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_booking_request_id_unique" unique ("booking_request_id");`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_conflict_mode_check" check ("conflict_mode" in ('ALL_OR_NOTHING', 'AVAILABLE_ONLY'));`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_status_check" check ("status" in ('CONFIRMED', 'PARTIAL', 'CANCELLED'));`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_positive_duration" check (duration_minutes > 0);`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_occurrence_count_bounds" check (occurrence_count >= 1 and occurrence_count <= 52);`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "booking_series" add constraint "booking_series_booking_request_id_foreign" foreign key ("booking_request_id") references "booking_request" ("id");`);

    this.addSql(`alter table "booking" add "series_id" int null;`);
    this.addSql(`alter table "booking" add constraint "booking_series_id_foreign" foreign key ("series_id") references "booking_series" ("id") on delete set null;`);
    this.addSql(`alter table "booking" add constraint "booking_series_id_start_time_unique" unique ("series_id", "start_time");`);

    this.addSql(`alter table "booking" drop constraint "booking_booking_request_id_unique";`);
    this.addSql(`create index "booking_booking_request_id_index" on "booking" ("booking_request_id");`);
    this.addSql(`create unique index "booking_request_single_booking" on "booking" ("booking_request_id") where "series_id" is null;`);
  }

  override down(): void {
    this.addSql(`do $$ begin if exists (select 1 from "booking" where "series_id" is not null) then raise exception 'Series occurrences exist: cancel and delete them before migrating down.'; end if; end $$;`);
    this.addSql(`drop index if exists "booking_request_single_booking";`);
    this.addSql(`drop index if exists "booking_booking_request_id_index";`);
    this.addSql(`alter table "booking" add constraint "booking_booking_request_id_unique" unique ("booking_request_id");`);
    this.addSql(`alter table "booking" drop constraint if exists "booking_series_id_start_time_unique";`);
    this.addSql(`alter table "booking" drop column "series_id";`);
    this.addSql(`drop table if exists "booking_series" cascade;`);
  }
}
