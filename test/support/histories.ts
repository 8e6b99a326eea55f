import type { Client } from '@temporalio/client';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HISTORIES_DIR = join(import.meta.dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps the workflow's event history as a replay fixture
 * (test/workflows/replay.test.ts replays every one against the current code).
 */
export async function saveHistoryIfRecording(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await mkdir(HISTORIES_DIR, { recursive: true });
  await writeFile(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(history, null, 1));
}
