import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';
import { OfficeAgencyEntity } from '../offices/office-agency.entity';
import { OfficeServiceEntity } from '../offices/office-service.entity';
import { ServiceEntity } from '../services/service.entity';

export interface DirectoryLoaders {
  agency: DataLoader<string, AgencyEntity | undefined>;
  service: DataLoader<string, ServiceEntity | undefined>;
  servicesOfAgency: DataLoader<string, ServiceEntity[]>;
  agenciesOfOffice: DataLoader<string, AgencyEntity[]>;
  servicesOfOffice: DataLoader<string, ServiceEntity[]>;
}

function byKey<T>(
  keys: readonly string[],
  rows: T[],
  keyOf: (row: T) => string,
): Array<T | undefined> {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key));
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}

/**
 * Batches the nested reads of one GraphQL request (offices → agencies → services) into one
 * query per kind, instead of one per parent (the N+1 problem). One set per request.
 */
@Injectable()
export class DirectoryLoaderFactory {
  private readonly perRequest = new WeakMap<object, DirectoryLoaders>();

  constructor(@InjectDataSource(DIRECTORY_DATA_SOURCE) private readonly db: DataSource) {}

  for(request: object): DirectoryLoaders {
    let loaders = this.perRequest.get(request);
    if (!loaders) {
      loaders = this.create();
      this.perRequest.set(request, loaders);
    }
    return loaders;
  }

  private create(): DirectoryLoaders {
    const agencies = this.db.getRepository(AgencyEntity);
    const services = this.db.getRepository(ServiceEntity);
    return {
      agency: new DataLoader(async (ids) =>
        byKey(ids, await agencies.findBy({ id: In([...ids]) }), (a) => a.id),
      ),
      service: new DataLoader(async (ids) =>
        byKey(ids, await services.findBy({ id: In([...ids]) }), (s) => s.id),
      ),
      servicesOfAgency: new DataLoader(async (ids) =>
        groupBy(
          ids,
          await services.find({
            where: { agencyId: In([...ids]), active: true },
            order: { nameSv: 'ASC' },
          }),
          (s) => s.agencyId,
        ),
      ),
      agenciesOfOffice: new DataLoader(async (officeIds) => {
        const rows = await this.db
          .getRepository(OfficeAgencyEntity)
          .find({ where: { officeId: In([...officeIds]) }, relations: { agency: true } });
        const sorted = rows
          .filter((row) => row.agency?.active)
          .sort((a, b) => (a.agency?.name ?? '').localeCompare(b.agency?.name ?? '', 'sv'));
        return groupBy(officeIds, sorted, (row) => row.officeId).map((group) =>
          group.map((row) => row.agency as AgencyEntity),
        );
      }),
      servicesOfOffice: new DataLoader(async (officeIds) => {
        const rows = await this.db
          .getRepository(OfficeServiceEntity)
          .find({ where: { officeId: In([...officeIds]) }, relations: { service: true } });
        const sorted = rows
          .filter((row) => row.service?.active)
          .sort((a, b) => (a.service?.nameSv ?? '').localeCompare(b.service?.nameSv ?? '', 'sv'));
        return groupBy(officeIds, sorted, (row) => row.officeId).map((group) =>
          group.map((row) => row.service as ServiceEntity),
        );
      }),
    };
  }
}
