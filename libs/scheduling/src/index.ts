export * from './database';
export * from './scheduling.module';
export { AvailabilityService } from './availability/availability.service';
export { OfficeCalendarRepository } from './availability/office-calendar.repository';
export { Clock } from './common/clock';
export { RevalidationService, type SweepResult } from './revalidation/revalidation.service';
