import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { maskNormalizedIdentityNumber } from '@samservice/identity';
import { CurrentPrincipal, requireRole, type Principal } from '@samservice/platform/auth';
import { PersonalDataProtector } from '@samservice/platform/crypto';
import { DomainError } from '@samservice/platform/errors';
import { isUuid, LocalDate } from '@samservice/platform/http';
import { AppointmentStatus, BookingChannel } from '../appointments/appointment.model';
import { PERSONAL_DATA_PROTECTOR } from '../appointments/booking.service';
import { isoInZone } from '../availability/availability.resolver';
import { MAX_RANGE_DAYS } from '../availability/availability.service';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { localMinuteToUtc } from '@samservice/calendar';
import { trainedFor } from '../common/agency-access';
import { Clock } from '../common/clock';
import { AuditTrail } from '../audit/audit-trail';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { AgencyAppointmentPageModel, ScheduleEntryModel } from './schedule.model';

interface Row {
  id: string;
  reference: string;
  status: keyof typeof AppointmentStatus;
  startsAt: Date;
  endsAt: Date;
  serviceId: string;
  officeId: string;
  agencyCode: string;
  counterId: string;
  staffId: string;
  channel: keyof typeof BookingChannel;
  citizenName: string | null;
  identitySealed: Buffer | null;
  timeZone?: string;
  jointVisitId?: string | null;
}

interface PartRow {
  jointVisitId: string;
  startsAt: Date;
  endsAt: Date;
  counterId: string;
  agencyCode: string;
  id: string;
}

@Resolver()
export class ScheduleResolver {
  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly calendar: OfficeCalendarRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  /**
   * The masked identity number ('19850709-****'). The stored birth date is the real one, which
   * for a samordningsnummer is not what the number says (day + 60), so the sealed number is
   * opened: one AES-GCM decryption (a few microseconds) per row shown with a name.
   */
  private maskedIdentity(row: Row): string | null {
    return row.identitySealed
      ? maskNormalizedIdentityNumber(this.protector.decrypt(row.identitySealed))
      : null;
  }

  /** Records the reads of the entries that show a citizen's name and number (the audit log). */
  private async audited(
    principal: Principal,
    operation: string,
    entries: ScheduleEntryModel[],
    officeId: string,
  ): Promise<ScheduleEntryModel[]> {
    await this.audit.record(
      principal,
      operation,
      entries
        .filter((e) => e.citizenName !== null || e.identityNumber !== null)
        .map((e) => ({ officeId, appointmentId: e.id })),
    );
    return entries;
  }

  @Query(() => [ScheduleEntryModel], {
    description: "Staff of the office (or admin): the office's appointments on a local day.",
  })
  async officeSchedule(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('date', { type: () => LocalDate }) date: string,
  ): Promise<ScheduleEntryModel[]> {
    requireRole(principal, 'staff', 'admin');
    if (principal.role === 'staff' && !principal.offices.includes(officeId)) {
      throw DomainError.forbidden('Only staff of this office see its schedule.');
    }
    const office = isUuid(officeId) ? await this.calendar.office(officeId) : undefined;
    if (!office) throw DomainError.notFound(`No office with id "${officeId}".`);
    const dayAfter = DateTime.fromISO(date, { zone: 'UTC' })
      .plus({ days: 1 })
      .toISODate() as string;
    const rows: Row[] = await this.db.query(
      `SELECT a.id, a.reference, a.status, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.service_id AS "serviceId",
              a.office_id AS "officeId", ag.code AS "agencyCode", a.counter_id AS "counterId", a.staff_id AS "staffId",
              a.channel, c.name AS "citizenName", c.identity_number_sealed AS "identitySealed", $4::text AS "timeZone", a.joint_visit_id AS "jointVisitId"
       FROM scheduling.appointment a
       JOIN directory.published_agency ag ON ag.agency_id = a.agency_id
       LEFT JOIN scheduling.appointment_contact c ON c.appointment_id = a.id
       WHERE a.office_id = $1 AND a.status <> 'HELD' AND a.starts_at >= $2 AND a.starts_at < $3
       ORDER BY a.starts_at, a.id`,
      [
        office.id,
        new Date(localMinuteToUtc(office.timeZone, date, 0)),
        new Date(localMinuteToUtc(office.timeZone, dayAfter, 0)),
        office.timeZone,
      ],
    );
    return this.audited(
      principal,
      'officeSchedule',
      await this.entries(rows, office.timeZone, principal),
      office.id,
    );
  }

  /** Entries, with the other parts of any joint visit among them (one query for all). */
  private async entries(
    rows: Row[],
    zone: string,
    principal: Principal,
  ): Promise<ScheduleEntryModel[]> {
    const visitIds = [...new Set(rows.map((r) => r.jointVisitId).filter((id) => !!id))];
    const partsOf = new Map<string, PartRow[]>();
    if (visitIds.length > 0) {
      const parts: PartRow[] = await this.db.query(
        `SELECT a.id, a.joint_visit_id AS "jointVisitId", a.starts_at AS "startsAt", a.ends_at AS "endsAt",
                a.counter_id AS "counterId", ag.code AS "agencyCode"
         FROM scheduling.appointment a
         JOIN directory.published_agency ag ON ag.agency_id = a.agency_id
         WHERE a.joint_visit_id = ANY($1::uuid[])
           AND a.status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'NEEDS_REBOOKING')
         ORDER BY a.starts_at, a.id`,
        [visitIds],
      );
      for (const part of parts) {
        const list = partsOf.get(part.jointVisitId) ?? [];
        list.push(part);
        partsOf.set(part.jointVisitId, list);
      }
    }
    const step = (part: PartRow | undefined) =>
      part
        ? {
            start: isoInZone(part.startsAt.getTime(), zone),
            end: isoInZone(part.endsAt.getTime(), zone),
            counterId: part.counterId,
            agency: part.agencyCode,
          }
        : null;
    return rows.map((row) => {
      const entry = this.entry(row, zone, principal);
      const parts = row.jointVisitId ? partsOf.get(row.jointVisitId) : undefined;
      const index = parts ? parts.findIndex((p) => p.id === row.id) : -1;
      if (parts && index >= 0) {
        entry.jointVisit = {
          part: index + 1,
          parts: parts.length,
          previous: step(parts[index - 1]),
          next: step(parts[index + 1]),
        };
      }
      return entry;
    });
  }

  private async officeForStaff(principal: Principal, officeId: string) {
    requireRole(principal, 'staff', 'admin');
    if (principal.role === 'staff' && !principal.offices.includes(officeId)) {
      throw DomainError.forbidden('Only staff of this office see its appointments.');
    }
    const office = isUuid(officeId) ? await this.calendar.office(officeId) : undefined;
    if (!office) throw DomainError.notFound(`No office with id "${officeId}".`);
    return office;
  }

  /**
   * Agency secrecy at the counter: the citizen's name only for staff trained for that agency;
   * for a part of a joint visit also its service and reference (the reference would open the
   * part, and the visit, by appointmentByReference and jointVisitByReference).
   */
  private entry(row: Row, zone: string, principal: Principal): ScheduleEntryModel {
    const competent = trainedFor(principal, row.agencyCode);
    const hidden = !competent && !!row.jointVisitId;
    return {
      id: row.id,
      reference: hidden ? null : row.reference,
      status: AppointmentStatus[row.status],
      start: isoInZone(row.startsAt.getTime(), zone),
      end: isoInZone(row.endsAt.getTime(), zone),
      service: hidden ? null : { id: row.serviceId },
      agency: row.agencyCode,
      counterId: row.counterId,
      staffId: row.staffId,
      channel: BookingChannel[row.channel],
      citizenName: competent ? row.citizenName : null,
      identityNumber: competent ? this.maskedIdentity(row) : null,
      jointVisit: null,
    };
  }

  @Query(() => [ScheduleEntryModel], {
    description:
      'Staff of the office (or admin): future appointments a directory change left without a counter or person (NEEDS_REBOOKING), to move (rescheduleAppointment) or cancel.',
  })
  async affectedAppointments(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
  ): Promise<ScheduleEntryModel[]> {
    const office = await this.officeForStaff(principal, officeId);
    const rows: Row[] = await this.db.query(
      `SELECT a.id, a.reference, a.status, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.service_id AS "serviceId",
              a.office_id AS "officeId", ag.code AS "agencyCode", a.counter_id AS "counterId", a.staff_id AS "staffId",
              a.channel, c.name AS "citizenName", c.identity_number_sealed AS "identitySealed", a.joint_visit_id AS "jointVisitId"
       FROM scheduling.appointment a
       JOIN directory.published_agency ag ON ag.agency_id = a.agency_id
       LEFT JOIN scheduling.appointment_contact c ON c.appointment_id = a.id
       WHERE a.office_id = $1 AND a.status = 'NEEDS_REBOOKING' AND a.starts_at > $2
       ORDER BY a.starts_at, a.id`,
      [office.id, new Date(this.clock.now())],
    );
    return this.audited(
      principal,
      'affectedAppointments',
      await this.entries(rows, office.timeZone, principal),
      office.id,
    );
  }

  @Query(() => AgencyAppointmentPageModel, {
    description:
      "An agency's client: its own appointments from..to (local days, at most 62), oldest first, in pages.",
  })
  async agencyAppointments(
    @CurrentPrincipal() principal: Principal,
    @Args('from', { type: () => LocalDate }) from: string,
    @Args('to', { type: () => LocalDate }) to: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 100 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AgencyAppointmentPageModel> {
    requireRole(principal, 'agency');
    if (to < from) throw DomainError.badInput(`to: ${to} is before from ${from}.`, 'to');
    if (DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1 > MAX_RANGE_DAYS) {
      throw DomainError.badInput(`to: at most ${MAX_RANGE_DAYS} days at a time.`, 'to');
    }
    if (!Number.isInteger(first) || first < 1 || first > 500)
      throw DomainError.badInput('first: from 1 to 500.', 'first');
    const cursor = after ? this.decodeCursor(after) : undefined;
    const dayAfter = DateTime.fromISO(to, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;
    // Days are each office's local days: PostgreSQL turns local midnight into an instant per office zone.
    const rows: Row[] = await this.db.query(
      `SELECT a.id, a.reference, a.status, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.service_id AS "serviceId",
              a.office_id AS "officeId", ag.code AS "agencyCode", a.counter_id AS "counterId", a.staff_id AS "staffId",
              a.channel, c.name AS "citizenName", c.identity_number_sealed AS "identitySealed", o.time_zone AS "timeZone"
       FROM scheduling.appointment a
       JOIN directory.published_agency ag ON ag.agency_id = a.agency_id
       JOIN directory.published_office o ON o.id = a.office_id
       LEFT JOIN scheduling.appointment_contact c ON c.appointment_id = a.id
       WHERE ag.code = $1 AND a.status <> 'HELD'
         AND a.starts_at >= ($2::date::timestamp AT TIME ZONE o.time_zone)
         AND a.starts_at < ($3::date::timestamp AT TIME ZONE o.time_zone)
         AND ($4::timestamptz IS NULL OR (a.starts_at, a.id) > ($4::timestamptz, $5::uuid))
       ORDER BY a.starts_at, a.id
       LIMIT $6`,
      [principal.agency, from, dayAfter, cursor?.startsAt ?? null, cursor?.id ?? null, first + 1],
    );
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    await this.audit.record(
      principal,
      'agencyAppointments',
      page.map((row) => ({ officeId: row.officeId, appointmentId: row.id })),
    );
    return {
      items: page.map((row) => ({
        id: row.id,
        reference: row.reference,
        status: AppointmentStatus[row.status],
        start: isoInZone(row.startsAt.getTime(), row.timeZone as string),
        end: isoInZone(row.endsAt.getTime(), row.timeZone as string),
        office: { id: row.officeId },
        service: { id: row.serviceId },
        channel: BookingChannel[row.channel],
        citizenName: row.citizenName ?? '',
        identityNumber: this.maskedIdentity(row),
      })),
      nextCursor:
        rows.length > first && last
          ? Buffer.from(`${last.startsAt.toISOString()}|${last.id}`).toString('base64url')
          : null,
    };
  }

  private decodeCursor(after: string): { startsAt: Date; id: string } {
    const [iso, id] = Buffer.from(after, 'base64url').toString('utf8').split('|');
    const startsAt = new Date(iso ?? '');
    if (!id || !isUuid(id) || Number.isNaN(startsAt.getTime()))
      throw DomainError.badInput('after: not a cursor from this list.', 'after');
    return { startsAt, id };
  }
}
