import type { UserRole } from '../../src/domain/statuses';

/** The person behind an incoming event, as the dialogue needs them: plain data, no entities. */
export interface ChatUser {
  userId: number;
  identityId: number;
  fullName: string;
  role: UserRole;
  /** The person's own IANA zone, if known. */
  timeZone: string | null;
  /** Set when the person is a trainer. */
  trainerId: number | null;
  trainerTimeZone: string | null;
}
