import pg from 'pg';

export interface SlotBlocker {
  /**
   * Waits until `count` other connections of the database wait for these slots' row locks
   * (confirm transactions stopped inside, after locking their request row), and returns
   * their backend pids.
   */
  waitForBlocked(count: number, timeoutMs?: number): Promise<number[]>;
  /** Ends the blocking transaction, changing nothing; the waiting transactions go on. */
  release(): Promise<void>;
}

/**
 * Holds row locks on `slotIds` in a transaction of its own, so that reservations touching
 * them stop mid-transaction until released: a fault can then strike at a known point.
 */
export async function blockSlots(databaseUrl: string, slotIds: number[]): Promise<SlotBlocker> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // pg_stat_activity is read from another connection: inside a transaction it is a snapshot.
  const observer = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([client.connect(), observer.connect()]);
  await client.query('begin');
  await client.query('select id from time_slot where id = any($1) for update', [slotIds]);
  const { rows: own } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  let released = false;
  return {
    async waitForBlocked(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await observer.query<{ pid: number }>(
          `select pid from pg_stat_activity
           where datname = current_database() and pid <> all($1) and state = 'active'
             and wait_event_type = 'Lock' and query ilike '%time_slot%for update%'`,
          [[own[0]!.pid, ...(await observer.query<{ pid: number }>('select pg_backend_pid() as pid')).rows.map((r) => r.pid)]],
        );
        if (rows.length >= count) return rows.map((row) => row.pid);
        if (Date.now() > deadline) throw new Error(`only ${rows.length} of ${count} reservations reached the blocked slots within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async release() {
      if (released) return;
      released = true;
      await client.query('rollback');
      await Promise.all([client.end(), observer.end()]);
    },
  };
}

/** pg_terminate_backend on each pid, from a connection of its own; returns how many were terminated. */
export async function terminateBackends(databaseUrl: string, pids: number[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>('select pg_terminate_backend(pid) as terminated from unnest($1::int[]) as pid', [pids]);
    return rows.filter((row) => row.terminated).length;
  } finally {
    await client.end();
  }
}
