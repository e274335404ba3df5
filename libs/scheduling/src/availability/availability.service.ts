import { Injectable } from '@nestjs/common';
import {
  addDays,
  dayCount,
  isoInZone,
  localDayConverter,
  localDates,
  localMinuteToUtc,
  openIntervalsUtc,
  weekdayOf,
} from '@samservice/calendar';
import { DomainError } from '@samservice/platform/errors';
import { isUuid, REQUEST_LIMITS } from '@samservice/platform/http';
import type {
  AvailabilityInput,
  EngineCounter,
  EngineService,
  EngineStaff,
  Interval,
} from '@samservice/scheduling-engine';
import { Clock } from '../common/clock';
import { allocationsOn, withinValidity } from './allocations';
import { checkNeeds, engineNeeds, type VisitNeed } from './needs';
import {
  OfficeCalendarRepository,
  type AllocationRow,
  type OfficeRow,
  type ServiceRow,
  type ShiftRow,
} from './office-calendar.repository';

/** The gateway's engine-day budget counts with the same figure. */
export const MAX_RANGE_DAYS = REQUEST_LIMITS.maxRangeDays;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

export interface AvailabilityRequest {
  officeId: string;
  serviceId: string;
  from: string;
  to: string;
  language?: string | null;
  needs?: VisitNeed[] | null;
}

export interface AvailabilityContext {
  office: OfficeRow;
  service: ServiceRow;
  /** Null when no day of the range can be booked (all past, or all beyond the horizon). */
  input: AvailabilityInput | null;
}

/**
 * Intervals by key, each group sorted by start; items whose key is null are left out. Sorted
 * small groups here are cheaper than one big sort in the database, and the engine takes
 * sorted lists as they are.
 */
function groupBy<T extends Interval>(
  items: T[],
  key: (item: T) => string | null,
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  for (const group of groups.values()) group.sort((a, b) => a.start - b.start);
  return groups;
}

/** a minus the union of b (both sorted or not); returns sorted, non-overlapping pieces. */
function subtract(a: Interval[], b: Interval[]): Interval[] {
  const cuts = [...b].sort((x, y) => x.start - y.start);
  const out: Interval[] = [];
  for (const piece of a) {
    let start = piece.start;
    for (const cut of cuts) {
      if (cut.end <= start || cut.start >= piece.end) continue;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      if (start >= piece.end) break;
    }
    if (start < piece.end) out.push({ start, end: piece.end });
  }
  return out.sort((x, y) => x.start - y.start);
}

/** The service's booking rules as the engine takes them. */
export function engineService(service: ServiceRow): EngineService {
  return {
    id: service.serviceId,
    agencyId: service.agencyId,
    durationMinutes: service.durationMinutes,
    bufferAfterMinutes: service.bufferAfterMinutes,
    slotGranularityMinutes: service.slotGranularityMinutes,
    minNoticeMinutes: service.minNoticeMinutes,
    needsPrivateRoom: service.needsPrivateRoom,
    languages: service.languages,
  };
}

/** The start of the local day `horizonDays + 1` after today: the horizon's last day is bookable. */
export function horizonEnd(zone: string, now: number, horizonDays: number): number {
  return localMinuteToUtc(zone, addDays(isoInZone(now, zone).slice(0, 10), horizonDays + 1), 0);
}

/**
 * The part of local days from..to on which the service can be booked at all: from today to
 * the horizon's last day in the office's zone; undefined when no day is left. Nothing outside
 * it can have a free start, so no calendar is read or computed for it.
 */
export function bookableRange(
  zone: string,
  now: number,
  horizonDays: number,
  from: string,
  to: string,
): { from: string; to: string } | undefined {
  const today = isoInZone(now, zone).slice(0, 10);
  const lastDay = addDays(today, horizonDays);
  const first = from < today ? today : from;
  const last = to > lastDay ? lastDay : to;
  return first <= last ? { from: first, to: last } : undefined;
}

/** The range's checks that need no data: order and length (counted, not listed). */
export function checkRange(from: string, to: string): void {
  if (to < from) throw DomainError.badInput(`to: ${to} is before from ${from}.`, 'to');
  if (dayCount(from, to) > MAX_RANGE_DAYS)
    throw DomainError.badInput(`to: at most ${MAX_RANGE_DAYS} days at a time.`, 'to');
}

/**
 * Turns an office's calendar (directory views) and its appointments into the scheduling
 * engine's input for one service over local days from..to. Checks the request first.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly repository: OfficeCalendarRepository,
    private readonly clock: Clock,
  ) {}

  /** Office and service, or the error a caller can act on. */
  async officeAndService(
    officeId: string,
    serviceId: string,
  ): Promise<{ office: OfficeRow; service: ServiceRow }> {
    const office = isUuid(officeId) ? await this.repository.office(officeId) : undefined;
    if (!office || !office.active) throw DomainError.notFound(`No office with id "${officeId}".`);
    const service = isUuid(serviceId)
      ? await this.repository.offeredService(officeId, serviceId)
      : undefined;
    if (!service || !service.active) {
      if (isUuid(serviceId) && (await this.repository.serviceExists(serviceId))) {
        throw DomainError.badInput(
          `serviceId: ${office.name} does not offer this service.`,
          'serviceId',
        );
      }
      throw DomainError.notFound(`No service with id "${serviceId}".`);
    }
    return { office, service };
  }

  /** The agency code (`FK`) of an agency id, as tokens name agencies. */
  async agencyCode(agencyId: string): Promise<string | undefined> {
    return (await this.repository.agencyCodes()).get(agencyId);
  }

  validateNeeds(service: ServiceRow, language?: string | null): void {
    if (language !== undefined && language !== null) {
      if (!/^[a-z]{2}$/.test(language) || !languageNames.of(language)) {
        throw DomainError.badInput(
          `language: "${language}" is not an ISO 639-1 code such as sv, en, ar.`,
          'language',
        );
      }
      if (!service.languages.includes(language)) {
        throw DomainError.badInput(
          `language: this service is given in ${service.languages.join(', ')}, not "${language}".`,
          'language',
        );
      }
    }
  }

  async context(request: AvailabilityRequest): Promise<AvailabilityContext> {
    checkRange(request.from, request.to);
    checkNeeds(request.needs);
    const { office, service } = await this.officeAndService(request.officeId, request.serviceId);
    this.validateNeeds(service, request.language);
    const range = this.bookableRange(office, service.horizonDays, request.from, request.to);
    if (!range) return { office, service, input: null };
    return {
      office,
      service,
      input: await this.engineInput(office, service, range.from, range.to, request),
    };
  }

  /** `bookableRange` at the office, now. */
  bookableRange(
    office: OfficeRow,
    horizonDays: number,
    from: string,
    to: string,
  ): { from: string; to: string } | undefined {
    return bookableRange(office.timeZone, this.clock.now(), horizonDays, from, to);
  }

  async engineInput(
    office: OfficeRow,
    service: ServiceRow,
    from: string,
    to: string,
    request: Pick<AvailabilityRequest, 'language' | 'needs'>,
    /** Appointments being moved: their own time does not block their new one. */
    excludeAppointmentIds: readonly string[] = [],
  ): Promise<AvailabilityInput> {
    const zone = office.timeZone;
    const now = this.clock.now();
    const dates = localDates(from, to);
    const dayAfter = addDays(to, 1);
    const fromMs = localMinuteToUtc(zone, from, 0);
    const toMs = localMinuteToUtc(zone, dayAfter, 0);

    const [hours, { counters, allocations }, { staff, shifts }] = await Promise.all([
      this.repository.openingHours(office, from, to),
      this.repository.counters(office.id),
      this.repository.staff(office.id),
    ]);
    const staffIds = staff.map((s) => s.id);
    const { busy, absences } = await this.repository.occupancy(
      office.id,
      counters.map((c) => c.id),
      staffIds,
      new Date(fromMs - 86_400_000),
      new Date(toMs + 86_400_000),
      new Date(now),
      excludeAppointmentIds,
    );
    const counterBusy = groupBy(busy, (b) => b.counterId);
    const staffBusy = groupBy(busy, (b) => b.staffId);
    const staffAway = groupBy(absences, (a) => a.staffId);

    const weekdays = new Map(dates.map((date) => [date, weekdayOf(date)]));
    // One converter per local date: the zone's offsets are looked up once per day, not per time.
    const converters = new Map(dates.map((date) => [date, localDayConverter(zone, date)]));
    const instant = (date: string, minute: number) =>
      (converters.get(date) as (m: number) => number)(minute);

    const engineCounters: EngineCounter[] = counters.map((counter) => {
      const own = allocations.filter((a) => a.counterId === counter.id);
      return {
        id: counter.id,
        privateRoom: counter.privateRoom,
        accessibleDesk: counter.accessibleDesk,
        hearingLoop: counter.hearingLoop,
        allocations: dates.flatMap((date) =>
          this.allocationIntervals(own, date, weekdays.get(date) as number, instant),
        ),
        busy: (counterBusy.get(counter.id) ?? []).map(({ start, end }) => ({ start, end })),
      };
    });

    const engineStaff: EngineStaff[] = staff.map((person) => {
      const worked = dates.flatMap((date) =>
        shifts
          .filter(
            (s: ShiftRow) =>
              s.staffId === person.id &&
              s.weekday === weekdays.get(date) &&
              withinValidity(date, s.validFrom, s.validTo),
          )
          .map((s) => ({ start: instant(date, s.startMinute), end: instant(date, s.endMinute) })),
      );
      const away = staffAway.get(person.id) ?? [];
      const personBusy = (staffBusy.get(person.id) ?? []).map(({ start, end }) => ({ start, end }));
      return {
        id: person.id,
        agencyIds: person.agencyIds,
        serviceIds: person.serviceIds,
        languages: person.languages,
        available: subtract(worked, away),
        busy: personBusy,
        bookedMinutes: personBusy.reduce((sum, b) => sum + (b.end - b.start) / 60_000, 0),
      };
    });

    return {
      service: engineService(service),
      open: openIntervalsUtc(hours, from, to).map((i) => ({
        start: i.startUtcMs,
        end: i.endUtcMs,
      })),
      counters: engineCounters,
      staff: engineStaff,
      now,
      horizonEnd: horizonEnd(zone, now, service.horizonDays),
      from: fromMs,
      to: toMs,
      needs: engineNeeds(
        request.needs ?? undefined,
        request.language ?? undefined,
        service.durationMinutes,
      ),
    };
  }

  /** A counter's allocations on one date (allocationsOn) as instants. */
  private allocationIntervals(
    rows: AllocationRow[],
    date: string,
    weekday: number,
    instant: (date: string, minute: number) => number,
  ): Array<Interval & { agencyId: string | null }> {
    const applicable = allocationsOn(rows, date, weekday);
    return applicable.map((a) => ({
      agencyId: a.agencyId,
      start: instant(date, a.startMinute),
      end: instant(date, a.endMinute),
    }));
  }
}
