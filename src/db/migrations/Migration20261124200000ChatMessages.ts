import { Migration } from '@mikro-orm/migrations';

/** Chat bots: the messages they posted (to edit them later) and one-time account link codes. */
export class Migration20261124200000ChatMessages extends Migration {
  override up(): void {
    this.addSql(`create table "chat_message" ("id" serial primary key, "notification_key" varchar(255) not null, "booking_request_id" int not null, "kind" varchar(255) not null, "identity_id" int not null, "platform" text not null, "workspace_id" varchar(255) not null default '', "channel_id" varchar(255) not null, "message_id" varchar(255) not null, "has_open_actions" boolean not null default false, "created_at" timestamptz not null);`);
    this.addSql(`create index "chat_message_booking_request_id_index" on "chat_message" ("booking_request_id");`);
    this.addSql(`alter table "chat_message" add constraint "chat_message_notification_key_identity_id_unique" unique ("notification_key", "identity_id");`);
    this.addSql(`alter table "chat_message" add constraint "chat_message_platform_check" check ("platform" in ('slack', 'discord', 'terminal'));`);
    this.addSql(`alter table "chat_message" add constraint "chat_message_identity_id_foreign" foreign key ("identity_id") references "chat_identity" ("id") on delete cascade;`);
    this.addSql(`create table "chat_link_code" ("id" serial primary key, "user_id" int not null, "code_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`create index "chat_link_code_user_id_index" on "chat_link_code" ("user_id");`);
    this.addSql(`alter table "chat_link_code" add constraint "chat_link_code_code_hash_unique" unique ("code_hash");`);
    this.addSql(`alter table "chat_link_code" add constraint "chat_link_code_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "chat_message" cascade;`);
    this.addSql(`drop table if exists "chat_link_code" cascade;`);
  }
}
