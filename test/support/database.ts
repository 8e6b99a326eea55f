import type { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes, randomInt } from 'node:crypto';
import { inject } from 'vitest';
import { adminQuery, quoteIdent, withDatabase } from '../../src/db/databases';
import { openOrm } from '../../src/db/orm';

export interface TestDatabase {
  orm: MikroORM;
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file, copied from the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `booking_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${quoteIdent(name)} template ${quoteIdent(inject('pgTemplateDatabase'))}`);
  const url = withDatabase(adminUrl, name);
  const orm = await openOrm(url, { pool: { min: 0, max: 40 } });
  // Every test file shares one Temporal server: workflow ids are named after request ids, and
  // search attributes carry trainer and client ids. Each database numbers these from its own
  // random point, so no file's workflows or searches meet another's.
  // A pack's workflow is named after its lot (credit-lot-<id>), so lots are numbered the same way.
  for (const sequence of ['booking_request_id_seq', 'app_user_id_seq', 'trainer_id_seq', 'booking_series_id_seq', 'booking_id_seq', 'credit_lot_id_seq']) {
    await orm.em.getConnection().execute(`select setval('${sequence}', ${randomInt(1_000_000, 2_000_000_000)})`);
  }
  return {
    orm,
    url,
    name,
    async drop() {
      await orm.close(true);
      await adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
    },
  };
}
