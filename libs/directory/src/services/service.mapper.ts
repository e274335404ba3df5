import type { ServiceEntity } from './service.entity';
import type { LifeSituation, ServiceModel } from './service.model';

export function mapService(entity: ServiceEntity): ServiceModel {
  return {
    id: entity.id,
    code: entity.code,
    name: entity.nameSv,
    nameSv: entity.nameSv,
    nameEn: entity.nameEn,
    agencyId: entity.agencyId,
    durationMinutes: entity.durationMinutes,
    bufferAfterMinutes: entity.bufferAfterMinutes,
    slotGranularityMinutes: entity.slotGranularityMinutes,
    minimumNoticeMinutes: entity.minNoticeMinutes,
    bookingHorizonDays: entity.horizonDays,
    needsPrivateRoom: entity.needsPrivateRoom,
    languages: entity.languages,
    documentsToBring: { sv: entity.documentsSv, en: entity.documentsEn },
    maxActiveBookingsPerCitizen: entity.maxActiveBookings,
    perPersonMinutes: entity.perPersonMinutes,
    maxPartySize: entity.maxPartySize,
    lifeSituations: entity.lifeSituations as LifeSituation[],
    active: entity.active,
  };
}
