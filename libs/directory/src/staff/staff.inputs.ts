import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsoDateTime, LocalDate, REQUEST_LIMITS } from '@samservice/platform/http';

const MAX_ITEMS = REQUEST_LIMITS.maxListItems;
import { ValidateIfGiven } from '../common/validation';

@InputType()
export class StaffOfficeInput {
  @Field(() => ID) @IsUUID('all', { message: 'officeId: not an office id.' }) officeId: string;

  // Null, like leaving it out, is the default: not an admin of the office.
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  officeAdmin?: boolean | null;
}

@InputType()
export class CompetenceInput {
  @Field(() => ID) @IsUUID('all', { message: 'agencyId: not an agency id.' }) agencyId: string;

  @Field(() => ID, { nullable: true, description: 'Leave out for the whole agency.' })
  @IsOptional()
  @IsUUID('all', { message: 'serviceId: not a service id.' })
  serviceId?: string | null;
}

// A person always has a name, languages, at least one office and a list of competences (maybe
// empty): null is refused. The subject may be null: the person has no sign-in linked.
@InputType()
export class UpdateStaffMemberInput {
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(200) name?: string;

  @Field(() => String, { nullable: true, description: "The `sub` of the person's staff token." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string | null;

  @Field(() => [String], { nullable: true })
  @ValidateIfGiven()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS, { message: `languages: at most ${MAX_ITEMS}.` })
  @IsString({ each: true })
  @MaxLength(8, { each: true, message: 'languages: ISO 639-1 codes such as sv, en, ar.' })
  languages?: string[];

  @Field(() => [StaffOfficeInput], { nullable: true, description: 'Replaces the offices.' })
  @ValidateIfGiven()
  @IsArray()
  @ArrayMinSize(1, { message: 'offices: at least one office.' })
  @ArrayMaxSize(MAX_ITEMS, { message: `offices: at most ${MAX_ITEMS}.` })
  @ValidateNested({ each: true })
  @Type(() => StaffOfficeInput)
  offices?: StaffOfficeInput[];

  @Field(() => [CompetenceInput], { nullable: true, description: 'Replaces the competences.' })
  @ValidateIfGiven()
  @IsArray()
  @ArrayMaxSize(MAX_ITEMS, { message: `competences: at most ${MAX_ITEMS}.` })
  @ValidateNested({ each: true })
  @Type(() => CompetenceInput)
  competences?: CompetenceInput[];
}

@InputType()
export class CreateStaffMemberInput extends UpdateStaffMemberInput {
  @Field() @IsString() @MaxLength(200) declare name: string;

  @Field(() => [StaffOfficeInput])
  @IsArray()
  @ArrayMinSize(1, { message: 'offices: at least one office.' })
  @ArrayMaxSize(MAX_ITEMS, { message: `offices: at most ${MAX_ITEMS}.` })
  @ValidateNested({ each: true })
  @Type(() => StaffOfficeInput)
  declare offices: StaffOfficeInput[];
}

@InputType()
export class ShiftInput {
  @Field(() => ID) @IsUUID('all', { message: 'officeId: not an office id.' }) officeId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  @Max(7, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  weekday: number;

  @Field({ description: 'HH:mm' }) @IsString() start: string;
  @Field({ description: 'HH:mm' }) @IsString() end: string;
  // Null or left out: the shift has no first or last day.
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validFrom?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validTo?: string | null;
}

@InputType()
export class AbsenceInput {
  @Field(() => IsoDateTime) @IsString() start: string;
  @Field(() => IsoDateTime) @IsString() end: string;
  // Null or left out: no reason given.
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string | null;
}
