import type { ServiceDatabase } from '@samservice/platform/database';
import { AgencyEntity } from './agencies/agency.entity';
import { DirectoryChangeEntity } from './changes/directory-change';
import { CounterAllocationEntity, CounterEntity } from './counters/counter.entity';
import { OfficeAgencyEntity } from './offices/office-agency.entity';
import { OfficeServiceEntity } from './offices/office-service.entity';
import { OfficeEntity } from './offices/office.entity';
import {
  ClosureEntity,
  OpeningExceptionEntity,
  OpeningHoursEntity,
} from './offices/opening-hours.entity';
import { ServiceEntity } from './services/service.entity';
import {
  StaffAbsenceEntity,
  StaffCompetenceEntity,
  StaffEntity,
  StaffOfficeEntity,
  StaffShiftEntity,
} from './staff/staff.entity';
import { InitDirectory1764000000000 } from './migrations/1764000000000-InitDirectory';
import { CreateAgency1795504828201 } from './migrations/1795504828201-CreateAgency';
import { DirectoryModel1795506027903 } from './migrations/1795506027903-DirectoryModel';
import { PublishSchedulingViews1795510000000 } from './migrations/1795510000000-PublishSchedulingViews';
import { ChangeLog1795510100000 } from './migrations/1795510100000-ChangeLog';
import { PublishChangeView1795514400000 } from './migrations/1795514400000-PublishChangeView';
import { PartySize1795522861009 } from './migrations/1795522861009-PartySize';
import { PublishPartySizeAndLocation1795522900000 } from './migrations/1795522900000-PublishPartySizeAndLocation';
import { CounterRetiredIsFinal1795523000000 } from './migrations/1795523000000-CounterRetiredIsFinal';
import { PublishAgencyLevel1795600000000 } from './migrations/1795600000000-PublishAgencyLevel';
import { AgencyBookingLimit1795600500000 } from './migrations/1795600500000-AgencyBookingLimit';
import { LifeSituations1796183894925 } from './migrations/1796183894925-LifeSituations';

export const DIRECTORY_DATA_SOURCE = 'directory';

/** The directory service's part of the database: schema `directory`. */
export const directoryDatabase: ServiceDatabase = {
  service: DIRECTORY_DATA_SOURCE,
  schema: 'directory',
  entities: [
    AgencyEntity,
    ServiceEntity,
    OfficeEntity,
    OfficeAgencyEntity,
    OfficeServiceEntity,
    OpeningHoursEntity,
    OpeningExceptionEntity,
    ClosureEntity,
    CounterEntity,
    CounterAllocationEntity,
    StaffEntity,
    StaffOfficeEntity,
    StaffCompetenceEntity,
    StaffShiftEntity,
    StaffAbsenceEntity,
    DirectoryChangeEntity,
  ],
  migrations: [
    InitDirectory1764000000000,
    CreateAgency1795504828201,
    DirectoryModel1795506027903,
    PublishSchedulingViews1795510000000,
    ChangeLog1795510100000,
    PublishChangeView1795514400000,
    PartySize1795522861009,
    PublishPartySizeAndLocation1795522900000,
    CounterRetiredIsFinal1795523000000,
    PublishAgencyLevel1795600000000,
    AgencyBookingLimit1795600500000,
    LifeSituations1796183894925,
  ],
};
