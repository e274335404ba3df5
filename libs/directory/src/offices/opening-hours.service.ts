import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Between, DataSource, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import {
  localMinuteToUtc,
  resolveOpeningHours,
  type OpeningHoursInput,
  type ResolvedDay,
} from '@samservice/calendar';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import { announceChange, countAffected } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import {
  intervalOf,
  requireDateOrder,
  requireNonBlank,
  requireUuid,
  requireWeekday,
} from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeEntity } from './office.entity';
import type { ClosureInput, OpeningExceptionInput, WeeklyHoursInput } from './office.inputs';
import { ClosureEntity, OpeningExceptionEntity, OpeningHoursEntity } from './opening-hours.entity';

/** A local date's span in any zone: from the UTC day before to the UTC day after it. */
function aroundDate(date: string): { from: string; to: string } {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  return {
    from: new Date(midnight - 86_400_000).toISOString(),
    to: new Date(midnight + 2 * 86_400_000).toISOString(),
  };
}

/** The longest range `openingHours` answers in one request. */
export const MAX_OPENING_HOURS_DAYS = 400;

@Injectable()
export class OpeningHoursService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  weekly(officeIds: readonly string[]): Promise<OpeningHoursEntity[]> {
    return this.db.getRepository(OpeningHoursEntity).find({
      where: { officeId: In([...officeIds]) },
      order: { weekday: 'ASC', startMinute: 'ASC' },
    });
  }

  /** Replaces the office's weekly pattern as a whole, or changes nothing. */
  async setWeekly(officeId: string, hours: WeeklyHoursInput[]): Promise<OpeningHoursEntity[]> {
    if (hours.length > REQUEST_LIMITS.maxListItems) {
      throw DomainError.badInput(
        `hours: at most ${REQUEST_LIMITS.maxListItems} intervals.`,
        'hours',
      );
    }
    const rows = hours.map((h) => ({
      officeId,
      // Checked here, not left to the table's check constraint: that was an HTTP 500.
      weekday: requireWeekday(h.weekday),
      ...intervalOf(h.start, h.end),
    }));
    try {
      return await this.db.transaction(async (manager) => {
        await manager.delete(OpeningHoursEntity, { officeId });
        await manager.insert(OpeningHoursEntity, rows);
        // Shorter hours may leave booked visits outside them: scheduling rechecks the office.
        await announceChange(manager, {
          officeId,
          kind: 'HOURS_CHANGED',
          from: new Date().toISOString(),
        });
        return manager.find(OpeningHoursEntity, {
          where: { officeId },
          order: { weekday: 'ASC', startMinute: 'ASC' },
        });
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  exceptions(officeId: string, from?: string, to?: string): Promise<OpeningExceptionEntity[]> {
    return this.db.getRepository(OpeningExceptionEntity).find({
      where: {
        officeId,
        ...(from && to ? { date: Between(from, to) } : {}),
      },
      order: { date: 'ASC', startMinute: 'ASC' },
    });
  }

  async addException(
    officeId: string,
    input: OpeningExceptionInput,
  ): Promise<OpeningExceptionEntity> {
    const row = this.db.getRepository(OpeningExceptionEntity).create({
      officeId,
      date: input.date,
      ...intervalOf(input.start, input.end),
      note: input.note?.trim() ?? '',
    });
    try {
      return await this.db.transaction(async (manager) => {
        const saved = await manager.save(row);
        // The day's hours are replaced: visits booked outside the new hours are rechecked.
        await announceChange(manager, {
          officeId,
          kind: 'HOURS_CHANGED',
          ...aroundDate(input.date),
        });
        return saved;
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async findException(id: string): Promise<OpeningExceptionEntity> {
    const row = await this.db
      .getRepository(OpeningExceptionEntity)
      .findOneBy({ id: requireUuid(id, 'exception') });
    if (!row) throw DomainError.notFound(`No exceptional hours with id "${id}".`);
    return row;
  }

  /**
   * The day's own hours (weekly, holiday, eve) come back: visits booked in extra hours that
   * day, or on a holiday the exception opened, are rechecked.
   */
  async removeException(row: OpeningExceptionEntity): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.delete(OpeningExceptionEntity, { id: row.id });
      await announceChange(manager, {
        officeId: row.officeId,
        kind: 'HOURS_CHANGED',
        ...aroundDate(row.date),
      });
    });
  }

  closures(officeId: string): Promise<ClosureEntity[]> {
    return this.db
      .getRepository(ClosureEntity)
      .find({ where: { officeId }, order: { fromDate: 'ASC' } });
  }

  /** Closes the office from..to; reports how many booked appointments the closure hits. */
  async addClosure(
    office: OfficeEntity,
    input: ClosureInput,
  ): Promise<{ closure: ClosureEntity; affected: number }> {
    requireDateOrder(input.from, input.to, ['from', 'to']);
    const reason = requireNonBlank(input.reason, 'reason');
    const from = new Date(localMinuteToUtc(office.timeZone, input.from, 0));
    const to = new Date(localMinuteToUtc(office.timeZone, input.to, 1440));
    return this.db.transaction(async (manager) => {
      const closure = await manager.save(
        manager.create(ClosureEntity, {
          officeId: office.id,
          fromDate: input.from,
          toDate: input.to,
          reason,
        }),
      );
      const affected = await countAffected(manager, { officeId: office.id, from, to });
      await announceChange(manager, {
        officeId: office.id,
        kind: 'CLOSURE',
        from: from.toISOString(),
        to: to.toISOString(),
      });
      return { closure, affected };
    });
  }

  async findClosure(id: string): Promise<ClosureEntity> {
    const row = await this.db
      .getRepository(ClosureEntity)
      .findOneBy({ id: requireUuid(id, 'closure') });
    if (!row) throw DomainError.notFound(`No closure with id "${id}".`);
    return row;
  }

  async removeClosure(row: ClosureEntity): Promise<void> {
    await this.db.getRepository(ClosureEntity).delete({ id: row.id });
  }

  /** Everything the calendar needs to resolve an office's hours over from..to. */
  async calendarInput(office: OfficeEntity, from: string, to: string): Promise<OpeningHoursInput> {
    const [weekly, exceptions, closures] = await Promise.all([
      this.weekly([office.id]),
      this.exceptions(office.id, from, to),
      this.db.getRepository(ClosureEntity).find({
        where: {
          officeId: office.id,
          fromDate: LessThanOrEqual(to),
          toDate: MoreThanOrEqual(from),
        },
      }),
    ]);
    return {
      timeZone: office.timeZone,
      eveClosingMinute: office.eveClosingMinute,
      weekly: weekly.map((w) => ({
        weekday: w.weekday,
        startMinute: w.startMinute,
        endMinute: w.endMinute,
      })),
      exceptions: exceptions.map((e) => ({
        date: e.date,
        startMinute: e.startMinute,
        endMinute: e.endMinute,
        note: e.note || undefined,
      })),
      closures: closures.map((c) => ({ from: c.fromDate, to: c.toDate, reason: c.reason })),
    };
  }

  async resolve(office: OfficeEntity, from: string, to: string): Promise<ResolvedDay[]> {
    requireDateOrder(from, to, ['from', 'to']);
    const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1;
    if (days > MAX_OPENING_HOURS_DAYS) {
      throw DomainError.badInput(`to: at most ${MAX_OPENING_HOURS_DAYS} days per request.`, 'to');
    }
    return resolveOpeningHours(await this.calendarInput(office, from, to), from, to);
  }
}
