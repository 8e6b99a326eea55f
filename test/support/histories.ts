import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const HISTORIES_DIR = join(import.meta.dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, keeps the workflow's event history (protobuf's JSON object form) as
 * a replay fixture; test/workflows/replay.test.ts replays every one against current code.
 */
export async function saveHistoryIfRecording(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await mkdir(HISTORIES_DIR, { recursive: true });
  const plain = proto.temporal.api.history.v1.History.toObject(proto.temporal.api.history.v1.History.fromObject(history), { longs: String, enums: String, bytes: String });
  await writeFile(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(plain, null, 1));
}

/** Reads a fixture written by saveHistoryIfRecording back into a history. */
export function historyFromFixture(json: string): proto.temporal.api.history.v1.History {
  return proto.temporal.api.history.v1.History.fromObject(JSON.parse(json) as Record<string, unknown>);
}
