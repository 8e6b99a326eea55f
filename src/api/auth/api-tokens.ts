import type { EntityManager } from '@mikro-orm/postgresql';
import { hashSecret } from '../../identity/secret-hash';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiToken, User } from '../../db/entities';

/** Marks our tokens so a leaked one is recognisable (for example by secret scanners). */
const TOKEN_PREFIX = 'tba_';
// Writing last_used_at on every call would turn each read into a write; a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return hashSecret(token);
}

/** A new random token: 32 bytes from the OS's CSPRNG, base64url, with our prefix. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface IssuedToken {
  id: number;
  userId: number;
  name: string;
  /** The token itself: shown once, never stored. */
  token: string;
}

/** Issues a token for a user; only its hash is kept. */
export async function issueToken(em: EntityManager, userId: number, name: string): Promise<IssuedToken> {
  const user = await em.findOne(User, userId);
  if (!user) throw new RangeError(`There is no user ${userId}.`);
  const token = generateToken();
  const row = em.create(ApiToken, { user, name, tokenHash: hashToken(token) });
  await em.flush();
  return { id: row.id, userId: user.id, name, token };
}

/** Revokes a token; true when it existed and was live. */
export async function revokeToken(em: EntityManager, tokenId: number): Promise<boolean> {
  return (await em.nativeUpdate(ApiToken, { id: tokenId, revokedAt: null }, { revokedAt: new Date() })) > 0;
}

/** The live token's owner, or null: unknown and revoked tokens look the same to a caller. */
export async function findTokenOwner(em: EntityManager, token: string, now: Date = new Date()): Promise<User | null> {
  const row = await em.findOne(ApiToken, { tokenHash: hashToken(token), revokedAt: null }, { populate: ['user'] });
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: now });
  }
  return row.user;
}

/** Compares a presented secret with the expected one without leaking, by timing, how much matched. */
export function secretsEqual(presented: string, expected: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and length is not leaked.
  return timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest());
}
