import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  ResolveReference,
} from '@nestjs/graphql';
import { DateTime } from 'luxon';
import type { ResolvedDay } from '@samservice/calendar';
import {
  CurrentPrincipal,
  requireRole,
  type Principal,
  type SubgraphContext,
} from '@samservice/platform/auth';
import { LocalDate } from '@samservice/platform/http';
import { mapAgency } from '../agencies/agency.mapper';
import { AgencyModel } from '../agencies/agency.model';
import { requireAdmin, requireOfficeAdmin } from '../common/access';
import { DirectoryLoaderFactory } from '../common/loaders';
import { isUuid, timeOf } from '../common/validation';
import { mapService } from '../services/service.mapper';
import { ServiceModel } from '../services/service.model';
import {
  ClosureInput,
  CreateOfficeInput,
  OpeningExceptionInput,
  UpdateOfficeInput,
  WeeklyHoursInput,
} from './office.inputs';
import { mapOffice } from './office.mapper';
import {
  ClosedReason,
  ClosureModel,
  OfficeModel,
  OpeningDayModel,
  OpeningExceptionModel,
  WeeklyHoursModel,
} from './office.model';
import { OfficesService } from './offices.service';
import { OpeningHoursService } from './opening-hours.service';

/** ISO-8601 with the office's offset and no milliseconds: 2027-03-29T09:00:00+02:00. */
function isoInstant(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).toISO({ suppressMilliseconds: true }) as string;
}

function mapDay(day: ResolvedDay): OpeningDayModel {
  const closed = day.closed;
  const holiday =
    closed && (closed.kind === 'PUBLIC_HOLIDAY' || closed.kind === 'DE_FACTO_HOLIDAY')
      ? closed
      : undefined;
  return {
    date: day.date,
    weekday: day.weekday,
    open: day.intervals.length > 0,
    intervals: day.intervals.map((interval) => ({
      start: isoInstant(interval.start),
      end: isoInstant(interval.end),
    })),
    closedReason: closed ? ClosedReason[closed.kind] : null,
    holidayName: holiday?.nameSv ?? day.shortEve?.nameSv ?? null,
    holidayNameEn: holiday?.nameEn ?? day.shortEve?.nameEn ?? null,
    note: closed?.kind === 'CLOSURE' ? closed.reason : (day.exceptionNote ?? null),
    shortEve: Boolean(day.shortEve),
  };
}

@Resolver(() => OfficeModel)
export class OfficesResolver {
  constructor(
    private readonly officeService: OfficesService,
    private readonly hours: OpeningHoursService,
    private readonly loaders: DirectoryLoaderFactory,
  ) {}

  @Query(() => [OfficeModel], { description: 'Every open office of the network.' })
  async offices(): Promise<OfficeModel[]> {
    return (await this.officeService.listActive()).map(mapOffice);
  }

  @Query(() => OfficeModel, { nullable: true })
  async office(@Args('id', { type: () => ID }) id: string): Promise<OfficeModel | null> {
    if (!isUuid(id)) return null;
    const office = await this.officeService.find(id);
    return office ? mapOffice(office) : null;
  }

  @Query(() => [OpeningDayModel], {
    description:
      "The office's hours per local day from..to inclusive (at most 400 days): weekly hours, exceptions, closures and Swedish holidays resolved.",
  })
  async openingHours(
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('from', { type: () => LocalDate }) from: string,
    @Args('to', { type: () => LocalDate }) to: string,
  ): Promise<OpeningDayModel[]> {
    const office = await this.officeService.get(officeId);
    return (await this.hours.resolve(office, from, to)).map(mapDay);
  }

  @ResolveField(() => [AgencyModel], { description: 'The agencies taking part in the office.' })
  async agencies(
    @Parent() office: OfficeModel,
    @Context() context: SubgraphContext,
  ): Promise<AgencyModel[]> {
    return (await this.loaders.for(context.req).agenciesOfOffice.load(office.id)).map(mapAgency);
  }

  @ResolveField(() => [ServiceModel], { description: 'The services the office offers.' })
  async services(
    @Parent() office: OfficeModel,
    @Context() context: SubgraphContext,
  ): Promise<ServiceModel[]> {
    return (await this.loaders.for(context.req).servicesOfOffice.load(office.id)).map(mapService);
  }

  @ResolveField(() => [WeeklyHoursModel], {
    description: 'The weekly pattern, before holidays and exceptions.',
  })
  async weeklyOpeningHours(@Parent() office: OfficeModel): Promise<WeeklyHoursModel[]> {
    return (await this.hours.weekly([office.id])).map((w) => ({
      weekday: w.weekday,
      start: timeOf(w.startMinute),
      end: timeOf(w.endMinute),
    }));
  }

  @ResolveField(() => [OpeningExceptionModel], { description: 'Exceptional hours on given dates.' })
  async openingExceptions(@Parent() office: OfficeModel): Promise<OpeningExceptionModel[]> {
    return (await this.hours.exceptions(office.id)).map((e) => ({
      id: e.id,
      date: e.date,
      start: timeOf(e.startMinute),
      end: timeOf(e.endMinute),
      note: e.note,
    }));
  }

  @ResolveField(() => [ClosureModel], { description: 'Closures (renovation, strike).' })
  async closures(@Parent() office: OfficeModel): Promise<ClosureModel[]> {
    return (await this.hours.closures(office.id)).map((c) => ({
      id: c.id,
      from: c.fromDate,
      to: c.toDate,
      reason: c.reason,
    }));
  }

  @ResolveReference()
  async resolveReference(reference: { id: string }): Promise<OfficeModel | null> {
    if (!isUuid(reference.id)) return null;
    const office = await this.officeService.find(reference.id);
    return office ? mapOffice(office) : null;
  }

  @Mutation(() => OfficeModel, { description: 'Admin: a new office.' })
  async createOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateOfficeInput,
  ): Promise<OfficeModel> {
    requireAdmin(principal);
    return mapOffice(await this.officeService.create(input));
  }

  @Mutation(() => OfficeModel, { description: 'Admin or office admin: change the office.' })
  async updateOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateOfficeInput,
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, id);
    return mapOffice(await this.officeService.update(id, input));
  }

  @Mutation(() => OfficeModel, {
    description: 'Admin: close the office for good (kept for history).',
  })
  async deactivateOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<OfficeModel> {
    requireAdmin(principal);
    return mapOffice(await this.officeService.deactivate(id));
  }

  @Mutation(() => OfficeModel, {
    description: 'Admin or office admin: an agency takes part in the office.',
  })
  async addAgencyToOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('agencyId', { type: () => ID }) agencyId: string,
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, officeId);
    await this.officeService.addAgency(officeId, agencyId);
    return mapOffice(await this.officeService.get(officeId));
  }

  @Mutation(() => OfficeModel, {
    description:
      'Admin or office admin: an agency leaves the office, with its services and counter allocations there.',
  })
  async removeAgencyFromOffice(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('agencyId', { type: () => ID }) agencyId: string,
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, officeId);
    await this.officeService.removeAgency(officeId, agencyId);
    return mapOffice(await this.officeService.get(officeId));
  }

  @Mutation(() => OfficeModel, {
    description: 'Admin or office admin: offer a service of a participating agency.',
  })
  async offerService(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('serviceId', { type: () => ID }) serviceId: string,
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, officeId);
    await this.officeService.offerService(officeId, serviceId);
    return mapOffice(await this.officeService.get(officeId));
  }

  @Mutation(() => OfficeModel)
  async withdrawService(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('serviceId', { type: () => ID }) serviceId: string,
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, officeId);
    await this.officeService.withdrawService(officeId, serviceId);
    return mapOffice(await this.officeService.get(officeId));
  }

  @Mutation(() => OfficeModel, {
    description: 'Admin or office admin: replace the weekly opening hours.',
  })
  async setWeeklyOpeningHours(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('hours', { type: () => [WeeklyHoursInput] }) hours: WeeklyHoursInput[],
  ): Promise<OfficeModel> {
    requireOfficeAdmin(principal, officeId);
    const office = await this.officeService.get(officeId);
    await this.hours.setWeekly(office.id, hours);
    return mapOffice(office);
  }

  @Mutation(() => OpeningExceptionModel, {
    description: 'Admin or office admin: exceptional hours on a date (extra or shorter).',
  })
  async addOpeningException(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('input') input: OpeningExceptionInput,
  ): Promise<OpeningExceptionModel> {
    requireOfficeAdmin(principal, officeId);
    const office = await this.officeService.get(officeId);
    const row = await this.hours.addException(office.id, input);
    return {
      id: row.id,
      date: row.date,
      start: timeOf(row.startMinute),
      end: timeOf(row.endMinute),
      note: row.note,
    };
  }

  @Mutation(() => Boolean)
  async removeOpeningException(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    requireRole(principal, 'admin', 'staff');
    const exception = await this.hours.findException(id);
    requireOfficeAdmin(principal, exception.officeId);
    await this.hours.removeException(exception);
    return true;
  }

  @Mutation(() => ClosureModel, {
    description: 'Admin or office admin: close the office from..to (renovation, strike).',
  })
  async addClosure(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
    @Args('input') input: ClosureInput,
  ): Promise<ClosureModel> {
    requireOfficeAdmin(principal, officeId);
    const office = await this.officeService.get(officeId);
    const { closure, affected } = await this.hours.addClosure(office, input);
    return {
      id: closure.id,
      from: closure.fromDate,
      to: closure.toDate,
      reason: closure.reason,
      affectedAppointments: affected,
    };
  }

  @Mutation(() => Boolean)
  async removeClosure(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    requireRole(principal, 'admin', 'staff');
    const closure = await this.hours.findClosure(id);
    requireOfficeAdmin(principal, closure.officeId);
    await this.hours.removeClosure(closure);
    return true;
  }
}
