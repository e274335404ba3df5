export * from './database';
export * from './scheduling.module';
export { AvailabilityService } from './availability/availability.service';
export { OfficeCalendarRepository } from './availability/office-calendar.repository';
export { Clock } from './common/clock';
export { JointVisitSearchService } from './joint-visits/joint-visit-search.service';
export { RevalidationService, type SweepResult } from './revalidation/revalidation.service';
export { CALL_NEXT_SQL } from './frontdesk/tickets.sql';
export { RetentionService, type PurgeResult } from './retention/retention.service';
