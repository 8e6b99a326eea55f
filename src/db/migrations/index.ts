import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import { Migration20261124000000InitialSchema } from './Migration20261124000000InitialSchema';
import { Migration20261124100000ApiTokens } from './Migration20261124100000ApiTokens';
import { Migration20261124200000ChatMessages } from './Migration20261124200000ChatMessages';
import { Migration20261201000000TrainerPolicy } from './Migration20261201000000TrainerPolicy';
import { Migration20261210000000BookingSeries } from './Migration20261210000000BookingSeries';
import { Migration20261211000000SeriesRequests } from './Migration20261211000000SeriesRequests';
import { Migration20261220000000Credits } from './Migration20261220000000Credits';
import { Migration20261230000000Calendar } from './Migration20261230000000Calendar';

/** Every migration, in order; listed explicitly so no file globbing happens at run time. */
export const MIGRATIONS: { name: string; class: Constructor<Migration> }[] = [
  { name: 'Migration20261124000000InitialSchema', class: Migration20261124000000InitialSchema },
  { name: 'Migration20261124100000ApiTokens', class: Migration20261124100000ApiTokens },
  { name: 'Migration20261124200000ChatMessages', class: Migration20261124200000ChatMessages },
  { name: 'Migration20261201000000TrainerPolicy', class: Migration20261201000000TrainerPolicy },
  { name: 'Migration20261210000000BookingSeries', class: Migration20261210000000BookingSeries },
  { name: 'Migration20261211000000SeriesRequests', class: Migration20261211000000SeriesRequests },
  { name: 'Migration20261220000000Credits', class: Migration20261220000000Credits },
  { name: 'Migration20261230000000Calendar', class: Migration20261230000000Calendar },
];
