import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@samservice/platform/database';
import {
  compareForCall,
  estimateWaits,
  remainingServiceMinutes,
  serviceMinutes,
  waitBand,
  type EstimateServer,
  type QueueEntry,
} from '@samservice/queue';
import type { OfficeRow, ServiceRow } from '../availability/office-calendar.repository';
import { SCHEDULING_DATA_SOURCE } from '../scheduling.database';
import { DeskFacts, competentFor, counterFeatures, localDate } from './desk-facts';
import { FrontDeskEvents } from './frontdesk-events';

/** How long an office's estimates are reused when nothing in its queue has changed. */
const ESTIMATE_CACHE_MS = 5_000;
/** Measured service times: the last 14 days, at most this many per service. */
const HISTORY_DAYS = 14;
const HISTORY_PER_SERVICE = 200;
const HISTORY_CACHE_MS = 60_000;
/**
 * Services shorter than this are not service times: a mis-click, a citizen sent straight on,
 * a clock pinned for a test (FIXED_NOW: every service takes 0 s).
 */
const MIN_SERVED_SECONDS = 60;
/** A forecast for a new ticket: its sequence sorts after every ticket of the day. */
const PROBE_ID = '00000000-0000-0000-0000-000000000000';

export interface TicketEstimate {
  waitMinutes: number;
  callAt: number;
  band: { low: number; high: number };
  /** Place among the waiting tickets of the same service, in call order (1 = next). */
  position: number;
}

interface OfficeQueueState {
  computedAt: number;
  entries: QueueEntry[];
  servers: EstimateServer[];
  minutes: Map<string, number>;
  estimates: Map<string, TicketEstimate>;
}

/**
 * Expected waits from measured service times and the staff on duty, following the calling
 * rules (`@samservice/queue` estimateWaits simulates the office's counters calling in call
 * order). Per office the whole queue is simulated at once and reused until a ticket event
 * of the office is heard (or for a few seconds), so a queue of thousands costs one
 * simulation per change, not one per ticket shown.
 */
@Injectable()
export class QueueEstimates {
  private readonly states = new Map<string, Promise<OfficeQueueState>>();
  private readonly history = new Map<
    string,
    { at: number; value: Promise<Map<string, number[]>> }
  >();

  constructor(
    @InjectDataSource(SCHEDULING_DATA_SOURCE) private readonly db: DataSource,
    private readonly facts: DeskFacts,
    events: FrontDeskEvents,
  ) {
    events.onAny((notice) => this.invalidate(notice.officeId));
  }

  invalidate(officeId: string): void {
    this.states.delete(officeId);
  }

  async of(office: OfficeRow, now: number, ticketId: string): Promise<TicketEstimate | undefined> {
    return (await this.state(office, now)).estimates.get(ticketId);
  }

  /** Expected minutes per ticket of a service at the office (measured, or the booked duration). */
  async minutesFor(office: OfficeRow, service: ServiceRow, now: number): Promise<number> {
    const samples = (await this.samples(office.id, now)).get(service.serviceId) ?? [];
    return serviceMinutes(samples, service.durationMinutes);
  }

  /** What a ticket taken now would expect: the queue simulated with it added at the end. */
  async forecast(
    office: OfficeRow,
    now: number,
    probe: { serviceId: string; needs: string[]; language?: string },
  ): Promise<{ callAt: number; waitMinutes: number } | undefined> {
    const state = await this.state(office, now);
    const entry: QueueEntry = {
      id: PROBE_ID,
      serviceId: probe.serviceId,
      sequence: Number.MAX_SAFE_INTEGER,
      dueAt: now,
      overdueAt: Number.MAX_SAFE_INTEGER,
      appointment: false,
      needs: probe.needs,
      language: probe.language,
    };
    const result = estimateWaits({
      now,
      entries: [...state.entries, entry],
      servers: state.servers,
      minutesPerService: state.minutes,
    }).get(PROBE_ID);
    return result;
  }

  private state(office: OfficeRow, now: number): Promise<OfficeQueueState> {
    const known = this.states.get(office.id);
    if (known) {
      return known.then((s) =>
        Math.abs(now - s.computedAt) <= ESTIMATE_CACHE_MS ? s : this.recompute(office, now),
      );
    }
    return this.recompute(office, now);
  }

  private recompute(office: OfficeRow, now: number): Promise<OfficeQueueState> {
    const state = this.compute(office, now);
    this.states.set(office.id, state);
    state.catch(() => this.states.delete(office.id));
    return state;
  }

  private async compute(office: OfficeRow, now: number): Promise<OfficeQueueState> {
    const today = localDate(office.timeZone, now);
    const [rows, services, onShift, counters, samples] = await Promise.all([
      pgPoolOf(this.db)
        .query<{
          id: string;
          serviceId: string;
          status: string;
          sequence: number;
          dueAt: Date;
          overdueAt: Date;
          bookedStart: Date | null;
          firstInLineAt: Date | null;
          reservedStaffId: string | null;
          reservedCounterId: string | null;
          needs: string[];
          language: string | null;
          staffId: string | null;
          busySince: Date | null;
        }>({
          name: 'frontdesk_queue_state',
          text: `SELECT id, service_id AS "serviceId", status::text AS status, sequence, due_at AS "dueAt",
                        overdue_at AS "overdueAt", booked_start AS "bookedStart",
                        first_in_line_at AS "firstInLineAt", reserved_staff_id AS "reservedStaffId",
                        reserved_counter_id AS "reservedCounterId", needs, language, staff_id AS "staffId",
                        coalesce(started_at, called_at) AS "busySince"
                 FROM scheduling.ticket
                 WHERE office_id = $1 AND local_date = $2 AND status IN ('WAITING', 'CALLED', 'IN_SERVICE')`,
          values: [office.id, today],
        })
        .then((r) => r.rows),
      this.facts.services(office.id),
      this.facts.staffOnShift(office, now),
      this.facts.counters(office.id),
      this.samples(office.id, now),
    ]);
    const minutes = new Map<string, number>();
    for (const service of services.values()) {
      minutes.set(
        service.serviceId,
        serviceMinutes(samples.get(service.serviceId) ?? [], service.durationMinutes),
      );
    }
    const entries: QueueEntry[] = rows
      .filter((r) => r.status === 'WAITING')
      .map((r) => ({
        id: r.id,
        serviceId: r.serviceId,
        sequence: r.sequence,
        dueAt: r.dueAt.getTime(),
        overdueAt: r.overdueAt.getTime(),
        appointment: r.bookedStart !== null,
        firstInLineAt: r.firstInLineAt?.getTime(),
        reservedStaffId: r.reservedStaffId ?? undefined,
        reservedCounterId: r.reservedCounterId ?? undefined,
        needs: r.needs,
        language: r.language ?? undefined,
      }));
    // Who is serving whom: busy for what their citizen's service is expected to take still,
    // given how long it has run (the measured durations longer than that, or the default).
    const busy = new Map<string, number>();
    for (const r of rows) {
      if (r.status === 'WAITING' || !r.staffId || !r.busySince) continue;
      const elapsed = Math.max(0, (now - r.busySince.getTime()) / 60_000);
      const remaining = remainingServiceMinutes(
        samples.get(r.serviceId) ?? [],
        elapsed,
        services.get(r.serviceId)?.durationMinutes ?? minutes.get(r.serviceId) ?? 10,
      );
      busy.set(r.staffId, now + remaining * 60_000);
    }
    // Everyone on shift, at most one per counter in use, those serving first. Each may use
    // any counter's features (an estimate, not an assignment).
    const features = new Set(counters.flatMap((c) => counterFeatures(c)));
    const staff = [...onShift]
      .sort((a, b) => Number(busy.has(b.id)) - Number(busy.has(a.id)))
      .slice(0, counters.length);
    const servers: EstimateServer[] = staff.map((person) => ({
      staffId: person.id,
      serviceIds: new Set(
        [...services.values()].filter((s) => competentFor(person, s)).map((s) => s.serviceId),
      ),
      counterFeatures: features,
      languages: new Set(person.languages),
      busyUntil: busy.get(person.id) ?? now,
    }));
    const waits = estimateWaits({ now, entries, servers, minutesPerService: minutes });
    const estimates = new Map<string, TicketEstimate>();
    const sorted = [...entries].sort((a, b) => compareForCall(a, b, now));
    const perService = new Map<string, number>();
    for (const entry of sorted) {
      const position = (perService.get(entry.serviceId) ?? 0) + 1;
      perService.set(entry.serviceId, position);
      const wait = waits.get(entry.id);
      if (!wait) continue;
      estimates.set(entry.id, { ...wait, band: waitBand(wait.waitMinutes), position });
    }
    // Positions for tickets nobody on duty can serve (no estimate) too.
    for (const entry of sorted) {
      if (!estimates.has(entry.id)) {
        const position = sorted
          .filter((e) => e.serviceId === entry.serviceId)
          .findIndex((e) => e.id === entry.id);
        estimates.set(entry.id, {
          waitMinutes: Number.NaN,
          callAt: Number.NaN,
          band: { low: Number.NaN, high: Number.NaN },
          position: position + 1,
        });
      }
    }
    return { computedAt: now, entries, servers, minutes, estimates };
  }

  /** Measured minutes per service at the office: ended or handed-over services of recent days. */
  private samples(officeId: string, now: number): Promise<Map<string, number[]>> {
    const known = this.history.get(officeId);
    if (known && Date.now() - known.at < HISTORY_CACHE_MS) return known.value;
    const value = pgPoolOf(this.db)
      .query<{ serviceId: string; seconds: number[] }>({
        name: 'frontdesk_service_times',
        text: `SELECT service_id AS "serviceId", (array_agg(seconds ORDER BY at DESC))[1:${HISTORY_PER_SERVICE}] AS seconds
               FROM (SELECT service_id, at, (details->>'servedSeconds')::int AS seconds
                     FROM scheduling.ticket_event
                     WHERE office_id = $1 AND kind IN ('ENDED', 'TRANSFERRED')
                       AND at > $2::timestamptz - interval '${HISTORY_DAYS} days' AND at <= $2
                       AND (details->>'servedSeconds')::int >= ${MIN_SERVED_SECONDS}) s
               GROUP BY service_id`,
        values: [officeId, new Date(now)],
      })
      .then((r) => new Map(r.rows.map((row) => [row.serviceId, row.seconds.map((s) => s / 60)])));
    this.history.set(officeId, { at: Date.now(), value });
    value.catch(() => this.history.delete(officeId));
    return value;
  }
}
