import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyWording } from '../../../src/domain/policy';
import { loadPolicy } from '../../../src/policy';
import { dayAhead } from '../../support/time';
import { SlackHarness } from './slack-harness';
import { bodyOf, fieldsOf } from './slack-person';

let harness: SlackHarness;

beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'http' });
});
afterAll(async () => {
  await harness?.stop();
});

describe('Slack: a trainer changes the booking policy in a modal (real Bolt receiver)', () => {
  it('opens the times form as a modal with optional fields, keeps it open with the rule on an invalid value, saves a valid one', async () => {
    const { fake } = harness;
    const { trainer, person: coach } = await harness.trainer(dayAhead(8));

    let mark = fake.mark();
    await coach.say('policy');
    const shown = await coach.nextMessage(mark);
    expect(bodyOf(shown)).toBe(policyWording.settingsIntro());
    expect(fieldsOf(shown)['Minimum notice']).toBe('1 h');

    mark = fake.mark();
    await coach.press(shown, 'Change times…');
    const modal = await coach.nextView(mark);
    expect(modal.view).toMatchObject({ type: 'modal', title: { text: 'Booking times' }, submit: { text: 'Save' } });
    expect((modal.view.blocks as { block_id: string; optional?: boolean }[]).map((b) => [b.block_id, b.optional])).toEqual([
      ['minNoticeMinutes', true],
      ['horizonDays', true],
      ['bufferBeforeMinutes', true],
      ['bufferAfterMinutes', true],
      ['cancelCutoffMinutes', true],
    ]);

    // Out of bounds: the modal stays open with checkPolicyValid's sentence; nothing is saved.
    const invalid = await coach.submit(modal, { horizonDays: '1000' });
    expect(invalid).toMatchObject({ status: 200, json: { response_action: 'errors', errors: { minNoticeMinutes: 'horizon_days must be a whole number from 1 to 730.' } } });
    expect(modal.open).toBe(true);
    expect((await loadPolicy(harness.db.orm.em.fork(), trainer.id)).horizonDays).toBe(90);

    mark = fake.mark();
    const saved = await coach.submit(modal, { minNoticeMinutes: '12', cancelCutoffMinutes: '48' });
    expect(saved.status).toBe(200);
    expect(modal.open).toBe(false);
    expect(bodyOf(await coach.nextMessage(mark))).toBe(policyWording.settingsSaved());
    expect(await loadPolicy(harness.db.orm.em.fork(), trainer.id)).toMatchObject({ minNoticeMinutes: 720, cancelCutoffMinutes: 2880, horizonDays: 90 });
  });
});
