import { Migration } from '@mikro-orm/migrations';

const ACTIVE = `"status" in ('PENDING', 'CONFIRMED')`;

/**
 * Issue 11, the database's half of a trainer's booking policy:
 * - `trainer_policy`: one optional row per trainer (null field = the default in
 *   src/domain/policy/policy.ts), bounds checked here as in the rules.
 * - `booking.blocked_start`/`blocked_end`: the session widened by the trainer's buffers,
 *   filled by the trigger `booking_blocked_range` (see src/db/entities/booking.ts), and the
 *   exclusion constraint `booking_no_buffer_overlap` over them: each active session blocks
 *   its before-buffer ahead of it and its after-buffer behind it, and blocked ranges of one
 *   trainer never overlap, so a session ending at E and the next starting at S keep
 *   S - E >= after + before (buffers as they were when each row was written; a later policy
 *   change applies to bookings made or moved after it).
 * - `booking_client_no_overlap`: one client never holds two overlapping active bookings,
 *   even with two trainers.
 * - the new statuses LATE_CANCELLED (booking) and WITHDRAWN (request).
 */
export class Migration20261201000000TrainerPolicy extends Migration {
  override up(): void {
    this.addSql(`create table "trainer_policy" ("trainer_id" int not null, "min_notice_minutes" int null, "horizon_days" int null, "buffer_before_minutes" int null, "buffer_after_minutes" int null, "cancel_cutoff_minutes" int null, "max_pending_per_client" int null, "max_pending_per_pair" int null, "max_upcoming_bookings" int null, "approval_mode" text null, "updated_at" timestamptz not null, primary key ("trainer_id"));`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_min_notice_minutes_bounds" check (min_notice_minutes >= 0 and min_notice_minutes <= 43200);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_horizon_days_bounds" check (horizon_days >= 1 and horizon_days <= 730);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_buffer_before_minutes_bounds" check (buffer_before_minutes >= 0 and buffer_before_minutes <= 240);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_buffer_after_minutes_bounds" check (buffer_after_minutes >= 0 and buffer_after_minutes <= 240);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_cancel_cutoff_minutes_bounds" check (cancel_cutoff_minutes >= 0 and cancel_cutoff_minutes <= 20160);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_max_pending_per_client_bounds" check (max_pending_per_client >= 1 and max_pending_per_client <= 50);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_max_pending_per_pair_bounds" check (max_pending_per_pair >= 1 and max_pending_per_pair <= 20);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_max_upcoming_bookings_bounds" check (max_upcoming_bookings >= 1 and max_upcoming_bookings <= 200);`);
    this.addSql(`alter table "trainer_policy" add constraint "trainer_policy_approval_mode_check" check ("approval_mode" in ('MANUAL', 'AUTO_DIRECT'));`);

    // New statuses.
    this.addSql(`alter table "booking_request" drop constraint "booking_request_status_check";`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'));`);
    this.addSql(`alter table "booking" drop constraint "booking_status_check";`);
    this.addSql(`alter table "booking" add constraint "booking_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW', 'LATE_CANCELLED'));`);

    // Blocked ranges: existing rows had no policy, hence no buffers.
    this.addSql(`alter table "booking" add "blocked_start" timestamptz null, add "blocked_end" timestamptz null;`);
    this.addSql(`update "booking" set "blocked_start" = "start_time", "blocked_end" = "end_time";`);
    this.addSql(`alter table "booking" alter column "blocked_start" set not null, alter column "blocked_end" set not null;`);
    this.addSql(`alter table "booking" add constraint "booking_blocked_covers_session" check (blocked_start <= start_time and blocked_end >= end_time);`);
    this.addSql(`create or replace function "booking_booking_blocked_range_fn"() returns trigger as $$ begin if tg_op = 'INSERT' or new.start_time is distinct from old.start_time or new.end_time is distinct from old.end_time or new.trainer_id is distinct from old.trainer_id then new.blocked_start := new.start_time - make_interval(mins => coalesce((select tp.buffer_before_minutes from trainer_policy tp where tp.trainer_id = new.trainer_id), 0)); new.blocked_end := new.end_time + make_interval(mins => coalesce((select tp.buffer_after_minutes from trainer_policy tp where tp.trainer_id = new.trainer_id), 0)); else new.blocked_start := old.blocked_start; new.blocked_end := old.blocked_end; end if; return new; end; $$ language plpgsql;`);
    this.addSql(`create trigger "booking_blocked_range" BEFORE INSERT OR UPDATE on "booking" for each ROW execute function "booking_booking_blocked_range_fn"();`);

    // An installation whose data already breaks the client rule stops here with the rows to fix.
    this.addSql(`do $$ declare clash text; begin
      select string_agg(a.id || '/' || b.id, ', ') into clash from "booking" a join "booking" b on a.client_id = b.client_id and a.id < b.id
        where a.${ACTIVE} and b.${ACTIVE} and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time);
      if clash is not null then raise exception 'Active bookings of one client overlap (booking ids %); cancel one of each pair, then migrate again.', clash; end if;
    end $$;`);
    this.addSql(`alter table "booking" add constraint "booking_no_buffer_overlap" exclude using gist ("trainer_id" with =, tstzrange("blocked_start", "blocked_end") with &&) where (${ACTIVE});`);
    this.addSql(`alter table "booking" add constraint "booking_client_no_overlap" exclude using gist ("client_id" with =, tstzrange("start_time", "end_time") with &&) where (${ACTIVE});`);
  }

  override down(): void {
    this.addSql(`alter table "booking" drop constraint if exists "booking_client_no_overlap";`);
    this.addSql(`alter table "booking" drop constraint if exists "booking_no_buffer_overlap";`);
    this.addSql(`drop trigger if exists "booking_blocked_range" on "booking";`);
    this.addSql(`drop function if exists "booking_booking_blocked_range_fn"();`);
    this.addSql(`alter table "booking" drop constraint if exists "booking_blocked_covers_session";`);
    this.addSql(`alter table "booking" drop column "blocked_start", drop column "blocked_end";`);
    this.addSql(`alter table "booking" drop constraint "booking_status_check";`);
    this.addSql(`alter table "booking" add constraint "booking_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'));`);
    this.addSql(`alter table "booking_request" drop constraint "booking_request_status_check";`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'));`);
    this.addSql(`drop table if exists "trainer_policy" cascade;`);
  }
}
