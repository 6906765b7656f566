import { Migration } from '@mikro-orm/migrations';

/**
 * The web service's sessions (issue 12), kept by connect-pg-simple in the shape it expects (sid, sess,
 * expire), created here rather than by the library at run time. `expire` is the end of the idle
 * timeout (rolling); the absolute limit is checked against the sign-in time inside `sess`. No entity
 * maps this table: the ORM's schema generator skips it (orm.config.ts).
 */
export class Migration20261201090000_web_sessions extends Migration {

  override name = 'Migration20261201090000_web_sessions';

  override async up(): Promise<void> {
    this.addSql(`create table "web_session" ("sid" varchar(255) not null, "sess" json not null, "expire" timestamptz not null, constraint "web_session_pkey" primary key ("sid"));`);
    this.addSql(`create index "web_session_expire_index" on "web_session" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "web_session";`);
  }

}
