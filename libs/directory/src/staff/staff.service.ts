import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager, In } from 'typeorm';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { announceChange, countAffected } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import {
  intervalOf,
  requireDateOrder,
  requireLanguages,
  requireNonBlank,
  requireUuid,
  timeOf,
} from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeEntity } from '../offices/office.entity';
import { OpeningHoursEntity } from '../offices/opening-hours.entity';
import type {
  AbsenceInput,
  CreateStaffMemberInput,
  ShiftInput,
  UpdateStaffMemberInput,
} from './staff.inputs';
import {
  StaffAbsenceEntity,
  StaffCompetenceEntity,
  StaffEntity,
  StaffOfficeEntity,
  StaffShiftEntity,
} from './staff.entity';

const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface StaffMemberRecord {
  staff: StaffEntity;
  offices: StaffOfficeEntity[];
  competences: StaffCompetenceEntity[];
}

/** Merges touching or overlapping intervals of one weekday into continuous open periods. */
function openPeriods(
  rows: Array<{ startMinute: number; endMinute: number }>,
): Array<[number, number]> {
  const sorted = [...rows].sort((a, b) => a.startMinute - b.startMinute);
  const periods: Array<[number, number]> = [];
  for (const row of sorted) {
    const last = periods[periods.length - 1];
    if (last && row.startMinute <= last[1]) last[1] = Math.max(last[1], row.endMinute);
    else periods.push([row.startMinute, row.endMinute]);
  }
  return periods;
}

@Injectable()
export class StaffService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  async ofOffice(officeId: string): Promise<StaffMemberRecord[]> {
    const links = await this.db.getRepository(StaffOfficeEntity).findBy({ officeId });
    return this.records(
      links.map((link) => link.staffId),
      true,
    );
  }

  async get(id: string): Promise<StaffMemberRecord> {
    const [record] = await this.records([requireUuid(id, 'staff member')], false);
    if (!record) throw DomainError.notFound(`No staff member with id "${id}".`);
    return record;
  }

  private async records(ids: string[], activeOnly: boolean): Promise<StaffMemberRecord[]> {
    if (ids.length === 0) return [];
    const [staff, offices, competences] = await Promise.all([
      this.db.getRepository(StaffEntity).find({
        where: { id: In(ids), ...(activeOnly ? { active: true } : {}) },
        order: { name: 'ASC' },
      }),
      this.db.getRepository(StaffOfficeEntity).findBy({ staffId: In(ids) }),
      this.db.getRepository(StaffCompetenceEntity).findBy({ staffId: In(ids) }),
    ]);
    return staff.map((s) => ({
      staff: s,
      offices: offices.filter((o) => o.staffId === s.id),
      competences: competences.filter((c) => c.staffId === s.id),
    }));
  }

  async create(input: CreateStaffMemberInput): Promise<StaffMemberRecord> {
    try {
      const id = await this.db.transaction(async (manager) => {
        const staff = await manager.save(
          manager.create(StaffEntity, {
            name: requireNonBlank(input.name, 'name'),
            subject: input.subject?.trim() || null,
            languages: requireLanguages(input.languages ?? ['sv']),
          }),
        );
        await this.replaceLinks(manager, staff.id, input);
        return staff.id;
      });
      return this.get(id);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /**
   * Changes a person. What leaves the person's booked visits without someone who can serve
   * them is announced: leaving an office (at that office), fewer competences or languages
   * (at every office the person still works at).
   */
  async update(
    record: StaffMemberRecord,
    input: UpdateStaffMemberInput,
  ): Promise<StaffMemberRecord> {
    const { staff } = record;
    const languagesBefore = [...staff.languages];
    if (input.name !== undefined) staff.name = requireNonBlank(input.name, 'name');
    if (input.subject !== undefined) staff.subject = input.subject?.trim() || null;
    if (input.languages !== undefined) staff.languages = requireLanguages(input.languages);
    const narrowed =
      languagesBefore.some((language) => !staff.languages.includes(language)) ||
      (input.competences !== undefined &&
        record.competences.some(
          (had) =>
            !input.competences?.some(
              (c) => c.agencyId === had.agencyId && (c.serviceId ?? null) === had.serviceId,
            ),
        ));
    try {
      await this.db.transaction(async (manager) => {
        await manager.save(staff);
        const left = await this.replaceLinks(manager, staff.id, input);
        const from = new Date().toISOString();
        for (const officeId of left)
          await announceChange(manager, {
            officeId,
            kind: 'STAFF_OFFICE_REMOVED',
            staffId: staff.id,
            from,
          });
        if (narrowed)
          for (const { officeId } of record.offices.filter((o) => !left.includes(o.officeId)))
            await announceChange(manager, {
              officeId,
              kind: 'STAFF_CHANGED',
              staffId: staff.id,
              from,
            });
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
    return this.get(staff.id);
  }

  /** The person leaves the network: their booked visits are moved to others or flagged. */
  async deactivate(record: StaffMemberRecord): Promise<StaffMemberRecord> {
    if (!record.staff.active) return record;
    record.staff.active = false;
    await this.db.transaction(async (manager) => {
      await manager.save(record.staff);
      const from = new Date().toISOString();
      for (const { officeId } of record.offices)
        await announceChange(manager, {
          officeId,
          kind: 'STAFF_DEACTIVATED',
          staffId: record.staff.id,
          from,
        });
    });
    return record;
  }

  /**
   * Offices and competences are replaced as a whole when given. Returns the offices the
   * person left.
   */
  private async replaceLinks(
    manager: EntityManager,
    staffId: string,
    input: UpdateStaffMemberInput,
  ): Promise<string[]> {
    let leaving: string[] = [];
    if (input.offices) {
      const officeIds = input.offices.map((o) => o.officeId);
      const found = await manager.countBy(OfficeEntity, { id: In(officeIds) });
      if (found !== new Set(officeIds).size)
        throw DomainError.badInput('offices: no such office.', 'offices');
      // Keep the links that stay: a person's shifts at an office hang on that link.
      const wanted = new Map(input.offices.map((o) => [o.officeId, o.officeAdmin ?? false]));
      const existing = await manager.findBy(StaffOfficeEntity, { staffId });
      leaving = existing.filter((link) => !wanted.has(link.officeId)).map((link) => link.officeId);
      if (leaving.length > 0)
        await manager.delete(StaffOfficeEntity, { staffId, officeId: In(leaving) });
      await manager.upsert(
        StaffOfficeEntity,
        [...wanted].map(([officeId, officeAdmin]) => ({ staffId, officeId, officeAdmin })),
        ['staffId', 'officeId'],
      );
    }
    if (input.competences) {
      await manager.delete(StaffCompetenceEntity, { staffId });
      if (input.competences.length > 0) {
        await manager.insert(
          StaffCompetenceEntity,
          input.competences.map((c) => ({
            staffId,
            agencyId: c.agencyId,
            serviceId: c.serviceId ?? null,
          })),
        );
      }
    }
    return leaving;
  }

  shiftsOf(staffId: string): Promise<StaffShiftEntity[]> {
    return this.db
      .getRepository(StaffShiftEntity)
      .find({ where: { staffId }, order: { weekday: 'ASC', startMinute: 'ASC' } });
  }

  /**
   * A shift must lie within the office's weekly opening hours of that weekday (a shift
   * outside them is refused), the person must work at the office, and shifts of one
   * person never overlap, across offices too (database constraint).
   */
  async addShift(staffId: string, input: ShiftInput): Promise<StaffShiftEntity> {
    const { startMinute, endMinute } = intervalOf(input.start, input.end);
    requireDateOrder(input.validFrom, input.validTo, ['validFrom', 'validTo']);
    const worksThere = await this.db
      .getRepository(StaffOfficeEntity)
      .existsBy({ staffId, officeId: input.officeId });
    if (!worksThere)
      throw DomainError.badInput(
        'officeId: the staff member does not work at this office.',
        'officeId',
      );
    const hours = await this.db
      .getRepository(OpeningHoursEntity)
      .findBy({ officeId: input.officeId, weekday: input.weekday });
    const periods = openPeriods(hours);
    if (!periods.some(([open, close]) => open <= startMinute && endMinute <= close)) {
      const open = periods.map(([a, b]) => `${timeOf(a)}–${timeOf(b)}`).join(', ') || 'closed';
      throw DomainError.badInput(
        `start: the shift ${input.start}–${input.end} on ${WEEKDAYS[input.weekday]} is outside the office's opening hours (${open}).`,
        'start',
      );
    }
    const row = this.db.getRepository(StaffShiftEntity).create({
      staffId,
      officeId: input.officeId,
      weekday: input.weekday,
      startMinute,
      endMinute,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
    });
    try {
      return await this.db.getRepository(StaffShiftEntity).save(row);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async findShift(id: string): Promise<StaffShiftEntity> {
    const row = await this.db
      .getRepository(StaffShiftEntity)
      .findOneBy({ id: requireUuid(id, 'shift') });
    if (!row) throw DomainError.notFound(`No shift with id "${id}".`);
    return row;
  }

  /** Removes a shift; reports the person's future booked appointments at the office in its hours. */
  async removeShift(row: StaffShiftEntity): Promise<number> {
    return this.db.transaction(async (manager) => {
      await manager.delete(StaffShiftEntity, { id: row.id });
      const [{ count }] = await manager.query(
        `SELECT count(*)::int AS count
         FROM scheduling.published_active_appointment a JOIN directory.office o ON o.id = a.office_id
         WHERE a.staff_id = $1 AND a.office_id = $2 AND a.starts_at > now()
           AND extract(isodow FROM a.starts_at AT TIME ZONE o.time_zone) = $3
           AND extract(hour FROM a.starts_at AT TIME ZONE o.time_zone) * 60
             + extract(minute FROM a.starts_at AT TIME ZONE o.time_zone) < $5
           AND extract(hour FROM a.busy_until AT TIME ZONE o.time_zone) * 60
             + extract(minute FROM a.busy_until AT TIME ZONE o.time_zone) > $4`,
        [row.staffId, row.officeId, row.weekday, row.startMinute, row.endMinute],
      );
      await announceChange(manager, {
        officeId: row.officeId,
        kind: 'SHIFT_REMOVED',
        staffId: row.staffId,
        from: new Date().toISOString(),
      });
      return count as number;
    });
  }

  absencesOf(staffId: string): Promise<StaffAbsenceEntity[]> {
    return this.db
      .getRepository(StaffAbsenceEntity)
      .find({ where: { staffId }, order: { startsAt: 'ASC' } });
  }

  /** Records an absence; reports how many of the person's booked appointments it hits. */
  async addAbsence(
    record: StaffMemberRecord,
    input: AbsenceInput,
  ): Promise<{ absence: StaffAbsenceEntity; affected: number }> {
    const start = DateTime.fromISO(input.start, { setZone: true });
    const end = DateTime.fromISO(input.end, { setZone: true });
    if (end <= start)
      throw DomainError.badInput(`end: ${input.end} is not after start ${input.start}.`, 'end');
    const staffId = record.staff.id;
    return this.db.transaction(async (manager) => {
      const absence = await manager.save(
        manager.create(StaffAbsenceEntity, {
          staffId,
          startsAt: start.toJSDate(),
          endsAt: end.toJSDate(),
          reason: input.reason?.trim() ?? '',
        }),
      );
      const affected = await countAffected(manager, {
        staffId,
        from: start.toJSDate(),
        to: end.toJSDate(),
      });
      for (const office of record.offices) {
        await announceChange(manager, {
          officeId: office.officeId,
          kind: 'ABSENCE',
          staffId,
          from: start.toUTC().toISO() as string,
          to: end.toUTC().toISO() as string,
        });
      }
      return { absence, affected };
    });
  }

  async findAbsence(id: string): Promise<StaffAbsenceEntity> {
    const row = await this.db
      .getRepository(StaffAbsenceEntity)
      .findOneBy({ id: requireUuid(id, 'absence') });
    if (!row) throw DomainError.notFound(`No absence with id "${id}".`);
    return row;
  }

  async removeAbsence(row: StaffAbsenceEntity): Promise<void> {
    await this.db.getRepository(StaffAbsenceEntity).delete({ id: row.id });
  }

  async zoneOf(officeIds: string[]): Promise<string> {
    const office = officeIds.length
      ? await this.db.getRepository(OfficeEntity).findOneBy({ id: officeIds[0] })
      : null;
    return office?.timeZone ?? 'Europe/Stockholm';
  }
}
