import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createTrainerPerson, startApiHarness, type ApiHarness } from './support/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ writeRatePerMinute: 3 });
});
afterAll(async () => {
  await h?.stop();
});

async function post(token: string, path: string, body: unknown): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${h.api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

describe('write rate limit per token (API_WRITE_RATE_PER_MINUTE)', () => {
  it('answers 429 with Retry-After past the limit, per token; reads are never limited', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 0);
    const client = await createPerson(em, 'CLIENT');
    const other = await createPerson(em, 'CLIENT');
    // Refused writes count as well: three bodies missing every field.
    for (let i = 0; i < 3; i++) expect((await post(client.token, '/booking-requests/', {})).status).toBe(422);
    const limited = await post(client.token, '/booking-requests/', {});
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({ statusCode: 429, error: 'rate_limited', message: expect.stringMatching(/^Too many changes: at most 3 writes per minute per API token; try again in \d+ seconds?\.$/) as string });
    // Another endpoint, same token: the same budget.
    expect((await post(client.token, `/booking-requests/1/withdraw`, {})).status).toBe(429);
    // Reads go on; other callers have their own budget.
    expect((await h.call('GET', '/booking-requests/', { token: client.token })).status).toBe(200);
    expect((await h.call('GET', `/time-slots/trainer/${trainer.trainerId}/available`, { token: client.token })).status).toBe(200);
    expect((await post(other.token, '/booking-requests/', {})).status).toBe(422);
    // Unauthenticated writes are refused before they are counted.
    expect((await post('not-a-token', '/booking-requests/', {})).status).toBe(401);
  });

  it('documents the 429 on every write operation, and only there', async () => {
    const doc = (await h.call<OpenAPIV3_1.Document>('GET', '/openapi.json')).body;
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete'] as const).filter((method) => item?.[method]).map((method) => ({ path, method, responses: Object.keys(item![method]!.responses ?? {}) })),
    );
    const writes = operations.filter((op) => op.method !== 'get');
    expect(writes.map((op) => `${op.method} ${op.path}`)).toEqual(expect.arrayContaining(['post /booking-requests/', 'post /booking-requests/{id}/withdraw', 'post /time-slots/trainer/{id}/time-off', 'put /trainers/{id}/policy']));
    for (const op of writes) expect(op.responses, `${op.method} ${op.path}`).toContain('429');
    for (const op of operations.filter((o) => o.method === 'get')) expect(op.responses, `${op.method} ${op.path}`).not.toContain('429');
  });
});
