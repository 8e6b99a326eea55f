import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR, historyFromFixture } from '../support/histories';

// Histories recorded from real runs (RECORD_HISTORIES=1 npm test) replayed against the
// current workflow code: a change that breaks determinism for workflows already running
// fails here. Re-record only together with a versioning plan (patched()).
const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json')).sort();

describe('replay of recorded booking workflow histories', () => {
  it('has recordings of every path worth protecting', () => {
    expect(files).toEqual(expect.arrayContaining(['approved.json', 'conflict-then-approved.json', 'direct-rejected.json', 'cancel-and-reschedule.json', 'expired.json', 'reminder-and-outcome.json', 'reschedule.json', 'no-show.json', 'outcome-window-closed.json']));
    // Weekly series (issue 12): the request's workflow (its children, a conflict, this and all following) and an occurrence's.
    expect(files).toEqual(
      expect.arrayContaining(['series-approved.json', 'series-conflict.json', 'series-cancelled.json', 'occurrence-cancelled.json', 'occurrence-rescheduled.json', 'occurrence-cancelled-with-series.json']),
    );
    // Session packs (issue 13): an approval refused for want of a credit then approved, a credit used by the outcome, a pack's life.
    expect(files).toEqual(expect.arrayContaining(['credit-needed-then-approved.json', 'credit-consumed.json', 'credit-lot-expired.json']));
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromFixture(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file.replace(/\.json$/, ''))).resolves.toBeUndefined();
  });
});
