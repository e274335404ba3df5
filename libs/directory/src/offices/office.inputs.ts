import { Field, Float, InputType, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { LocalDate } from '@samservice/platform/http';
import { ValidateIfGiven } from '../common/validation';

// Each feature is true or false, so null is refused (nested: the message names the path); a null
// note means no note.
@InputType()
export class AccessibilityInput {
  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsBoolean({ message: 'accessibility.stepFreeAccess: true or false.' })
  stepFreeAccess?: boolean;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsBoolean({ message: 'accessibility.accessibleToilet: true or false.' })
  accessibleToilet?: boolean;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsBoolean({ message: 'accessibility.hearingLoop: true or false.' })
  hearingLoop?: boolean;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsBoolean({ message: 'accessibility.accessibleParking: true or false.' })
  accessibleParking?: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

// Every field of an office has a value: leave it out to keep it; null is refused.
@InputType()
export class UpdateOfficeInput {
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(200) name?: string;
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(200) streetAddress?: string;
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(10) postalCode?: string;
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(100) municipality?: string;
  @Field({ nullable: true, description: 'IANA zone, e.g. Europe/Stockholm' })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @Field(() => Float, { nullable: true })
  @ValidateIfGiven()
  @IsLatitude({ message: 'latitude: from -90 to 90.' })
  latitude?: number;

  @Field(() => Float, { nullable: true })
  @ValidateIfGiven()
  @IsLongitude({ message: 'longitude: from -180 to 180.' })
  longitude?: number;

  @Field(() => AccessibilityInput, { nullable: true })
  @ValidateIfGiven()
  @ValidateNested()
  @Type(() => AccessibilityInput)
  accessibility?: AccessibilityInput;

  @Field({ nullable: true, description: 'HH:mm, default 13:00' })
  @ValidateIfGiven()
  @IsString()
  eveClosingTime?: string;
}

@InputType()
export class CreateOfficeInput extends UpdateOfficeInput {
  @Field() @IsString() @MaxLength(200) declare name: string;
  @Field() @IsString() @MaxLength(200) declare streetAddress: string;
  @Field() @IsString() @MaxLength(10) declare postalCode: string;
  @Field() @IsString() @MaxLength(100) declare municipality: string;
  @Field() @IsString() @MaxLength(64) declare timeZone: string;

  @Field(() => Float)
  @IsLatitude({ message: 'latitude: from -90 to 90.' })
  declare latitude: number;

  @Field(() => Float)
  @IsLongitude({ message: 'longitude: from -180 to 180.' })
  declare longitude: number;
}

@InputType()
export class WeeklyHoursInput {
  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  @Max(7, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  weekday: number;

  @Field({ description: 'HH:mm' }) @IsString() start: string;
  @Field({ description: 'HH:mm' }) @IsString() end: string;
}

@InputType()
export class OpeningExceptionInput {
  @Field(() => LocalDate) @IsString() date: string;
  @Field({ description: 'HH:mm' }) @IsString() start: string;
  @Field({ description: 'HH:mm' }) @IsString() end: string;
  // Null or left out: no note.
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string | null;
}

@InputType()
export class ClosureInput {
  @Field(() => LocalDate) @IsString() from: string;
  @Field(() => LocalDate) @IsString() to: string;
  @Field() @IsString() @MaxLength(200) reason: string;
}
