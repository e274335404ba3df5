import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { localMinuteToUtc } from '@samservice/calendar';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { announceChange, countAffected } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import { intervalOf, requireDateOrder, requireNonBlank, requireUuid } from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeAgencyEntity } from '../offices/office-agency.entity';
import { OfficeEntity } from '../offices/office.entity';
import { CounterAllocationEntity, CounterEntity } from './counter.entity';
import { CounterStatus } from './counter.model';
import type {
  CounterAllocationInput,
  CreateCounterInput,
  UpdateCounterInput,
} from './counter.inputs';

@Injectable()
export class CountersService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  private get counters() {
    return this.db.getRepository(CounterEntity);
  }

  ofOffice(officeId: string): Promise<CounterEntity[]> {
    return this.counters.find({ where: { officeId }, order: { name: 'ASC' } });
  }

  async get(id: string): Promise<CounterEntity> {
    const counter = await this.counters.findOneBy({ id: requireUuid(id, 'counter') });
    if (!counter) throw DomainError.notFound(`No counter with id "${id}".`);
    return counter;
  }

  async create(officeId: string, input: CreateCounterInput): Promise<CounterEntity> {
    const row = this.counters.create({ officeId, ...this.changes(input) });
    try {
      return await this.counters.save(row);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /**
   * Changes a counter. Taking it out of use (out of order, retired) reports how many booked
   * appointments it hits; scheduling moves them to another counter or flags them.
   */
  async update(
    counter: CounterEntity,
    input: UpdateCounterInput,
  ): Promise<{ counter: CounterEntity; affected: number | null }> {
    // A retired counter stays retired (its appointments were moved or flagged when it went);
    // a desk back in use is a new counter. The database refuses it too (trigger), for races.
    if (
      counter.status === 'RETIRED' &&
      input.status !== undefined &&
      input.status !== CounterStatus.RETIRED
    ) {
      throw DomainError.badInput(
        `status: ${counter.name} is retired, and retiring is final; create a new counter to bring the desk back into use.`,
        'status',
      );
    }
    const wasActive = counter.status === 'ACTIVE';
    const before = { ...counter };
    Object.assign(counter, this.changes(input));
    // A visit that needs a private room, an accessible desk or a hearing loop cannot stay at
    // a counter that no longer has it.
    const lostFeature =
      (before.privateRoom && !counter.privateRoom) ||
      (before.accessibleDesk && !counter.accessibleDesk) ||
      (before.hearingLoop && !counter.hearingLoop);
    try {
      return await this.db.transaction(async (manager) => {
        const saved = await manager.save(counter);
        const outOfUse = wasActive && saved.status !== 'ACTIVE';
        if (!outOfUse && !(lostFeature && saved.status === 'ACTIVE'))
          return { counter: saved, affected: null };
        const now = new Date();
        // Out of use, every appointment at the counter is hit. Which ones need the feature
        // lost is not published by scheduling (a visit's needs stay there), so that count is
        // of the appointments at the counter scheduling rechecks: at most this many move.
        const affected = await countAffected(manager, { counterId: saved.id, from: now });
        await announceChange(manager, {
          officeId: saved.officeId,
          kind: outOfUse ? 'COUNTER_UNAVAILABLE' : 'COUNTER_FEATURES_REMOVED',
          counterId: saved.id,
          from: now.toISOString(),
        });
        return { counter: saved, affected };
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  allocationsOf(counterIds: readonly string[]): Promise<CounterAllocationEntity[]> {
    return this.db.getRepository(CounterAllocationEntity).find({
      where: { counterId: In([...counterIds]) },
      order: { kind: 'ASC', weekday: 'ASC', date: 'ASC', startMinute: 'ASC' },
    });
  }

  /**
   * Reserves counter time for an agency. The agency must take part in the office, and the
   * time must not overlap another allocation of the counter: both are constraints of the
   * database, which refuses the row (and nothing is stored).
   */
  async addAllocation(
    counter: CounterEntity,
    input: CounterAllocationInput,
  ): Promise<CounterAllocationEntity> {
    const interval = intervalOf(input.start, input.end);
    const weekly = input.weekday !== undefined && input.weekday !== null;
    const dated = input.date !== undefined && input.date !== null;
    if (weekly === dated) {
      throw DomainError.badInput(
        'weekday: give either weekday (a weekly allocation) or date (one day), not both.',
        'weekday',
      );
    }
    if (weekly && !input.agencyId) {
      throw DomainError.badInput(
        'agencyId: a weekly allocation reserves time for one agency.',
        'agencyId',
      );
    }
    if (dated && (input.validFrom || input.validTo)) {
      throw DomainError.badInput(
        'validFrom: only weekly allocations have a validity period.',
        'validFrom',
      );
    }
    requireDateOrder(input.validFrom, input.validTo, ['validFrom', 'validTo']);
    if (input.agencyId) {
      const takesPart = await this.db
        .getRepository(OfficeAgencyEntity)
        .existsBy({ officeId: counter.officeId, agencyId: input.agencyId });
      if (!takesPart)
        throw DomainError.badInput(
          'agencyId: this agency does not take part in the office.',
          'agencyId',
        );
    }
    const row = this.db.getRepository(CounterAllocationEntity).create({
      officeId: counter.officeId,
      counterId: counter.id,
      agencyId: input.agencyId ?? null,
      kind: weekly ? 'WEEKLY' : 'DATED',
      weekday: weekly ? (input.weekday as number) : null,
      date: dated ? (input.date as string) : null,
      ...interval,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
    });
    try {
      return await this.db.transaction(async (manager) => {
        const saved = await manager.save(row);
        // Time reserved for one agency: the others' visits at the counter then are rechecked.
        // Pooled time (a DATED row without agency) only opens the counter to more agencies.
        if (saved.agencyId !== null)
          await announceChange(manager, {
            officeId: saved.officeId,
            kind: 'ALLOCATION_CHANGED',
            counterId: saved.counterId,
            ...(await this.spanOf(manager, saved)),
          });
        return saved;
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async findAllocation(id: string): Promise<CounterAllocationEntity> {
    const row = await this.db
      .getRepository(CounterAllocationEntity)
      .findOneBy({ id: requireUuid(id, 'allocation') });
    if (!row) throw DomainError.notFound(`No allocation with id "${id}".`);
    return row;
  }

  /**
   * Removing a WEEKLY row only gives its time back to the pool. Removing a DATED row may bring
   * the counter's weekly allocations back that day (when it was the day's last), which may
   * reserve time where another agency's visit is booked: the counter's visits that day are
   * rechecked.
   */
  async removeAllocation(row: CounterAllocationEntity): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.delete(CounterAllocationEntity, { id: row.id });
      if (row.kind === 'DATED' && row.date !== null) {
        const zone = await this.zoneOf(manager, row.officeId);
        await announceChange(manager, {
          officeId: row.officeId,
          kind: 'ALLOCATION_CHANGED',
          counterId: row.counterId,
          from: new Date(localMinuteToUtc(zone, row.date, 0)).toISOString(),
          to: new Date(localMinuteToUtc(zone, row.date, 1440)).toISOString(),
        });
      }
    });
  }

  /**
   * When a new allocation applies, as instants: its hours on its date, or a weekly row's
   * validity from now on (every weekday of it; scheduling keeps what is still valid).
   */
  private async spanOf(
    manager: EntityManager,
    row: CounterAllocationEntity,
  ): Promise<{ from: string; to?: string }> {
    const zone = await this.zoneOf(manager, row.officeId);
    const at = (date: string, minute: number) =>
      new Date(localMinuteToUtc(zone, date, minute)).toISOString();
    if (row.kind === 'DATED' && row.date !== null)
      return { from: at(row.date, row.startMinute), to: at(row.date, row.endMinute) };
    const now = new Date().toISOString();
    const from = row.validFrom ? at(row.validFrom, 0) : now;
    return {
      from: from > now ? from : now,
      ...(row.validTo ? { to: at(row.validTo, 1440) } : {}),
    };
  }

  private async zoneOf(manager: EntityManager, officeId: string): Promise<string> {
    const office = await manager.findOneByOrFail(OfficeEntity, { id: officeId });
    return office.timeZone;
  }

  private changes(input: UpdateCounterInput): Partial<CounterEntity> {
    const changes: Partial<CounterEntity> = {};
    if (input.name !== undefined) changes.name = requireNonBlank(input.name, 'name', 100);
    if (input.privateRoom !== undefined) changes.privateRoom = input.privateRoom;
    if (input.accessibleDesk !== undefined) changes.accessibleDesk = input.accessibleDesk;
    if (input.hearingLoop !== undefined) changes.hearingLoop = input.hearingLoop;
    if (input.status !== undefined) changes.status = input.status;
    return changes;
  }
}
