import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import {
  CurrentPrincipal,
  requireRole,
  type Principal,
  type SubgraphContext,
} from '@samservice/platform/auth';
import { mapAgency } from '../agencies/agency.mapper';
import { AgencyModel } from '../agencies/agency.model';
import { requireOfficeAdmin, requireStaffOf } from '../common/access';
import { DirectoryLoaderFactory } from '../common/loaders';
import { timeOf } from '../common/validation';
import { OfficeModel } from '../offices/office.model';
import { OfficesService } from '../offices/offices.service';
import type { CounterAllocationEntity, CounterEntity } from './counter.entity';
import { CounterAllocationInput, CreateCounterInput, UpdateCounterInput } from './counter.inputs';
import {
  AllocationKind,
  CounterAllocationModel,
  CounterModel,
  CounterStatus,
} from './counter.model';
import { CountersService } from './counters.service';

export function mapCounter(entity: CounterEntity): CounterModel {
  return {
    id: entity.id,
    officeId: entity.officeId,
    name: entity.name,
    privateRoom: entity.privateRoom,
    accessibleDesk: entity.accessibleDesk,
    hearingLoop: entity.hearingLoop,
    status: CounterStatus[entity.status],
  };
}

export function mapAllocation(entity: CounterAllocationEntity): CounterAllocationModel {
  return {
    id: entity.id,
    counterId: entity.counterId,
    agencyId: entity.agencyId,
    kind: AllocationKind[entity.kind],
    weekday: entity.weekday,
    date: entity.date,
    start: timeOf(entity.startMinute),
    end: timeOf(entity.endMinute),
    validFrom: entity.validFrom,
    validTo: entity.validTo,
  };
}

@Resolver(() => CounterModel)
export class CountersResolver {
  constructor(
    private readonly counters: CountersService,
    private readonly officeService: OfficesService,
  ) {}

  @Query(() => [CounterModel], {
    name: 'counters',
    description: 'Staff of the office or admin: the counters of an office.',
  })
  async countersOfOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
  ): Promise<CounterModel[]> {
    requireStaffOf(principal, officeId);
    const office = await this.officeService.get(officeId);
    return (await this.counters.ofOffice(office.id)).map(mapCounter);
  }

  @ResolveField(() => [CounterAllocationModel])
  async allocations(@Parent() counter: CounterModel): Promise<CounterAllocationModel[]> {
    return (await this.counters.allocationsOf([counter.id])).map(mapAllocation);
  }

  @Mutation(() => CounterModel, { description: 'Admin or office admin: a new counter.' })
  async createCounter(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('input') input: CreateCounterInput,
  ): Promise<CounterModel> {
    requireOfficeAdmin(principal, officeId);
    const office = await this.officeService.get(officeId);
    return mapCounter(await this.counters.create(office.id, input));
  }

  @Mutation(() => CounterModel, {
    description: 'Admin or office admin: change a counter (features, out of order).',
  })
  async updateCounter(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateCounterInput,
  ): Promise<CounterModel> {
    requireRole(principal, 'admin', 'staff');
    const counter = await this.counters.get(id);
    requireOfficeAdmin(principal, counter.officeId);
    const { counter: saved, affected } = await this.counters.update(counter, input);
    return { ...mapCounter(saved), affectedAppointments: affected };
  }

  @Mutation(() => CounterModel, {
    description: 'Admin or office admin: take a counter out of use for good.',
  })
  async retireCounter(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<CounterModel> {
    requireRole(principal, 'admin', 'staff');
    const counter = await this.counters.get(id);
    requireOfficeAdmin(principal, counter.officeId);
    const { counter: saved, affected } = await this.counters.update(counter, {
      status: CounterStatus.RETIRED,
    });
    return { ...mapCounter(saved), affectedAppointments: affected };
  }

  @Mutation(() => CounterAllocationModel, {
    description: 'Admin or office admin: reserve counter time for an agency.',
  })
  async addCounterAllocation(
    @CurrentPrincipal() principal: Principal,
    @Args('counterId', { type: () => ID }) counterId: string,
    @Args('input') input: CounterAllocationInput,
  ): Promise<CounterAllocationModel> {
    requireRole(principal, 'admin', 'staff');
    const counter = await this.counters.get(counterId);
    requireOfficeAdmin(principal, counter.officeId);
    return mapAllocation(await this.counters.addAllocation(counter, input));
  }

  @Mutation(() => Boolean)
  async removeCounterAllocation(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    requireRole(principal, 'admin', 'staff');
    const allocation = await this.counters.findAllocation(id);
    requireOfficeAdmin(principal, allocation.officeId);
    await this.counters.removeAllocation(allocation);
    return true;
  }
}

@Resolver(() => CounterAllocationModel)
export class CounterAllocationsResolver {
  constructor(private readonly loaders: DirectoryLoaderFactory) {}

  @ResolveField(() => AgencyModel, { nullable: true })
  async agency(
    @Parent() allocation: CounterAllocationModel,
    @Context() context: SubgraphContext,
  ): Promise<AgencyModel | null> {
    if (!allocation.agencyId) return null;
    const agency = await this.loaders.for(context.req).agency.load(allocation.agencyId);
    return agency ? mapAgency(agency) : null;
  }
}

/** Office.counters: staff of the office and admins only. */
@Resolver(() => OfficeModel)
export class OfficeCountersResolver {
  constructor(private readonly counters: CountersService) {}

  @ResolveField('counters', () => [CounterModel], {
    description: 'Staff of the office or admin only.',
  })
  async countersOfOffice(
    @Parent() office: OfficeModel,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CounterModel[]> {
    requireStaffOf(principal, office.id);
    return (await this.counters.ofOffice(office.id)).map(mapCounter);
  }
}
