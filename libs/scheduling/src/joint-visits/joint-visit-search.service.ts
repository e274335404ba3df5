import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@samservice/platform/config';
import { DomainError } from '@samservice/platform/errors';
import { isUuid, REQUEST_LIMITS } from '@samservice/platform/http';
import {
  DEFAULT_JOINT_LIMIT,
  jointVisitOptions,
  unavailableReason,
  type AvailabilityInput,
  type JointVisitInput,
  type JointVisitOption,
  type UnavailableReason,
} from '@samservice/scheduling-engine';
import {
  AvailabilityService,
  checkRange,
  engineService,
  horizonEnd,
} from '../availability/availability.service';
import { checkNeeds, extraTimeMinutes, VisitNeed } from '../availability/needs';
import {
  OfficeCalendarRepository,
  type OfficeRow,
  type ServiceRow,
} from '../availability/office-calendar.repository';
import type { NearInput } from './joint-visit.model';

export const MIN_JOINT_SERVICES = 2;
export const MAX_JOINT_SERVICES = REQUEST_LIMITS.maxJointServices;
export const MAX_JOINT_LIMIT = 50;
export const MAX_PARTY_SIZE = 10;

/** What both the search and the booking of a joint visit are asked. */
export interface JointVisitCriteria {
  language?: string | null;
  needs?: VisitNeed[] | null;
  anyOrder?: boolean | null;
  partySize?: number | null;
}

export interface JointOfficeOption {
  office: OfficeRow;
  option: JointVisitOption;
  distanceKm: number | null;
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

interface Point {
  latitude: number;
  longitude: number;
}

/**
 * Joint visits: checks a request, turns an office's calendar into the engine's input for all
 * the services at once (the office's counters and staff are read once, not per service) and
 * runs the pure search of libs/scheduling-engine. Booking uses the same input, so it books
 * exactly the chain the search lists first for the start.
 */
@Injectable()
export class JointVisitSearchService {
  constructor(
    private readonly repository: OfficeCalendarRepository,
    private readonly availability: AvailabilityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 2-5 distinct service ids, as given. */
  checkServiceIds(serviceIds: string[]): string[] {
    if (serviceIds.length < MIN_JOINT_SERVICES || serviceIds.length > MAX_JOINT_SERVICES) {
      throw DomainError.badInput(
        `serviceIds: a joint visit covers ${MIN_JOINT_SERVICES} to ${MAX_JOINT_SERVICES} services; for one service use availableSlots.`,
        'serviceIds',
      );
    }
    if (new Set(serviceIds).size !== serviceIds.length) {
      throw DomainError.badInput('serviceIds: each service only once.', 'serviceIds');
    }
    for (const id of serviceIds) {
      if (!isUuid(id)) throw DomainError.notFound(`No service with id "${id}".`);
    }
    return serviceIds;
  }

  checkPartySize(partySize?: number | null): number {
    const size = partySize ?? 1;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PARTY_SIZE) {
      throw DomainError.badInput(`partySize: from 1 to ${MAX_PARTY_SIZE} people.`, 'partySize');
    }
    return size;
  }

  /**
   * The office (active) and its services in the citizen's order, with the request's
   * language and party size checked against each service.
   */
  async officeServices(
    officeId: string,
    serviceIds: string[],
    criteria: JointVisitCriteria,
  ): Promise<{ office: OfficeRow; services: ServiceRow[] }> {
    const office = isUuid(officeId) ? await this.repository.office(officeId) : undefined;
    if (!office || !office.active) throw DomainError.notFound(`No office with id "${officeId}".`);
    const services: ServiceRow[] = [];
    for (const id of serviceIds) {
      const offered = await this.repository.offeredService(office.id, id);
      if (!offered || !offered.active) {
        if (await this.repository.serviceExists(id)) {
          throw DomainError.badInput(
            `serviceIds: ${office.name} does not offer the service "${id}"; leave out officeId to search the offices that offer them all.`,
            'serviceIds',
          );
        }
        throw DomainError.notFound(`No service with id "${id}".`);
      }
      services.push(offered);
    }
    this.checkServices(services, criteria);
    return { office, services };
  }

  private checkServices(services: ServiceRow[], criteria: JointVisitCriteria): void {
    const size = this.checkPartySize(criteria.partySize);
    for (const service of services) {
      this.availability.validateNeeds(service, criteria.language);
      if (size > service.maxPartySize) {
        throw DomainError.badInput(
          `partySize: "${service.nameSv}" can be booked for at most ${service.maxPartySize} ${service.maxPartySize === 1 ? 'person' : 'people'}; book it separately for the others.`,
          'partySize',
        );
      }
    }
  }

  /** The engine's input for the services at the office, local days from..to. */
  async engineInput(
    office: OfficeRow,
    services: ServiceRow[],
    from: string,
    to: string,
    criteria: JointVisitCriteria & { limit?: number },
    excludeAppointmentIds: readonly string[] = [],
  ): Promise<JointVisitInput> {
    const single = await this.availability.engineInput(
      office,
      services[0],
      from,
      to,
      { language: criteria.language, needs: criteria.needs },
      excludeAppointmentIds,
    );
    const extraTime = (criteria.needs ?? []).includes(VisitNeed.EXTRA_TIME);
    const party = criteria.partySize ?? 1;
    return {
      services: services.map(engineService),
      open: single.open,
      counters: single.counters,
      staff: single.staff,
      now: single.now,
      // Every part within its own service's horizon: the nearest one bounds the visit.
      horizonEnd: Math.min(
        ...services.map((s) => horizonEnd(office.timeZone, single.now, s.horizonDays)),
      ),
      from: single.from,
      to: single.to,
      // Extra time depends on each service's length, so it goes per part (extraMinutes).
      needs: { ...single.needs, extraTimeMinutes: 0 },
      maxGapMinutes: this.config.jointVisitMaxGapMinutes,
      anyOrder: criteria.anyOrder ?? false,
      limit: criteria.limit ?? DEFAULT_JOINT_LIMIT,
      extraMinutes: services.map(
        (s) =>
          (extraTime ? extraTimeMinutes(s.durationMinutes) : 0) + (party - 1) * s.perPersonMinutes,
      ),
    };
  }

  /**
   * Options at one office, or at every office offering all the services. Without `near`
   * they are ordered by start (then office name); with it by distance first.
   */
  async options(request: {
    serviceIds: string[];
    from: string;
    to: string;
    officeId?: string | null;
    limit?: number | null;
    near?: NearInput | null;
    criteria: JointVisitCriteria;
  }): Promise<JointOfficeOption[]> {
    const serviceIds = this.checkServiceIds(request.serviceIds);
    const limit = request.limit ?? DEFAULT_JOINT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOINT_LIMIT) {
      throw DomainError.badInput(`limit: from 1 to ${MAX_JOINT_LIMIT}.`, 'limit');
    }
    checkRange(request.from, request.to);
    checkNeeds(request.criteria.needs);
    this.checkPartySize(request.criteria.partySize);
    // An omitted argument may arrive as an empty input object: only given fields count.
    const near = request.near;
    const nearGiven =
      !!near && [near.municipality, near.latitude, near.longitude].some((v) => v != null);
    const origin = nearGiven ? await this.origin(near as NearInput) : undefined;

    let plans: Array<{ office: OfficeRow; services: ServiceRow[] }>;
    if (request.officeId) {
      plans = [await this.officeServices(request.officeId, serviceIds, request.criteria)];
    } else {
      for (const id of serviceIds) {
        if (!(await this.repository.serviceExists(id))) {
          throw DomainError.notFound(`No service with id "${id}".`);
        }
      }
      const offices = await this.repository.officesOffering(serviceIds);
      if (offices.length === 0) {
        throw DomainError.badInput(
          'serviceIds: no office offers all these services together; book them separately or leave one out.',
          'serviceIds',
        );
      }
      plans = [];
      for (const office of offices) {
        const services: ServiceRow[] = [];
        for (const id of serviceIds) {
          services.push((await this.availability.officeAndService(office.id, id)).service);
        }
        plans.push({ office, services });
      }
      // The same rules everywhere (services are the network's): check them once.
      this.checkServices(plans[0].services, request.criteria);
    }

    const found = await Promise.all(
      plans.map(async ({ office, services }) => {
        // The nearest horizon bounds the visit: no day past it (or before today) is searched.
        const range = this.availability.bookableRange(
          office,
          Math.min(...services.map((s) => s.horizonDays)),
          request.from,
          request.to,
        );
        if (!range) return [];
        const input = await this.engineInput(office, services, range.from, range.to, {
          ...request.criteria,
          limit,
        });
        const distance = origin ? distanceKm(origin, office) : null;
        return jointVisitOptions(input).map((option) => ({
          office,
          option,
          distanceKm: distance === null ? null : Math.round(distance * 10) / 10,
        }));
      }),
    );
    return found
      .flat()
      .sort(
        (a, b) =>
          (a.distanceKm ?? 0) - (b.distanceKm ?? 0) ||
          a.option.start - b.option.start ||
          a.office.name.localeCompare(b.office.name, 'sv') ||
          (a.office.id < b.office.id ? -1 : a.office.id > b.office.id ? 1 : 0),
      )
      .slice(0, limit);
  }

  private async origin(near: NearInput): Promise<Point> {
    const hasPoint = near.latitude !== undefined && near.latitude !== null;
    const hasLongitude = near.longitude !== undefined && near.longitude !== null;
    const municipality = near.municipality?.trim();
    if (municipality && (hasPoint || hasLongitude)) {
      throw DomainError.badInput(
        'near: give either a municipality or coordinates, not both.',
        'near',
      );
    }
    if (municipality) {
      const wanted = municipality.toLocaleLowerCase('sv');
      const office = (await this.repository.activeOffices()).find(
        (o) => o.municipality.toLocaleLowerCase('sv') === wanted,
      );
      if (!office) {
        throw DomainError.badInput(
          `near.municipality: no office of the network is in "${municipality}"; give latitude and longitude instead.`,
          'near.municipality',
        );
      }
      return office;
    }
    if (!hasPoint || !hasLongitude) {
      throw DomainError.badInput(
        'near: give a municipality, or both latitude and longitude.',
        'near',
      );
    }
    const latitude = near.latitude as number;
    const longitude = near.longitude as number;
    if (!(latitude >= -90 && latitude <= 90)) {
      throw DomainError.badInput('near.latitude: from -90 to 90.', 'near.latitude');
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw DomainError.badInput('near.longitude: from -180 to 180.', 'near.longitude');
    }
    return { latitude, longitude };
  }

  /**
   * Why no chain starts at `start`, as the error's `extensions`: the reason of the first
   * part's own calendar when it has one (closed, too soon, off its grid, …), and `part`, the
   * index (in the citizen's order) of the first service that cannot be added to a chain
   * starting then: the longest prefix of the services that still fits tells which part failed.
   */
  whyNot(input: JointVisitInput, start: number): { reason: UnavailableReason; part: number } {
    const single = (i: number): AvailabilityInput => ({
      service: input.services[i],
      open: input.open,
      counters: input.counters,
      staff: input.staff,
      now: input.now,
      horizonEnd: input.horizonEnd,
      from: input.from,
      to: input.to,
      needs: { ...input.needs, extraTimeMinutes: input.extraMinutes?.[i] ?? 0 },
    });
    if (!input.anyOrder) {
      const reason = unavailableReason(single(0), start);
      if (reason) return { reason, part: 0 };
    } else {
      const reasons = input.services.map((_, i) => unavailableReason(single(i), start));
      if (reasons.every((r) => r !== undefined)) {
        return { reason: reasons[0] as UnavailableReason, part: 0 };
      }
    }
    for (let k = 2; k <= input.services.length; k++) {
      const prefix = jointVisitOptions({
        ...input,
        services: input.services.slice(0, k),
        extraMinutes: input.extraMinutes?.slice(0, k),
        from: start,
        to: start + 1,
        limit: 1,
      });
      if (prefix.length === 0) return { reason: 'FULL', part: k - 1 };
    }
    return { reason: 'FULL', part: input.services.length - 1 };
  }
}
