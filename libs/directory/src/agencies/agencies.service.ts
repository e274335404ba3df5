import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { rethrowConstraintViolation } from '@samservice/platform/database';
import { DomainError } from '@samservice/platform/errors';
import { announceChange } from '../changes/directory-change';
import { DIRECTORY_CONSTRAINTS } from '../common/constraints';
import { requireCode, requireNonBlank, requireUuid } from '../common/validation';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeAgencyEntity } from '../offices/office-agency.entity';
import { ServiceEntity } from '../services/service.entity';
import { AgencyEntity } from './agency.entity';
import type { CreateAgencyInput, UpdateAgencyInput } from './agency.inputs';

@Injectable()
export class AgenciesService {
  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  private get agencies() {
    return this.db.getRepository(AgencyEntity);
  }

  listActive(): Promise<AgencyEntity[]> {
    return this.agencies.find({ where: { active: true }, order: { name: 'ASC' } });
  }

  findByIds(ids: readonly string[]): Promise<AgencyEntity[]> {
    return this.agencies.findBy({ id: In([...ids]) });
  }

  async get(id: string): Promise<AgencyEntity> {
    const agency = await this.agencies.findOneBy({ id: requireUuid(id, 'agency') });
    if (!agency) throw DomainError.notFound(`No agency with id "${id}".`);
    return agency;
  }

  async create(input: CreateAgencyInput): Promise<AgencyEntity> {
    const row = this.agencies.create({
      code: requireCode(input.code, 'code', 16),
      name: requireNonBlank(input.name, 'name'),
      level: input.level,
      ...(input.maxActiveBookingsPerCitizen !== undefined
        ? { maxActiveBookings: input.maxActiveBookingsPerCitizen }
        : {}),
    });
    try {
      return await this.agencies.save(row);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  async update(id: string, input: UpdateAgencyInput): Promise<AgencyEntity> {
    const agency = await this.get(id);
    if (input.name !== undefined) agency.name = requireNonBlank(input.name, 'name');
    if (input.level !== undefined) agency.level = input.level;
    // Bookings already made stay when the limit is lowered (like a service's own limit): a
    // limit says how many a citizen may book, not which of their visits to take away.
    if (input.maxActiveBookingsPerCitizen !== undefined)
      agency.maxActiveBookings = input.maxActiveBookingsPerCitizen;
    try {
      return await this.agencies.save(agency);
    } catch (error) {
      rethrowConstraintViolation(error, DIRECTORY_CONSTRAINTS);
    }
  }

  /**
   * The agency leaves the network, and its services with it: scheduling books only active
   * services, so a service of a departed agency would otherwise stay bookable. Its booked
   * visits at every office it took part in are flagged.
   */
  async deactivate(id: string): Promise<AgencyEntity> {
    const agency = await this.get(id);
    if (!agency.active) return agency;
    agency.active = false;
    return this.db.transaction(async (manager) => {
      const saved = await manager.save(agency);
      await manager.update(ServiceEntity, { agencyId: saved.id, active: true }, { active: false });
      const from = new Date().toISOString();
      for (const { officeId } of await manager.findBy(OfficeAgencyEntity, { agencyId: saved.id }))
        await announceChange(manager, { officeId, kind: 'AGENCY_DEACTIVATED', from });
      return saved;
    });
  }
}
