import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { User } from './user';

/**
 * A bearer token a program or an operator uses to call the HTTP API as one user. Only the
 * SHA-256 of the token is stored: the token itself is shown once, when it is issued.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    /** What the token is for ("booking website", "ops laptop"), so a person can tell them apart. */
    name: p.string(),
    /** Hex SHA-256 of the token; tokens are 32 random bytes, so no salt or slow hash is needed. */
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InferEntity<typeof ApiToken>;
