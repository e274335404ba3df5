import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@samservice/platform/config';
import { SubgraphCoreModule } from '@samservice/platform/http';
import { AgenciesResolver } from './agencies/agencies.resolver';
import { AgenciesService } from './agencies/agencies.service';
import { DirectoryLoaderFactory } from './common/loaders';
import {
  CounterAllocationsResolver,
  CountersResolver,
  OfficeCountersResolver,
} from './counters/counters.resolver';
import { CountersService } from './counters/counters.service';
import { directoryDatabase } from './directory.database';
import { OfficesResolver } from './offices/offices.resolver';
import { OfficesService } from './offices/offices.service';
import { OpeningHoursService } from './offices/opening-hours.service';
import { ServicesResolver } from './services/services.resolver';
import { ServicesService } from './services/services.service';
import {
  CompetenceResolver,
  OfficeStaffResolver,
  StaffOfficeResolver,
  StaffResolver,
} from './staff/staff.resolver';
import { StaffService } from './staff/staff.service';

/** The directory subgraph: agencies, services, offices, counters, staff and calendars. */
@Module({})
export class DirectoryModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [SubgraphCoreModule.forRoot({ config, database: directoryDatabase, databaseUrl })],
      providers: [
        DirectoryLoaderFactory,
        AgenciesService,
        AgenciesResolver,
        ServicesService,
        ServicesResolver,
        OfficesService,
        OpeningHoursService,
        OfficesResolver,
        CountersService,
        CountersResolver,
        CounterAllocationsResolver,
        OfficeCountersResolver,
        StaffService,
        StaffResolver,
        StaffOfficeResolver,
        CompetenceResolver,
        OfficeStaffResolver,
      ],
    };
  }
}
