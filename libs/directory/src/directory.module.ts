import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@samservice/platform/config';
import { SubgraphCoreModule } from '@samservice/platform/http';
import { AgenciesModule } from './agencies/agencies.module';
import { directoryDatabase } from './directory.database';

/** The directory subgraph: agencies, offices, counters, services, staff, calendars. */
@Module({})
export class DirectoryModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [
        SubgraphCoreModule.forRoot({ config, database: directoryDatabase, databaseUrl }),
        AgenciesModule,
      ],
    };
  }
}
