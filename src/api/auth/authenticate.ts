import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import { Trainer } from '../../db/entities';
import { unauthorized } from '../errors';
import { findTokenOwner, secretsEqual } from './api-tokens';
import type { Caller } from './caller';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every protected route. */
    caller: Caller;
  }
}

export interface AuthenticatorOptions {
  orm: MikroORM;
  /** The bootstrap admin token (ADMIN_API_TOKEN); none when unset. */
  adminToken?: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The onRequest hook of protected routes: a bearer token, looked up by its hash, becomes
 * the request's `caller`. Tokens are never logged (the logger redacts authorization headers).
 */
export function createAuthenticator({ orm, adminToken }: AuthenticatorOptions) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw unauthorized();
    if (adminToken && secretsEqual(token, adminToken)) {
      request.caller = { role: 'ADMIN', userId: null, trainerId: null };
      return;
    }
    const em = orm.em.fork();
    const user = await findTokenOwner(em, token);
    if (!user) throw unauthorized('The API token is unknown or revoked.');
    const trainer = user.role === 'TRAINER' ? await em.findOne(Trainer, { user: user.id }, { fields: ['id'] }) : null;
    request.caller = { role: user.role, userId: user.id, trainerId: trainer?.id ?? null };
  };
}
