// The calendar CLI (issue 14): issue prints a user's feed URL once, revoke ends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFeedToken } from '../../src/calendar';
import type { CliContext } from '../../src/cli/context';
import { buildCliProgram } from '../../src/cli/program';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient } from '../support/fixtures';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = {
    orm: () => Promise.resolve(db.orm),
    bookings: () => Promise.reject(new Error('the calendar commands need no workflows')),
    print: (line) => lines.push(line),
    publicBaseUrl: 'https://booking.example.com/',
  };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

const tokenOf = (url: string | undefined): string => /\/calendar\/([^/]+)\.ics$/.exec(url ?? '')![1]!;

describe('calendar CLI', () => {
  it('issue prints the feed URL under PUBLIC_BASE_URL once; a second issue replaces it; revoke ends it', async () => {
    const user = await createClient(db.orm.em.fork());
    const [said, url] = await cli('calendar', 'issue', user.username);
    expect(said).toBe(`Calendar feed for user ${user.id} (${user.username}); any previous one no longer works. It is shown only now:`);
    expect(url).toMatch(/^https:\/\/booking\.example\.com\/calendar\/tbc_[\w-]{43}\.ics$/);
    expect((await resolveFeedToken(db.orm.em, tokenOf(url)))?.id).toBe(user.id);

    const [, second] = await cli('calendar', 'issue', String(user.id));
    expect(await resolveFeedToken(db.orm.em, tokenOf(url))).toBeNull();
    expect((await resolveFeedToken(db.orm.em, tokenOf(second)))?.id).toBe(user.id);

    expect(await cli('calendar', 'revoke', user.username)).toEqual([`Revoked the calendar feed of user ${user.id} (${user.username}).`]);
    expect(await resolveFeedToken(db.orm.em, tokenOf(second))).toBeNull();
    expect(await cli('calendar', 'revoke', user.username)).toEqual([`User ${user.id} (${user.username}) had no calendar feed.`]);
  });
});
