import { DomainError, ErrorCode } from '@samservice/platform/errors';

/**
 * Which limit of active bookings refused a booking (`extensions.scope` of LIMIT_REACHED):
 * the service's own (`maxActiveBookingsPerCitizen` of the Service) or its agency's across
 * all the agency's services (`maxActiveBookingsPerCitizen` of the Agency).
 */
export type BookingLimitScope = 'SERVICE' | 'AGENCY';

/** What `book_appointment` / `book_joint_visit` put in DETAIL for AGENCY_LIMIT_REACHED. */
export interface AgencyLimitDetail {
  /** The citizen's active bookings with the agency before this request. */
  count: number;
  limit: number;
  agencyName: string;
  /** A joint visit: the part that does not fit (its index in visit order)… */
  part?: number;
  /** …and how many of the visit's parts are the agency's. */
  partsOfAgency?: number;
}

const isCount = (value: unknown): value is number => Number.isInteger(value);

/** The DETAIL of an AGENCY_LIMIT_REACHED refusal; undefined when it is not one the functions write. */
export function parseAgencyLimitDetail(detail: string | undefined): AgencyLimitDetail | undefined {
  if (!detail) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { count, limit, agencyName, part, partsOfAgency } = value as Record<string, unknown>;
  if (!isCount(count) || !isCount(limit) || typeof agencyName !== 'string') return undefined;
  if (part !== undefined && !isCount(part)) return undefined;
  if (partsOfAgency !== undefined && !isCount(partsOfAgency)) return undefined;
  return {
    count,
    limit,
    agencyName,
    ...(part === undefined ? {} : { part }),
    ...(partsOfAgency === undefined ? {} : { partsOfAgency }),
  };
}

const activeBookings = (count: number) =>
  count === 1 ? '1 active booking' : `${count} active bookings`;

/**
 * The agency's limit reached: says whose limit it is, how high, and what makes room
 * (cancelling one of the citizen's bookings with the agency; for a joint visit, also leaving
 * one of the agency's services out). `jointPart` is the part of a joint visit that does not fit,
 * as its index in the citizen's order of the services and its service's name.
 */
export function agencyLimitReached(
  detail: AgencyLimitDetail,
  jointPart?: { part: number; serviceName: string },
): DomainError {
  const { count, limit, agencyName } = detail;
  const rule = `${agencyName} allows ${limit === 1 ? 'one active booking' : `${limit} active bookings`} per person at a time, across all its services`;
  const extensions = {
    scope: 'AGENCY' satisfies BookingLimitScope,
    agency: agencyName,
    limit,
    ...(jointPart ? { part: jointPart.part } : {}),
  };
  if (!jointPart) {
    return new DomainError(
      ErrorCode.LIMIT_REACHED,
      `${rule}, and you already have ${activeBookings(count)} with ${agencyName}. Cancel one of them and you can book this.`,
      extensions,
    );
  }
  const parts = detail.partsOfAgency ?? 1;
  const held =
    count > 0 ? `you already have ${activeBookings(count)} with ${agencyName}, and ` : '';
  const wayOut =
    count > 0
      ? `Cancel one of your bookings with ${agencyName}, or leave one of its services out of the visit, and you can book it`
      : `Leave one of its services out of the visit and you can book it`;
  return new DomainError(
    ErrorCode.LIMIT_REACHED,
    `${rule}: ${held}this visit has ${parts === 1 ? '1 part' : `${parts} parts`} with ${agencyName}, so part ${jointPart.part + 1} ("${jointPart.serviceName}") is one too many. ${wayOut}; nothing was booked.`,
    extensions,
  );
}
