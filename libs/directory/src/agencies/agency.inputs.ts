import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { AgencyLevel } from './agency.model';

@InputType()
export class UpdateAgencyInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @Field(() => AgencyLevel, { nullable: true })
  @IsOptional()
  @IsEnum(AgencyLevel)
  level?: AgencyLevel;
}

@InputType()
export class CreateAgencyInput {
  @Field({ description: 'Short code, e.g. FK; unique in the network.' })
  @IsString()
  code: string;

  @Field()
  @IsString()
  @MaxLength(200)
  name: string;

  @Field(() => AgencyLevel)
  @IsEnum(AgencyLevel)
  level: AgencyLevel;
}
