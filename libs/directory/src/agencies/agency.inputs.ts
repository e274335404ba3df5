import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsString, MaxLength } from 'class-validator';
import { ValidateIfGiven } from '../common/validation';
import { AgencyLevel } from './agency.model';

// An agency always has a name and a level: leave a field out to keep it, null is refused.
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
}
