import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { hashSecret } from '../identity/secret-hash';
import { CalendarFeedToken, User } from '../db/entities';

/** Marks feed secrets so a leaked one is recognisable. */
const TOKEN_PREFIX = 'tbc_';

export function hashFeedToken(token: string): string {
  return hashSecret(token);
}

export interface IssuedFeedToken {
  userId: number;
  /** The secret itself: shown once, never stored (only its SHA-256 is). */
  token: string;
}

/**
 * A new feed secret for a user (32 random bytes, base64url): revokes the user's previous
 * ones in the same transaction, so a user has at most one working feed URL.
 */
export async function issueFeedToken(em: EntityManager, userId: number, now: Date = new Date()): Promise<IssuedFeedToken> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, userId);
    if (!user) throw new RangeError(`There is no user ${userId}.`);
    await tx.nativeUpdate(CalendarFeedToken, { user: userId, revokedAt: null }, { revokedAt: now });
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    tx.create(CalendarFeedToken, { user, tokenHash: hashFeedToken(token), createdAt: now });
    await tx.flush();
    return { userId, token };
  });
}

/** Revokes every working feed secret of a user; how many there were. */
export async function revokeFeedTokens(em: EntityManager, userId: number, now: Date = new Date()): Promise<number> {
  return em.nativeUpdate(CalendarFeedToken, { user: userId, revokedAt: null }, { revokedAt: now });
}

/** The owner of a working feed secret, or null: unknown and revoked secrets look the same. */
export async function resolveFeedToken(em: EntityManager, token: string): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await em.fork().findOne(CalendarFeedToken, { tokenHash: hashFeedToken(token), revokedAt: null }, { populate: ['user'] });
  return row?.user ?? null;
}
