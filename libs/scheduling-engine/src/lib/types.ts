/** Half-open [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

export interface EngineService {
  id: string;
  agencyId: string;
  durationMinutes: number;
  /** Counter and staff stay busy this long after the visit. */
  bufferAfterMinutes: number;
  /** Starts lie on a grid anchored at the start of each open interval. */
  slotGranularityMinutes: number;
  /** A start must be at or after now + minNotice. */
  minNoticeMinutes: number;
  needsPrivateRoom: boolean;
  /** ISO 639-1 codes the service can be given in. */
  languages: string[];
}

export interface EngineCounter {
  id: string;
  privateRoom: boolean;
  accessibleDesk: boolean;
  hearingLoop: boolean;
  /**
   * Concrete allocations in the range: time reserved for one agency (agencyId), or explicitly
   * pooled (null). Unlisted time is pooled.
   */
  allocations: Array<Interval & { agencyId: string | null }>;
  /** Existing appointments and holds, each already including its buffer after. */
  busy: Interval[];
}

export interface EngineStaff {
  id: string;
  /** Agency ids the person is trained for (all services of those agencies). */
  agencyIds: string[];
  /** Single services the person is trained for. */
  serviceIds: string[];
  languages: string[];
  /** When the person works at this office: shifts minus absences, already concrete. */
  available: Interval[];
  /** Existing appointments and holds (with buffer), at this office or any other. */
  busy: Interval[];
  /** Minutes already booked that day(s) in the range; used only to spread the load. */
  bookedMinutes?: number;
}

export interface VisitNeeds {
  /** The visit must be held in this language (see `interpreterAllowed`). */
  language?: string;
  /**
   * The service's interpreter rule applies: the language must still be one the service lists,
   * but the staff member need not speak it.
   */
  interpreterAllowed?: boolean;
  /** Needs an accessibleDesk counter. */
  wheelchairAccess?: boolean;
  /** Needs a hearingLoop counter. */
  hearingLoop?: boolean;
  /** Needs a privateRoom counter (also required when service.needsPrivateRoom). */
  privateRoom?: boolean;
  /** Lengthens the visit. */
  extraTimeMinutes?: number;
}

export interface AvailabilityInput {
  service: EngineService;
  /** The office's open intervals in the range (from the calendar), sorted, non-overlapping. */
  open: Interval[];
  counters: EngineCounter[];
  staff: EngineStaff[];
  now: number;
  /** Starts must be before this instant (end of the booking horizon, in the office's zone). */
  horizonEnd: number;
  /** Only starts within [from, to) are returned (the caller's requested days). */
  from: number;
  to: number;
  needs?: VisitNeeds;
}

/** end = start + duration + extra time (the buffer is not part of the citizen's visit). */
export interface Slot {
  start: number;
  end: number;
  /** >= 1: how many bookings this start can still take. */
  capacity: number;
}

export interface Assignment {
  counterId: string;
  staffId: string;
}

/**
 * Where a start may lie: GRID, on the service's grid (a new booking, the first part of a new
 * joint visit); AS_BOOKED, wherever it was booked (the recheck of a booked appointment after a
 * directory change: a grid is a rule for choosing starts, not for keeping them, and a joint
 * visit's later parts were placed off it, at the previous part's end plus 5-minute steps).
 */
export type StartPlacement = 'GRID' | 'AS_BOOKED';

/** In order of precedence (OFF_GRID and CLOSED exclude each other). */
export type UnavailableReason =
  'OFF_GRID' | 'CLOSED' | 'TOO_SOON' | 'BEYOND_HORIZON' | 'OUT_OF_RANGE' | 'FULL';
