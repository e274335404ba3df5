import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { AgencyEntity } from '../agencies/agency.entity';
import { announceChange, type DirectoryChangeKind } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import {
  MAX_SERVICE_MINUTES,
  requireCode,
  requireLanguages,
  requireNonBlank,
  requireUuid,
} from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeServiceEntity } from '../offices/office-service.entity';
import { ServiceEntity } from './service.entity';
import type { CreateServiceInput, UpdateServiceInput } from './service.inputs';

@Injectable()
export class ServicesService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  findByIds(ids: readonly string[]): Promise<ServiceEntity[]> {
    return this.db.getRepository(ServiceEntity).findBy({ id: In([...ids]) });
  }

  activeOfAgencies(agencyIds: readonly string[]): Promise<ServiceEntity[]> {
    return this.db
      .getRepository(ServiceEntity)
      .find({ where: { agencyId: In([...agencyIds]), active: true }, order: { nameSv: 'ASC' } });
  }

  async get(id: string): Promise<ServiceEntity> {
    const service = await this.db
      .getRepository(ServiceEntity)
      .findOneBy({ id: requireUuid(id, 'service') });
    if (!service) throw DomainError.notFound(`No service with id "${id}".`);
    return service;
  }

  async create(input: CreateServiceInput): Promise<ServiceEntity> {
    const agency = await this.db.getRepository(AgencyEntity).findOneBy({ id: input.agencyId });
    if (!agency) throw DomainError.badInput('agencyId: no such agency.', 'agencyId');
    const row = this.db.getRepository(ServiceEntity).create({
      agencyId: input.agencyId,
      code: requireCode(input.code),
      perPersonMinutes: 0,
      maxPartySize: 1,
      ...this.changes(input),
    });
    requireLargestPartyFits(row, input);
    try {
      return await this.db.getRepository(ServiceEntity).save(row);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async update(id: string, input: UpdateServiceInput): Promise<ServiceEntity> {
    const service = await this.get(id);
    const before = { ...service };
    Object.assign(service, this.changes(input));
    requireLargestPartyFits(service, input);
    // Rules a booked visit may no longer meet: a longer buffer after it (the next visit at its
    // counter or with its person may now be too close), a private room it was not booked in,
    // a language it is held in dropped. Everywhere the service is offered they are rechecked.
    const tightened =
      service.bufferAfterMinutes > before.bufferAfterMinutes ||
      (service.needsPrivateRoom && !before.needsPrivateRoom) ||
      before.languages.some((language) => !service.languages.includes(language));
    try {
      return await this.db.transaction(async (manager) => {
        const saved = await manager.save(service);
        if (tightened) await announceAtOfficesOffering(manager, saved.id, 'SERVICE_RULES_CHANGED');
        return saved;
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /** The service is no longer offered anywhere: its booked visits are flagged everywhere. */
  async deactivate(id: string): Promise<ServiceEntity> {
    const service = await this.get(id);
    if (!service.active) return service;
    service.active = false;
    return this.db.transaction(async (manager) => {
      const saved = await manager.save(service);
      await announceAtOfficesOffering(manager, saved.id, 'SERVICE_DEACTIVATED');
      return saved;
    });
  }

  private changes(input: UpdateServiceInput): Partial<ServiceEntity> {
    const changes: Partial<ServiceEntity> = {};
    if (input.nameSv !== undefined) changes.nameSv = requireNonBlank(input.nameSv, 'nameSv');
    if (input.nameEn !== undefined) changes.nameEn = requireNonBlank(input.nameEn, 'nameEn');
    if (input.durationMinutes !== undefined) changes.durationMinutes = input.durationMinutes;
    if (input.bufferAfterMinutes !== undefined)
      changes.bufferAfterMinutes = input.bufferAfterMinutes;
    if (input.slotGranularityMinutes !== undefined)
      changes.slotGranularityMinutes = input.slotGranularityMinutes;
    if (input.minimumNoticeMinutes !== undefined)
      changes.minNoticeMinutes = input.minimumNoticeMinutes;
    if (input.bookingHorizonDays !== undefined) changes.horizonDays = input.bookingHorizonDays;
    if (input.needsPrivateRoom !== undefined) changes.needsPrivateRoom = input.needsPrivateRoom;
    if (input.languages !== undefined) changes.languages = requireLanguages(input.languages);
    if (input.documentsSv !== undefined) changes.documentsSv = input.documentsSv;
    if (input.documentsEn !== undefined) changes.documentsEn = input.documentsEn;
    if (input.maxActiveBookingsPerCitizen !== undefined)
      changes.maxActiveBookings = input.maxActiveBookingsPerCitizen;
    if (input.perPersonMinutes !== undefined) changes.perPersonMinutes = input.perPersonMinutes;
    if (input.maxPartySize !== undefined) changes.maxPartySize = input.maxPartySize;
    if (input.lifeSituations !== undefined) changes.lifeSituations = [...input.lifeSituations];
    return changes;
  }
}

/** Announces a change of one service at every office that offers it, from now on. */
async function announceAtOfficesOffering(
  manager: EntityManager,
  serviceId: string,
  kind: DirectoryChangeKind,
): Promise<void> {
  const from = new Date().toISOString();
  for (const { officeId } of await manager.findBy(OfficeServiceEntity, { serviceId }))
    await announceChange(manager, { officeId, kind, from });
}

/**
 * The visit of the largest party allowed is still one visit, so it must fit the 8 hours any
 * visit may take. Names a field the change gave: the party size, the minutes per person or
 * the duration, in that order.
 */
function requireLargestPartyFits(
  rules: Pick<ServiceEntity, 'durationMinutes' | 'perPersonMinutes' | 'maxPartySize'>,
  input: UpdateServiceInput,
): void {
  const extraPeople = rules.maxPartySize - 1;
  const longest = rules.durationMinutes + rules.perPersonMinutes * extraPeople;
  if (longest <= MAX_SERVICE_MINUTES) return;
  const field =
    input.maxPartySize !== undefined
      ? 'maxPartySize'
      : input.perPersonMinutes !== undefined
        ? 'perPersonMinutes'
        : 'durationMinutes';
  throw DomainError.badInput(
    `${field}: a party of ${rules.maxPartySize} would take ${longest} minutes (${rules.durationMinutes} + ${extraPeople} × ${rules.perPersonMinutes}); a visit takes at most ${MAX_SERVICE_MINUTES}.`,
    field,
  );
}
