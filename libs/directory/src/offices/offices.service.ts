import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { AgencyEntity } from '../agencies/agency.entity';
import { announceChange } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import { minuteOf, requireNonBlank, requireTimeZone, requireUuid } from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { ServiceEntity } from '../services/service.entity';
import { OfficeAgencyEntity } from './office-agency.entity';
import { OfficeServiceEntity } from './office-service.entity';
import { OfficeEntity } from './office.entity';
import type { CreateOfficeInput, UpdateOfficeInput } from './office.inputs';

@Injectable()
export class OfficesService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  private get offices() {
    return this.db.getRepository(OfficeEntity);
  }

  listActive(): Promise<OfficeEntity[]> {
    return this.offices.find({ where: { active: true }, order: { name: 'ASC' } });
  }

  async find(id: string): Promise<OfficeEntity | null> {
    return this.offices.findOneBy({ id });
  }

  async get(id: string): Promise<OfficeEntity> {
    const office = await this.offices.findOneBy({ id: requireUuid(id, 'office') });
    if (!office) throw DomainError.notFound(`No office with id "${id}".`);
    return office;
  }

  async create(input: CreateOfficeInput): Promise<OfficeEntity> {
    const office = this.offices.create(this.changes(input));
    try {
      return await this.offices.save(office);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async update(id: string, input: UpdateOfficeInput): Promise<OfficeEntity> {
    const office = await this.get(id);
    const before = { eveClosingMinute: office.eveClosingMinute, timeZone: office.timeZone };
    Object.assign(office, this.changes(input));
    // An earlier closing on eves cuts those days short, and another zone moves every local
    // time to other instants: visits booked under the old hours are rechecked.
    const hoursChanged =
      office.eveClosingMinute < before.eveClosingMinute || office.timeZone !== before.timeZone;
    try {
      return await this.db.transaction(async (manager) => {
        const saved = await manager.save(office);
        if (hoursChanged)
          await announceChange(manager, {
            officeId: saved.id,
            kind: 'HOURS_CHANGED',
            from: new Date().toISOString(),
          });
        return saved;
      });
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /** The office closes for good: its booked visits are flagged for staff to move elsewhere. */
  async deactivate(id: string): Promise<OfficeEntity> {
    const office = await this.get(id);
    if (!office.active) return office;
    office.active = false;
    return this.db.transaction(async (manager) => {
      const saved = await manager.save(office);
      await announceChange(manager, {
        officeId: saved.id,
        kind: 'OFFICE_DEACTIVATED',
        from: new Date().toISOString(),
      });
      return saved;
    });
  }

  async addAgency(officeId: string, agencyId: string): Promise<void> {
    await this.get(officeId);
    const agency = await this.db
      .getRepository(AgencyEntity)
      .findOneBy({ id: requireUuid(agencyId, 'agency') });
    if (!agency) throw DomainError.badInput('agencyId: no such agency.', 'agencyId');
    await this.db
      .getRepository(OfficeAgencyEntity)
      .upsert({ officeId, agencyId }, ['officeId', 'agencyId']);
  }

  /**
   * The agency leaves the office; its offered services and counter allocations there go with
   * it, and its booked visits there are flagged.
   */
  async removeAgency(officeId: string, agencyId: string): Promise<void> {
    await this.get(officeId);
    await this.db.transaction(async (manager) => {
      const result = await manager.delete(OfficeAgencyEntity, {
        officeId,
        agencyId: requireUuid(agencyId, 'agency'),
      });
      if (!result.affected)
        throw DomainError.badInput(
          'agencyId: this agency does not take part in the office.',
          'agencyId',
        );
      await announceChange(manager, {
        officeId,
        kind: 'AGENCY_REMOVED',
        from: new Date().toISOString(),
      });
    });
  }

  async offerService(officeId: string, serviceId: string): Promise<void> {
    await this.get(officeId);
    const service = await this.db
      .getRepository(ServiceEntity)
      .findOneBy({ id: requireUuid(serviceId, 'service') });
    if (!service) throw DomainError.badInput('serviceId: no such service.', 'serviceId');
    if (!service.active)
      throw DomainError.badInput('serviceId: this service is no longer offered.', 'serviceId');
    try {
      await this.db
        .getRepository(OfficeServiceEntity)
        .upsert({ officeId, serviceId, agencyId: service.agencyId }, ['officeId', 'serviceId']);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /** The office stops offering the service: its booked visits there are flagged. */
  async withdrawService(officeId: string, serviceId: string): Promise<void> {
    await this.get(officeId);
    await this.db.transaction(async (manager) => {
      const result = await manager.delete(OfficeServiceEntity, {
        officeId,
        serviceId: requireUuid(serviceId, 'service'),
      });
      if (!result.affected)
        throw DomainError.badInput(
          'serviceId: the office does not offer this service.',
          'serviceId',
        );
      await announceChange(manager, {
        officeId,
        kind: 'SERVICE_WITHDRAWN',
        from: new Date().toISOString(),
      });
    });
  }

  private changes(input: UpdateOfficeInput): Partial<OfficeEntity> {
    const changes: Partial<OfficeEntity> = {};
    if (input.name !== undefined) changes.name = requireNonBlank(input.name, 'name');
    if (input.streetAddress !== undefined)
      changes.streetAddress = requireNonBlank(input.streetAddress, 'streetAddress');
    if (input.postalCode !== undefined)
      changes.postalCode = requireNonBlank(input.postalCode, 'postalCode', 10);
    if (input.municipality !== undefined)
      changes.municipality = requireNonBlank(input.municipality, 'municipality', 100);
    if (input.timeZone !== undefined) changes.timeZone = requireTimeZone(input.timeZone);
    if (input.latitude !== undefined) changes.latitude = input.latitude;
    if (input.longitude !== undefined) changes.longitude = input.longitude;
    if (input.eveClosingTime !== undefined)
      changes.eveClosingMinute = minuteOf(input.eveClosingTime, 'eveClosingTime');
    const a = input.accessibility;
    if (a) {
      if (a.stepFreeAccess !== undefined) changes.stepFreeAccess = a.stepFreeAccess;
      if (a.accessibleToilet !== undefined) changes.accessibleToilet = a.accessibleToilet;
      if (a.hearingLoop !== undefined) changes.hearingLoop = a.hearingLoop;
      if (a.accessibleParking !== undefined) changes.accessibleParking = a.accessibleParking;
      if (a.note !== undefined) changes.accessibilityNote = a.note ?? '';
    }
    return changes;
  }
}
