import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@samservice/platform/config';
import { SubgraphCoreModule } from '@samservice/platform/http';
import { CallerResolver } from './caller/caller.resolver';
import { schedulingDatabase } from './scheduling.database';

/** The scheduling subgraph: availability, appointments, joint visits. */
@Module({})
export class SchedulingModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [SubgraphCoreModule.forRoot({ config, database: schedulingDatabase, databaseUrl })],
      providers: [CallerResolver],
    };
  }
}
