import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, type SubgraphContext } from '@samservice/platform/auth';
import { IsoDateTime, LocalDate } from '@samservice/platform/http';
import { AppointmentStatus } from '../appointments/appointment.model';
import { appointmentModel } from '../appointments/appointments.resolver';
import { isoInZone } from '../availability/availability.resolver';
import { VisitNeed } from '../availability/needs';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { JointVisitSearchService } from './joint-visit-search.service';
import {
  BookJointVisitInput,
  HoldJointVisitInput,
  JointVisitHoldModel,
  JointVisitModel,
  JointVisitOptionModel,
  NearInput,
} from './joint-visit.model';
import { JointVisitsService, type JointVisitWithParts } from './joint-visits.service';
import { Clock } from '../common/clock';
import { SignedInCitizen } from '../my-data/signed-in-citizen';

/** Joint visits one citizen has booked at once are few; this bounds the list. */
const MY_LIMIT = 50;

const ACTIVE = new Set(['BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE', 'NEEDS_REBOOKING']);

@Resolver(() => JointVisitModel)
export class JointVisitsResolver {
  constructor(
    private readonly search: JointVisitSearchService,
    private readonly jointVisits: JointVisitsService,
    private readonly calendar: OfficeCalendarRepository,
    private readonly signedIn: SignedInCitizen,
    private readonly clock: Clock,
  ) {}

  @Query(() => [JointVisitModel], {
    description:
      'A citizen signed in with e-ID: their joint visits with a part still to come, soonest first.',
  })
  async myJointVisits(@CurrentPrincipal() principal: Principal): Promise<JointVisitModel[]> {
    const key = this.signedIn.of(principal);
    const visits = await this.jointVisits.activeOf(key, this.clock.now(), MY_LIMIT);
    return Promise.all(visits.map((visit) => this.map(visit)));
  }

  @Query(() => [JointVisitOptionModel], {
    description:
      "Back-to-back visits covering all the services; across offices when officeId is omitted. Ordered by start (with near: by distance, then start); for one start the chain with the fewest hand-offs, then the shortest. bookJointVisit books exactly the chain listed first for a start. from..to (office-local days, at most 62) bound the visit's start; limit 1-50, default 10.",
  })
  async jointVisitOptions(
    @Args('serviceIds', { type: () => [ID] }) serviceIds: string[],
    @Args('from', { type: () => LocalDate }) from: string,
    @Args('to', { type: () => LocalDate }) to: string,
    @Args('officeId', { type: () => ID, nullable: true }) officeId?: string,
    @Args('limit', { type: () => Int, nullable: true }) limit?: number,
    @Args('language', { type: () => String, nullable: true }) language?: string,
    @Args('needs', { type: () => [VisitNeed], nullable: true }) needs?: VisitNeed[],
    @Args('anyOrder', {
      type: () => Boolean,
      nullable: true,
      description: 'The services may be given in any order, not only the one listed.',
    })
    anyOrder?: boolean,
    @Args('partySize', {
      type: () => Int,
      nullable: true,
      description:
        "People covered by one booking (e.g. a family registering together); each part grows by the service's per-person minutes, up to its maximum party. Default 1.",
    })
    partySize?: number,
    @Args('near', { type: () => NearInput, nullable: true }) near?: NearInput,
  ): Promise<JointVisitOptionModel[]> {
    const found = await this.search.options({
      serviceIds,
      from,
      to,
      officeId,
      limit,
      near,
      criteria: { language, needs, anyOrder, partySize },
    });
    return found.map(({ office, option, distanceKm }) => ({
      office: { id: office.id },
      start: isoInZone(option.start, office.timeZone),
      end: isoInZone(option.end, office.timeZone),
      handOffs: option.handOffs,
      distanceKm,
      parts: option.parts.map((part) => ({
        service: { id: part.serviceId },
        start: isoInZone(part.start, office.timeZone),
        end: isoInZone(part.end, office.timeZone),
      })),
    }));
  }

  @Mutation(() => JointVisitModel, {
    description:
      'Books exactly the chain that jointVisitOptions lists first for this start and these services: every part or none. If a part is taken meanwhile nothing is booked and the error names it (extensions.part, the index in serviceIds).',
  })
  async bookJointVisit(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: BookJointVisitInput,
  ): Promise<JointVisitModel> {
    return this.map(await this.jointVisits.book(input, principal));
  }

  @Mutation(() => JointVisitHoldModel, {
    description:
      'Reserves the chain that jointVisitOptions lists first for this start and these services, every part or none, for the same few minutes as holdSlot.',
  })
  async holdJointVisit(
    @CurrentPrincipal() principal: Principal,
    @Context() context: SubgraphContext,
    @Args('input') input: HoldJointVisitInput,
  ): Promise<JointVisitHoldModel> {
    const { token, expiresAt, office, option } = await this.jointVisits.hold(
      input,
      principal,
      context.req.clientAddress,
    );
    const zone = office.timeZone;
    return {
      token,
      start: isoInZone(option.start, zone),
      end: isoInZone(option.end, zone),
      expiresAt: isoInZone(expiresAt.getTime(), zone),
      office: { id: office.id },
      parts: option.parts.map((part) => ({
        service: { id: part.serviceId },
        start: isoInZone(part.start, zone),
        end: isoInZone(part.end, zone),
      })),
    };
  }

  @Query(() => JointVisitModel, {
    nullable: true,
    description:
      'A joint visit by its reference (or the reference of one of its parts) plus the identity number (or, for a visitor without one, the e-mail given at booking); staff of the office need neither. Any mismatch answers null.',
  })
  async jointVisitByReference(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
  ): Promise<JointVisitModel | null> {
    const found = await this.jointVisits.findByReference(
      { reference, personnummer, email },
      principal,
    );
    return found ? this.map(found) : null;
  }

  @Mutation(() => JointVisitModel, {
    description: 'Cancels every part of a joint visit at once; the times are free again.',
  })
  async cancelJointVisit(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
  ): Promise<JointVisitModel> {
    return this.map(await this.jointVisits.cancel({ reference, personnummer, email }, principal));
  }

  @Mutation(() => JointVisitModel, {
    description:
      'Moves the whole joint visit to a new start (the chain jointVisitOptions lists first for it), atomically: if any part does not fit, nothing changes.',
  })
  async rescheduleJointVisit(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('start', { type: () => IsoDateTime }) start: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
  ): Promise<JointVisitModel> {
    return this.map(
      await this.jointVisits.reschedule({ reference, personnummer, email }, start, principal),
    );
  }

  private async map({ visit, parts }: JointVisitWithParts): Promise<JointVisitModel> {
    const zone = (await this.calendar.office(visit.officeId))?.timeZone ?? 'Europe/Stockholm';
    const active = parts.filter((p) => ACTIVE.has(p.status));
    const span = active.length > 0 ? active : parts;
    const status =
      visit.status === 'CANCELLED' || active.length === 0
        ? AppointmentStatus.CANCELLED
        : active.some((p) => p.status === 'NEEDS_REBOOKING')
          ? AppointmentStatus.NEEDS_REBOOKING
          : AppointmentStatus.BOOKED;
    return {
      id: visit.id,
      reference: visit.reference,
      status,
      start: isoInZone(Math.min(...span.map((p) => p.startsAt.getTime())), zone),
      end: isoInZone(Math.max(...span.map((p) => p.endsAt.getTime())), zone),
      office: { id: visit.officeId },
      partySize: visit.partySize,
      appointments: parts.map((p) => appointmentModel(p, zone)),
    };
  }
}
