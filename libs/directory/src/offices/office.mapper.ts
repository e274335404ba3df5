import { timeOf } from '../common/validation';
import type { OfficeEntity } from './office.entity';
import type { OfficeModel } from './office.model';

export function mapOffice(entity: OfficeEntity): OfficeModel {
  return {
    id: entity.id,
    name: entity.name,
    municipality: entity.municipality,
    timeZone: entity.timeZone,
    streetAddress: entity.streetAddress,
    postalCode: entity.postalCode,
    coordinates: { latitude: entity.latitude, longitude: entity.longitude },
    accessibility: {
      stepFreeAccess: entity.stepFreeAccess,
      accessibleToilet: entity.accessibleToilet,
      hearingLoop: entity.hearingLoop,
      accessibleParking: entity.accessibleParking,
      note: entity.accessibilityNote,
    },
    eveClosingTime: timeOf(entity.eveClosingMinute),
    active: entity.active,
  };
}
