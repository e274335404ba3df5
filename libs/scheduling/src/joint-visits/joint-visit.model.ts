import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsoDateTime } from '@samservice/platform/http';
import {
  AppointmentModel,
  AppointmentStatus,
  BookingRequestInput,
} from '../appointments/appointment.model';
import { MAX_NEEDS, NEEDS_MESSAGE, VisitNeed } from '../availability/needs';
import { OfficeReference, ServiceReference } from '../common/references.model';

@ObjectType('JointVisitPart')
export class JointVisitPartModel {
  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;
}

@ObjectType('JointVisitOption', {
  description: 'One visit covering services of several agencies, back to back at one office.',
})
export class JointVisitOptionModel {
  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => [JointVisitPartModel], { description: 'In the order the citizen is served.' })
  parts: JointVisitPartModel[];

  @Field(() => Int, {
    description:
      'How many times the citizen moves to another counter or person between parts (0: one person at one counter serves the whole visit).',
  })
  handOffs: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Straight-line distance in km from `near`, when it was given.',
  })
  distanceKm: number | null;
}

@ObjectType('JointVisit', {
  description:
    'A booked joint visit: one reference for the citizen; each part is an appointment of its agency.',
})
export class JointVisitModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The code for the whole visit (cancelJointVisit, rescheduleJointVisit).' })
  reference: string;

  @Field(() => AppointmentStatus, {
    description:
      'BOOKED, CANCELLED when every part is cancelled, NEEDS_REBOOKING when a directory change left a part without a counter or person.',
  })
  status: AppointmentStatus;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => Int)
  partySize: number;

  @Field(() => [AppointmentModel], {
    description: 'The parts in the order the citizen is served (cancelled parts included, last).',
  })
  appointments: AppointmentModel[];
}

@InputType({
  description:
    'Where the citizen comes from: a municipality with an office, or coordinates (WGS 84). Options are then ordered by distance first.',
})
export class NearInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  municipality?: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  latitude?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  longitude?: number;
}

@InputType()
export class BookJointVisitInput extends BookingRequestInput {
  @Field(() => ID)
  @IsString()
  officeId: string;

  @Field(() => [ID], {
    description: 'In the order the citizen wants them; the system may reorder only if asked.',
  })
  @IsArray()
  @IsString({ each: true })
  serviceIds: string[];

  @Field(() => IsoDateTime)
  @IsString()
  start: string;

  @Field({
    nullable: true,
    description:
      'The services may be given in any order (as asked of jointVisitOptions). Default false.',
  })
  @IsOptional()
  @IsBoolean()
  anyOrder?: boolean;

  @Field(() => Int, {
    nullable: true,
    description:
      "People covered by the one booking (e.g. a family registering together), one of them responsible. Each part grows by the service's per-person minutes, up to its maximum party. Default 1.",
  })
  @IsOptional()
  @IsInt()
  partySize?: number;

  @Field(() => ID, { nullable: true, description: 'Reserved for holds (holdJointVisit).' })
  @IsOptional()
  @IsUUID()
  holdToken?: string;
}

@InputType()
export class HoldJointVisitInput {
  @Field(() => ID)
  @IsString()
  officeId: string;

  @Field(() => [ID], { description: 'In the order the citizen wants them, as for bookJointVisit.' })
  @IsArray()
  @IsString({ each: true })
  serviceIds: string[];

  @Field(() => IsoDateTime)
  @IsString()
  start: string;

  @Field(() => [VisitNeed], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS, { message: NEEDS_MESSAGE })
  @IsEnum(VisitNeed, { each: true, message: 'needs: unknown need.' })
  needs?: VisitNeed[];

  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(8) language?: string;
}

@ObjectType('JointVisitHold', {
  description:
    'A joint visit reserved for a few minutes, every part; pass its token to bookJointVisit (or releaseHold).',
})
export class JointVisitHoldModel {
  @Field(() => ID, { description: 'Give this as holdToken when booking the visit.' })
  token: string;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => IsoDateTime)
  expiresAt: string;

  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => [JointVisitPartModel], { description: 'In the order the citizen is served.' })
  parts: JointVisitPartModel[];
}
