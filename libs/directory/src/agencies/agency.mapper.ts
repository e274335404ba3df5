import type { AgencyEntity } from './agency.entity';
import { AgencyLevel, AgencyModel } from './agency.model';

export function mapAgency(entity: AgencyEntity): AgencyModel {
  return {
    id: entity.id,
    code: entity.code,
    name: entity.name,
    level: AgencyLevel[entity.level],
    maxActiveBookingsPerCitizen: entity.maxActiveBookings,
    active: entity.active,
  };
}
