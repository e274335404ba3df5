import type { ServiceDatabase } from '@samservice/platform/database';
import { AgencyEntity } from './agencies/agency.entity';
import { InitDirectory1764000000000 } from './migrations/1764000000000-InitDirectory';
import { CreateAgency1795504828201 } from './migrations/1795504828201-CreateAgency';

export const DIRECTORY_DATA_SOURCE = 'directory';

/** The directory service's part of the database: schema `directory`. */
export const directoryDatabase: ServiceDatabase = {
  service: DIRECTORY_DATA_SOURCE,
  schema: 'directory',
  entities: [AgencyEntity],
  migrations: [InitDirectory1764000000000, CreateAgency1795504828201],
};
