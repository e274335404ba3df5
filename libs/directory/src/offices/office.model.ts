import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsoDateTime, LocalDate } from '@samservice/platform/http';

@ObjectType('Coordinates')
export class CoordinatesModel {
  @Field(() => Float)
  latitude: number;

  @Field(() => Float)
  longitude: number;
}

@ObjectType('Accessibility', {
  description: 'What a visitor with a disability can count on at the office.',
})
export class AccessibilityModel {
  @Field()
  stepFreeAccess: boolean;

  @Field()
  accessibleToilet: boolean;

  @Field()
  hearingLoop: boolean;

  @Field()
  accessibleParking: boolean;

  @Field()
  note: string;
}

@ObjectType('WeeklyHours', { description: 'An open interval of a weekday, local time.' })
export class WeeklyHoursModel {
  @Field(() => Int, { description: 'ISO weekday, 1 = Monday.' })
  weekday: number;

  @Field({ description: 'HH:mm' })
  start: string;

  @Field({ description: 'HH:mm' })
  end: string;
}

@ObjectType('Office', { description: 'A service office (servicekontor).' })
@Directive('@key(fields: "id")')
export class OfficeModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  municipality: string;

  @Field({ description: 'IANA time zone of every local time of the office.' })
  timeZone: string;

  @Field()
  streetAddress: string;

  @Field()
  postalCode: string;

  @Field(() => CoordinatesModel)
  coordinates: CoordinatesModel;

  @Field(() => AccessibilityModel)
  accessibility: AccessibilityModel;

  @Field({ description: 'Closing time (HH:mm) on eves with short hours.' })
  eveClosingTime: string;

  @Field()
  active: boolean;
}

@ObjectType('OpenInterval')
export class OpenIntervalModel {
  @Field(() => IsoDateTime)
  start: string;

  @Field(() => IsoDateTime)
  end: string;
}

export enum ClosedReason {
  CLOSURE = 'CLOSURE',
  PUBLIC_HOLIDAY = 'PUBLIC_HOLIDAY',
  DE_FACTO_HOLIDAY = 'DE_FACTO_HOLIDAY',
  NO_HOURS = 'NO_HOURS',
}
registerEnumType(ClosedReason, {
  name: 'ClosedReason',
  description:
    'Why an office is closed on a day: a closure, a public holiday, a de-facto holiday, or no hours that weekday.',
});

@ObjectType('OpeningDay', { description: "An office's resolved hours on one local day." })
export class OpeningDayModel {
  @Field(() => LocalDate)
  date: string;

  @Field(() => Int)
  weekday: number;

  @Field()
  open: boolean;

  @Field(() => [OpenIntervalModel])
  intervals: OpenIntervalModel[];

  @Field(() => ClosedReason, { nullable: true })
  closedReason: ClosedReason | null;

  @Field(() => String, {
    nullable: true,
    description: 'Holiday or eve name (Swedish), when it shapes the day.',
  })
  holidayName: string | null;

  @Field(() => String, { nullable: true, description: 'Holiday or eve name in English.' })
  holidayNameEn: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Reason given for a closure, or the note of exceptional hours.',
  })
  note: string | null;

  @Field({ description: 'An eve with short hours (closes at the eve closing time).' })
  shortEve: boolean;
}

@ObjectType('OpeningException')
export class OpeningExceptionModel {
  @Field(() => ID)
  id: string;

  @Field(() => LocalDate)
  date: string;

  @Field()
  start: string;

  @Field()
  end: string;

  @Field()
  note: string;
}

@ObjectType('Closure')
export class ClosureModel {
  @Field(() => ID)
  id: string;

  @Field(() => LocalDate)
  from: string;

  @Field(() => LocalDate)
  to: string;

  @Field()
  reason: string;
  @Field(() => Int, {
    nullable: true,
    description:
      'Set by the change that returned it: how many booked appointments it hits (scheduling reassigns them or flags them NEEDS_REBOOKING).',
  })
  affectedAppointments?: number | null;
}
