import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { USER_ROLES } from '../../domain/statuses';
import { ChatIdentity } from './chat-identity';

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.integer().primary(),
    email: p.string().nullable().unique(),
    username: p.string().unique(),
    fullName: p.string(),
    role: p.enum(USER_ROLES).default('CLIENT'),
    /** IANA zone the person's preferences are meant in; unknown until they tell us. */
    timeZone: p.string().nullable(),
    chatIdentities: () => p.oneToMany(ChatIdentity).mappedBy('user'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type User = InferEntity<typeof User>;
