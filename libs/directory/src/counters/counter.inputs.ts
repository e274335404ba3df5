import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { LocalDate } from '@samservice/platform/http';
import { CounterStatus } from './counter.model';

@InputType()
export class UpdateCounterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() privateRoom?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() accessibleDesk?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() hearingLoop?: boolean;
  @Field(() => CounterStatus, { nullable: true })
  @IsOptional()
  @IsEnum(CounterStatus)
  status?: CounterStatus;
}

@InputType()
export class CreateCounterInput extends UpdateCounterInput {
  @Field() @IsString() @MaxLength(100) declare name: string;
}

@InputType({ description: 'Give weekday for a WEEKLY allocation, or date for a DATED one.' })
export class CounterAllocationInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The agency; leave out on a DATED row to pool the time that day.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId: not an agency id.' })
  agencyId?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  @Max(7, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  weekday?: number;

  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() date?: string;
  @Field({ description: 'HH:mm' }) @IsString() start: string;
  @Field({ description: 'HH:mm' }) @IsString() end: string;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validFrom?: string;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validTo?: string;
}
