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
import { ValidateIfGiven } from '../common/validation';
import { CounterStatus } from './counter.model';

// Every feature of a counter is true or false and it always has a status: null is refused.
@InputType()
export class UpdateCounterInput {
  @Field({ nullable: true }) @ValidateIfGiven() @IsString() @MaxLength(100) name?: string;
  @Field({ nullable: true }) @ValidateIfGiven() @IsBoolean() privateRoom?: boolean;
  @Field({ nullable: true }) @ValidateIfGiven() @IsBoolean() accessibleDesk?: boolean;
  @Field({ nullable: true }) @ValidateIfGiven() @IsBoolean() hearingLoop?: boolean;
  @Field(() => CounterStatus, { nullable: true })
  @ValidateIfGiven()
  @IsEnum(CounterStatus)
  status?: CounterStatus;
}

@InputType()
export class CreateCounterInput extends UpdateCounterInput {
  @Field() @IsString() @MaxLength(100) declare name: string;
}

// Here null is as good as leaving a field out, and every one of them lands in a nullable column:
// weekday or date says which kind of row it is, a DATED row without agency pools the time, and
// no validFrom or validTo leaves that end of the validity open.
@InputType({ description: 'Give weekday for a WEEKLY allocation, or date for a DATED one.' })
export class CounterAllocationInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The agency; leave out on a DATED row to pool the time that day.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'agencyId: not an agency id.' })
  agencyId?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  @Max(7, { message: 'weekday: use 1 (Monday) to 7 (Sunday).' })
  weekday?: number | null;

  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() date?: string | null;
  @Field({ description: 'HH:mm' }) @IsString() start: string;
  @Field({ description: 'HH:mm' }) @IsString() end: string;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validFrom?: string | null;
  @Field(() => LocalDate, { nullable: true }) @IsOptional() @IsString() validTo?: string | null;
}
