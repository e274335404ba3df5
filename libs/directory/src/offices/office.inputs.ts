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

@InputType()
export class AccessibilityInput {
  @Field({ nullable: true }) @IsOptional() @IsBoolean() stepFreeAccess?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() accessibleToilet?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() hearingLoop?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() accessibleParking?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@InputType()
export class UpdateOfficeInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) streetAddress?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10) postalCode?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) municipality?: string;
  @Field({ nullable: true, description: 'IANA zone, e.g. Europe/Stockholm' })
  @IsOptional()
  @IsString()
  timeZone?: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsLatitude({ message: 'latitude: from -90 to 90.' })
  latitude?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsLongitude({ message: 'longitude: from -180 to 180.' })
  longitude?: number;

  @Field(() => AccessibilityInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AccessibilityInput)
  accessibility?: AccessibilityInput;

  @Field({ nullable: true, description: 'HH:mm, default 13:00' })
  @IsOptional()
  @IsString()
  eveClosingTime?: string;
}

@InputType()
export class CreateOfficeInput extends UpdateOfficeInput {
  @Field() @IsString() @MaxLength(200) declare name: string;
  @Field() @IsString() @MaxLength(200) declare streetAddress: string;
  @Field() @IsString() @MaxLength(10) declare postalCode: string;
  @Field() @IsString() @MaxLength(100) declare municipality: string;
  @Field() @IsString() declare timeZone: string;

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
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) note?: string;
}

@InputType()
export class ClosureInput {
  @Field(() => LocalDate) @IsString() from: string;
  @Field(() => LocalDate) @IsString() to: string;
  @Field() @IsString() @MaxLength(200) reason: string;
}
