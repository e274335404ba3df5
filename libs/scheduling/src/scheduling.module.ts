import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { SubgraphCoreModule } from '@samservice/platform/http';
import { AppointmentsResolver } from './appointments/appointments.resolver';
import { AppointmentsService } from './appointments/appointments.service';
import { BookingService, PERSONAL_DATA_PROTECTOR } from './appointments/booking.service';
import { HoldResolver } from './appointments/hold.resolver';
import { AvailabilityResolver } from './availability/availability.resolver';
import { AvailabilityService } from './availability/availability.service';
import { OfficeCalendarRepository } from './availability/office-calendar.repository';
import { CallerResolver } from './caller/caller.resolver';
import { Clock } from './common/clock';
import { schedulingDatabase } from './scheduling.database';
import { ScheduleResolver } from './schedule/schedule.resolver';
import { RevalidationService } from './revalidation/revalidation.service';
import { JointVisitSearchService } from './joint-visits/joint-visit-search.service';
import { JointVisitsResolver } from './joint-visits/joint-visits.resolver';
import { JointVisitsService } from './joint-visits/joint-visits.service';
import { FRONT_DESK_PROVIDERS } from './frontdesk/frontdesk.providers';
import { RetentionService } from './retention/retention.service';
import { AuditTrail } from './audit/audit-trail';
import { AuditResolver } from './audit/audit.resolver';
import { AbuseWatch } from './abuse/abuse-watch';
import { AbuseResolver } from './abuse/abuse.resolver';
import { SignedInCitizen } from './my-data/signed-in-citizen';
import { MyDataResolver } from './my-data/my-data.resolver';

/** The scheduling subgraph: availability, appointments, joint visits, and the front desk. */
@Module({})
export class SchedulingModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [
        // Lobby displays and staff queue views subscribe over graphql-ws (docs/frontdesk.md).
        SubgraphCoreModule.forRoot({
          config,
          database: schedulingDatabase,
          databaseUrl,
          subscriptions: true,
        }),
      ],
      providers: [
        Clock,
        {
          provide: PERSONAL_DATA_PROTECTOR,
          inject: [APP_CONFIG],
          useFactory: (appConfig: AppConfig) =>
            PersonalDataProtector.create({
              key: appConfig.personalDataKey,
              dataDir: appConfig.dataDir,
              isProduction: appConfig.isProduction,
            }),
        },
        OfficeCalendarRepository,
        AvailabilityService,
        AvailabilityResolver,
        BookingService,
        AppointmentsService,
        AppointmentsResolver,
        HoldResolver,
        CallerResolver,
        ScheduleResolver,
        RevalidationService,
        JointVisitSearchService,
        JointVisitsService,
        JointVisitsResolver,
        ...FRONT_DESK_PROVIDERS,
        RetentionService,
        AuditTrail,
        AuditResolver,
        AbuseWatch,
        AbuseResolver,
        MyDataResolver,
        SignedInCitizen,
      ],
    };
  }
}
