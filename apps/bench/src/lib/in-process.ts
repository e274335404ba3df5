import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@samservice/platform/database';
import { AvailabilityService, OfficeCalendarRepository, type Clock } from '@samservice/scheduling';
import { schedulingDatabase } from '@samservice/scheduling/database';
import type { BenchSystem } from './system';

export interface InProcessScheduling {
  repository: OfficeCalendarRepository;
  availability: AvailabilityService;
  /** The benchmark's pinned "now". */
  clock: Clock;
  close(): Promise<void>;
}

/**
 * The scheduling subgraph's calendar code in the benchmark's own process, on the system's
 * database with the subgraph's pool size: for filling an office and for the in-process
 * breakdowns the figures through the gateway are compared with.
 */
export async function inProcessScheduling(system: BenchSystem): Promise<InProcessScheduling> {
  const dataSource = new DataSource({
    ...dataSourceOptions(
      schedulingDatabase,
      system.stack.databaseUrl,
      system.config.databasePoolSize,
    ),
    logging: false,
  });
  await dataSource.initialize();
  const repository = new OfficeCalendarRepository(dataSource);
  const clock = { now: () => system.now } as unknown as Clock;
  return {
    repository,
    availability: new AvailabilityService(repository, clock),
    clock,
    close: () => dataSource.destroy(),
  };
}
