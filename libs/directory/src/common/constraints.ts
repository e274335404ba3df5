import type { ConstraintMessage } from '@samservice/platform/database';

/** What each directory constraint means to the person whose change it refused. */
export const DIRECTORY_CONSTRAINTS: Record<string, ConstraintMessage> = {
  uq_agency_code: { field: 'code', message: 'code: another agency already has this code.' },
  uq_service_agency_code: {
    field: 'code',
    message: 'code: this agency already has a service with this code.',
  },
  ck_service_life_situations: {
    field: 'lifeSituations',
    message: 'lifeSituations: only the known life situations.',
  },
  uq_counter_office_name: {
    field: 'name',
    message: 'name: this office already has a counter with this name.',
  },
  uq_staff_subject: {
    field: 'subject',
    message: 'subject: another staff member already signs in with this subject.',
  },
  ex_allocation_weekly_overlap: {
    field: 'start',
    message: 'start: this allocation overlaps another weekly allocation of the same counter.',
  },
  ex_allocation_dated_overlap: {
    field: 'start',
    message: 'start: this allocation overlaps another allocation of the same counter on that date.',
  },
  ex_opening_hours_overlap: {
    field: 'hours',
    message: 'hours: two intervals of one weekday overlap.',
  },
  ex_opening_exception_overlap: {
    field: 'start',
    message: 'start: this overlaps other exceptional hours of the office on that date.',
  },
  ex_shift_overlap: {
    field: 'start',
    message:
      'start: this shift overlaps another shift of the same person (at this or another office).',
  },
  fk_office_service_participation: {
    field: 'serviceId',
    message: "serviceId: the service's agency does not take part in this office.",
  },
  fk_allocation_participation: {
    field: 'agencyId',
    message: 'agencyId: this agency does not take part in the office.',
  },
  fk_shift_staff_office: {
    field: 'officeId',
    message: 'officeId: the staff member does not work at this office.',
  },
  fk_competence_service: {
    field: 'serviceId',
    message: 'serviceId: the service does not belong to that agency.',
  },
  fk_office_agency_agency: { field: 'agencyId', message: 'agencyId: no such agency.' },
  fk_competence_agency: { field: 'agencyId', message: 'agencyId: no such agency.' },
  // Competences are replaced as a whole, so a clash is the same one listed twice in the input.
  uq_competence_agency: {
    field: 'competences',
    message: 'competences: the same agency is listed twice; list each agency once.',
  },
  uq_competence_service: {
    field: 'competences',
    message: 'competences: the same service is listed twice; list each service once.',
  },
  ck_agency_max_active_bookings: {
    field: 'maxActiveBookingsPerCitizen',
    message:
      "maxActiveBookingsPerCitizen: a whole number from 1 to 50 active bookings per citizen across the agency's services.",
  },
  ck_office_eve_closing: {
    field: 'eveClosingTime',
    message: 'eveClosingTime: a time of day from 00:00 to 24:00.',
  },
  ck_office_coordinates: {
    field: 'latitude',
    message: 'latitude: from -90 to 90, and longitude from -180 to 180.',
  },
  ck_counter_retired_final: {
    field: 'status',
    message:
      'status: the counter is retired, and retiring is final; create a new counter to bring a desk back into use.',
  },
  fk_staff_office_office: { field: 'officeIds', message: 'officeIds: no such office.' },
  fk_service_agency: { field: 'agencyId', message: 'agencyId: no such agency.' },
};
