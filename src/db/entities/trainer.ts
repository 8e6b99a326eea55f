import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { User } from './user';

export const Trainer = defineEntity({
  name: 'Trainer',
  properties: {
    id: p.integer().primary(),
    user: () => p.oneToOne(User).owner().unique(),
    specialty: p.string().default(''),
    rating: p.decimal('number').precision(3).scale(2).default(0),
    pricePerHour: p.decimal('number').precision(10).scale(2),
    trainingTypes: p.json<string[]>().default('[]'),
    gymName: p.string().nullable(),
    gymAddress: p.string().nullable(),
    timeZone: p.string().default('UTC'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Trainer = InferEntity<typeof Trainer>;
