import { LockMode, type MikroORM } from '@mikro-orm/postgresql';
import { randomInt } from 'node:crypto';
import { hashSecret } from './secret-hash';
import { ChatIdentity, ChatLinkCode } from '../db/entities';
import { DAY_MS } from '../domain/time';
import { logger } from '../logger';

// No 0/O or 1/I: codes are read off one screen and typed into another.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const DEFAULT_TTL_MS = DAY_MS;

const normalize = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
const hashOf = (code: string): string => hashSecret(normalize(code));

/**
 * Operator action: a one-time code (e.g. "K7QM-3XHD") that attaches whoever writes
 * `link K7QM-3XHD` to the bot to this user. Only its hash is stored; it expires in a day.
 */
export async function issueLinkCode(orm: MikroORM, userId: number, ttlMs = DEFAULT_TTL_MS, now = new Date()): Promise<string> {
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const em = orm.em.fork();
  em.create(ChatLinkCode, { user: userId, codeHash: hashOf(code), expiresAt: new Date(now.getTime() + ttlMs) });
  await em.flush();
  return code;
}

export type LinkOutcome = { linked: true; fullName: string } | { linked: false; message: string };

/** Attaches the identity to the code's user, once; a wrong, used or expired code changes nothing. */
export async function redeemLinkCode(orm: MikroORM, identityId: number, code: string, now = new Date()): Promise<LinkOutcome> {
  return orm.em.fork().transactional(async (tx) => {
    const link = await tx.findOne(ChatLinkCode, { codeHash: hashOf(code) }, { populate: ['user'], lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!link || link.usedAt || link.expiresAt <= now) {
      return { linked: false, message: 'That link code is not valid (it may be mistyped, used or expired); please ask for a new one.' };
    }
    link.usedAt = now;
    const identity = await tx.findOneOrFail(ChatIdentity, identityId);
    identity.user = link.user;
    logger.info({ identityId, userId: link.user.id }, 'chat identity linked with a link code');
    return { linked: true, fullName: link.user.fullName };
  });
}
