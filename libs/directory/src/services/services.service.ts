import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { AgencyEntity } from '../agencies/agency.entity';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import {
  MAX_SERVICE_MINUTES,
  requireCode,
  requireLanguages,
  requireNonBlank,
  requireUuid,
} from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
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
    Object.assign(service, this.changes(input));
    requireLargestPartyFits(service, input);
    try {
      return await this.db.getRepository(ServiceEntity).save(service);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async deactivate(id: string): Promise<ServiceEntity> {
    const service = await this.get(id);
    service.active = false;
    return this.db.getRepository(ServiceEntity).save(service);
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
    return changes;
  }
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
