import { DataSource, type EntityManager } from 'typeorm';
import { parseLocalTime } from '@samservice/calendar';
import { dataSourceOptions } from '@samservice/platform/database';
import { AgencyEntity } from '../agencies/agency.entity';
import { CounterAllocationEntity, CounterEntity } from '../counters/counter.entity';
import { directoryDatabase } from '../directory.database';
import { OfficeAgencyEntity } from '../offices/office-agency.entity';
import { OfficeServiceEntity } from '../offices/office-service.entity';
import { OfficeEntity } from '../offices/office.entity';
import { OpeningHoursEntity } from '../offices/opening-hours.entity';
import { ServiceEntity } from '../services/service.entity';
import {
  StaffCompetenceEntity,
  StaffEntity,
  StaffOfficeEntity,
  StaffShiftEntity,
} from '../staff/staff.entity';
import {
  DEMO_AGENCIES,
  DEMO_OFFICES,
  DEMO_SERVICES,
  DEMO_WEEKLY_HOURS,
  type DemoStaff,
} from './demo-network';
import { demoId } from './demo-ids';

function minute(hhmm: string): number {
  const value = parseLocalTime(hhmm);
  if (value === undefined) throw new Error(`demo data: bad time ${hhmm}`);
  return value;
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A demo staff member as an identity provider knows them: the claims of their token. */
export interface DemoStaffAccount {
  /** The token's `sub`: the staff member's subject in the directory. */
  subject: string;
  name: string;
  officeNames: string[];
  offices: string[];
  adminOffices: string[];
  competences: string[];
}

/**
 * The demo network's staff as the organisation's identity provider would describe them (the
 * local test e-ID plays it in development): the subject the directory knows them by, the
 * offices they work at and administer, and their competences, exactly as seeded.
 */
export function demoStaffAccounts(): DemoStaffAccount[] {
  const officeName = new Map(DEMO_OFFICES.map((o) => [o.key, o.name]));
  return DEMO_OFFICES.flatMap((office) =>
    office.staff.map((person) => {
      const keys = [office.key, ...(person.alsoAt ? [person.alsoAt.office] : [])];
      return {
        subject: `demo-${slug(person.name)}`,
        name: person.name,
        officeNames: keys.map((key) => officeName.get(key) ?? key),
        offices: keys.map((key) => demoId('office', key)),
        adminOffices: person.officeAdmin ? [demoId('office', office.key)] : [],
        competences: person.competences,
      };
    }),
  );
}

async function insertDemoNetwork(manager: EntityManager): Promise<void> {
  const agencies = new Map<string, AgencyEntity>();
  for (const agency of DEMO_AGENCIES)
    agencies.set(
      agency.code,
      await manager.save(
        manager.create(AgencyEntity, { id: demoId('agency', agency.code), ...agency }),
      ),
    );
  const agencyId = (code: string) => {
    const agency = agencies.get(code);
    if (!agency) throw new Error(`demo data: unknown agency ${code}`);
    return agency.id;
  };

  const services = new Map<string, ServiceEntity>();
  for (const s of DEMO_SERVICES) {
    const row = await manager.save(
      manager.create(ServiceEntity, {
        id: demoId('service', s.agency, s.code),
        agencyId: agencyId(s.agency),
        code: s.code,
        nameSv: s.nameSv,
        nameEn: s.nameEn,
        durationMinutes: s.duration,
        bufferAfterMinutes: s.buffer ?? 5,
        slotGranularityMinutes: s.granularity ?? 15,
        minNoticeMinutes: s.notice ?? 120,
        horizonDays: s.horizon,
        needsPrivateRoom: s.privateRoom ?? false,
        languages: s.languages,
        documentsSv: s.documentsSv ?? '',
        documentsEn: s.documentsEn ?? '',
        maxActiveBookings: s.maxActive ?? 1,
        perPersonMinutes: s.perPerson ?? 0,
        maxPartySize: s.maxParty ?? 1,
        lifeSituations: s.lifeSituations ?? [],
      }),
    );
    services.set(`${s.agency}/${s.code}`, row);
  }

  const offices = new Map<string, OfficeEntity>();
  for (const o of DEMO_OFFICES) {
    const office = await manager.save(
      manager.create(OfficeEntity, {
        id: demoId('office', o.key),
        name: o.name,
        streetAddress: o.streetAddress,
        postalCode: o.postalCode,
        municipality: o.municipality,
        timeZone: 'Europe/Stockholm',
        latitude: o.latitude,
        longitude: o.longitude,
        ...o.accessibility,
        accessibilityNote: o.accessibility.note,
      }),
    );
    offices.set(o.key, office);
    await manager.insert(
      OfficeAgencyEntity,
      o.agencies.map((code) => ({ officeId: office.id, agencyId: agencyId(code) })),
    );
    const offered = [...services.entries()].filter(
      ([key]) =>
        o.agencies.includes(key.split('/')[0] as string) && !(o.without ?? []).includes(key),
    );
    await manager.insert(
      OfficeServiceEntity,
      offered.map(([, service]) => ({
        officeId: office.id,
        serviceId: service.id,
        agencyId: service.agencyId,
      })),
    );
    await manager.insert(
      OpeningHoursEntity,
      DEMO_WEEKLY_HOURS.map((h) => ({
        id: demoId('office', o.key, 'opening-hours', String(h.weekday), h.start),
        officeId: office.id,
        weekday: h.weekday,
        startMinute: minute(h.start),
        endMinute: minute(h.end),
      })),
    );
    const counters = new Map<string, CounterEntity>();
    for (const c of o.counters) {
      counters.set(
        c.name,
        await manager.save(
          manager.create(CounterEntity, {
            id: demoId('office', o.key, 'counter', c.name),
            officeId: office.id,
            name: c.name,
            privateRoom: c.privateRoom ?? false,
            accessibleDesk: c.accessibleDesk ?? false,
            hearingLoop: c.hearingLoop ?? false,
          }),
        ),
      );
    }
    await manager.insert(
      CounterAllocationEntity,
      o.allocations.flatMap((a) =>
        a.weekdays.map((weekday) => ({
          id: demoId('office', o.key, 'allocation', a.counter, a.agency, String(weekday), a.start),
          officeId: office.id,
          counterId: counters.get(a.counter)?.id as string,
          agencyId: agencyId(a.agency),
          kind: 'WEEKLY' as const,
          weekday,
          startMinute: minute(a.start),
          endMinute: minute(a.end),
        })),
      ),
    );
  }

  for (const o of DEMO_OFFICES) {
    for (const person of o.staff)
      await insertStaff(manager, person, o.key, offices, agencyId, services);
  }
}

async function insertStaff(
  manager: EntityManager,
  person: DemoStaff,
  officeKey: string,
  offices: Map<string, OfficeEntity>,
  agencyId: (code: string) => string,
  services: Map<string, ServiceEntity>,
): Promise<void> {
  const office = offices.get(officeKey) as OfficeEntity;
  const staff = await manager.save(
    manager.create(StaffEntity, {
      id: demoId('staff', person.name),
      name: person.name,
      languages: person.languages,
      subject: `demo-${slug(person.name)}`,
    }),
  );
  const links = [
    { staffId: staff.id, officeId: office.id, officeAdmin: person.officeAdmin ?? false },
  ];
  const other = person.alsoAt ? offices.get(person.alsoAt.office) : undefined;
  if (other) links.push({ staffId: staff.id, officeId: other.id, officeAdmin: false });
  await manager.insert(StaffOfficeEntity, links);
  await manager.insert(
    StaffCompetenceEntity,
    person.competences.map((competence) => {
      const [agency, service] = competence.split('/') as [string, string | undefined];
      return {
        id: demoId('staff', person.name, 'competence', competence),
        staffId: staff.id,
        agencyId: agencyId(agency),
        serviceId: service ? (services.get(competence)?.id ?? null) : null,
      };
    }),
  );
  const shifts = person.shifts.flatMap((s) =>
    s.weekdays.map((weekday) => ({
      officeKey,
      officeId: office.id,
      weekday,
      start: s.start,
      end: s.end,
    })),
  );
  if (person.alsoAt && other) {
    const also = person.alsoAt;
    shifts.push(
      ...also.weekdays.map((weekday) => ({
        officeKey: also.office,
        officeId: other.id,
        weekday,
        start: also.start,
        end: also.end,
      })),
    );
  }
  await manager.insert(
    StaffShiftEntity,
    shifts.map((s) => ({
      id: demoId('staff', person.name, 'shift', s.officeKey, String(s.weekday), s.start),
      staffId: staff.id,
      officeId: s.officeId,
      weekday: s.weekday,
      startMinute: minute(s.start),
      endMinute: minute(s.end),
    })),
  );
}

/**
 * Seeds the demo network into an empty directory. Returns false (and writes nothing)
 * when the directory already has data: demo rows never mix with real ones.
 */
export async function seedDirectoryDemo(databaseUrl: string): Promise<boolean> {
  const dataSource = new DataSource(dataSourceOptions(directoryDatabase, databaseUrl, 2));
  await dataSource.initialize();
  try {
    return await dataSource.transaction(async (manager) => {
      // One seeder at a time, even when several replicas start together.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        'samservice:seed:directory',
      ]);
      if ((await manager.count(AgencyEntity)) > 0) return false;
      await insertDemoNetwork(manager);
      return true;
    });
  } finally {
    await dataSource.destroy();
  }
}
