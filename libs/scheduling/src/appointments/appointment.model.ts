import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsoDateTime, LocalDate } from '@samservice/platform/http';
import { MAX_NEEDS, NEEDS_MESSAGE, VisitNeed } from '../availability/needs';
import { OfficeReference, ServiceReference } from '../common/references.model';

export enum AppointmentStatus {
  HELD = 'HELD',
  BOOKED = 'BOOKED',
  CHECKED_IN = 'CHECKED_IN',
  CALLED = 'CALLED',
  IN_SERVICE = 'IN_SERVICE',
  COMPLETED = 'COMPLETED',
  NO_SHOW = 'NO_SHOW',
  CANCELLED = 'CANCELLED',
  /** A directory change (closure, absence, counter out of order, …) left no counter or person for it. */
  NEEDS_REBOOKING = 'NEEDS_REBOOKING',
}
registerEnumType(AppointmentStatus, { name: 'AppointmentStatus' });

export enum BookingChannel {
  WEB = 'WEB',
  DESK = 'DESK',
  PHONE = 'PHONE',
  API = 'API',
}
registerEnumType(BookingChannel, {
  name: 'BookingChannel',
  description: 'How a booking was made: online, at the desk, on the phone, or by an agency system.',
});

@ObjectType('Appointment')
export class AppointmentModel {
  @Field(() => ID)
  id: string;

  @Field({
    description: 'Short code a person can read over the phone, unique among active appointments.',
  })
  reference: string;

  @Field(() => AppointmentStatus)
  status: AppointmentStatus;

  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;

  @Field(() => OfficeReference)
  office: OfficeReference;

  @Field(() => ServiceReference)
  service: ServiceReference;

  @Field(() => BookingChannel)
  channel: BookingChannel;
}

@InputType()
export class CitizenInput {
  @Field({
    nullable: true,
    description:
      'personnummer or samordningsnummer, 10 or 12 digits, with or without - or +. A visitor who has neither (e.g. someone moving to Sweden) leaves it out and gives birthDate and email.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  personnummer?: string;

  @Field(() => LocalDate, { nullable: true })
  @IsOptional()
  @IsString()
  birthDate?: string;

  @Field()
  @IsString()
  @MaxLength(200)
  name: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email: not an e-mail address.' })
  @MaxLength(254)
  email?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @Field({
    nullable: true,
    description: 'ISO 639-1 code of the language the visit should be held in, e.g. sv, en, ar',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  language?: string;
}

/** What every booking request carries, single or joint. */
@InputType({ isAbstract: true })
export class BookingRequestInput {
  @Field(() => CitizenInput)
  @ValidateNested()
  @Type(() => CitizenInput)
  citizen: CitizenInput;

  @Field(() => [VisitNeed], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_NEEDS, { message: NEEDS_MESSAGE })
  @IsEnum(VisitNeed, { each: true, message: 'needs: unknown need.' })
  needs?: VisitNeed[];

  @Field({
    nullable: true,
    description:
      'A retried request with the same key returns the first result and books nothing new.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  idempotencyKey?: string;

  @Field(() => BookingChannel, {
    nullable: true,
    description:
      'Staff booking for a citizen: DESK (default for staff) or PHONE. Ignored for citizens (WEB).',
  })
  @IsOptional()
  @IsEnum(BookingChannel)
  channel?: BookingChannel;
}

@InputType()
export class BookAppointmentInput extends BookingRequestInput {
  @Field(() => ID)
  @IsString()
  officeId: string;

  @Field(() => ID)
  @IsString()
  serviceId: string;

  @Field(() => IsoDateTime)
  @IsString()
  start: string;

  @Field(() => ID, { nullable: true, description: 'Reserved for holds (holdSlot).' })
  @IsOptional()
  @IsUUID()
  holdToken?: string;
}
