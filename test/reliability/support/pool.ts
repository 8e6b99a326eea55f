import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Connections of the ORM's pool that are checked out, after waiting up to `timeoutMs` for
 * work in flight to return them. A connection that never comes back is a leak: the pool
 * shrinks for good, and once it is empty every database activity waits forever.
 */
export async function checkedOutConnections(orm: MikroORM, timeoutMs = 5_000): Promise<number> {
  const pool = await orm.em.getConnection().getNativeClient();
  const deadline = Date.now() + timeoutMs;
  while (pool.totalCount - pool.idleCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pool.totalCount - pool.idleCount;
}
