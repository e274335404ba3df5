import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LocalDate } from '@samservice/platform/http';
import { AgencyModel } from '../agencies/agency.model';

export enum CounterStatus {
  ACTIVE = 'ACTIVE',
  OUT_OF_ORDER = 'OUT_OF_ORDER',
  RETIRED = 'RETIRED',
}
registerEnumType(CounterStatus, { name: 'CounterStatus' });

export enum AllocationKind {
  WEEKLY = 'WEEKLY',
  DATED = 'DATED',
}
registerEnumType(AllocationKind, {
  name: 'AllocationKind',
  description:
    "WEEKLY repeats on a weekday; DATED replaces the counter's weekly allocations on its date.",
});

@ObjectType('CounterAllocation', {
  description:
    'Time of a counter reserved for one agency. Unallocated time is shared by all agencies of the office.',
})
export class CounterAllocationModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  counterId: string;

  agencyId: string | null;

  @Field(() => AgencyModel, {
    nullable: true,
    description: 'Null on a DATED allocation that pools the time.',
  })
  agency?: AgencyModel | null;

  @Field(() => AllocationKind)
  kind: AllocationKind;

  @Field(() => Int, { nullable: true })
  weekday: number | null;

  @Field(() => LocalDate, { nullable: true })
  date: string | null;

  @Field()
  start: string;

  @Field()
  end: string;

  @Field(() => LocalDate, { nullable: true })
  validFrom: string | null;

  @Field(() => LocalDate, { nullable: true })
  validTo: string | null;
}

@ObjectType('Counter', { description: 'A counter (disk) of an office, shared by its agencies.' })
export class CounterModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  officeId: string;

  @Field()
  name: string;

  @Field()
  privateRoom: boolean;

  @Field()
  accessibleDesk: boolean;

  @Field()
  hearingLoop: boolean;

  @Field(() => CounterStatus)
  status: CounterStatus;
  @Field(() => Int, {
    nullable: true,
    description:
      'Set by the change that returned it: how many booked appointments it hits (scheduling reassigns them or flags them NEEDS_REBOOKING).',
  })
  affectedAppointments?: number | null;
}
