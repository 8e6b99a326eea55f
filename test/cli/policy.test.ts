import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliInputError, type CliContext } from '../../src/cli/context';
import { parseDurationMinutes } from '../../src/cli/commands/policy';
import { buildCliProgram } from '../../src/cli/program';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { loadPolicy } from '../../src/policy';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTrainer } from '../support/fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** Runs one CLI command in-process against the test database (no Temporal needed); returns its output lines. */
async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = { orm: () => Promise.resolve(db.orm), bookings: () => Promise.reject(new Error('not needed')), print: (line) => lines.push(line) };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

describe('policy CLI', () => {
  it('shows the defaults, sets fields by trainer id or username, and resets one with "default"', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    const shown = await cli('policy', 'show', String(trainer.id));
    expect(shown[0]).toBe(`Policy of trainer ${trainer.id} (${trainer.user.username}): all defaults`);
    expect(shown).toContain('  Minimum notice: 1 h');
    expect(shown.at(-1)).toBe(`Clients read: ${trainer.user.fullName} needs 1 h notice; cancelling within 24 h counts as a late cancellation.`);

    const set = await cli('policy', 'set', trainer.user.username, '--min-notice', '12h', '--horizon', '60d', '--buffer-after', '15m', '--cutoff', '1h30m', '--max-pending-pair', '2', '--approval', 'auto');
    expect(set[0]).toBe(`Policy of trainer ${trainer.id} (${trainer.user.username})`);
    expect(set).toContain('  Cancellation and reschedule cutoff: 1 h 30 min before the start');
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual({
      ...DEFAULT_POLICY,
      minNoticeMinutes: 720,
      horizonDays: 60,
      bufferAfterMinutes: 15,
      cancelCutoffMinutes: 90,
      maxPendingPerPair: 2,
      approvalMode: 'AUTO_DIRECT',
    });

    await cli('policy', 'set', String(trainer.id), '--min-notice', 'default', '--approval', 'manual');
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toMatchObject({ minNoticeMinutes: DEFAULT_POLICY.minNoticeMinutes, approvalMode: 'MANUAL', horizonDays: 60 });
  });

  it('sets the credit rules and shows them, with what clients read', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    const shown = await cli('policy', 'show', String(trainer.id));
    expect(shown).toContain('  Credit needed to approve a session: no');
    const set = await cli('policy', 'set', String(trainer.id), '--credit-to-request', 'yes', '--late-cancel-consumes', 'no');
    expect(set).toEqual(expect.arrayContaining(['  Credit needed to request a session: yes', '  A late cancellation gives the credit back']));
    expect(set.at(-1)).toMatch(/ books sessions against a pack: each session uses 1 credit; a late cancellation gives the credit back\.$/);
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual({ ...DEFAULT_POLICY, creditToRequest: true, lateCancelConsumes: false });
    await cli('policy', 'set', String(trainer.id), '--credit-to-request', 'default');
    expect((await loadPolicy(db.orm.em.fork(), trainer.id)).creditToRequest).toBe(false);
    await expect(cli('policy', 'set', String(trainer.id), '--credit-to-approve', 'maybe')).rejects.toThrow('--credit-to-approve must be yes or no (or "default"), not "maybe".');
  });

  it('refuses bad input in one sentence and changes nothing', async () => {
    const trainer = await createTrainer(db.orm.em.fork());
    const cases: [string[], RegExp][] = [
      [['--min-notice', 'soon'], /--min-notice must be a duration like 90m/],
      [['--horizon', '36h'], /--horizon must be whole days/],
      [['--max-pending', '-1'], /--max-pending must be a whole number/],
      [['--approval', 'sometimes'], /--approval must be manual or auto/],
      [['--buffer-before', '5h'], /buffer_before_minutes must be a whole number from 0 to 240\. Nothing was changed\./],
      [['--max-pending', '2', '--max-pending-pair', '3'], /max_pending_per_pair may not exceed max_pending_per_client/],
      [[], /Give at least one field/],
    ];
    for (const [args, message] of cases) {
      const run = cli('policy', 'set', String(trainer.id), ...args);
      await expect(run, args.join(' ')).rejects.toThrow(message);
    }
    await expect(cli('policy', 'show', 'nobody-by-this-name')).rejects.toBeInstanceOf(CliInputError);
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toEqual(DEFAULT_POLICY);
  });

  it.each<[string, number | null]>([
    ['90', 90],
    ['90m', 90],
    ['45min', 45],
    ['12h', 720],
    ['1h30m', 90],
    ['2d', 2880],
    ['default', null],
  ])('reads the duration %s', (text, minutes) => {
    expect(parseDurationMinutes('--x', text)).toBe(minutes);
  });
});
