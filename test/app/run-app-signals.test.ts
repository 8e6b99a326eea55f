// A real process per signal: SIGINT (Ctrl-C), SIGTERM (an orchestrator) and SIGHUP (the
// terminal closed) each stop the parts in reverse order and exit cleanly, so nothing —
// embedded PostgreSQL, the Temporal dev server — is left running behind the app.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/signal-app.ts', import.meta.url));

function runUntilReady(signal: NodeJS.Signals): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n') && !child.killed) child.kill(signal);
    });
    child.on('error', reject);
    // 'close', not 'exit': only then has all of the child's output been read.
    child.on('close', (code) => resolve({ code, lines: out.trim().split('\n') }));
  });
}

describe('runApp and signals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s stops the parts in reverse order and exits 0', async (signal) => {
    const { code, lines } = await runUntilReady(signal);
    expect(lines).toEqual(['started first', 'started second', 'ready', 'stopped second', 'stopped first']);
    expect(code).toBe(0);
  });
});
