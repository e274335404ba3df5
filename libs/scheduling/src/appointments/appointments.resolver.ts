import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { IsoDateTime } from '@samservice/platform/http';
import { AbuseWatch } from '../abuse/abuse-watch';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { isoInZone } from '../availability/availability.resolver';
import type { AppointmentEntity } from './appointment.entity';
import {
  AppointmentModel,
  AppointmentStatus,
  BookAppointmentInput,
  BookingChannel,
} from './appointment.model';
import { AppointmentsService } from './appointments.service';
import { BookingService } from './booking.service';
import { Clock } from '../common/clock';
import { SignedInCitizen } from '../my-data/signed-in-citizen';

/** Appointments one citizen holds at once are few (the booking limits); this bounds the list. */
const MY_LIMIT = 50;

/** An appointment as the API shows it, times in the office's zone. */
export function appointmentModel(entity: AppointmentEntity, zone: string): AppointmentModel {
  return {
    id: entity.id,
    reference: entity.reference,
    status: AppointmentStatus[entity.status],
    start: isoInZone(entity.startsAt.getTime(), zone),
    end: isoInZone(entity.endsAt.getTime(), zone),
    office: { id: entity.officeId },
    service: { id: entity.serviceId },
    channel: BookingChannel[entity.channel],
  };
}

@Resolver(() => AppointmentModel)
export class AppointmentsResolver {
  private readonly zones = new Map<string, string>();

  constructor(
    private readonly booking: BookingService,
    private readonly appointments: AppointmentsService,
    private readonly calendar: OfficeCalendarRepository,
    private readonly abuse: AbuseWatch,
    private readonly signedIn: SignedInCitizen,
    private readonly clock: Clock,
  ) {}

  @Query(() => [AppointmentModel], {
    description:
      'A citizen signed in with e-ID: their appointments still to come or under way (not the parts of joint visits: see myJointVisits), soonest first. Cancel or move one by its reference without the identity number.',
  })
  async myAppointments(@CurrentPrincipal() principal: Principal): Promise<AppointmentModel[]> {
    const key = this.signedIn.of(principal);
    const rows = await this.appointments.activeOf(key, this.clock.now(), MY_LIMIT);
    return Promise.all(rows.map((row) => this.map(row)));
  }

  private async zoneOf(officeId: string): Promise<string> {
    let zone = this.zones.get(officeId);
    if (!zone) {
      zone = (await this.calendar.office(officeId))?.timeZone ?? 'Europe/Stockholm';
      this.zones.set(officeId, zone);
    }
    return zone;
  }

  private async map(entity: AppointmentEntity): Promise<AppointmentModel> {
    return appointmentModel(entity, await this.zoneOf(entity.officeId));
  }

  @Mutation(() => AppointmentModel, {
    description:
      'Books a visit. Citizens book for themselves (identity number, or birth date + e-mail without one); staff of the office book for a citizen at the desk or on the phone.',
  })
  async bookAppointment(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: BookAppointmentInput,
    @Context() context: { req: { clientAddress?: string } },
  ): Promise<AppointmentModel> {
    const booked = await this.booking.book(input, principal);
    await this.abuse.booked(booked.citizenKey, principal, context.req.clientAddress);
    return this.map(booked);
  }

  @Query(() => AppointmentModel, {
    nullable: true,
    description:
      'A citizen looks up a booking without an e-ID: the reference code plus the identity number (or, for a visitor without one, the e-mail given at booking). Any mismatch, unknown or malformed reference answers null, all alike.',
  })
  async appointmentByReference(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
  ): Promise<AppointmentModel | null> {
    const appointment = await this.appointments.findByReference(
      { reference, personnummer, email },
      principal,
    );
    return appointment ? this.map(appointment) : null;
  }

  @Mutation(() => AppointmentModel, {
    description:
      'Cancels a booking; the time is free again at once. A part of a joint visit answers CONFLICT (extensions.jointVisitReference) unless onlyThisPart is true; cancelJointVisit cancels the whole visit.',
  })
  async cancelAppointment(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
    @Args('onlyThisPart', {
      type: () => Boolean,
      nullable: true,
      description:
        'Confirms cancelling only this part of a joint visit; the other parts stay booked.',
    })
    onlyThisPart?: boolean,
  ): Promise<AppointmentModel> {
    const cancelled = await this.appointments.cancel(
      { reference, personnummer, email },
      principal,
      onlyThisPart ?? false,
    );
    await this.abuse.cancelled(cancelled.citizenKey);
    return this.map(cancelled);
  }

  @Mutation(() => AppointmentModel, {
    description: 'Moves a booking to a new start; the old time is kept if the new one fails.',
  })
  async rescheduleAppointment(
    @CurrentPrincipal() principal: Principal,
    @Args('reference') reference: string,
    @Args('start', { type: () => IsoDateTime }) start: string,
    @Args('personnummer', { type: () => String, nullable: true }) personnummer?: string,
    @Args('email', { type: () => String, nullable: true }) email?: string,
  ): Promise<AppointmentModel> {
    return this.map(
      await this.appointments.reschedule({ reference, personnummer, email }, start, principal),
    );
  }
}
