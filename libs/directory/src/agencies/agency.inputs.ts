import { Field, InputType, Int } from '@nestjs/graphql';
import { IsEnum, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidateIfGiven } from '../common/validation';
import { DEFAULT_AGENCY_ACTIVE_BOOKINGS, MAX_AGENCY_ACTIVE_BOOKINGS } from './agency.entity';
import { AgencyLevel } from './agency.model';

const ACTIVE_BOOKINGS_MESSAGE = `maxActiveBookingsPerCitizen: a whole number from 1 to ${MAX_AGENCY_ACTIVE_BOOKINGS} active bookings per citizen across the agency's services.`;

// An agency always has a name, a level and a limit: leave a field out to keep it, null is refused.
@InputType()
export class UpdateAgencyInput {
  @Field({ nullable: true })
  @ValidateIfGiven()
  @IsString()
  @MaxLength(200)
  name?: string;

  @Field(() => AgencyLevel, { nullable: true })
  @ValidateIfGiven()
  @IsEnum(AgencyLevel)
  level?: AgencyLevel;

  @Field(() => Int, {
    nullable: true,
    description: `Active bookings one citizen may hold across all the agency's services at once (1 to ${MAX_AGENCY_ACTIVE_BOOKINGS}; a new agency gets ${DEFAULT_AGENCY_ACTIVE_BOOKINGS}). Lowering it keeps the bookings already made; it refuses new ones until the citizen is below it.`,
  })
  @ValidateIfGiven()
  @IsInt({ message: ACTIVE_BOOKINGS_MESSAGE })
  @Min(1, { message: ACTIVE_BOOKINGS_MESSAGE })
  @Max(MAX_AGENCY_ACTIVE_BOOKINGS, { message: ACTIVE_BOOKINGS_MESSAGE })
  maxActiveBookingsPerCitizen?: number;
}

@InputType()
export class CreateAgencyInput {
  @Field({ description: 'Short code, e.g. FK; unique in the network.' })
  @IsString()
  @MaxLength(50)
  code: string;

  @Field()
  @IsString()
  @MaxLength(200)
  name: string;

  @Field(() => AgencyLevel)
  @IsEnum(AgencyLevel)
  level: AgencyLevel;

  @Field(() => Int, {
    nullable: true,
    description: `Active bookings one citizen may hold across all the agency's services at once (1 to ${MAX_AGENCY_ACTIVE_BOOKINGS}; ${DEFAULT_AGENCY_ACTIVE_BOOKINGS} when left out).`,
  })
  @ValidateIfGiven()
  @IsInt({ message: ACTIVE_BOOKINGS_MESSAGE })
  @Min(1, { message: ACTIVE_BOOKINGS_MESSAGE })
  @Max(MAX_AGENCY_ACTIVE_BOOKINGS, { message: ACTIVE_BOOKINGS_MESSAGE })
  maxActiveBookingsPerCitizen?: number;
}
