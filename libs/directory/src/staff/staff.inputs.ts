import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
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
import { IsoDateTime, LocalDate } from '@samservice/platform/http';

@InputType()
export class StaffOfficeInput {
  @Field(() => ID) @IsUUID('all', { message: 'officeId: not an office id.' }) officeId: string;
  @Field({ nullable: true, defaultValue: false }) @IsOptional() @IsBoolean() officeAdmin?: boolean;
}

@InputType()
export class CompetenceInput {
  @Field(() => ID) @IsUUID('all', { message: 'agencyId: not an agency id.' }) agencyId: string;

  @Field(() => ID, { nullable: true, description: 'Leave out for the whole agency.' })
  @IsOptional()
  @IsUUID('all', { message: 'serviceId: not a service id.' })
  serviceId?: string;
}

@InputType()
export class UpdateStaffMemberInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string;

  @Field({ nullable: true, description: "The `sub` of the person's staff token." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  languages?: string[];

  @Field(() => [StaffOfficeInput], { nullable: true, description: 'Replaces the offices.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'offices: at least one office.' })
  @ValidateNested({ each: true })
  @Type(() => StaffOfficeInput)
  offices?: StaffOfficeInput[];

  @Field(() => [CompetenceInput], { nullable: true, description: 'Replaces the competences.' })
  @IsOptional()
  @IsArray()
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
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validFrom?: string;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validTo?: string;
}

@InputType()
export class AbsenceInput {
  @Field(() => IsoDateTime) @IsString() start: string;
  @Field(() => IsoDateTime) @IsString() end: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}
