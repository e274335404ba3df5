import type { ServiceDatabase } from '@samservice/platform/database';
import { InitScheduling1764000000000 } from './migrations/1764000000000-InitScheduling';

/** The scheduling service's part of the database: schema `scheduling`. */
export const schedulingDatabase: ServiceDatabase = {
  service: 'scheduling',
  schema: 'scheduling',
  entities: [],
  migrations: [InitScheduling1764000000000],
};
