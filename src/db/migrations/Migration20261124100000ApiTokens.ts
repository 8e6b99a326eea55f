import { Migration } from '@mikro-orm/migrations';

/** Bearer tokens for the HTTP API: stored as SHA-256 hashes, one user each, revocable. */
export class Migration20261124100000ApiTokens extends Migration {
  override up(): void {
    this.addSql(`create table "api_token" ("id" serial primary key, "user_id" int not null, "name" varchar(255) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null);`);
    this.addSql(`create index "api_token_user_id_index" on "api_token" ("user_id");`);
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
  }

  override down(): void {
    this.addSql(`drop table if exists "api_token" cascade;`);
  }
}
