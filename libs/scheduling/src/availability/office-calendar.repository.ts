import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { pgPoolOf } from '@samservice/platform/database';
import { DataSource } from 'typeorm';
import type { OpeningHoursInput } from '@samservice/calendar';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';

export interface OfficeRow {
  id: string;
  name: string;
  timeZone: string;
  eveClosingMinute: number;
  active: boolean;
  municipality: string;
  latitude: number;
  longitude: number;
}

export interface ServiceRow {
  serviceId: string;
  agencyId: string;
  nameSv: string;
  durationMinutes: number;
  bufferAfterMinutes: number;
  slotGranularityMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  needsPrivateRoom: boolean;
  languages: string[];
  maxActiveBookings: number;
  /** Minutes added for each person beyond the first (a party booked together). */
  perPersonMinutes: number;
  /** The most people one booking may cover. */
  maxPartySize: number;
  active: boolean;
}

export interface CounterRow {
  id: string;
  name: string;
  privateRoom: boolean;
  accessibleDesk: boolean;
  hearingLoop: boolean;
}

export interface AllocationRow {
  counterId: string;
  agencyId: string | null;
  kind: 'WEEKLY' | 'DATED';
  weekday: number | null;
  date: string | null;
  startMinute: number;
  endMinute: number;
  validFrom: string | null;
  validTo: string | null;
}

export interface StaffRow {
  id: string;
  name: string;
  subject: string | null;
  languages: string[];
  agencyIds: string[];
  serviceIds: string[];
}

export interface ShiftRow {
  staffId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  validFrom: string | null;
  validTo: string | null;
}

/** An active appointment or live hold: who and what it keeps busy in [start, end). */
export interface BusyInterval {
  /** The office counter it occupies; null when it is at another office or on a counter not listed. */
  counterId: string | null;
  /** The person it occupies; null when they are not among the staff asked about. */
  staffId: string | null;
  start: number;
  end: number;
}

export interface Occupancy {
  busy: BusyInterval[];
  absences: Array<{ staffId: string; start: number; end: number }>;
}

const OFFICE_COLUMNS = `id, name, time_zone AS "timeZone", eve_closing_minute AS "eveClosingMinute", active,
  municipality, latitude::float8 AS latitude, longitude::float8 AS longitude`;

const SERVICE_COLUMNS = `service_id AS "serviceId", agency_id AS "agencyId", name_sv AS "nameSv",
  duration_minutes AS "durationMinutes", buffer_after_minutes AS "bufferAfterMinutes",
  slot_granularity_minutes AS "slotGranularityMinutes", min_notice_minutes AS "minNoticeMinutes",
  horizon_days AS "horizonDays", needs_private_room AS "needsPrivateRoom", languages,
  max_active_bookings AS "maxActiveBookings", per_person_minutes AS "perPersonMinutes",
  max_party_size AS "maxPartySize", active`;

const ACTIVE = `('HELD', 'BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE')`;

/** Whole seconds from $3 (the range's start), rounded outwards: small numbers, cheap to write and parse. */
const secondsFrom = (column: string, round: 'floor' | 'ceil') =>
  `${round}(extract(epoch FROM ${column} - $3::timestamptz))::int`;

// One text value per list, "counter,person,start,end;..." with counters and people as their
// 1-based positions in $7 and $2 (0: not asked about) instead of UUIDs, and times in seconds
// from the range's start: the answer for a busy month at a big office is ~40 kB instead of
// ~200 kB as rows or JSON, and is built and parsed several times faster.
const OCCUPANCY_SQL = `
SELECT
  (SELECT coalesce(string_agg(concat_ws(',',
            CASE WHEN office_id = $1 THEN coalesce(array_position($7::uuid[], counter_id), 0) ELSE 0 END,
            coalesce(array_position($2::uuid[], staff_id), 0),
            ${secondsFrom('starts_at', 'floor')}, ${secondsFrom('busy_until', 'ceil')}), ';'), '')
     FROM scheduling.appointment
    WHERE status IN ${ACTIVE}
      AND (status <> 'HELD' OR hold_expires_at > $5)
      AND tstzrange(starts_at, busy_until) && tstzrange($3, $4)
      AND (office_id = $1 OR staff_id = ANY($2::uuid[]))
      AND id <> ALL($6::uuid[])) AS busy,
  (SELECT coalesce(string_agg(concat_ws(',',
            array_position($2::uuid[], staff_id),
            ${secondsFrom('starts_at', 'floor')}, ${secondsFrom('ends_at', 'ceil')}), ';'), '')
     FROM directory.published_staff_absence
    WHERE staff_id = ANY($2::uuid[]) AND starts_at < $4 AND ends_at > $3) AS absences`;

/** "a,b,c;d,e,f" as rows of numbers. */
function parseRows(text: string): number[][] {
  if (text === '') return [];
  return text.split(';').map((row) => row.split(',').map(Number));
}

/**
 * Everything scheduling reads about an office, in one place, through the views the
 * directory publishes (`directory.published_*`) and scheduling's own appointments.
 */
/** How long directory facts are reused before they are read again (changes announced by the directory evict at once). */
export const DIRECTORY_CACHE_MS = 5_000;

@Injectable()
export class OfficeCalendarRepository {
  private readonly cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(@InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * Directory facts (hours, counters, staff) change rarely and are read on every availability
   * request: they are kept per office for a few seconds, and dropped at once when the
   * directory announces a change to the office. Appointments and absences are always read.
   */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { expires: now + DIRECTORY_CACHE_MS, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  invalidate(officeId: string): void {
    for (const key of this.cache.keys()) if (key.includes(officeId)) this.cache.delete(key);
  }

  /** Agency codes (`FK`) by agency id: what tokens name agencies by. */
  async agencyCodes(): Promise<Map<string, string>> {
    return this.cached('agency-codes', async () => {
      const rows: Array<{ id: string; code: string }> = await this.db.query(
        'SELECT agency_id AS id, code FROM directory.published_agency',
      );
      return new Map(rows.map((r) => [r.id, r.code]));
    });
  }

  async office(officeId: string): Promise<OfficeRow | undefined> {
    return this.cached(`office:${officeId}`, () => this.loadOffice(officeId));
  }

  private async loadOffice(officeId: string): Promise<OfficeRow | undefined> {
    const rows = await this.db.query(
      `SELECT ${OFFICE_COLUMNS} FROM directory.published_office WHERE id = $1`,
      [officeId],
    );
    return rows[0];
  }

  /** The service as offered at the office; undefined when the office does not offer it. */
  async offeredService(officeId: string, serviceId: string): Promise<ServiceRow | undefined> {
    return this.cached(`service:${officeId}:${serviceId}`, () =>
      this.loadOfferedService(officeId, serviceId),
    );
  }

  private async loadOfferedService(
    officeId: string,
    serviceId: string,
  ): Promise<ServiceRow | undefined> {
    const rows = await this.db.query(
      `SELECT ${SERVICE_COLUMNS}
       FROM directory.published_office_service WHERE office_id = $1 AND service_id = $2`,
      [officeId, serviceId],
    );
    return rows[0];
  }

  /** Every service the office offers (active or not), by name. */
  async officeServices(officeId: string): Promise<ServiceRow[]> {
    return this.cached(`services:${officeId}`, () =>
      this.db.query(
        `SELECT ${SERVICE_COLUMNS}
         FROM directory.published_office_service WHERE office_id = $1 ORDER BY name_sv, service_id`,
        [officeId],
      ),
    );
  }

  /** Those of the people who are away (an absence) at the instant; read fresh, like occupancy. */
  async absentAt(staffIds: string[], now: number): Promise<string[]> {
    if (staffIds.length === 0) return [];
    const rows: Array<{ staffId: string }> = await this.db.query(
      `SELECT DISTINCT staff_id AS "staffId" FROM directory.published_staff_absence
       WHERE staff_id = ANY($1::uuid[]) AND starts_at <= $2 AND ends_at > $2`,
      [staffIds, new Date(now)],
    );
    return rows.map((r) => r.staffId);
  }

  /** The office a counter belongs to (any status); undefined for an unknown counter. */
  async officeOfCounter(counterId: string): Promise<string | undefined> {
    const rows: Array<{ officeId: string }> = await this.db.query(
      'SELECT office_id AS "officeId" FROM directory.published_counter WHERE counter_id = $1',
      [counterId],
    );
    return rows[0]?.officeId;
  }

  /** Every agency with its code and level (STATE, REGION, MUNICIPALITY). */
  async agencies(): Promise<Array<{ id: string; code: string; level: string; active: boolean }>> {
    return this.cached('agencies', () =>
      this.db.query(
        'SELECT agency_id AS id, code, level, active FROM directory.published_agency ORDER BY code',
      ),
    );
  }

  /** Every active office, by name. */
  async activeOffices(): Promise<OfficeRow[]> {
    return this.cached('offices', () =>
      this.db.query(
        `SELECT ${OFFICE_COLUMNS} FROM directory.published_office WHERE active ORDER BY name, id`,
      ),
    );
  }

  /** Active offices offering every one of the services (all active), by name. */
  async officesOffering(serviceIds: string[]): Promise<OfficeRow[]> {
    return this.cached(`offering:${[...serviceIds].sort().join(',')}`, () =>
      this.db.query(
        `SELECT ${OFFICE_COLUMNS}
         FROM directory.published_office o
         WHERE o.active
           AND (SELECT count(*) FROM directory.published_office_service os
                 WHERE os.office_id = o.id AND os.active AND os.service_id = ANY($1::uuid[])) = $2
         ORDER BY o.name, o.id`,
        [serviceIds, serviceIds.length],
      ),
    );
  }

  async serviceExists(serviceId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM directory.published_service WHERE service_id = $1 AND active`,
      [serviceId],
    );
    return rows.length > 0;
  }

  async openingHours(office: OfficeRow, from: string, to: string): Promise<OpeningHoursInput> {
    const all = await this.cached(`hours:${office.id}`, () => this.loadOpeningHours(office.id));
    return {
      timeZone: office.timeZone,
      eveClosingMinute: office.eveClosingMinute,
      weekly: all.weekly,
      exceptions: all.exceptions.filter((e) => e.date >= from && e.date <= to),
      closures: all.closures.filter((c) => c.from <= to && c.to >= from),
    };
  }

  private async loadOpeningHours(officeId: string): Promise<{
    weekly: OpeningHoursInput['weekly'];
    exceptions: Array<{ date: string; startMinute: number; endMinute: number; note?: string }>;
    closures: Array<{ from: string; to: string; reason: string }>;
  }> {
    const [weekly, exceptions, closures] = await Promise.all([
      this.db.query(
        `SELECT weekday, start_minute AS "startMinute", end_minute AS "endMinute"
         FROM directory.published_opening_hours WHERE office_id = $1`,
        [officeId],
      ),
      this.db.query(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, start_minute AS "startMinute", end_minute AS "endMinute", note
         FROM directory.published_opening_exception WHERE office_id = $1`,
        [officeId],
      ),
      this.db.query(
        `SELECT to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", reason
         FROM directory.published_closure WHERE office_id = $1`,
        [officeId],
      ),
    ]);
    return { weekly, exceptions, closures };
  }

  async counters(
    officeId: string,
  ): Promise<{ counters: CounterRow[]; allocations: AllocationRow[] }> {
    return this.cached(`counters:${officeId}`, () => this.loadCounters(officeId));
  }

  private async loadCounters(
    officeId: string,
  ): Promise<{ counters: CounterRow[]; allocations: AllocationRow[] }> {
    const [counters, allocations] = await Promise.all([
      this.db.query(
        `SELECT counter_id AS id, name, private_room AS "privateRoom", accessible_desk AS "accessibleDesk",
                hearing_loop AS "hearingLoop"
         FROM directory.published_counter WHERE office_id = $1 AND status = 'ACTIVE' ORDER BY name`,
        [officeId],
      ),
      this.db.query(
        `SELECT counter_id AS "counterId", agency_id AS "agencyId", kind, weekday,
                to_char(date, 'YYYY-MM-DD') AS date, start_minute AS "startMinute", end_minute AS "endMinute",
                to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM directory.published_counter_allocation WHERE office_id = $1`,
        [officeId],
      ),
    ]);
    return { counters, allocations };
  }

  async staff(officeId: string): Promise<{ staff: StaffRow[]; shifts: ShiftRow[] }> {
    return this.cached(`staff:${officeId}`, () => this.loadStaff(officeId));
  }

  private async loadStaff(officeId: string): Promise<{ staff: StaffRow[]; shifts: ShiftRow[] }> {
    const [staff, shifts] = await Promise.all([
      this.db.query(
        `SELECT staff_id AS id, name, subject, languages, agency_ids AS "agencyIds", service_ids AS "serviceIds"
         FROM directory.published_staff WHERE office_id = $1 AND active ORDER BY name`,
        [officeId],
      ),
      this.db.query(
        `SELECT staff_id AS "staffId", weekday, start_minute AS "startMinute", end_minute AS "endMinute",
                to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM directory.published_staff_shift WHERE office_id = $1`,
        [officeId],
      ),
    ]);
    return { staff, shifts };
  }

  /**
   * What occupies the office's counters and staff in [from, to), in one round trip: the
   * active appointments and live holds on the office's counters or with its staff (at any
   * office; expired holds are not busy, a booking removes them), and the staff's absences.
   * Times come as epoch milliseconds in two JSON arrays: this runs for every availability
   * request and every booking, and a row per busy interval through the ORM cost more than
   * the rest of the request (see docs/benchmarks.md).
   */
  async occupancy(
    officeId: string,
    counterIds: string[],
    staffIds: string[],
    from: Date,
    to: Date,
    now: Date,
    /** Appointments being moved: their own time does not count as busy. */
    excludeIds: readonly string[] = [],
  ): Promise<Occupancy> {
    const result = await this.pool().query<{ busy: string; absences: string }>({
      name: 'scheduling_occupancy',
      text: OCCUPANCY_SQL,
      values: [officeId, staffIds, from, to, now, excludeIds, counterIds],
    });
    const base = from.getTime();
    return {
      busy: parseRows(result.rows[0].busy).map(([counter, person, start, end]) => ({
        counterId: counter === 0 ? null : counterIds[counter - 1],
        staffId: person === 0 ? null : staffIds[person - 1],
        start: base + start * 1000,
        end: base + end * 1000,
      })),
      absences: parseRows(result.rows[0].absences).map(([person, start, end]) => ({
        staffId: staffIds[person - 1],
        start: base + start * 1000,
        end: base + end * 1000,
      })),
    };
  }

  private pool(): Pool {
    return pgPoolOf(this.db);
  }
}
