import { Migration } from '@mikro-orm/migrations';

/** The whole domain model, with the constraints that make a double booking impossible. */
export class Migration20261124000000InitialSchema extends Migration {
  override up(): void {
    this.addSql(`create table "conversation" ("id" serial primary key, "platform" text not null, "workspace_id" varchar(255) not null default '', "external_user_id" varchar(255) not null, "state" jsonb not null, "version" int not null default 1, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "conversation" add constraint "conversation_platform_workspace_id_external_user_id_unique" unique ("platform", "workspace_id", "external_user_id");`);
    this.addSql(`alter table "conversation" add constraint "conversation_platform_check" check ("platform" in ('slack', 'discord', 'terminal'));`);
    this.addSql(`create table "app_user" ("id" serial primary key, "email" varchar(255) null, "username" varchar(255) not null, "full_name" varchar(255) not null, "role" text not null default 'CLIENT', "time_zone" varchar(255) null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);
    this.addSql(`alter table "app_user" add constraint "app_user_role_check" check ("role" in ('CLIENT', 'TRAINER', 'ADMIN'));`);
    this.addSql(`create table "trainer" ("id" serial primary key, "user_id" int not null, "specialty" varchar(255) not null default '', "rating" numeric(3,2) not null default 0, "price_per_hour" numeric(10,2) not null, "training_types" jsonb not null default '[]', "gym_name" varchar(255) null, "gym_address" varchar(255) null, "time_zone" varchar(255) not null default 'UTC', "created_at" timestamptz not null);`);
    this.addSql(`alter table "trainer" add constraint "trainer_user_id_unique" unique ("user_id");`);
    this.addSql(`create table "chat_identity" ("id" serial primary key, "user_id" int not null, "platform" text not null, "workspace_id" varchar(255) not null default '', "external_user_id" varchar(255) not null, "direct_channel_id" varchar(255) null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "chat_identity" add constraint "chat_identity_platform_workspace_id_external_user_id_unique" unique ("platform", "workspace_id", "external_user_id");`);
    this.addSql(`alter table "chat_identity" add constraint "chat_identity_platform_check" check ("platform" in ('slack', 'discord', 'terminal'));`);
    this.addSql(`create table "booking_request" ("id" serial primary key, "client_id" int not null, "trainer_id" int not null, "session_type" varchar(255) not null, "duration_minutes" int not null, "location" varchar(255) null, "location_type" text not null default 'GYM', "special_requests" text null, "start_time" timestamptz null, "end_time" timestamptz null, "preferred_start_date" date null, "preferred_end_date" date null, "preferred_times" jsonb not null default '[]', "avoid_times" jsonb not null default '[]', "allow_weekends" boolean not null default false, "allow_evenings" boolean not null default false, "time_zone" varchar(255) not null default 'UTC', "status" text not null default 'PENDING', "expires_at" timestamptz not null, "confirmed_date" timestamptz null, "rejection_reason" text null, "notes" text null, "workflow_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_workflow_id_unique" unique ("workflow_id");`);
    this.addSql(`create index "booking_request_trainer_id_status_index" on "booking_request" ("trainer_id", "status");`);
    this.addSql(`create index "booking_request_client_id_status_index" on "booking_request" ("client_id", "status");`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_location_type_check" check ("location_type" in ('GYM', 'HOME', 'ONLINE'));`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_status_check" check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'));`);
    this.addSql(`create table "booking" ("id" serial primary key, "booking_request_id" int not null, "client_id" int not null, "trainer_id" int not null, "session_type" varchar(255) not null, "duration_minutes" int not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "price_per_hour" numeric(10,2) not null, "total_cost" numeric(10,2) not null, "location" varchar(255) null, "location_type" text not null default 'GYM', "status" text not null default 'CONFIRMED', "is_recurring" boolean not null default false, "recurring_pattern" varchar(255) null, "notes" text null, "cancellation_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`alter table "booking" add constraint "booking_booking_request_id_unique" unique ("booking_request_id");`);
    this.addSql(`alter table "booking" add constraint "booking_location_type_check" check ("location_type" in ('GYM', 'HOME', 'ONLINE'));`);
    this.addSql(`alter table "booking" add constraint "booking_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'));`);
    this.addSql(`create table "time_slot" ("id" serial primary key, "trainer_id" int not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "duration_minutes" int not null, "is_available" boolean not null default true, "is_booked" boolean not null default false, "booking_id" int null, "locked_until" timestamptz null, "lock_owner" varchar(255) null);`);
    this.addSql(`create index "time_slot_booking_id_index" on "time_slot" ("booking_id");`);
    this.addSql(`alter table "time_slot" add constraint "time_slot_trainer_id_start_time_unique" unique ("trainer_id", "start_time");`);
    this.addSql(`create table "training_session" ("id" serial primary key, "booking_id" int not null, "client_id" int not null, "trainer_id" int not null, "title" varchar(255) not null, "session_type" varchar(255) not null, "scheduled_date" timestamptz not null, "duration_minutes" int not null, "location" varchar(255) null, "status" text not null default 'CONFIRMED', "actual_start_time" timestamptz null, "actual_end_time" timestamptz null, "client_rating" int null, "trainer_rating" int null, "trainer_notes" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "training_session_booking_id_index" on "training_session" ("booking_id");`);
    this.addSql(`alter table "training_session" add constraint "training_session_client_rating_check" check (client_rating between 1 and 5);`);
    this.addSql(`alter table "training_session" add constraint "training_session_trainer_rating_check" check (trainer_rating between 1 and 5);`);
    this.addSql(`alter table "training_session" add constraint "training_session_status_check" check ("status" in ('PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED', 'NO_SHOW'));`);
    this.addSql(`alter table "trainer" add constraint "trainer_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`);
    this.addSql(`alter table "chat_identity" add constraint "chat_identity_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "booking" add constraint "booking_booking_request_id_foreign" foreign key ("booking_request_id") references "booking_request" ("id");`);
    this.addSql(`alter table "booking" add constraint "booking_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "booking" add constraint "booking_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "time_slot" add constraint "time_slot_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id") on delete cascade;`);
    this.addSql(`alter table "time_slot" add constraint "time_slot_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on delete set null;`);
    this.addSql(`alter table "training_session" add constraint "training_session_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on delete cascade;`);
    this.addSql(`alter table "training_session" add constraint "training_session_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "training_session" add constraint "training_session_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);

    // What the database itself guarantees, beyond what entity metadata can say.
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`alter table "time_slot" add constraint "time_slot_positive_span" check ("end_time" > "start_time" and "duration_minutes" > 0);`);
    // A booked slot always names its booking, and a free one names none.
    this.addSql(`alter table "time_slot" add constraint "time_slot_booked_has_booking" check ("is_booked" = ("booking_id" is not null));`);
    this.addSql(`alter table "time_slot" add constraint "time_slot_hold_has_owner" check (("locked_until" is null) = ("lock_owner" is null));`);
    // A trainer's published slots never overlap one another.
    this.addSql(`alter table "time_slot" add constraint "time_slot_no_overlap" exclude using gist ("trainer_id" with =, tstzrange("start_time", "end_time") with &&);`);
    this.addSql(`alter table "booking" add constraint "booking_positive_span" check ("end_time" > "start_time" and "duration_minutes" > 0);`);
    // No double booking, ever: two active bookings of one trainer may not overlap in time.
    this.addSql(`alter table "booking" add constraint "booking_no_overlap" exclude using gist ("trainer_id" with =, tstzrange("start_time", "end_time") with &&) where ("status" in ('PENDING', 'CONFIRMED'));`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_positive_duration" check ("duration_minutes" > 0);`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_direct_span" check ("start_time" is null or "end_time" > "start_time");`);
    this.addSql(`alter table "booking_request" add constraint "booking_request_preferred_range" check ("preferred_start_date" is null or "preferred_end_date" >= "preferred_start_date");`);
    this.addSql(`create index "time_slot_lock_owner_index" on "time_slot" ("lock_owner") where "lock_owner" is not null;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "training_session" cascade;`);
    this.addSql(`drop table if exists "time_slot" cascade;`);
    this.addSql(`drop table if exists "booking" cascade;`);
    this.addSql(`drop table if exists "booking_request" cascade;`);
    this.addSql(`drop table if exists "chat_identity" cascade;`);
    this.addSql(`drop table if exists "trainer" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "conversation" cascade;`);
  }
}
