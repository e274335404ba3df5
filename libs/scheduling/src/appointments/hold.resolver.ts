import {
  Args,
  Context,
  Field,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Resolver,
} from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, type Principal, type SubgraphContext } from '@samservice/platform/auth';
import { IsoDateTime } from '@samservice/platform/http';
import { isoInZone } from '../availability/availability.resolver';
import { MAX_NEEDS, NEEDS_MESSAGE, VisitNeed } from '../availability/needs';
import { OfficeCalendarRepository } from '../availability/office-calendar.repository';
import { OfficeReference, ServiceReference } from '../common/references.model';
import { BookingService } from './booking.service';

@InputType()
export class HoldSlotInput {
  @Field(() => ID) @IsString() officeId: string;
  @Field(() => ID) @IsString() serviceId: string;
  @Field(() => IsoDateTime) @IsString() start: string;

  @Field(() => [VisitNeed], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS, { message: NEEDS_MESSAGE })
  @IsEnum(VisitNeed, { each: true, message: 'needs: unknown need.' })
  needs?: VisitNeed[];

  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(8) language?: string;
}

@ObjectType('SlotHold', {
  description: 'A slot reserved for a few minutes; pass its token to bookAppointment.',
})
export class SlotHoldModel {
  @Field(() => ID, { description: 'Give this as holdToken when booking.' })
  token: string;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => IsoDateTime)
  expiresAt: string;

  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => ServiceReference)
  service: ServiceReference;
}

@Resolver(() => SlotHoldModel)
export class HoldResolver {
  constructor(
    private readonly booking: BookingService,
    private readonly calendar: OfficeCalendarRepository,
  ) {}

  @Mutation(() => SlotHoldModel, {
    description:
      'Reserves a free start for a few minutes while the citizen fills in the form; at most a few live holds per client.',
  })
  async holdSlot(
    @CurrentPrincipal() principal: Principal,
    @Context() context: SubgraphContext,
    @Args('input') input: HoldSlotInput,
  ): Promise<SlotHoldModel> {
    const hold = await this.booking.hold(input, principal, context.req.clientAddress);
    const zone = (await this.calendar.office(hold.officeId))?.timeZone ?? 'Europe/Stockholm';
    return {
      token: hold.id,
      start: isoInZone(hold.startsAt.getTime(), zone),
      end: isoInZone(hold.endsAt.getTime(), zone),
      expiresAt: isoInZone((hold.holdExpiresAt as Date).getTime(), zone),
      office: { id: hold.officeId },
      service: { id: hold.serviceId },
    };
  }

  @Mutation(() => Boolean, {
    description:
      'Gives back a hold (a slot hold or a joint-visit hold) before it expires; the time is free again at once. True when a live hold was released; false when the token is unknown, expired or already booked (all alike).',
  })
  async releaseHold(
    @CurrentPrincipal() principal: Principal,
    @Args('token', { type: () => ID }) token: string,
  ): Promise<boolean> {
    return this.booking.release(token, principal);
  }
}
