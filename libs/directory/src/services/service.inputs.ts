import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsBoolean,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import {
  MAX_HORIZON_DAYS,
  MAX_PARTY_SIZE,
  MAX_PER_PERSON_MINUTES,
  MAX_SERVICE_MINUTES,
  ValidateIfGiven,
} from '../common/validation';
import { LifeSituation } from './service.model';

const DURATION_MESSAGE = `durationMinutes: a visit takes from 1 to ${MAX_SERVICE_MINUTES} minutes (8 hours).`;
const HORIZON_MESSAGE = `bookingHorizonDays: from 1 to ${MAX_HORIZON_DAYS} days ahead.`;
const PER_PERSON_MESSAGE = `perPersonMinutes: from 0 to ${MAX_PER_PERSON_MINUTES} minutes for each person beyond the first.`;
const PARTY_SIZE_MESSAGE = `maxPartySize: from 1 to ${MAX_PARTY_SIZE} people in one booking.`;

const LIFE_SITUATIONS = Object.keys(LifeSituation).length;

// Every name and rule of a service has a value: none of them may be given as null.
@InputType()
export class UpdateServiceInput {
  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(200)
  nameSv?: string;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(200)
  nameEn?: string;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt({ message: DURATION_MESSAGE })
  @Min(1, { message: DURATION_MESSAGE })
  @Max(MAX_SERVICE_MINUTES, { message: DURATION_MESSAGE })
  durationMinutes?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt()
  @Min(0, { message: 'bufferAfterMinutes: 0 or more.' })
  @Max(240, { message: 'bufferAfterMinutes: at most 240.' })
  bufferAfterMinutes?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt()
  @Min(5, { message: 'slotGranularityMinutes: from 5 to 240.' })
  @Max(240, { message: 'slotGranularityMinutes: from 5 to 240.' })
  slotGranularityMinutes?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt()
  @Min(0, { message: 'minimumNoticeMinutes: 0 or more.' })
  @Max(60 * 24 * 30, { message: 'minimumNoticeMinutes: at most 30 days.' })
  minimumNoticeMinutes?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt({ message: HORIZON_MESSAGE })
  @Min(1, { message: HORIZON_MESSAGE })
  @Max(MAX_HORIZON_DAYS, { message: HORIZON_MESSAGE })
  bookingHorizonDays?: number;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsBoolean()
  needsPrivateRoom?: boolean;

  @Field(() => [String], { nullable: true })
  @ValidateIfGiven()
  @IsArray()
  @ArrayMaxSize(REQUEST_LIMITS.maxListItems, {
    message: `languages: at most ${REQUEST_LIMITS.maxListItems}.`,
  })
  @IsString({ each: true })
  @MaxLength(8, { each: true, message: 'languages: ISO 639-1 codes such as sv, en, ar.' })
  languages?: string[];

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(4000)
  documentsSv?: string;

  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(4000)
  documentsEn?: string;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt()
  @Min(1, { message: 'maxActiveBookingsPerCitizen: 1 or more.' })
  @Max(20, { message: 'maxActiveBookingsPerCitizen: at most 20.' })
  maxActiveBookingsPerCitizen?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt({ message: PER_PERSON_MESSAGE })
  @Min(0, { message: PER_PERSON_MESSAGE })
  @Max(MAX_PER_PERSON_MINUTES, { message: PER_PERSON_MESSAGE })
  perPersonMinutes?: number;

  @Field(() => Int, { nullable: true })
  @ValidateIfGiven()
  @IsInt({ message: PARTY_SIZE_MESSAGE })
  @Min(1, { message: PARTY_SIZE_MESSAGE })
  @Max(MAX_PARTY_SIZE, { message: PARTY_SIZE_MESSAGE })
  maxPartySize?: number;

  @Field(() => [LifeSituation], {
    nullable: true,
    description: 'The life situations the matter belongs to; each at most once. [] for none.',
  })
  @ValidateIfGiven()
  @IsArray()
  @ArrayMaxSize(LIFE_SITUATIONS, {
    message: `lifeSituations: at most ${LIFE_SITUATIONS}, each once.`,
  })
  @ArrayUnique({ message: 'lifeSituations: each life situation at most once.' })
  @IsEnum(LifeSituation, { each: true, message: 'lifeSituations: not a life situation.' })
  lifeSituations?: LifeSituation[];
}

@InputType()
export class CreateServiceInput extends UpdateServiceInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'agencyId: not an agency id.' })
  agencyId: string;

  @Field()
  @IsString()
  @MaxLength(100)
  code: string;

  @Field()
  @IsString()
  @MaxLength(200)
  declare nameSv: string;

  @Field()
  @IsString()
  @MaxLength(200)
  declare nameEn: string;

  @Field(() => Int)
  @IsInt({ message: DURATION_MESSAGE })
  @Min(1, { message: DURATION_MESSAGE })
  @Max(MAX_SERVICE_MINUTES, { message: DURATION_MESSAGE })
  declare durationMinutes: number;
}
