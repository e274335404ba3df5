import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { addDays, openIntervalsUtc, localMinuteToUtc, weekdayOf } from '@samservice/calendar';
import { DomainError } from '@samservice/platform/errors';
import { isUuid } from '@samservice/platform/http';
import { ticketLetters } from '@samservice/queue';
import type {
  AllocationRow,
  CounterRow,
  OfficeRow,
  ServiceRow,
  StaffRow,
} from '../availability/office-calendar.repository';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { allocationsOn, withinValidity } from '../availability/allocations';
import { VisitNeed } from '../availability/needs';

/** How far ahead the next opening is looked for when the office is closed. */
const NEXT_OPENING_SEARCH_DAYS = 21;

export interface OfficeDay {
  office: OfficeRow;
  /** The office-local date of `now`. */
  today: string;
  /** The open interval `now` is in, if the office is open. */
  open?: { start: number; end: number };
  /** The next opening after now, when closed (within three weeks). */
  nextOpening?: number;
}

/** What a counter offers a ticket now: the features its needs ask for, the agencies it may serve. */
export interface CounterNow {
  counter: CounterRow;
  /** VisitNeed values the counter meets (EXTRA_TIME: every counter). */
  features: string[];
  /** The one agency the counter's time is reserved for now; undefined: pooled. */
  reservedFor?: string;
}

/** The local minute of the day of an instant in a zone (0..1439). */
export function localMinute(zone: string, instant: number): number {
  const local = DateTime.fromMillis(instant, { zone });
  return local.hour * 60 + local.minute;
}

export function localDate(zone: string, instant: number): string {
  return DateTime.fromMillis(instant, { zone }).toISODate() as string;
}

export function counterFeatures(counter: CounterRow): string[] {
  const features: string[] = [VisitNeed.EXTRA_TIME];
  if (counter.accessibleDesk) features.push(VisitNeed.WHEELCHAIR_ACCESS);
  if (counter.hearingLoop) features.push(VisitNeed.HEARING_LOOP);
  if (counter.privateRoom) features.push(VisitNeed.PRIVATE_ROOM);
  return features;
}

/** Whether the person is trained for the service (its agency, or the service itself). */
export function competentFor(staff: StaffRow, service: Pick<ServiceRow, 'serviceId' | 'agencyId'>) {
  return staff.agencyIds.includes(service.agencyId) || staff.serviceIds.includes(service.serviceId);
}

/**
 * The directory facts the front desk decides with, at an instant, read through the same
 * cached views as availability (OfficeCalendarRepository): opening hours of the day, the
 * counters' allocations at this moment, the staff and their shifts, the ticket letters.
 */
/** Counters whose office is remembered; beyond it the map starts over. */
const MAX_REMEMBERED_COUNTERS = 10_000;

@Injectable()
export class DeskFacts {
  /** A counter's office: set when it is created, never changed (the directory has no move). */
  private readonly counterOffices = new Map<string, string>();

  constructor(private readonly calendar: OfficeCalendarRepository) {}

  /** The office of a counter, any status; undefined for an unknown counter. */
  async officeIdOfCounter(counterId: string): Promise<string | undefined> {
    const known = this.counterOffices.get(counterId);
    if (known) return known;
    const officeId = await this.calendar.officeOfCounter(counterId);
    if (officeId) {
      if (this.counterOffices.size >= MAX_REMEMBERED_COUNTERS) this.counterOffices.clear();
      this.counterOffices.set(counterId, officeId);
    }
    return officeId;
  }

  async office(officeId: string): Promise<OfficeRow> {
    const office = isUuid(officeId) ? await this.calendar.office(officeId) : undefined;
    if (!office || !office.active) throw DomainError.notFound(`No office with id "${officeId}".`);
    return office;
  }

  /** Today at the office: its date, and whether (and until when) it is open now. */
  async day(office: OfficeRow, now: number): Promise<OfficeDay> {
    const today = localDate(office.timeZone, now);
    const last = addDays(today, NEXT_OPENING_SEARCH_DAYS);
    const hours = await this.calendar.openingHours(office, today, last);
    const intervals = openIntervalsUtc(hours, today, last);
    const current = intervals.find((i) => i.startUtcMs <= now && now < i.endUtcMs);
    const next = intervals.find((i) => i.startUtcMs > now);
    return {
      office,
      today,
      open: current ? { start: current.startUtcMs, end: current.endUtcMs } : undefined,
      nextOpening: current ? undefined : next?.startUtcMs,
    };
  }

  /** When the office closed on a local date (its last open minute); undefined: closed all day. */
  async closingOf(office: OfficeRow, date: string): Promise<number | undefined> {
    const hours = await this.calendar.openingHours(office, date, date);
    return openIntervalsUtc(hours, date, date).at(-1)?.endUtcMs;
  }

  /** The office's services, active ones only, by id. */
  async services(officeId: string): Promise<Map<string, ServiceRow>> {
    const rows = await this.calendar.officeServices(officeId);
    return new Map(rows.filter((s) => s.active).map((s) => [s.serviceId, s]));
  }

  /** The service as offered here now, or the error a caller can act on. */
  async offeredService(office: OfficeRow, serviceId: string, field = 'serviceId') {
    const service = isUuid(serviceId) ? (await this.services(office.id)).get(serviceId) : undefined;
    if (service) return service;
    if (isUuid(serviceId) && (await this.calendar.serviceExists(serviceId))) {
      throw DomainError.badInput(`${field}: ${office.name} does not offer this service.`, field);
    }
    throw DomainError.notFound(`No service with id "${serviceId}".`);
  }

  /** The letter of each agency taking part in the office (its services' agencies). */
  async letters(officeId: string): Promise<Map<string, string>> {
    const [services, agencies] = await Promise.all([
      this.calendar.officeServices(officeId),
      this.calendar.agencies(),
    ]);
    const present = new Set(services.map((s) => s.agencyId));
    return ticketLetters(agencies.filter((a) => present.has(a.id)));
  }

  async agencyCode(agencyId: string): Promise<string | undefined> {
    return (await this.calendar.agencyCodes()).get(agencyId);
  }

  async staff(officeId: string): Promise<StaffRow[]> {
    return (await this.calendar.staff(officeId)).staff;
  }

  /** The active staff member of the office signed in with this subject. */
  async staffBySubject(officeId: string, subject: string): Promise<StaffRow | undefined> {
    return (await this.staff(officeId)).find((s) => s.subject === subject);
  }

  /** Staff whose shift covers `now` at the office and who are not away (an absence) now. */
  async staffOnShift(office: OfficeRow, now: number): Promise<StaffRow[]> {
    const { staff, shifts } = await this.calendar.staff(office.id);
    const today = localDate(office.timeZone, now);
    const weekday = weekdayOf(today);
    const onShift = new Set(
      shifts
        .filter(
          (s) =>
            s.weekday === weekday &&
            withinValidity(today, s.validFrom, s.validTo) &&
            localMinuteToUtc(office.timeZone, today, s.startMinute) <= now &&
            now < localMinuteToUtc(office.timeZone, today, s.endMinute),
        )
        .map((s) => s.staffId),
    );
    const away = new Set(
      await this.calendar.absentAt(
        staff.filter((s) => onShift.has(s.id)).map((s) => s.id),
        now,
      ),
    );
    return staff.filter((s) => onShift.has(s.id) && !away.has(s.id));
  }

  async counters(officeId: string): Promise<CounterRow[]> {
    return (await this.calendar.counters(officeId)).counters;
  }

  /** A counter of the office in use, with what it offers now; undefined: unknown or not in use. */
  async counterNow(
    office: OfficeRow,
    counterId: string,
    now: number,
  ): Promise<CounterNow | undefined> {
    const { counters, allocations } = await this.calendar.counters(office.id);
    const counter = counters.find((c) => c.id === counterId);
    if (!counter) return undefined;
    return {
      counter,
      features: counterFeatures(counter),
      reservedFor: this.reservedAt(
        office,
        allocations.filter((a) => a.counterId === counterId),
        now,
      ),
    };
  }

  /**
   * The agency a counter's time is reserved for at an instant: its DATED allocations that day
   * if it has any, else its WEEKLY ones; time no allocation covers, or a pooled one, is open
   * to every agency (the engine's rule for bookings).
   */
  private reservedAt(office: OfficeRow, rows: AllocationRow[], now: number): string | undefined {
    const zone = office.timeZone;
    const date = localDate(zone, now);
    const weekday = weekdayOf(date);
    const applicable = allocationsOn(rows, date, weekday);
    const covering = applicable.find(
      (a) =>
        localMinuteToUtc(zone, date, a.startMinute) <= now &&
        now < localMinuteToUtc(zone, date, a.endMinute),
    );
    return covering?.agencyId ?? undefined;
  }

  /** The services a person at a counter may be called for now. */
  async servicesFor(
    office: OfficeRow,
    staff: StaffRow,
    counter: CounterNow,
  ): Promise<ServiceRow[]> {
    const services = await this.services(office.id);
    return [...services.values()].filter(
      (s) =>
        (counter.reservedFor === undefined || counter.reservedFor === s.agencyId) &&
        competentFor(staff, s),
    );
  }
}
