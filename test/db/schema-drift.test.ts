// The committed migrations and the entity definitions describe the same schema: for every
// entity, MikroORM's schema generator finds nothing to create, alter or drop in a database
// built by the migrations alone. The only differences allowed are the named constraints and
// indexes that entity metadata cannot express (exclusion constraints, table checks, a
// partial index), which live in the migrations on purpose; each of them must exist, so this
// list cannot go stale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Objects only the migrations declare, by table: "constraint name" or "index name". */
const MIGRATION_ONLY: Record<string, { constraints: string[]; indexes: string[] }> = {
  booking_request: { constraints: ['booking_request_direct_span', 'booking_request_positive_duration', 'booking_request_preferred_range', 'booking_request_recurrence_object'], indexes: [] },
  booking: { constraints: ['booking_client_no_overlap', 'booking_no_buffer_overlap', 'booking_no_overlap', 'booking_positive_span'], indexes: ['booking_request_single_booking'] },
  time_slot: { constraints: ['time_slot_booked_has_booking', 'time_slot_hold_has_owner', 'time_slot_no_overlap', 'time_slot_positive_span'], indexes: ['time_slot_lock_owner_index'] },
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

const statementsOf = (sql: string): string[] =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0);

async function constraintDefinition(table: string, name: string): Promise<string | undefined> {
  const rows = await db.orm.em.getConnection().execute<{ def: string }[]>(
    `select pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_class t on t.oid = c.conrelid where t.relname = ? and c.conname = ?`,
    [table, name],
  );
  return rows[0]?.def;
}

describe('migrations against entities', () => {
  it('every entity has its table after the migrations (its columns: the next test)', async () => {
    const tables = [...db.orm.getMetadata().getAll().values()].filter((meta) => !meta.embeddable && !meta.virtual && meta.tableName).map((meta) => meta.tableName);
    expect(tables.length).toBeGreaterThan(8);
    const present = await db.orm.em.getConnection().execute<{ table_name: string }[]>(`select table_name from information_schema.tables where table_schema = 'public'`);
    expect(tables.filter((t) => !present.some((p) => p.table_name === t))).toEqual([]);
  });

  it('the schema generator finds no difference for any table, apart from the migration-only constraints', async () => {
    const statements = statementsOf(await db.orm.schema.getUpdateSchemaSQL({ wrap: false }));
    const unexplained: string[] = [];
    const redeclaredChecks: { table: string; name: string; add: string }[] = [];
    for (const statement of statements) {
      const dropConstraint = /^alter table "(\w+)" drop constraint "(\w+)"$/.exec(statement);
      const addCheck = /^alter table "(\w+)" add constraint "(\w+)" check \((.+)\)$/.exec(statement);
      const dropIndex = /^drop index "(\w+)"$/.exec(statement);
      if (dropConstraint && MIGRATION_ONLY[dropConstraint[1]!]?.constraints.includes(dropConstraint[2]!)) continue;
      if (dropIndex && Object.values(MIGRATION_ONLY).some((t) => t.indexes.includes(dropIndex[1]!))) continue;
      // An entity's check that the generator drops and adds again only because PostgreSQL
      // stores the expression in its own words: checked below to be the same constraint.
      if (dropConstraint && statements.some((s) => s.startsWith(`alter table "${dropConstraint[1]}" add constraint "${dropConstraint[2]}" check `))) continue;
      if (addCheck) {
        redeclaredChecks.push({ table: addCheck[1]!, name: addCheck[2]!, add: statement });
        continue;
      }
      unexplained.push(statement);
    }
    expect(unexplained).toEqual([]);

    // Every migration-only object exists, so the allowance above names real things.
    for (const [table, { constraints, indexes }] of Object.entries(MIGRATION_ONLY)) {
      for (const name of constraints) expect(await constraintDefinition(table, name), `${table}.${name}`).toBeDefined();
      for (const name of indexes) {
        const rows = await db.orm.em.getConnection().execute<{ n: string }[]>(`select count(*) as n from pg_indexes where tablename = ? and indexname = ?`, [table, name]);
        expect(Number(rows[0]!.n), `${table} index ${name}`).toBe(1);
      }
    }

    // A re-declared check is the migration's constraint: applying the entity's version
    // (in this throwaway database) leaves PostgreSQL's definition unchanged.
    for (const check of redeclaredChecks) {
      const before = await constraintDefinition(check.table, check.name);
      expect(before, `${check.table}.${check.name} exists`).toBeDefined();
      await db.orm.em.getConnection().execute(`alter table "${check.table}" drop constraint "${check.name}"`);
      await db.orm.em.getConnection().execute(check.add);
      expect(await constraintDefinition(check.table, check.name), check.add).toBe(before);
    }
  });
});
