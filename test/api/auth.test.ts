import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../src/api/api-config';
import { hashToken, issueToken, revokeToken } from '../../src/api/auth/api-tokens';
import { ApiToken, BookingRequest } from '../../src/db/entities';
import { createPerson, createTrainerPerson, flexibleBody, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, Approval, BookingView, BulkCreated, ErrorBody, RequestDetail, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a token nobody issued', 'Bearer tba_not-a-real-token'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
    ['a near miss of the admin token', 'Bearer x'],
  ])('answers 401 to %s, on every protected route', async (_name, authorization) => {
    const headers = authorization ? { authorization } : undefined;
    for (const [method, path] of [
      ['GET', '/booking-requests/'],
      ['POST', '/booking-requests/'],
      ['GET', '/bookings/'],
      ['POST', '/time-slots/bulk-create'],
      ['GET', '/time-slots/trainer/1/available'],
    ] as const) {
      const res = await h.call<ErrorBody>(method, path, { headers });
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 401, error: 'unauthorized' });
    }
  });

  it('stores only the SHA-256 of a token, accepts it until revoked, and records when it was last used', async () => {
    const em = h.db.orm.em.fork();
    const client = await createPerson(em, 'CLIENT');
    const issued = await issueToken(em, client.userId, 'integration');
    expect(issued.token).toMatch(/^tba_[A-Za-z0-9_-]{43}$/);
    const row = await h.db.orm.em.fork().findOneOrFail(ApiToken, issued.id);
    expect(row.tokenHash).toBe(hashToken(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    const [raw] = await em.getConnection().execute<Record<string, unknown>[]>('select * from api_token where id = ?', [issued.id]);
    expect(Object.values(raw!).map(String)).not.toContain(issued.token);

    expect((await h.call('GET', '/bookings/', { token: issued.token })).status).toBe(200);
    expect((await h.db.orm.em.fork().findOneOrFail(ApiToken, issued.id)).lastUsedAt).toBeInstanceOf(Date);

    expect(await revokeToken(em, issued.id)).toBe(true);
    const after = await h.call<Answer<BookingView>>('GET', '/bookings/', { token: issued.token });
    expect(after).toMatchObject({ status: 401, body: { message: 'The API token is unknown or revoked.' } });
    // Other tokens of the same person still work.
    expect((await h.call('GET', '/bookings/', { token: client.token })).status).toBe(200);
  });

  it('accepts the bootstrap ADMIN_API_TOKEN as an admin who sees everything', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    expect(created.status).toBe(201);
    const seen = await h.call<Answer<RequestDetail>>('GET', `/booking-requests/${created.body.id}`, { token: h.adminToken });
    expect(seen).toMatchObject({ status: 200, body: { id: created.body.id } });
    // An admin may decide for the trainer.
    const rejected = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: h.adminToken, body: { status: 'REJECTED', rejection_reason: 'Trainer is ill' } });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.body.id)).status).toBe('REJECTED');
  });

  it('answers 415 to a body that is not JSON at all', async () => {
    const client = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const res = await fetch(`${h.api.url}/booking-requests/`, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/xml' }, body: '<hello/>' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
  });

  it('refuses a trainer without a trainer profile everything trainer-only', async () => {
    const em = h.db.orm.em.fork();
    const bare = await createPerson(em, 'TRAINER');
    const res = await h.call<Answer<BulkCreated>>('POST', '/time-slots/bulk-create', { token: bare.token, body: { trainer_id: 1, slots: [{ start_time: '2099-01-01T10:00:00Z', end_time: '2099-01-01T11:00:00Z' }] } });
    expect(res).toMatchObject({ status: 403, body: { error: 'forbidden' } });
  });
});

describe('API configuration', () => {
  it('reads API_HOST, API_PORT and ADMIN_API_TOKEN, and refuses a short admin token without echoing it', () => {
    expect(loadApiConfig({})).toEqual({ API_HOST: '127.0.0.1', API_PORT: 8080, ADMIN_API_TOKEN: undefined });
    expect(loadApiConfig({ API_HOST: '0.0.0.0', API_PORT: '9000', ADMIN_API_TOKEN: '' })).toEqual({ API_HOST: '0.0.0.0', API_PORT: 9000, ADMIN_API_TOKEN: undefined });
    expect(() => loadApiConfig({ API_PORT: 'http' })).toThrow(/API_PORT/);
    expect(() => loadApiConfig({ ADMIN_API_TOKEN: 'hunter2-secret' })).toThrow(/ADMIN_API_TOKEN: must be at least 32 characters/);
    expect(() => loadApiConfig({ ADMIN_API_TOKEN: 'hunter2-secret' })).not.toThrow(/hunter2/);
  });
});
