import { Client } from 'pg';
import { errorCodes, startTestStack, type TestStack } from '@samservice/testing';

interface OfficeSummary {
  id: string;
  name: string;
  municipality: string;
  timeZone: string;
  agencies: Array<{ code: string }>;
  services: Array<{
    id: string;
    code: string;
    name: string;
    durationMinutes: number;
    perPersonMinutes: number;
    maxPartySize: number;
    agency: { code: string };
  }>;
}

const OFFICES = `{
  offices {
    id name municipality timeZone
    agencies { code }
    services { id code name durationMinutes perPersonMinutes maxPartySize agency { code } }
  }
}`;

describe('directory reads through the gateway (demo network)', () => {
  let stack: TestStack;
  let offices: OfficeSummary[];
  let orebro: OfficeSummary;

  beforeAll(async () => {
    stack = await startTestStack();
    const response = await stack.query<{ offices: OfficeSummary[] }>(OFFICES);
    expect(response.errors).toBeUndefined();
    offices = response.data?.offices ?? [];
    orebro = offices.find((o) => o.municipality === 'Örebro') as OfficeSummary;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists at least three offices in different municipalities, Örebro among them', () => {
    expect(offices.length).toBeGreaterThanOrEqual(3);
    expect(new Set(offices.map((o) => o.municipality)).size).toBe(offices.length);
    expect(orebro).toBeDefined();
    expect(orebro.timeZone).toBe('Europe/Stockholm');
  });

  it('gives each office 3–6 agencies and the services of those agencies only', () => {
    for (const office of offices) {
      expect(office.agencies.length).toBeGreaterThanOrEqual(3);
      expect(office.agencies.length).toBeLessThanOrEqual(6);
      const codes = new Set(office.agencies.map((a) => a.code));
      expect(office.services.length).toBeGreaterThan(0);
      for (const service of office.services) expect(codes.has(service.agency.code)).toBe(true);
    }
  });

  it('has 15–30 services of 10–60 minutes across the network', async () => {
    const response = await stack.query<{
      agencies: Array<{ code: string; services: Array<{ durationMinutes: number }> }>;
    }>('{ agencies { code services { code name durationMinutes } } }');
    const services = response.data?.agencies.flatMap((a) => a.services) ?? [];
    expect(services.length).toBeGreaterThanOrEqual(15);
    expect(services.length).toBeLessThanOrEqual(30);
    for (const service of services) {
      expect(service.durationMinutes).toBeGreaterThanOrEqual(10);
      expect(service.durationMinutes).toBeLessThanOrEqual(60);
    }
  });

  it('gives each service party rules: families and couples a party, personal matters one person', async () => {
    const rules = new Map(
      orebro.services.map((s) => [
        `${s.agency.code}/${s.code}`,
        { perPersonMinutes: s.perPersonMinutes, maxPartySize: s.maxPartySize },
      ]),
    );
    expect(rules.get('SKV/move-to-sweden')).toEqual({ perPersonMinutes: 10, maxPartySize: 6 });
    expect(rules.get('MIGR/biometrics')).toEqual({ perPersonMinutes: 10, maxPartySize: 6 });
    expect(rules.get('FK/parental-benefit')).toEqual({ perPersonMinutes: 10, maxPartySize: 2 });
    expect(rules.get('OREBRO/budget-advice')).toEqual({ perPersonMinutes: 0, maxPartySize: 2 });
    for (const personal of ['FK/sickness-benefit', 'AF/register-jobseeker', 'SKV/tax-return-help'])
      expect(rules.get(personal)).toEqual({ perPersonMinutes: 0, maxPartySize: 1 });
    for (const office of offices) {
      for (const service of office.services) {
        expect(service.perPersonMinutes).toBeGreaterThanOrEqual(0);
        expect(service.perPersonMinutes).toBeLessThanOrEqual(120);
        expect(service.maxPartySize).toBeGreaterThanOrEqual(1);
        expect(service.maxPartySize).toBeLessThanOrEqual(10);
        // The largest party is still one visit of at most 8 hours.
        const longest =
          service.durationMinutes + service.perPersonMinutes * (service.maxPartySize - 1);
        expect(longest).toBeLessThanOrEqual(480);
      }
    }
  });

  it('publishes party rules and where each office is to scheduling, after the columns it had', async () => {
    const client = new Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      const columns = async (view: string) =>
        (
          await client.query<{ column_name: string }>(
            `SELECT column_name FROM information_schema.columns
             WHERE table_schema = 'directory' AND table_name = $1 ORDER BY ordinal_position`,
            [view],
          )
        ).rows.map((row) => row.column_name);
      // Scheduling reads these views by column name and position: old columns stay, in order.
      expect(await columns('published_office')).toEqual([
        ...['id', 'name', 'time_zone', 'eve_closing_minute', 'active'],
        ...['municipality', 'latitude', 'longitude'],
      ]);
      expect(await columns('published_agency')).toEqual([
        ...['agency_id', 'code', 'name', 'active'],
        ...['level', 'max_active_bookings'],
      ]);
      expect(await columns('published_office_service')).toEqual([
        ...['office_id', 'service_id', 'agency_id', 'code', 'name_sv', 'name_en'],
        ...['duration_minutes', 'buffer_after_minutes', 'slot_granularity_minutes'],
        ...['min_notice_minutes', 'horizon_days', 'needs_private_room', 'languages'],
        ...['max_active_bookings', 'active'],
        ...['per_person_minutes', 'max_party_size'],
      ]);
      const office = await client.query(
        'SELECT municipality, latitude, longitude FROM directory.published_office WHERE id = $1',
        [orebro.id],
      );
      expect(office.rows).toEqual([
        { municipality: 'Örebro', latitude: 59.2741, longitude: 15.2066 },
      ]);
      const moveToSweden = orebro.services.find((s) => s.code === 'move-to-sweden');
      const service = await client.query(
        `SELECT per_person_minutes, max_party_size FROM directory.published_office_service
         WHERE office_id = $1 AND service_id = $2`,
        [orebro.id, moveToSweden?.id],
      );
      expect(service.rows).toEqual([{ per_person_minutes: 10, max_party_size: 6 }]);
    } finally {
      await client.end();
    }
  });

  it('offers at every office a service bookable 365 days ahead', async () => {
    for (const office of offices) {
      const response = await stack.query<{
        office: { services: Array<{ bookingHorizonDays: number; minimumNoticeMinutes: number }> };
      }>(
        'query($id: ID!) { office(id: $id) { services { bookingHorizonDays minimumNoticeMinutes } } }',
        { id: office.id },
      );
      const horizons = response.data?.office.services.map((s) => s.bookingHorizonDays) ?? [];
      expect(Math.max(...horizons)).toBe(365);
      expect(Math.min(...horizons)).toBeGreaterThanOrEqual(30);
    }
  });

  it('answers office(id) for a known id and null for an unknown or malformed one', async () => {
    const known = await stack.query<{ office: { name: string } | null }>(
      'query($id: ID!) { office(id: $id) { name } }',
      {
        id: orebro.id,
      },
    );
    expect(known.data?.office?.name).toBe(orebro.name);
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-an-id']) {
      const unknown = await stack.query<{ office: null }>(
        'query($id: ID!) { office(id: $id) { name } }',
        { id },
      );
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data?.office).toBeNull();
    }
  });

  it('shows opening hours of Örebro across Easter and the spring DST change of 2027', async () => {
    const response = await stack.query<{
      openingHours: Array<{
        date: string;
        open: boolean;
        intervals: Array<{ start: string; end: string }>;
        closedReason: string | null;
        holidayName: string | null;
        shortEve: boolean;
      }>;
    }>(
      'query($id: ID!) { openingHours(officeId: $id, from: "2027-03-24", to: "2027-03-31") { date open intervals { start end } closedReason holidayName shortEve } }',
      { id: orebro.id },
    );
    expect(response.errors).toBeUndefined();
    const days = Object.fromEntries((response.data?.openingHours ?? []).map((d) => [d.date, d]));
    expect(Object.keys(days)).toHaveLength(8);
    expect(days['2027-03-24']?.intervals).toEqual([
      { start: '2027-03-24T09:00:00+01:00', end: '2027-03-24T16:00:00+01:00' },
    ]);
    expect(days['2027-03-25']).toMatchObject({ shortEve: true, holidayName: 'Skärtorsdagen' });
    expect(days['2027-03-25']?.intervals).toEqual([
      { start: '2027-03-25T09:00:00+01:00', end: '2027-03-25T13:00:00+01:00' },
    ]);
    expect(days['2027-03-26']).toMatchObject({
      open: false,
      closedReason: 'PUBLIC_HOLIDAY',
      holidayName: 'Långfredagen',
    });
    expect(days['2027-03-27']).toMatchObject({ open: false, closedReason: 'NO_HOURS' });
    expect(days['2027-03-28']).toMatchObject({
      open: false,
      closedReason: 'PUBLIC_HOLIDAY',
      holidayName: 'Påskdagen',
    });
    expect(days['2027-03-29']).toMatchObject({
      open: false,
      closedReason: 'PUBLIC_HOLIDAY',
      holidayName: 'Annandag påsk',
    });
    // The clocks went forward on 28 March: same local hours, new offset.
    expect(days['2027-03-30']?.intervals).toEqual([
      { start: '2027-03-30T09:00:00+02:00', end: '2027-03-30T16:00:00+02:00' },
    ]);
  });

  it('shows the autumn DST change, the late Thursday and All Saints', async () => {
    const response = await stack.query<{
      openingHours: Array<{
        date: string;
        intervals: Array<{ start: string; end: string }>;
        holidayName: string | null;
      }>;
    }>(
      'query($id: ID!) { openingHours(officeId: $id, from: "2027-10-28", to: "2027-11-06") { date intervals { start end } holidayName } }',
      { id: orebro.id },
    );
    const days = Object.fromEntries((response.data?.openingHours ?? []).map((d) => [d.date, d]));
    expect(days['2027-10-28']?.intervals).toEqual([
      { start: '2027-10-28T09:00:00+02:00', end: '2027-10-28T18:00:00+02:00' },
    ]);
    // The clocks went back on Sunday 31 October.
    expect(days['2027-11-01']?.intervals).toEqual([
      { start: '2027-11-01T09:00:00+01:00', end: '2027-11-01T16:00:00+01:00' },
    ]);
    expect(days['2027-11-05']).toMatchObject({
      holidayName: 'Allhelgonaafton',
      intervals: [{ start: '2027-11-05T09:00:00+01:00', end: '2027-11-05T13:00:00+01:00' }],
    });
    expect(days['2027-11-06']).toMatchObject({ holidayName: 'Alla helgons dag', intervals: [] });
  });

  it('closes on midsommarafton, julafton and nyårsafton', async () => {
    const day = (alias: string, date: string) =>
      `${alias}: openingHours(officeId: $id, from: "${date}", to: "${date}") { closedReason holidayName }`;
    const response = await stack.query(
      `query($id: ID!) { ${day('m', '2026-06-19')} ${day('j', '2026-12-24')} ${day('n', '2026-12-31')} }`,
      { id: orebro.id },
    );
    const data = response.data as unknown as Record<
      string,
      Array<{ closedReason: string; holidayName: string }>
    >;
    expect(data['m']?.[0]).toMatchObject({
      closedReason: 'DE_FACTO_HOLIDAY',
      holidayName: 'Midsommarafton',
    });
    expect(data['j']?.[0]).toMatchObject({
      closedReason: 'DE_FACTO_HOLIDAY',
      holidayName: 'Julafton',
    });
    expect(data['n']?.[0]).toMatchObject({
      closedReason: 'DE_FACTO_HOLIDAY',
      holidayName: 'Nyårsafton',
    });
  });

  it('refuses bad openingHours ranges with BAD_USER_INPUT and unknown offices with NOT_FOUND', async () => {
    const q =
      'query($id: ID!, $from: Date!, $to: Date!) { openingHours(officeId: $id, from: $from, to: $to) { date } }';
    expect(
      errorCodes(await stack.query(q, { id: orebro.id, from: '2027-04-02', to: '2027-04-01' })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await stack.query(q, { id: orebro.id, from: '2027-02-30', to: '2027-03-01' })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await stack.query(q, { id: orebro.id, from: '2027-01-01', to: '2028-12-31' })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await stack.query(q, {
          id: '00000000-0000-0000-0000-000000000000',
          from: '2027-04-01',
          to: '2027-04-02',
        }),
      ),
    ).toEqual(['NOT_FOUND']);
  });

  it('shows counters and staff to staff of the office and admins, never to anonymous or other offices', async () => {
    const q =
      'query($id: ID!) { office(id: $id) { counters { name privateRoom allocations { agency { code } weekday start end } } staff { name competences { agency { code } } shifts { weekday start end } } } }';
    const anonymous = await stack.query(q, { id: orebro.id });
    expect(errorCodes(anonymous)).toContain('UNAUTHENTICATED');
    const other = offices.find((o) => o.id !== orebro.id) as OfficeSummary;
    const outsider = await stack.tokenFor({
      role: 'staff',
      subject: 's',
      offices: [other.id],
      adminOffices: [],
      competences: [],
    });
    expect(errorCodes(await stack.query(q, { id: orebro.id }, { token: outsider }))).toContain(
      'FORBIDDEN',
    );

    const insider = await stack.tokenFor({
      role: 'staff',
      subject: 's',
      offices: [orebro.id],
      adminOffices: [],
      competences: [],
    });
    const seen = await stack.query<{
      office: {
        counters: Array<{ name: string; privateRoom: boolean; allocations: unknown[] }>;
        staff: unknown[];
      };
    }>(q, { id: orebro.id }, { token: insider });
    expect(seen.errors).toBeUndefined();
    const counters = seen.data?.office.counters ?? [];
    expect(counters.length).toBeGreaterThanOrEqual(4);
    expect(counters.length).toBeLessThanOrEqual(8);
    expect(counters.filter((c) => c.privateRoom)).toHaveLength(1);
    expect(counters.some((c) => c.allocations.length > 0)).toBe(true);
    expect(counters.some((c) => c.allocations.length === 0)).toBe(true);
    expect(seen.data?.office.staff.length).toBeGreaterThanOrEqual(6);

    const admin = await stack.tokenFor({ role: 'admin', subject: 'a' });
    expect((await stack.query(q, { id: orebro.id }, { token: admin })).errors).toBeUndefined();
  });
});
