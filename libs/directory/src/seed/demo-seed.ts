import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@samservice/platform/database';
import { AgencyEntity, type AgencyLevelValue } from '../agencies/agency.entity';
import { directoryDatabase } from '../directory.database';

const DEMO_AGENCIES: Array<{ code: string; name: string; level: AgencyLevelValue }> = [
  { code: 'FK', name: 'Försäkringskassan', level: 'STATE' },
  { code: 'SKV', name: 'Skatteverket', level: 'STATE' },
  { code: 'PM', name: 'Pensionsmyndigheten', level: 'STATE' },
  { code: 'AF', name: 'Arbetsförmedlingen', level: 'STATE' },
  { code: 'MIGR', name: 'Migrationsverket', level: 'STATE' },
  { code: 'OREBRO', name: 'Örebro kommun', level: 'MUNICIPALITY' },
];

/**
 * Seeds the demo network into an empty directory. Returns false (and writes nothing)
 * when the directory already has data: demo rows never mix with real ones.
 */
export async function seedDirectoryDemo(databaseUrl: string): Promise<boolean> {
  const dataSource = new DataSource(dataSourceOptions(directoryDatabase, databaseUrl, 2));
  await dataSource.initialize();
  try {
    return await dataSource.transaction(async (manager) => {
      // One seeder at a time, even when several replicas start together.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        'samservice:seed:directory',
      ]);
      if ((await manager.count(AgencyEntity)) > 0) return false;
      await manager.insert(AgencyEntity, DEMO_AGENCIES);
      return true;
    });
  } finally {
    await dataSource.destroy();
  }
}
