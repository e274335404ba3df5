import { directoryDatabase, seedDirectoryDemo } from '@samservice/directory/database';
import { gatewayDatabase } from '@samservice/gateway/database';
import type { ServiceDatabase } from '@samservice/platform/database';
import { migrateService } from '@samservice/platform/database';
import { schedulingDatabase } from '@samservice/scheduling/database';

/** Every service's database part, in migration order. */
export const SERVICE_DATABASES: readonly ServiceDatabase[] = [
  directoryDatabase,
  schedulingDatabase,
  gatewayDatabase,
];

export async function migrateAll(databaseUrl: string): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const definition of SERVICE_DATABASES) {
    applied[definition.service] = await migrateService(definition, databaseUrl);
  }
  return applied;
}

/** Seeds the demo network into an empty database; false when there was data already. */
export async function seedDemo(databaseUrl: string): Promise<boolean> {
  return seedDirectoryDemo(databaseUrl);
}
