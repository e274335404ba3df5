// A simulated office day for the estimate's accuracy test (not exported from the library):
// walk-ins and booked appointments arrive, five people with different competences call them by
// the real rules (nextFor) with random true service times, and every ticket gets, on arrival,
// the estimate that estimateWaits gives from what the office knows at that moment.
import { nextFor, QueueEntry, QueueServer } from './call-order';
import { remainingServiceMinutes, serviceMinutes } from './service-times';
import { waitBand, WaitBand } from './wait-band';
import { estimateWaits, EstimateServer } from './wait-estimate';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DayService {
  id: string;
  meanMinutes: number;
  targetWaitMinutes: number;
  /** Share of the day's tickets. */
  share: number;
}

export const DAY_SERVICES: readonly DayService[] = [
  { id: 'FK', meanMinutes: 8, targetWaitMinutes: 20, share: 0.35 },
  { id: 'SKV', meanMinutes: 12, targetWaitMinutes: 30, share: 0.3 },
  { id: 'AF', meanMinutes: 15, targetWaitMinutes: 30, share: 0.2 },
  { id: 'MIGR', meanMinutes: 25, targetWaitMinutes: 45, share: 0.15 },
];

export const DAY_STAFF: readonly { staffId: string; serviceIds: string[] }[] = [
  { staffId: 'anna', serviceIds: ['FK', 'SKV'] },
  { staffId: 'bo', serviceIds: ['FK', 'AF'] },
  { staffId: 'cecilia', serviceIds: ['SKV', 'MIGR'] },
  { staffId: 'dawit', serviceIds: ['FK', 'AF', 'MIGR'] },
  { staffId: 'eva', serviceIds: ['SKV', 'AF'] },
];

/** 09:00 in Stockholm on Tuesday 2027-05-04; the office closes for new tickets at 16:00. */
export const DAY_OPENS = Date.UTC(2027, 4, 4, 7, 0);
export const DAY_CLOSES = DAY_OPENS + 7 * 60 * MINUTE;

/** Relative walk-in rates of the hours 09–10, …, 15–16: a lunchtime peak. */
export const WALK_IN_PROFILE: readonly number[] = [0.7, 1, 1.3, 1.4, 1.1, 0.9, 0.6];

export interface DayOptions {
  /** Offered work as a share of the staff's capacity while open. */
  load: number;
  /** Coefficient of variation of the true service times (lognormal). */
  serviceCv: number;
  /** Booked appointments: a slot every this many minutes, booked with probability `booked`. */
  slotMinutes: number;
  booked: number;
  noShow: number;
  /** Measured durations per service from earlier days, for serviceMinutes. */
  historySamples: number;
  /**
   * A busy desk's busyUntil in the estimate: its start + the service's expected minutes, or now
   * + remainingServiceMinutes for the time already spent.
   */
  busyUntil: 'expected-end' | 'remaining';
}

export const DEFAULT_DAY: DayOptions = {
  load: 0.85,
  serviceCv: 0.6,
  slotMinutes: 20,
  booked: 0.6,
  noShow: 0.1,
  historySamples: 150,
  busyUntil: 'expected-end',
};

export interface SimulatedTicket {
  id: string;
  serviceId: string;
  appointment: boolean;
  arrivedAt: number;
  estimatedWaitMinutes: number;
  band: WaitBand;
  realWaitMinutes: number;
}

interface Arrival {
  at: number;
  serviceId: string;
  appointment?: { id: string; start: number };
}

export function simulateDay(seed: number, options: Partial<DayOptions> = {}): SimulatedTicket[] {
  const o = { ...DEFAULT_DAY, ...options };
  const random = mulberry32(seed);
  const sigma = Math.sqrt(Math.log(1 + o.serviceCv * o.serviceCv));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const serviceTime = (mean: number) => mean * Math.exp(sigma * normal() - (sigma * sigma) / 2);
  const pickService = () => {
    let u = random();
    for (const s of DAY_SERVICES) if ((u -= s.share) < 0) return s;
    return DAY_SERVICES[DAY_SERVICES.length - 1];
  };
  const spec = new Map(DAY_SERVICES.map((s) => [s.id, s]));
  const seconds = (ms: number) => Math.round(ms / SECOND) * SECOND;

  // What the office expects, from the durations of earlier days.
  const history = new Map(
    DAY_SERVICES.map((s) => [
      s.id,
      Array.from({ length: o.historySamples }, () => serviceTime(s.meanMinutes)),
    ]),
  );
  const minutesPerService = new Map(
    DAY_SERVICES.map((s) => [s.id, serviceMinutes(history.get(s.id) as number[], s.meanMinutes)]),
  );
  const expectedFreeAt = (desk: { started: number; serviceId: string }, t: number) => {
    const service = spec.get(desk.serviceId) as DayService;
    const expected = minutesPerService.get(service.id) as number;
    if (o.busyUntil === 'expected-end') return desk.started + expected * MINUTE;
    const elapsed = (t - desk.started) / MINUTE;
    const samples = history.get(service.id) as number[];
    return t + remainingServiceMinutes(samples, elapsed, service.meanMinutes) * MINUTE;
  };

  const arrivals: Arrival[] = [];
  const booked: { id: string; start: number; serviceId: string }[] = [];
  for (let start = DAY_OPENS; start < DAY_CLOSES; start += o.slotMinutes * MINUTE) {
    if (random() >= o.booked) continue;
    const serviceId = pickService().id;
    const id = `booked-${booked.length}`;
    booked.push({ id, start, serviceId });
    if (random() >= o.noShow)
      arrivals.push({
        at: seconds(start - (2 + 13 * random()) * MINUTE),
        serviceId,
        appointment: { id, start },
      });
  }
  const meanMinutes = DAY_SERVICES.reduce((sum, s) => sum + s.share * s.meanMinutes, 0);
  const openMinutes = (DAY_CLOSES - DAY_OPENS) / MINUTE;
  const appointmentWork = booked.length * (1 - o.noShow) * meanMinutes;
  const walkInsPerMinute =
    (o.load * DAY_STAFF.length * openMinutes - appointmentWork) / meanMinutes / openMinutes;
  // A Poisson process with a lunchtime peak (thinning): the hourly rates follow WALK_IN_PROFILE,
  // scaled so that the day's offered work is `load` of the capacity.
  const peak = Math.max(...WALK_IN_PROFILE);
  const profileMean = WALK_IN_PROFILE.reduce((a, b) => a + b, 0) / WALK_IN_PROFILE.length;
  const peakPerMinute = (walkInsPerMinute * peak) / profileMean;
  for (let at = DAY_OPENS; ;) {
    at += (-Math.log(1 - random()) / peakPerMinute) * MINUTE;
    if (at >= DAY_CLOSES) break;
    const hour = Math.floor((at - DAY_OPENS) / (60 * MINUTE));
    if (random() * peak < WALK_IN_PROFILE[hour])
      arrivals.push({ at: seconds(at), serviceId: pickService().id });
  }
  arrivals.sort((a, b) => a.at - b.at);

  const servers: QueueServer[] = DAY_STAFF.map((s) => ({
    staffId: s.staffId,
    counterId: `desk-${s.staffId}`,
    serviceIds: new Set(s.serviceIds),
    counterFeatures: new Set<string>(),
    languages: new Set(['sv']),
  }));
  const busy = servers.map(() => ({ until: 0, started: 0, serviceId: '', id: '' }));
  const finished = new Set<string>();
  let waiting: QueueEntry[] = [];
  const arrivedAt = new Map<string, number>();
  const checkedIn = new Set<string>();
  const durations = new Map<string, number>();
  const tickets = new Map<string, SimulatedTicket>();
  let next = 0;
  let sequence = 0;

  for (let t = DAY_OPENS - 20 * MINUTE; ; t += SECOND) {
    while (next < arrivals.length && arrivals[next].at <= t) {
      const arrival = arrivals[next++];
      const service = spec.get(arrival.serviceId) as DayService;
      const dueAt = arrival.appointment ? Math.max(t, arrival.appointment.start) : t;
      const entry: QueueEntry = {
        id: `t${++sequence}`,
        serviceId: service.id,
        sequence,
        dueAt,
        overdueAt: dueAt + service.targetWaitMinutes * MINUTE,
        appointment: arrival.appointment !== undefined,
        needs: [],
      };
      waiting.push(entry);
      arrivedAt.set(entry.id, t);
      if (arrival.appointment) checkedIn.add(arrival.appointment.id);
      durations.set(
        entry.id,
        Math.max(30 * SECOND, seconds(serviceTime(service.meanMinutes) * MINUTE)),
      );
      // What the office knows now: who waits, who is booked later, when each desk expects to be
      // free (start + expected minutes, never the true duration).
      // Booked appointments not checked in yet may still come (the office cannot tell a
      // no-show before the start): each is a future entry, due at its start.
      const bookedLater: QueueEntry[] = booked
        .filter((b) => b.start > t && !checkedIn.has(b.id))
        .map((b, i) => ({
          id: b.id,
          serviceId: b.serviceId,
          sequence: 100_000 + i,
          dueAt: b.start,
          overdueAt: b.start + (spec.get(b.serviceId) as DayService).targetWaitMinutes * MINUTE,
          appointment: true,
          needs: [],
        }));
      const estimateServers: EstimateServer[] = servers.map((server, s) => ({
        ...server,
        busyUntil: busy[s].until > t ? expectedFreeAt(busy[s], t) : t,
      }));
      const estimate = estimateWaits({
        now: t,
        entries: [...waiting, ...bookedLater],
        servers: estimateServers,
        minutesPerService,
        finishedIds: finished,
      }).get(entry.id);
      if (estimate === undefined) throw new Error(`no estimate for ${entry.id}`);
      tickets.set(entry.id, {
        id: entry.id,
        serviceId: entry.serviceId,
        appointment: entry.appointment,
        arrivedAt: t,
        estimatedWaitMinutes: estimate.waitMinutes,
        band: waitBand(estimate.waitMinutes),
        realWaitMinutes: NaN,
      });
    }
    servers.forEach((server, s) => {
      if (busy[s].until > t) return;
      if (busy[s].id !== '') finished.add(busy[s].id);
      const called = nextFor(waiting, server, t, finished);
      if (called === undefined) {
        busy[s] = { until: 0, started: 0, serviceId: '', id: '' };
        return;
      }
      waiting = waiting.filter((e) => e !== called);
      const ticket = tickets.get(called.id) as SimulatedTicket;
      ticket.realWaitMinutes = (t - (arrivedAt.get(called.id) as number)) / MINUTE;
      busy[s] = {
        until: t + (durations.get(called.id) as number),
        started: t,
        serviceId: called.serviceId,
        id: called.id,
      };
    });
    if (next === arrivals.length && waiting.length === 0) break;
  }
  return [...tickets.values()];
}

export interface DayFigures {
  tickets: number;
  meanRealWait: number;
  /** Mean absolute error of the estimate (minutes). */
  mae: number;
  medianAbsError: number;
  /** Share of real waits inside the band shown (low..high). */
  inBand: number;
  /** Mean of estimate − real (minutes): positive means the estimate is pessimistic. */
  bias: number;
}

/** The accuracy figures over the walk-ins (the tickets whose wait the kiosk shows). */
export function dayFigures(tickets: readonly SimulatedTicket[]): DayFigures {
  const walkIns = tickets.filter((t) => !t.appointment);
  const errors = walkIns.map((t) => t.estimatedWaitMinutes - t.realWaitMinutes);
  const absolute = errors.map(Math.abs).sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const middle = absolute.length >> 1;
  return {
    tickets: walkIns.length,
    meanRealWait: mean(walkIns.map((t) => t.realWaitMinutes)),
    mae: mean(absolute),
    medianAbsError:
      absolute.length % 2 ? absolute[middle] : (absolute[middle - 1] + absolute[middle]) / 2,
    inBand: mean(
      walkIns.map((t) =>
        t.realWaitMinutes >= t.band.low && t.realWaitMinutes <= t.band.high ? 1 : 0,
      ),
    ),
    bias: mean(errors),
  };
}
