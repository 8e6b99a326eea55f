import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13, session packs, payments and the credit ledger (src/credits/README.md):
 * - `package_type`: the packs a trainer sells (sessions, session length, price in integer
 *   minor units of an ISO 4217 currency, validity), bounds checked as in PACKAGE_BOUNDS.
 * - `payment`: money recorded for exactly one pack or one booking, once per provider reference.
 * - `credit_lot`: what one pack purchase holds; `available` is a cache of its entries' deltas
 *   kept by the trigger `credit_entry_apply`, and `credit_lot_available_bounds`
 *   (0 <= available <= sessions) makes overspending impossible under any concurrency. The
 *   trigger `credit_lot_guard` lets a lot start only empty and change only through entries.
 * - `credit_entry`: the append-only ledger (trigger `credit_entry_append_only`), idempotent
 *   per booking (unique `booking_id, kind`; one settlement per booking; one purchase per lot).
 * - `trainer_policy`: the credit rules `credit_to_request`, `credit_to_approve` and
 *   `late_cancel_consumes`; null is the default (false, false, true), as for every field there.
 */
export class Migration20261220000000Credits extends Migration {
  override up(): void {
    this.addSql(`create table "package_type" ("id" serial primary key, "trainer_id" int not null, "name" varchar(255) not null, "sessions" int not null, "session_minutes" int not null, "price_minor" bigint not null, "currency" char(3) not null, "validity_days" int not null, "active" boolean not null default true, "created_at" timestamptz not null);`);
    this.addSql(`alter table "package_type" add constraint "package_type_trainer_id_name_unique" unique ("trainer_id", "name");`);
    this.addSql(`create table "payment" ("id" serial primary key, "client_id" int not null, "trainer_id" int not null, "amount_minor" bigint not null, "currency" char(3) not null, "method" text not null, "reference" text null, "recorded_by_id" int not null, "package_type_id" int null, "booking_id" int null, "provider" varchar(255) not null default 'manual', "provider_ref" varchar(255) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "payment_client_id_trainer_id_index" on "payment" ("client_id", "trainer_id");`);
    this.addSql(`alter table "payment" add constraint "payment_provider_provider_ref_unique" unique ("provider", "provider_ref");`);
    this.addSql(`create table "credit_lot" ("id" serial primary key, "client_id" int not null, "trainer_id" int not null, "package_type_id" int not null, "payment_id" int not null, "sessions" int not null, "session_minutes" int not null, "purchased_at" timestamptz not null, "expires_at" timestamptz not null, "available" int not null default 0);`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_payment_id_unique" unique ("payment_id");`);
    this.addSql(`create index "credit_lot_client_id_trainer_id_expires_at_index" on "credit_lot" ("client_id", "trainer_id", "expires_at");`);
    this.addSql(`create table "credit_entry" ("id" serial primary key, "lot_id" int not null, "client_id" int not null, "trainer_id" int not null, "kind" text not null, "delta" int not null, "booking_id" int null, "note" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "credit_entry_lot_id_index" on "credit_entry" ("lot_id");`);
    this.addSql(`create index "credit_entry_client_id_trainer_id_created_at_index" on "credit_entry" ("client_id", "trainer_id", "created_at");`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_booking_id_kind_unique" unique ("booking_id", "kind");`);
    this.addSql(`create unique index "credit_entry_booking_settled_once" on "credit_entry" ("booking_id") where kind in ('RELEASE', 'CONSUME');`);
    this.addSql(`create unique index "credit_entry_one_purchase" on "credit_entry" ("lot_id") where kind = 'PURCHASE';`);
    this.addSql(`alter table "trainer_policy" add "credit_to_request" boolean null, add "credit_to_approve" boolean null, add "late_cancel_consumes" boolean null;`);
    this.addSql(`alter table "package_type" add constraint "package_type_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "package_type" add constraint "package_type_sessions_bounds" check (sessions >= 1 and sessions <= 200);`);
    this.addSql(`alter table "package_type" add constraint "package_type_session_minutes_bounds" check (session_minutes >= 15 and session_minutes <= 480);`);
    this.addSql(`alter table "package_type" add constraint "package_type_validity_days_bounds" check (validity_days >= 1 and validity_days <= 730);`);
    this.addSql(`alter table "package_type" add constraint "package_type_price_not_negative" check (price_minor >= 0);`);
    this.addSql(`alter table "package_type" add constraint "package_type_currency_code" check (currency ~ '^[A-Z]{3}$');`);
    this.addSql(`alter table "payment" add constraint "payment_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "payment" add constraint "payment_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "payment" add constraint "payment_recorded_by_id_foreign" foreign key ("recorded_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "payment" add constraint "payment_package_type_id_foreign" foreign key ("package_type_id") references "package_type" ("id") on delete restrict;`);
    this.addSql(`alter table "payment" add constraint "payment_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on delete restrict;`);
    this.addSql(`alter table "payment" add constraint "payment_amount_positive" check (amount_minor > 0);`);
    this.addSql(`alter table "payment" add constraint "payment_currency_code" check (currency ~ '^[A-Z]{3}$');`);
    this.addSql(`alter table "payment" add constraint "payment_pays_one_thing" check ((package_type_id is null) <> (booking_id is null));`);
    this.addSql(`alter table "payment" add constraint "payment_method_check" check ("method" in ('CASH', 'BANK_TRANSFER', 'CARD_AT_GYM', 'OTHER'));`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_package_type_id_foreign" foreign key ("package_type_id") references "package_type" ("id");`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_payment_id_foreign" foreign key ("payment_id") references "payment" ("id");`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_available_bounds" check (available >= 0 and available <= sessions);`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_sessions_positive" check (sessions >= 1 and session_minutes >= 1);`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_expires_after_purchase" check (expires_at > purchased_at);`);
    this.addSql(`create or replace function "credit_lot_credit_lot_guard_fn"() returns trigger as $$ begin if tg_op = 'INSERT' then if new.available <> 0 then raise exception 'credit_lot: a lot starts empty, its PURCHASE entry fills it' using errcode = '23514', constraint = 'credit_lot_starts_empty'; end if; if not exists (select 1 from payment p where p.id = new.payment_id and p.client_id = new.client_id and p.trainer_id = new.trainer_id and p.package_type_id = new.package_type_id) then raise exception 'credit_lot: payment % did not buy this pack for this client and trainer', new.payment_id using errcode = '23503', constraint = 'credit_lot_bought_by_payment'; end if; elsif pg_trigger_depth() < 2 then raise exception 'credit_lot %: a lot changes only through its credit_entry rows', old.id using errcode = '55000'; end if; return new; end; $$ language plpgsql;`);
    this.addSql(`create trigger "credit_lot_guard" BEFORE INSERT OR UPDATE on "credit_lot" for each ROW execute function "credit_lot_credit_lot_guard_fn"();`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_lot_id_foreign" foreign key ("lot_id") references "credit_lot" ("id");`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_trainer_id_foreign" foreign key ("trainer_id") references "trainer" ("id");`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_booking_id_foreign" foreign key ("booking_id") references "booking" ("id") on delete restrict;`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_delta_matches_kind" check ((kind = 'PURCHASE' and delta > 0) or (kind = 'RESERVE' and delta = -1) or (kind = 'RELEASE' and delta = 1) or (kind = 'CONSUME' and delta = 0) or (kind = 'EXPIRE' and delta < 0));`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_booking_matches_kind" check ((booking_id is not null) = (kind in ('RESERVE', 'RELEASE', 'CONSUME')));`);
    this.addSql(`alter table "credit_entry" add constraint "credit_entry_kind_check" check ("kind" in ('PURCHASE', 'RESERVE', 'RELEASE', 'CONSUME', 'EXPIRE'));`);
    this.addSql(`create or replace function "credit_entry_credit_entry_apply_fn"() returns trigger as $$ begin if new.kind = 'PURCHASE' and new.delta <> (select l.sessions from credit_lot l where l.id = new.lot_id) then raise exception 'credit_entry: a PURCHASE adds exactly the sessions of lot %', new.lot_id using errcode = '23514', constraint = 'credit_entry_purchase_fills_lot'; end if; if new.kind = 'RESERVE' and not exists (select 1 from booking b join credit_lot l on l.id = new.lot_id where b.id = new.booking_id and b.client_id = l.client_id and b.trainer_id = l.trainer_id and b.duration_minutes <= l.session_minutes and b.start_time <= l.expires_at) then raise exception 'credit_entry: booking % cannot use a credit of lot %', new.booking_id, new.lot_id using errcode = '23514', constraint = 'credit_entry_reserve_fits'; end if; if new.kind in ('RELEASE', 'CONSUME') and not exists (select 1 from credit_entry r where r.booking_id = new.booking_id and r.kind = 'RESERVE' and r.lot_id = new.lot_id) then raise exception 'credit_entry: booking % settles no credit reserved from lot %', new.booking_id, new.lot_id using errcode = '23514', constraint = 'credit_entry_settles_a_reserve'; end if; update credit_lot set available = available + new.delta where id = new.lot_id and client_id = new.client_id and trainer_id = new.trainer_id; if not found then raise exception 'credit_entry: lot % is not a lot of client % with trainer %', new.lot_id, new.client_id, new.trainer_id using errcode = '23503', constraint = 'credit_entry_lot_matches'; end if; return null; end; $$ language plpgsql;`);
    this.addSql(`create trigger "credit_entry_apply" AFTER INSERT on "credit_entry" for each ROW execute function "credit_entry_credit_entry_apply_fn"();`);
    this.addSql(`create or replace function "credit_entry_credit_entry_append_only_fn"() returns trigger as $$ begin raise exception 'credit_entry is append-only: % of entry % refused', tg_op, old.id using errcode = '55000'; end; $$ language plpgsql;`);
    this.addSql(`create trigger "credit_entry_append_only" BEFORE UPDATE OR DELETE on "credit_entry" for each ROW execute function "credit_entry_credit_entry_append_only_fn"();`);
  }

  override down(): void {
    this.addSql(`do $$ begin if exists (select 1 from "payment") or exists (select 1 from "package_type") then raise exception 'Payments or packs exist: export and remove them before migrating down.'; end if; end $$;`);
    this.addSql(`drop trigger if exists "credit_entry_append_only" on "credit_entry";`);
    this.addSql(`drop trigger if exists "credit_entry_apply" on "credit_entry";`);
    this.addSql(`drop trigger if exists "credit_lot_guard" on "credit_lot";`);
    this.addSql(`drop function if exists "credit_entry_credit_entry_append_only_fn"();`);
    this.addSql(`drop function if exists "credit_entry_credit_entry_apply_fn"();`);
    this.addSql(`drop function if exists "credit_lot_credit_lot_guard_fn"();`);
    this.addSql(`drop table if exists "credit_entry" cascade;`);
    this.addSql(`drop table if exists "credit_lot" cascade;`);
    this.addSql(`drop table if exists "payment" cascade;`);
    this.addSql(`drop table if exists "package_type" cascade;`);
    this.addSql(`alter table "trainer_policy" drop column "credit_to_request", drop column "credit_to_approve", drop column "late_cancel_consumes";`);
  }
}
