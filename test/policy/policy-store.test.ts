import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest, TrainerPolicyRecord } from '../../src/db/entities';
import { DEFAULT_POLICY, PolicyRefusalError } from '../../src/domain/policy';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';
import { countClientLoad, loadPolicy, loadStoredPolicy, lockClientLoad, policyPatchSchema, savePolicy, TrainerNotFoundError } from '../../src/policy';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createTrainer } from '../support/fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('trainer policy storage', () => {
  it('gives the defaults to a trainer without a policy row, and to one that does not exist', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual(DEFAULT_POLICY);
    expect(await loadStoredPolicy(db.orm.em.fork(), 2_147_483_000)).toEqual({ policy: DEFAULT_POLICY, customized: [] });
  });

  it('saves a patch over the stored fields; null returns a field to the default', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    const first = await savePolicy(db.orm.em.fork(), trainer.id, { minNoticeMinutes: 720, bufferAfterMinutes: 15 });
    expect(first).toEqual({ policy: { ...DEFAULT_POLICY, minNoticeMinutes: 720, bufferAfterMinutes: 15 }, customized: ['minNoticeMinutes', 'bufferAfterMinutes'] });
    const second = await savePolicy(db.orm.em.fork(), trainer.id, { minNoticeMinutes: null, approvalMode: 'AUTO_DIRECT' });
    expect(second.policy).toEqual({ ...DEFAULT_POLICY, bufferAfterMinutes: 15, approvalMode: 'AUTO_DIRECT' });
    expect(second.customized).toEqual(['bufferAfterMinutes', 'approvalMode']);
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual(second.policy);
    const row = await db.orm.em.fork().findOneOrFail(TrainerPolicyRecord, { trainer: trainer.id });
    expect([row.minNoticeMinutes, row.bufferAfterMinutes, row.horizonDays]).toEqual([null, 15, null]);
  });

  it('keeps both of two concurrent changes to different fields', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    await Promise.all([
      savePolicy(db.orm.em.fork(), trainer.id, { horizonDays: 30 }),
      savePolicy(db.orm.em.fork(), trainer.id, { cancelCutoffMinutes: 120 }),
      savePolicy(db.orm.em.fork(), trainer.id, { maxUpcomingBookings: 4 }),
    ]);
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual({ ...DEFAULT_POLICY, horizonDays: 30, cancelCutoffMinutes: 120, maxUpcomingBookings: 4 });
  });

  it('refuses an inconsistent result as a whole, naming the field, and writes nothing', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    await savePolicy(db.orm.em.fork(), trainer.id, { maxPendingPerClient: 2 });
    const refused = savePolicy(db.orm.em.fork(), trainer.id, { maxPendingPerPair: 3, bufferBeforeMinutes: 10 });
    await expect(refused).rejects.toBeInstanceOf(PolicyRefusalError);
    await expect(refused).rejects.toMatchObject({ code: 'policy_invalid', field: 'max_pending_per_pair' });
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual({ ...DEFAULT_POLICY, maxPendingPerClient: 2 });
    await expect(savePolicy(db.orm.em.fork(), trainer.id, { minNoticeMinutes: 2 * 24 * 60, horizonDays: 1 })).rejects.toMatchObject({ field: 'min_notice_minutes' });
    await expect(savePolicy(db.orm.em.fork(), 2_147_483_000, { horizonDays: 10 })).rejects.toBeInstanceOf(TrainerNotFoundError);
  });

  it('the database refuses out-of-bounds values even from raw SQL', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    await expect(db.orm.em.getConnection().execute('insert into trainer_policy (trainer_id, buffer_before_minutes, updated_at) values (?, 241, now())', [trainer.id])).rejects.toMatchObject({ code: '23514' });
    await expect(db.orm.em.getConnection().execute(`insert into trainer_policy (trainer_id, approval_mode, updated_at) values (?, 'SOMETIMES', now())`, [trainer.id])).rejects.toMatchObject({ code: '23514' });
  });

  it('validates a patch with its bounds', () => {
    expect(policyPatchSchema.safeParse({ minNoticeMinutes: 720, approvalMode: 'AUTO_DIRECT', horizonDays: null }).success).toBe(true);
    for (const bad of [{ minNoticeMinutes: -1 }, { horizonDays: 731 }, { bufferAfterMinutes: 1.5 }, { approvalMode: 'AUTO' }, { surprise: 1 }]) {
      expect(policyPatchSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('matches its entity: no schema difference for trainer_policy or the booking columns it adds', async () => {
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    const lines = diff.split('\n').filter((line) => /trainer_policy|blocked|booking_status_check|booking_request_status_check/.test(line));
    expect(lines).toEqual([]);
  });
});

describe('countClientLoad', () => {
  it('counts live pending requests (all and with this trainer) and active bookings not yet started', async () => {
    const em = db.orm.em.fork();
    const [alex, sam] = [await createTrainer(em), await createTrainer(em)];
    const client = await createClient(em);
    const now = new Date();
    await createRequest(em, alex, client);
    await createRequest(em, sam, client);
    await createRequest(em, sam, client);
    await createRequest(em, alex, client, { expiresAt: new Date(now.getTime() - HOUR_MS) }); // expired, the workflow has not closed it yet
    const decided = await createRequest(em, alex, client);
    decided.status = 'REJECTED';
    await em.flush();
    const conn = em.getConnection();
    const book = async (trainerId: number, startMs: number, status: string) => {
      const request = await createRequest(em, trainerId === alex.id ? alex : sam, client);
      await em.nativeUpdate(BookingRequest, request.id, { status: 'APPROVED' });
      await conn.execute(
        `insert into booking (booking_request_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time, price_per_hour, total_cost, status, created_at, updated_at)
         values (?, ?, ?, 'S', 60, ?, ?, 60, 60, ?, now(), now())`,
        [request.id, client.id, trainerId, new Date(startMs), new Date(startMs + HOUR_MS), status],
      );
    };
    await book(alex.id, now.getTime() + DAY_MS, 'CONFIRMED');
    await book(sam.id, now.getTime() + 2 * DAY_MS, 'PENDING');
    await book(sam.id, now.getTime() + 3 * DAY_MS, 'CANCELLED');
    await book(alex.id, now.getTime() - DAY_MS, 'CONFIRMED'); // already over
    expect(await countClientLoad(db.orm.em.fork(), client.id, alex.id, now)).toEqual({ pendingRequests: 3, pendingWithTrainer: 1, upcomingBookings: 2 });
    expect(await countClientLoad(db.orm.em.fork(), client.id, sam.id, now)).toEqual({ pendingRequests: 3, pendingWithTrainer: 2, upcomingBookings: 2 });
  });

  it('lockClientLoad serialises count-then-insert of one client across transactions', async () => {
    const em = db.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    // Eight concurrent "new request" transactions against a limit of one pending request.
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.orm.em.fork().transactional(async (tx) => {
          await lockClientLoad(tx, client.id);
          const load = await countClientLoad(tx, client.id, trainer.id, new Date());
          if (load.pendingRequests >= 1) return false;
          await tx.getConnection().execute(
            `insert into booking_request (client_id, trainer_id, session_type, duration_minutes, expires_at, created_at, updated_at) values (?, ?, 'S', 60, now() + interval '1 day', now(), now())`,
            [client.id, trainer.id],
            'run',
            tx.getTransactionContext(),
          );
          return true;
        }),
      ),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
    expect((await countClientLoad(db.orm.em.fork(), client.id, trainer.id, new Date())).pendingRequests).toBe(1);
  });
});
