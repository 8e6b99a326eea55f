import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliInputError, type CliContext } from '../../src/cli/context';
import { buildCliProgram } from '../../src/cli/program';
import { ApiToken, Booking, ChatIdentity, TimeSlot, Trainer, User } from '../../src/db/entities';
import { redeemLinkCode } from '../../src/identity/link-codes';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness } from '../api/support/api-harness';
import { at, dayAhead } from '../support/time';
import type { Answer, Approval, RequestView } from '../api/support/api-types';

let h: ApiHarness;
let scratch: string;
beforeAll(async () => {
  h = await startApiHarness();
  scratch = await mkdtemp(join(tmpdir(), 'booking-cli-test-'));
});
afterAll(async () => {
  await h?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs one CLI command in-process against the test database and worker; returns its output lines. */
async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = { orm: () => Promise.resolve(h.db.orm), bookings: () => Promise.resolve(h.worker.bookings), print: (line) => lines.push(line) };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

const idIn = (line: string | undefined, word: string): number => Number(new RegExp(`${word} (\\d+)`).exec(line ?? '')?.[1]);

describe('operator CLI', () => {
  it('creates a user, a trainer profile and a token that the API accepts; publishes weekly availability', async () => {
    const tag = Date.now().toString(36);
    const [created] = await cli('users', 'create', '--username', `coach-${tag}`, '--full-name', 'Casey Coach', '--time-zone', 'Europe/Berlin');
    const userId = idIn(created, 'user');
    expect(created).toBe(`Created user ${userId} (coach-${tag}, CLIENT).`);
    const [trainerLine] = await cli('trainers', 'create', '--user', `coach-${tag}`, '--price-per-hour', '75', '--specialty', 'Mobility', '--training-types', 'Yoga, Mobility');
    const trainerId = idIn(trainerLine, 'trainer');
    const trainer = await h.db.orm.em.fork().findOneOrFail(Trainer, trainerId, { populate: ['user'] });
    expect([trainer.user.role, trainer.pricePerHour, trainer.timeZone, trainer.trainingTypes]).toEqual(['TRAINER', 75, 'Europe/Berlin', ['Yoga', 'Mobility']]);

    const tokenLines = await cli('tokens', 'create', '--user', String(userId), '--name', 'laptop');
    const token = tokenLines[1]!;
    expect(token).toMatch(/^tba_/);
    expect((await cli('tokens', 'list', '--user', String(userId))).join('\n')).not.toContain(token);

    const published = await cli('slots', 'bulk-create', '--trainer', String(trainerId), '--from', dayAhead(1), '--to', dayAhead(7), '--weekdays', '1,2,3,4,5,6,7', '--day-start', '07:00', '--day-end', '09:00');
    expect(published[0]).toMatch(/^Published 14 slots for trainer/);
    // The token works over HTTP, as that trainer.
    const available = await h.call<unknown[]>('GET', `/time-slots/trainer/${trainerId}/available`, { token });
    expect(available.status).toBe(200);
    expect(available.body).toHaveLength(14);
    const asTrainer = await h.call('POST', '/time-slots/bulk-create', { token, body: { slots: [{ start_time: at(dayAhead(9), 12), end_time: at(dayAhead(9), 13) }] } });
    expect(asTrainer.status).toBe(201);

    const tokenId = (await h.db.orm.em.fork().findOneOrFail(ApiToken, { user: userId })).id;
    expect(await cli('tokens', 'revoke', String(tokenId))).toEqual([`Revoked token ${tokenId}.`]);
    expect((await h.call('GET', '/bookings/', { token })).status).toBe(401);
  });

  it('publishes slots from a JSON file and refuses an overlapping file, all or nothing', async () => {
    const trainer = await createTrainerPerson(h.db.orm.em.fork(), 0);
    const file = join(scratch, 'slots.json');
    await writeFile(file, JSON.stringify([{ start_time: at(dayAhead(6), 10), end_time: at(dayAhead(6), 11) }, { start_time: at(dayAhead(6), 11), end_time: at(dayAhead(6), 12) }]));
    expect((await cli('slots', 'bulk-create', '--trainer', String(trainer.trainerId), '--file', file))[0]).toMatch(/^Published 2 slots/);
    await writeFile(file, JSON.stringify([{ start_time: at(dayAhead(6), 8), end_time: at(dayAhead(6), 9) }, { start_time: at(dayAhead(6), 9), end_time: at(dayAhead(6), 10).replace(':00:00', ':30:00') }]));
    await expect(cli('slots', 'bulk-create', '--trainer', String(trainer.trainerId), '--file', file)).rejects.toThrow(/overlaps an already published slot/);
    expect(await h.db.orm.em.fork().count(TimeSlot, { trainer: trainer.trainerId })).toBe(2);
  });

  it('lists and inspects requests with their score breakdowns, and cancels a booking through its workflow', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId, SLOT_DAY, 120) });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const listed = await cli('requests', 'list', '--trainer', String(trainer.trainerId), '--status', 'PENDING');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toContain(`${id}  PENDING`);
    // The request answers 201 once stored; the trainer's options follow a moment later.
    await h.notifier.waitFor(id, 'request.options');
    const shown = (await cli('requests', 'show', String(id))).join('\n');
    expect(shown).toContain('Workflow: PENDING, 5 offered option(s)');
    expect(shown).toMatch(/ 1 .* 90\.00 {2}50\.00 {4}40 {6}0 {6}0 {2}\[\d+, \d+\]/); // total, date, time, avoid, bonus, slots

    const approved = await h.call<Answer<Approval>>('PUT', `/booking-requests/${id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });
    expect(approved.status).toBe(200);
    const bookingId = approved.body.booking_id!;
    expect(await cli('bookings', 'cancel', String(bookingId), '--reason', 'Gym closed')).toEqual([`Cancelled booking ${bookingId} (${at(SLOT_DAY, 10)}); its slots are free again.`]);
    const booking = await h.db.orm.em.fork().findOneOrFail(Booking, bookingId);
    expect([booking.status, booking.cancellationReason]).toEqual(['CANCELLED', 'Gym closed']);
    expect(await cli('bookings', 'cancel', String(bookingId))).toEqual([`Booking ${bookingId} was already cancelled.`]);
  });

  it('issues a one-time link code that attaches a chat account to the user', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const [line] = await cli('users', 'link-code', '--user', String(trainer.userId));
    const code = /: ([A-Z0-9]{4}-[A-Z0-9]{4}) /.exec(line ?? '')?.[1];
    expect(code).toBeDefined();
    const someone = em.create(User, { username: `slack-${trainer.userId}`, fullName: 'New in Slack', role: 'CLIENT' });
    const identity = em.create(ChatIdentity, { user: someone, platform: 'slack', workspaceId: 'T1', externalUserId: `U${trainer.userId}` });
    await em.flush();
    expect(await redeemLinkCode(h.db.orm, identity.id, code!)).toMatchObject({ linked: true });
    expect((await h.db.orm.em.fork().findOneOrFail(ChatIdentity, identity.id)).user.id).toBe(trainer.userId);
    expect(await redeemLinkCode(h.db.orm, identity.id, code!)).toMatchObject({ linked: false });
  });

  it('loads the demo data, and loading it again adds nothing', async () => {
    const first = await cli('demo', 'load');
    expect(first).toEqual([expect.stringMatching(/^Trainer \d+: alex\.strength \(Europe\/Berlin\)$/), expect.stringMatching(/^Trainer \d+: sam\.yoga/), expect.stringMatching(/^Client \d+: jamie\.client$/)]);
    const slots = await h.db.orm.em.fork().count(TimeSlot);
    expect(await cli('demo', 'load')).toEqual(first);
    expect(await h.db.orm.em.fork().count(TimeSlot)).toBe(slots);
  });

  it('answers bad input with one sentence and changes nothing', async () => {
    const before = await h.db.orm.em.fork().count(User);
    await expect(cli('tokens', 'create', '--user', 'nobody-at-all')).rejects.toThrow(new CliInputError('There is no user nobody-at-all.'));
    await expect(cli('trainers', 'create', '--user', '1', '--price-per-hour', 'lots')).rejects.toThrow('--price-per-hour must be an amount like 80 or 72.50, not "lots".');
    await expect(cli('users', 'create', '--username', 'x', '--full-name', 'X', '--time-zone', 'Mars/Base')).rejects.toThrow('--time-zone Mars/Base is not a known time zone.');
    await expect(cli('slots', 'bulk-create', '--trainer', '1', '--from', dayAhead(1), '--to', dayAhead(2), '--weekdays', '1', '--day-start', '9am', '--day-end', '10:00')).rejects.toThrow(/^--day-start: /);
    await expect(cli('requests', 'show', 'abc')).rejects.toThrow('<id> must be a positive whole number, not "abc".');
    await expect(cli('users', 'create', '--username', 'x')).rejects.toThrow(/required option '--full-name <name>' not specified/);
    expect(await h.db.orm.em.fork().count(User)).toBe(before);
  });

  it('runs as a program: npm run cli -- users list; bad input exits 1 with one sentence', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: h.db.url, LOG_LEVEL: 'silent' };
    const person = await createPerson(h.db.orm.em.fork(), 'ADMIN');
    const username = (await h.db.orm.em.fork().findOneOrFail(User, person.userId)).username;
    const ok = await run(process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'users', 'list', '--role', 'ADMIN'], { env });
    expect(ok.stdout).toContain(username);
    const bad = await run(process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'tokens', 'create', '--user', 'nobody-at-all'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1, stderr: 'There is no user nobody-at-all.\n' });
  });
});
