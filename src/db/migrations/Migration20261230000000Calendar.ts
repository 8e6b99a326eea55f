import { Migration } from '@mikro-orm/migrations';

/**
 * Calendars (issue 14): each booking's iCalendar SEQUENCE, raised by a trigger whenever its
 * times, status or location change (whoever writes it), and the unguessable key of its own
 * .ics link; the hashed secrets of the users' calendar feed URLs.
 */
export class Migration20261230000000Calendar extends Migration {
  override up(): void {
    this.addSql(`alter table "booking" add column "calendar_sequence" int not null default 0, add column "calendar_key" uuid not null default gen_random_uuid();`);
    this.addSql(`alter table "booking" add constraint "booking_calendar_key_unique" unique ("calendar_key");`);
    this.addSql(
      `create or replace function "booking_booking_calendar_sequence_fn"() returns trigger as $$ begin if new.start_time is distinct from old.start_time or new.end_time is distinct from old.end_time or new.status is distinct from old.status or new.location is distinct from old.location then new.calendar_sequence := greatest(new.calendar_sequence, old.calendar_sequence + 1); end if; return new; end; $$ language plpgsql;`,
    );
    this.addSql(`create trigger "booking_calendar_sequence" BEFORE UPDATE on "booking" for each ROW execute function "booking_booking_calendar_sequence_fn"();`);

    this.addSql(`create table "calendar_feed_token" ("id" serial primary key, "user_id" int not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null);`);
    this.addSql(`create index "calendar_feed_token_user_id_index" on "calendar_feed_token" ("user_id");`);
    this.addSql(`alter table "calendar_feed_token" add constraint "calendar_feed_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "calendar_feed_token" add constraint "calendar_feed_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "calendar_feed_token" cascade;`);
    this.addSql(`drop trigger if exists "booking_calendar_sequence" on "booking";`);
    this.addSql(`drop function if exists "booking_booking_calendar_sequence_fn"();`);
    this.addSql(`alter table "booking" drop constraint if exists "booking_calendar_key_unique";`);
    this.addSql(`alter table "booking" drop column if exists "calendar_key", drop column if exists "calendar_sequence";`);
  }
}
