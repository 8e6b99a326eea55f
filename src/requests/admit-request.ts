import type { EntityManager } from '@mikro-orm/postgresql';
import { BookingRequest } from '../db/entities';
import { PolicyRefusalError } from '../domain/policy/errors';
import { checkClientLimits } from '../domain/policy/rules';
import { pendingRequestRow } from './request-row';
import { countClientLoad, loadPolicy, lockClientLoad } from '../policy/policy-store';
import type { BookingRequestInput } from '../../workflows/contract';

export interface Admission {
  /** The workflow that will own the request (`booking-request-<id>`). */
  workflowId: string;
  /** Until when the request stays PENDING; the workflow's persistRequest sets its own deadline over it. */
  expiresAt: Date;
  now?: Date;
}

/**
 * Lets a prepared request in under the client's limits (pending requests, pending with this
 * trainer, upcoming bookings; `checkClientLimits`) and stores it PENDING, in one transaction
 * that first takes the client's load lock: concurrent requests of one client are counted
 * one after the other, so they can never exceed a limit together. A refusal throws
 * PolicyRefusalError (nothing is written). The workflow's persistRequest then finds the row.
 */
export async function admitBookingRequest(em: EntityManager, request: BookingRequestInput, admission: Admission): Promise<void> {
  const now = admission.now ?? new Date();
  await em.fork().transactional(async (tx) => {
    await lockClientLoad(tx, request.clientId);
    const policy = request.policy ?? (await loadPolicy(tx, request.trainerId));
    const load = await countClientLoad(tx, request.clientId, request.trainerId, now);
    const refusal = checkClientLimits(policy, load, request.trainerName);
    if (refusal) throw new PolicyRefusalError(refusal);
    tx.create(BookingRequest, pendingRequestRow(request, { expiresAt: admission.expiresAt, workflowId: admission.workflowId }));
    await tx.flush();
  });
}

/**
 * A request whose workflow never started: closed as EXPIRED at once, so it no longer counts
 * against the client's limits (its id stays taken). Only a PENDING row changes.
 */
export async function abandonBookingRequest(em: EntityManager, bookingRequestId: number): Promise<void> {
  await em.fork().nativeUpdate(BookingRequest, { id: bookingRequestId, status: 'PENDING' }, { status: 'EXPIRED', rejectionReason: 'The request could not be started.', updatedAt: new Date() });
}
