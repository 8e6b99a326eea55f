import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPIV3_1 } from 'openapi-types';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { loadPolicy } from '../../src/policy';
import { createPerson, createTrainerPerson, startApiHarness, type ApiHarness } from './support/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

type PolicyView = Record<string, unknown> & { customized: string[]; client_summary: string; credit_summary: string | null };
type ErrorBody = { statusCode: number; error: string; message: string; field?: string };

const DEFAULT_VIEW = {
  min_notice_minutes: DEFAULT_POLICY.minNoticeMinutes,
  horizon_days: DEFAULT_POLICY.horizonDays,
  buffer_before_minutes: 0,
  buffer_after_minutes: 0,
  cancel_cutoff_minutes: DEFAULT_POLICY.cancelCutoffMinutes,
  max_pending_per_client: 3,
  max_pending_per_pair: 1,
  max_upcoming_bookings: 10,
  approval_mode: 'MANUAL',
};

describe('GET and PUT /trainers/{id}/policy', () => {
  it('shows the defaults to the trainer, then changes only the fields sent; null returns one to the default', async () => {
    const trainer = await createTrainerPerson(h.db.orm.em.fork(), 0);
    const initial = await h.call<PolicyView>('GET', `/trainers/${trainer.trainerId}/policy`, { token: trainer.token });
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ trainer_id: trainer.trainerId, ...DEFAULT_VIEW, customized: [] });

    const changed = await h.call<PolicyView>('PUT', `/trainers/${trainer.trainerId}/policy`, {
      token: trainer.token,
      body: { min_notice_minutes: 720, buffer_after_minutes: 15, approval_mode: 'AUTO_DIRECT' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ ...DEFAULT_VIEW, min_notice_minutes: 720, buffer_after_minutes: 15, approval_mode: 'AUTO_DIRECT' });
    expect(changed.body.customized.sort()).toEqual(['approval_mode', 'buffer_after_minutes', 'min_notice_minutes']);
    expect(changed.body.client_summary).toMatch(/needs 12 h notice; cancelling within 24 h counts as a late cancellation\.$/);

    const reset = await h.call<PolicyView>('PUT', `/trainers/${trainer.trainerId}/policy`, { token: trainer.token, body: { min_notice_minutes: null } });
    expect(reset.body).toMatchObject({ min_notice_minutes: DEFAULT_POLICY.minNoticeMinutes, buffer_after_minutes: 15, approval_mode: 'AUTO_DIRECT' });
    expect(await loadPolicy(h.db.orm.em.fork(), trainer.trainerId)).toEqual({ ...DEFAULT_POLICY, bufferAfterMinutes: 15, approvalMode: 'AUTO_DIRECT' });
    expect((await h.call<PolicyView>('GET', `/trainers/${trainer.trainerId}/policy`, { token: trainer.token })).body).toEqual(reset.body);
  });

  it('lets an admin read and change any trainer; refuses clients and other trainers (403) and changes nothing', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em, 0);
    const other = await createTrainerPerson(em, 0);
    const client = await createPerson(em, 'CLIENT');
    const admin = await createPerson(em, 'ADMIN');

    expect((await h.call('PUT', `/trainers/${trainer.trainerId}/policy`, { token: admin.token, body: { horizon_days: 30 } })).status).toBe(200);
    expect((await h.call<PolicyView>('GET', `/trainers/${trainer.trainerId}/policy`, { token: h.adminToken })).body).toMatchObject({ horizon_days: 30 });
    for (const token of [client.token, other.token]) {
      for (const [method, body] of [['GET', undefined], ['PUT', { horizon_days: 5 }]] as const) {
        const res = await h.call<ErrorBody>(method, `/trainers/${trainer.trainerId}/policy`, { token, body });
        expect(res.status, `${method} as ${token === client.token ? 'client' : 'other trainer'}`).toBe(403);
        expect(res.body.error).toBe('forbidden');
      }
    }
    expect((await h.call('GET', `/trainers/${trainer.trainerId}/policy`)).status).toBe(401);
    expect(await loadPolicy(h.db.orm.em.fork(), trainer.trainerId)).toEqual({ ...DEFAULT_POLICY, horizonDays: 30 });
    expect((await h.call<ErrorBody>('GET', '/trainers/2147483000/policy', { token: admin.token })).body).toMatchObject({ statusCode: 404, error: 'not_found' });
  });

  it('refuses bad fields with 422 naming the field, and an inconsistent policy with policy_invalid', async () => {
    const trainer = await createTrainerPerson(h.db.orm.em.fork(), 0);
    const path = `/trainers/${trainer.trainerId}/policy`;
    const cases: [unknown, string][] = [
      [{ min_notice_minutes: -5 }, 'min_notice_minutes'],
      [{ horizon_days: 731 }, 'horizon_days'],
      [{ buffer_before_minutes: 7.5 }, 'buffer_before_minutes'],
      [{ buffer_after_minutes: '15' }, 'buffer_after_minutes'],
      [{ approval_mode: 'SOMETIMES' }, 'approval_mode'],
      [{ max_pending_per_client: 0 }, 'max_pending_per_client'],
    ];
    for (const [body, field] of cases) {
      const res = await h.call<ErrorBody>('PUT', path, { token: trainer.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body).toMatchObject({ error: 'validation_error', field });
    }
    const unknown = await h.call<ErrorBody>('PUT', path, { token: trainer.token, body: { min_notice: 60 } });
    expect(unknown.status).toBe(422);

    const pair = await h.call<ErrorBody>('PUT', path, { token: trainer.token, body: { max_pending_per_client: 2, max_pending_per_pair: 3 } });
    expect(pair.status).toBe(422);
    expect(pair.body).toEqual({ statusCode: 422, error: 'policy_invalid', field: 'max_pending_per_pair', message: 'max_pending_per_pair may not exceed max_pending_per_client.' });
    const notice = await h.call<ErrorBody>('PUT', path, { token: trainer.token, body: { horizon_days: 1, min_notice_minutes: 1440 } });
    expect(notice.body).toMatchObject({ error: 'policy_invalid', field: 'min_notice_minutes' });
    expect(await loadPolicy(h.db.orm.em.fork(), trainer.trainerId)).toEqual(DEFAULT_POLICY);
  });

  it('turns the credit rules on and off: credit_to_request, credit_to_approve, late_cancel_consumes, and what clients read about them', async () => {
    const trainer = await createTrainerPerson(h.db.orm.em.fork(), 0);
    const path = `/trainers/${trainer.trainerId}/policy`;
    const initial = await h.call<PolicyView>('GET', path, { token: trainer.token });
    expect(initial.body).toMatchObject({ credit_to_request: false, credit_to_approve: false, late_cancel_consumes: true, credit_summary: null });

    const on = await h.call<PolicyView>('PUT', path, { token: trainer.token, body: { credit_to_approve: true, late_cancel_consumes: false } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ credit_to_request: false, credit_to_approve: true, late_cancel_consumes: false });
    expect(on.body.customized.sort()).toEqual(['credit_to_approve', 'late_cancel_consumes']);
    expect(on.body.credit_summary).toMatch(/ books sessions against a pack: each session uses 1 credit; a late cancellation gives the credit back\.$/);
    expect(await loadPolicy(h.db.orm.em.fork(), trainer.trainerId)).toEqual({ ...DEFAULT_POLICY, creditToApprove: true, lateCancelConsumes: false });

    expect(await h.call<ErrorBody>('PUT', path, { token: trainer.token, body: { credit_to_request: 'yes' } })).toMatchObject({ status: 422, body: { field: 'credit_to_request' } });
    const reset = await h.call<PolicyView>('PUT', path, { token: trainer.token, body: { credit_to_approve: null, late_cancel_consumes: null } });
    expect(reset.body).toMatchObject({ credit_to_approve: false, late_cancel_consumes: true, customized: [], credit_summary: null });
  });

  it('is described in OpenAPI with its bounds and defaults', async () => {
    const doc = (await h.call<OpenAPIV3_1.Document>('GET', '/openapi.json')).body;
    const put = doc.paths?.['/trainers/{id}/policy']?.put;
    expect(Object.keys(put?.responses ?? {}).sort()).toEqual(['200', '401', '403', '404', '422']);
    const schema = JSON.stringify(doc);
    expect(schema).toContain('TrainerPolicyUpdate');
    expect(schema).toContain('(default 60)');
  });
});
