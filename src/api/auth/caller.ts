import type { UserRole } from '../../domain/statuses';
import type { Actor } from '../../../workflows/contract';

/**
 * Who is calling. `userId` is null only for the bootstrap admin (ADMIN_API_TOKEN), which
 * is no user; `trainerId` is the caller's trainer profile, if they have one.
 */
export interface Caller {
  role: UserRole;
  userId: number | null;
  trainerId: number | null;
}

/** The bootstrap admin is recorded in workflow history as user 0. */
const BOOTSTRAP_ADMIN_USER_ID = 0;

/** The caller as the booking workflow's cancel/reschedule Updates name who acts. */
export function actorOf(caller: Caller): Actor {
  if (caller.role === 'ADMIN') return { role: 'ADMIN', userId: caller.userId ?? BOOTSTRAP_ADMIN_USER_ID };
  if (caller.role === 'TRAINER' && caller.trainerId !== null) return { role: 'TRAINER', trainerId: caller.trainerId };
  return { role: 'CLIENT', userId: caller.userId ?? BOOTSTRAP_ADMIN_USER_ID };
}
