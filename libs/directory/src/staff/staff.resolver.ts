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
import { DateTime } from 'luxon';
import {
  CurrentPrincipal,
  requireRole,
  type Principal,
  type SubgraphContext,
} from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';
import { mapAgency } from '../agencies/agency.mapper';
import { AgencyModel } from '../agencies/agency.model';
import { canSeeStaffOf, requireOfficeAdmin, requireStaffOf } from '../common/access';
import { DirectoryLoaderFactory } from '../common/loaders';
import { timeOf } from '../common/validation';
import { mapOffice } from '../offices/office.mapper';
import { OfficeModel } from '../offices/office.model';
import { OfficesService } from '../offices/offices.service';
import { mapService } from '../services/service.mapper';
import { ServiceModel } from '../services/service.model';
import type { StaffShiftEntity } from './staff.entity';
import {
  AbsenceInput,
  CreateStaffMemberInput,
  ShiftInput,
  UpdateStaffMemberInput,
} from './staff.inputs';
import {
  AbsenceModel,
  CompetenceModel,
  ShiftModel,
  ShiftRemovalModel,
  StaffMemberModel,
  StaffOfficeModel,
} from './staff.model';
import { StaffService, type StaffMemberRecord } from './staff.service';

function mapStaff(record: StaffMemberRecord): StaffMemberModel {
  return {
    id: record.staff.id,
    name: record.staff.name,
    languages: record.staff.languages,
    active: record.staff.active,
    offices: record.offices.map((o) => ({ officeId: o.officeId, officeAdmin: o.officeAdmin })),
    competences: record.competences.map((c) => ({ agencyId: c.agencyId, serviceId: c.serviceId })),
  };
}

function mapShift(row: StaffShiftEntity): ShiftModel {
  return {
    id: row.id,
    staffId: row.staffId,
    officeId: row.officeId,
    weekday: row.weekday,
    start: timeOf(row.startMinute),
    end: timeOf(row.endMinute),
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

/** Staff details are for admins and for staff sharing an office with the person. */
function requireSeesStaff(principal: Principal, record: StaffMemberRecord): void {
  requireRole(principal, 'admin', 'staff');
  if (!record.offices.some((o) => canSeeStaffOf(principal, o.officeId))) {
    throw DomainError.forbidden('Staff details are visible to the staff of the same office only.');
  }
}

/** Changing a person: admins, or admins of one of the person's offices. */
function requireManagesStaff(principal: Principal, officeIds: string[]): void {
  requireRole(principal, 'admin', 'staff');
  if (principal.role === 'admin') return;
  if (!officeIds.some((id) => principal.role === 'staff' && principal.adminOffices.includes(id))) {
    throw DomainError.forbidden(
      "Only administrators of one of the person's offices may change their details.",
    );
  }
}

/** The person-wide fields `input` would actually change (a field given as it is changes nothing). */
function personWideChanges(record: StaffMemberRecord, input: UpdateStaffMemberInput): string[] {
  const sameSet = (a: string[], b: string[]) =>
    new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));
  const changed: string[] = [];
  if (input.competences !== undefined) {
    const key = (c: { agencyId: string; serviceId?: string | null }) =>
      `${c.agencyId}/${c.serviceId ?? ''}`;
    if (!sameSet(input.competences.map(key), record.competences.map(key)))
      changed.push('competences');
  }
  if (input.languages !== undefined && !sameSet(input.languages, record.staff.languages))
    changed.push('languages');
  if (input.subject !== undefined && (input.subject?.trim() || null) !== record.staff.subject)
    changed.push('subject');
  return changed;
}

@Resolver(() => StaffMemberModel)
export class StaffResolver {
  constructor(
    private readonly staff: StaffService,
    private readonly officeService: OfficesService,
  ) {}

  @Query(() => [StaffMemberModel], {
    description: 'Staff of the office or admin: the active staff of an office.',
  })
  async staffMembers(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID }) officeId: string,
  ): Promise<StaffMemberModel[]> {
    requireStaffOf(principal, officeId);
    const office = await this.officeService.get(officeId);
    return (await this.staff.ofOffice(office.id)).map(mapStaff);
  }

  @Query(() => StaffMemberModel, { description: 'Staff of the same office or admin.' })
  async staffMember(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StaffMemberModel> {
    requireRole(principal, 'admin', 'staff');
    const record = await this.staff.get(id);
    requireSeesStaff(principal, record);
    return mapStaff(record);
  }

  @ResolveField(() => [ShiftModel])
  async shifts(@Parent() member: StaffMemberModel): Promise<ShiftModel[]> {
    return (await this.staff.shiftsOf(member.id)).map(mapShift);
  }

  @ResolveField(() => [AbsenceModel])
  async absences(@Parent() member: StaffMemberModel): Promise<AbsenceModel[]> {
    const zone = await this.staff.zoneOf(member.offices.map((o) => o.officeId));
    return (await this.staff.absencesOf(member.id)).map((a) => ({
      id: a.id,
      start: DateTime.fromJSDate(a.startsAt, { zone }).toISO({
        suppressMilliseconds: true,
      }) as string,
      end: DateTime.fromJSDate(a.endsAt, { zone }).toISO({ suppressMilliseconds: true }) as string,
      reason: a.reason,
    }));
  }

  @Mutation(() => StaffMemberModel, {
    description: 'Admin, or admin of every office given: a new staff member.',
  })
  async createStaffMember(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateStaffMemberInput,
  ): Promise<StaffMemberModel> {
    for (const office of input.offices) requireOfficeAdmin(principal, office.officeId);
    return mapStaff(await this.staff.create(input));
  }

  @Mutation(() => StaffMemberModel)
  async updateStaffMember(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateStaffMemberInput,
  ): Promise<StaffMemberModel> {
    requireRole(principal, 'admin', 'staff');
    const record = await this.staff.get(id);
    requireManagesStaff(
      principal,
      record.offices.map((o) => o.officeId),
    );
    await this.requireOwnPartsOnly(principal, record, input);
    return mapStaff(await this.staff.update(record, input));
  }

  @Mutation(() => StaffMemberModel, {
    description: 'The person no longer works in the network (kept for history).',
  })
  async deactivateStaffMember(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<StaffMemberModel> {
    requireRole(principal, 'admin', 'staff');
    const record = await this.staff.get(id);
    requireManagesStaff(
      principal,
      record.offices.map((o) => o.officeId),
    );
    await this.requireAdminOfEveryOffice(principal, record, 'deactivate');
    return mapStaff(await this.staff.deactivate(record));
  }

  /**
   * An office admin acts on their own offices' part of a person only: a link to another
   * office stays exactly as it is (nor may they add one), and what holds at every office the
   * person works at (competences, languages, sign-in) needs a network admin or an admin of
   * each of those offices. Another office's bookings would change without its admins.
   */
  private async requireOwnPartsOnly(
    principal: Principal,
    record: StaffMemberRecord,
    input: UpdateStaffMemberInput,
  ): Promise<void> {
    if (principal.role !== 'staff') return;
    const own = new Set(principal.adminOffices);
    if (input.offices) {
      const given = new Map(input.offices.map((o) => [o.officeId, o.officeAdmin ?? false]));
      const changedLinks = [
        ...record.offices
          .filter(
            (link) => !own.has(link.officeId) && given.get(link.officeId) !== link.officeAdmin,
          )
          .map((link) => link.officeId),
        ...[...given.keys()].filter(
          (officeId) => !own.has(officeId) && !record.offices.some((o) => o.officeId === officeId),
        ),
      ];
      if (changedLinks.length > 0) {
        const [office] = await this.officeNames(changedLinks.slice(0, 1));
        const link = record.offices.find((o) => o.officeId === changedLinks[0]);
        throw DomainError.forbidden(
          link
            ? `offices: ${record.staff.name}'s link to ${office} must stay as it is (officeAdmin: ${link.officeAdmin}); only its administrators or a network administrator may change it.`
            : `offices: only administrators of ${office} or a network administrator may add ${record.staff.name} to it.`,
        );
      }
    }
    const changed = personWideChanges(record, input);
    if (changed.length > 0) await this.requireAdminOfEveryOffice(principal, record, changed);
  }

  /** For what holds at every office of the person: a network admin, or an admin of each one. */
  private async requireAdminOfEveryOffice(
    principal: Principal,
    record: StaffMemberRecord,
    what: 'deactivate' | string[],
  ): Promise<void> {
    if (principal.role !== 'staff') return;
    const others = record.offices
      .map((o) => o.officeId)
      .filter((officeId) => !principal.adminOffices.includes(officeId));
    if (others.length === 0) return;
    const names = (await this.officeNames(others)).join(', ');
    const ask = `ask a network administrator (or an administrator of all the person's offices)`;
    throw DomainError.forbidden(
      what === 'deactivate'
        ? `${record.staff.name} also works at ${names}, which you do not administer: ${ask} to deactivate them.`
        : `${what.join(', ')}: these hold at every office ${record.staff.name} works at, also ${names}, which you do not administer: ${ask} to change them.`,
    );
  }

  private async officeNames(officeIds: string[]): Promise<string[]> {
    return Promise.all(
      officeIds.map(async (id) => (await this.officeService.find(id))?.name ?? `office ${id}`),
    );
  }

  @Mutation(() => ShiftModel, {
    description: 'Admin or office admin: a weekly shift, within the opening hours.',
  })
  async addShift(
    @CurrentPrincipal() principal: Principal,
    @Args('staffId', { type: () => ID }) staffId: string,
    @Args('input') input: ShiftInput,
  ): Promise<ShiftModel> {
    requireOfficeAdmin(principal, input.officeId);
    const record = await this.staff.get(staffId);
    return mapShift(await this.staff.addShift(record.staff.id, input));
  }

  @Mutation(() => ShiftRemovalModel, {
    description: 'Removes a shift; reports the booked appointments it leaves without this person.',
  })
  async removeShift(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ShiftRemovalModel> {
    requireRole(principal, 'admin', 'staff');
    const shift = await this.staff.findShift(id);
    requireOfficeAdmin(principal, shift.officeId);
    return { removed: true, affectedAppointments: await this.staff.removeShift(shift) };
  }

  @Mutation(() => AbsenceModel, {
    description: "Admin or admin of one of the person's offices: a dated absence.",
  })
  async addAbsence(
    @CurrentPrincipal() principal: Principal,
    @Args('staffId', { type: () => ID }) staffId: string,
    @Args('input') input: AbsenceInput,
  ): Promise<AbsenceModel> {
    requireRole(principal, 'admin', 'staff');
    const record = await this.staff.get(staffId);
    requireManagesStaff(
      principal,
      record.offices.map((o) => o.officeId),
    );
    const { absence: row, affected } = await this.staff.addAbsence(record, input);
    const zone = await this.staff.zoneOf(record.offices.map((o) => o.officeId));
    return {
      id: row.id,
      start: DateTime.fromJSDate(row.startsAt, { zone }).toISO({
        suppressMilliseconds: true,
      }) as string,
      end: DateTime.fromJSDate(row.endsAt, { zone }).toISO({
        suppressMilliseconds: true,
      }) as string,
      reason: row.reason,
      affectedAppointments: affected,
    };
  }

  @Mutation(() => Boolean)
  async removeAbsence(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    requireRole(principal, 'admin', 'staff');
    const absence = await this.staff.findAbsence(id);
    const record = await this.staff.get(absence.staffId);
    requireManagesStaff(
      principal,
      record.offices.map((o) => o.officeId),
    );
    await this.staff.removeAbsence(absence);
    return true;
  }
}

@Resolver(() => StaffOfficeModel)
export class StaffOfficeResolver {
  constructor(private readonly officeService: OfficesService) {}

  @ResolveField(() => OfficeModel)
  async office(@Parent() link: StaffOfficeModel): Promise<OfficeModel> {
    return mapOffice(await this.officeService.get(link.officeId));
  }
}

@Resolver(() => CompetenceModel)
export class CompetenceResolver {
  constructor(private readonly loaders: DirectoryLoaderFactory) {}

  @ResolveField(() => AgencyModel)
  async agency(
    @Parent() competence: CompetenceModel,
    @Context() context: SubgraphContext,
  ): Promise<AgencyModel> {
    const agency = await this.loaders.for(context.req).agency.load(competence.agencyId);
    if (!agency) throw new Error(`competence without agency ${competence.agencyId}`);
    return mapAgency(agency);
  }

  @ResolveField(() => ServiceModel, { nullable: true })
  async service(
    @Parent() competence: CompetenceModel,
    @Context() context: SubgraphContext,
  ): Promise<ServiceModel | null> {
    if (!competence.serviceId) return null;
    const service = await this.loaders.for(context.req).service.load(competence.serviceId);
    return service ? mapService(service) : null;
  }
}

/** Office.staff: staff of the office and admins only. */
@Resolver(() => OfficeModel)
export class OfficeStaffResolver {
  constructor(private readonly staff: StaffService) {}

  @ResolveField('staff', () => [StaffMemberModel], {
    description: 'Staff of the office or admin only.',
  })
  async staffOfOffice(
    @Parent() office: OfficeModel,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffMemberModel[]> {
    requireStaffOf(principal, office.id);
    return (await this.staff.ofOffice(office.id)).map(mapStaff);
  }
}
