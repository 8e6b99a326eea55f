import { describe, expect, it } from 'vitest';
import type { PartyActor } from '../../src/domain/access';
import { creditReadScope, mayManagePacks, mayRecordPayment } from '../../src/domain/credits/access';
import { creditAccessWording } from '../../src/domain/credits/wording';

const client: PartyActor = { role: 'CLIENT', userId: 5 };
const trainer: PartyActor = { role: 'TRAINER', trainerId: 2 };
const admin: PartyActor = { role: 'ADMIN' };

describe('who may see and change packs, payments and credits', () => {
  it('packs and the low list: the trainer themself or an admin', () => {
    expect([mayManagePacks(trainer, 2), mayManagePacks(admin, 2)]).toEqual([null, null]);
    expect(mayManagePacks(trainer, 3)).toBe(creditAccessWording.managePacks);
    expect(mayManagePacks(client, 2, creditAccessWording.lowList)).toBe(creditAccessWording.lowList);
  });

  it('payments are recorded by the paid trainer or an admin, never a client', () => {
    expect([mayRecordPayment(trainer, 2), mayRecordPayment(admin, 7)]).toEqual([null, null]);
    expect(mayRecordPayment(trainer, 3)).toBe(creditAccessWording.recordPaymentOtherTrainer);
    expect(mayRecordPayment(client, 2)).toBe(creditAccessWording.recordPaymentClient);
  });

  it('reads are narrowed to the reader: a client their own, a trainer their clients, an admin what they ask', () => {
    expect(creditReadScope(client, {})).toEqual({ scope: { clientId: 5 } });
    expect(creditReadScope(client, { clientId: 5, trainerId: 2 })).toEqual({ scope: { clientId: 5, trainerId: 2 } });
    expect(creditReadScope(client, { clientId: 6 })).toEqual({ refusal: creditAccessWording.otherClient });
    expect(creditReadScope(trainer, { clientId: 5 })).toEqual({ scope: { clientId: 5, trainerId: 2 } });
    expect(creditReadScope(trainer, { trainerId: 3 })).toEqual({ refusal: creditAccessWording.otherTrainer });
    expect(creditReadScope(admin, {})).toEqual({ scope: {} });
    expect(creditReadScope(admin, { trainerId: 3 })).toEqual({ scope: { trainerId: 3 } });
  });
});
