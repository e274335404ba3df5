import {
  errorCodes,
  eventually,
  startTestStack,
  type TestStack,
  syntheticPersonnummer,
} from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';
const GAP_MS = 10 * 60_000;

const personnummer = (n: number): string => syntheticPersonnummer(n, 1950);

interface Part {
  service: { id: string; code?: string; agency?: { code: string } };
  start: string;
  end: string;
}

interface Option {
  office: { id: string; name?: string; municipality?: string };
  start: string;
  end: string;
  handOffs: number;
  distanceKm: number | null;
  parts: Part[];
}

interface JointVisit {
  id: string;
  reference: string;
  status: string;
  start: string;
  end: string;
  partySize: number;
  office: { id: string };
  appointments: Array<{
    id: string;
    reference: string;
    status: string;
    start: string;
    end: string;
    service: { id: string };
  }>;
}

const OPTIONS = `query($s: [ID!]!, $from: Date!, $to: Date!, $o: ID, $limit: Int, $language: String,
    $needs: [VisitNeed!], $anyOrder: Boolean, $partySize: Int, $near: NearInput) {
  jointVisitOptions(serviceIds: $s, from: $from, to: $to, officeId: $o, limit: $limit, language: $language,
      needs: $needs, anyOrder: $anyOrder, partySize: $partySize, near: $near) {
    office { id name municipality } start end handOffs distanceKm
    parts { service { id code agency { code } } start end } } }`;
const VISIT_FIELDS = `id reference status start end partySize office { id }
  appointments { id reference status start end service { id } }`;
const BOOK = `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { ${VISIT_FIELDS} } }`;
const CANCEL = `mutation($r: String!, $p: String, $e: String) {
  cancelJointVisit(reference: $r, personnummer: $p, email: $e) { ${VISIT_FIELDS} } }`;
const RESCHEDULE = `mutation($r: String!, $p: String, $e: String, $start: DateTime!) {
  rescheduleJointVisit(reference: $r, personnummer: $p, email: $e, start: $start) { ${VISIT_FIELDS} } }`;
const BY_REFERENCE = `query($r: String!, $p: String, $e: String) {
  jointVisitByReference(reference: $r, personnummer: $p, email: $e) { ${VISIT_FIELDS} } }`;
const CANCEL_PART = `mutation($r: String!, $p: String, $only: Boolean) {
  cancelAppointment(reference: $r, personnummer: $p, onlyThisPart: $only) { id status } }`;
const RESCHEDULE_PART = `mutation($r: String!, $p: String, $start: DateTime!) {
  rescheduleAppointment(reference: $r, personnummer: $p, start: $start) { id } }`;
const SLOTS = `query($o: ID!, $s: ID!, $from: Date!, $to: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to) { start end capacity } }`;
const BOOK_ONE = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference } }`;

describe('joint visits through the gateway', () => {
  let stack: TestStack;
  type Office = {
    id: string;
    municipality: string;
    services: Array<{ id: string; code: string; agency: { code: string } }>;
  };
  let offices: Office[];
  let orebro: Office;
  let person = 0;

  const service = (office: Office, code: string) =>
    office.services.find((s) => s.code === code)?.id as string;
  const citizen = (extra: Record<string, unknown> = {}) => ({
    personnummer: personnummer(++person),
    name: 'Test Person',
    ...extra,
  });
  const options = async (variables: Record<string, unknown>) =>
    stack.query<{ jointVisitOptions: Option[] }>(OPTIONS, variables);
  const book = (input: Record<string, unknown>) =>
    stack.query<{ bookJointVisit: JointVisit }>(BOOK, { input });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    stack.sql<T>(text, params);

  /** The parts follow each other: the next starts at or after the previous end, within the gap. */
  function expectChain(option: Option): void {
    for (let i = 1; i < option.parts.length; i++) {
      const previousEnd = Date.parse(option.parts[i - 1].end);
      const start = Date.parse(option.parts[i].start);
      expect(start).toBeGreaterThanOrEqual(previousEnd);
      expect(start - previousEnd).toBeLessThanOrEqual(GAP_MS);
    }
    expect(option.start).toBe(option.parts[0].start);
    expect(option.end).toBe(option.parts[option.parts.length - 1].end);
  }

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    const response = await stack.query<{ offices: Office[] }>(
      '{ offices { id municipality services { id code agency { code } } } }',
    );
    offices = response.data?.offices as Office[];
    orebro = offices.find((o) => o.municipality === 'Örebro') as Office;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('jointVisitOptions', () => {
    it('chains services of two agencies back to back, one person at one counter when someone is trained for both', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'eu-card')];
      const response = await options({
        s: ids,
        from: '2027-03-09',
        to: '2027-03-10',
        o: orebro.id,
      });
      expect(response.errors).toBeUndefined();
      const list = response.data?.jointVisitOptions ?? [];
      expect(list).toHaveLength(10);
      const starts = list.map((o) => Date.parse(o.start));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(new Set(starts).size).toBe(starts.length);
      for (const option of list) {
        expect(option.office).toMatchObject({ id: orebro.id, municipality: 'Örebro' });
        expect(option.parts.map((p) => p.service.code)).toEqual(['move-to-sweden', 'eu-card']);
        expect(option.parts.map((p) => p.service.agency?.code)).toEqual(['SKV', 'FK']);
        expectChain(option);
        expect(option.distanceKm).toBeNull();
      }
      // Opening time, in local time with its offset. Anna Lindqvist (FK + SKV) serves both
      // parts at one counter: after the 5-minute buffer the EU card starts at 09:35; no
      // hand-off wins over the visit 5 minutes shorter with one.
      expect(list[0]).toMatchObject({
        start: '2027-03-09T09:00:00+01:00',
        handOffs: 0,
        parts: [
          { start: '2027-03-09T09:00:00+01:00', end: '2027-03-09T09:30:00+01:00' },
          { start: '2027-03-09T09:35:00+01:00', end: '2027-03-09T09:45:00+01:00' },
        ],
      });
    });

    it('chains three agencies, in the citizen order unless any order is allowed', async () => {
      const ids = [
        service(orebro, 'register-jobseeker'),
        service(orebro, 'move-to-sweden'),
        service(orebro, 'parental-benefit'),
      ];
      const given = (
        await options({ s: ids, from: '2027-03-10', to: '2027-03-10', o: orebro.id, limit: 5 })
      ).data?.jointVisitOptions as Option[];
      expect(given).toHaveLength(5);
      for (const option of given) {
        expect(option.parts.map((p) => p.service.agency?.code)).toEqual(['AF', 'SKV', 'FK']);
        expectChain(option);
      }
      const any = (
        await options({
          s: ids,
          from: '2027-03-10',
          to: '2027-03-10',
          o: orebro.id,
          limit: 5,
          anyOrder: true,
        })
      ).data?.jointVisitOptions as Option[];
      for (const option of any) {
        expect(new Set(option.parts.map((p) => p.service.agency?.code))).toEqual(
          new Set(['AF', 'SKV', 'FK']),
        );
        expectChain(option);
      }
      // Any order never starts later, nor needs more hand-offs at the same start.
      expect(Date.parse(any[0].start)).toBeLessThanOrEqual(Date.parse(given[0].start));
      if (any[0].start === given[0].start)
        expect(any[0].handOffs).toBeLessThanOrEqual(given[0].handOffs);
    });

    it('searches every office offering all the services, nearest first with near', async () => {
      const codes = ['move-to-sweden', 'parental-benefit'];
      const offering = offices.filter((o) => codes.every((c) => service(o, c)));
      expect(offering.length).toBeGreaterThan(1);
      const ids = codes.map((c) => service(orebro, c));
      const all = (await options({ s: ids, from: '2027-03-09', to: '2027-03-09', limit: 50 })).data
        ?.jointVisitOptions as Option[];
      expect(new Set(all.map((o) => o.office.id))).toEqual(new Set(offering.map((o) => o.id)));
      const starts = all.map((o) => Date.parse(o.start));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));

      const near = (
        await options({
          s: ids,
          from: '2027-03-09',
          to: '2027-03-09',
          limit: 50,
          near: { municipality: 'Hallsberg' },
        })
      ).data?.jointVisitOptions as Option[];
      expect(near[0].office.municipality).toBe('Hallsberg');
      expect(near[0].distanceKm).toBe(0);
      const distances = near.map((o) => o.distanceKm as number);
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      expect(new Set(near.map((o) => o.office.municipality)).has('Örebro')).toBe(true);

      // Coordinates of Kiruna station: Kiruna first, then the offices in the south.
      const north = (
        await options({
          s: ids,
          from: '2027-03-09',
          to: '2027-03-09',
          limit: 50,
          near: { latitude: 67.85, longitude: 20.22 },
        })
      ).data?.jointVisitOptions as Option[];
      expect(north[0].office.municipality).toBe('Kiruna');
      expect(north[0].distanceKm).toBeLessThan(10);
    });

    it('lengthens each part by its per-person minutes for a party, up to its maximum', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'id-card')];
      const one = (await options({ s: ids, from: '2027-03-09', to: '2027-03-09', o: orebro.id }))
        .data?.jointVisitOptions as Option[];
      const three = (
        await options({ s: ids, from: '2027-03-09', to: '2027-03-09', o: orebro.id, partySize: 3 })
      ).data?.jointVisitOptions as Option[];
      const minutes = (p: Part) => (Date.parse(p.end) - Date.parse(p.start)) / 60_000;
      expect(one[0].parts.map(minutes)).toEqual([30, 15]);
      // Two more people: + 2 x 10 minutes on each part.
      expect(three[0].parts.map(minutes)).toEqual([50, 35]);

      const tooMany = await options({
        s: ids,
        from: '2027-03-09',
        to: '2027-03-09',
        o: orebro.id,
        partySize: 5,
      });
      expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
      expect(tooMany.errors?.[0].extensions?.['field']).toBe('partySize');
      expect(tooMany.errors?.[0].message).toMatch(/at most 4/);
    });

    it('answers bad input with a clear error', async () => {
      const move = service(orebro, 'move-to-sweden');
      const fk = service(orebro, 'parental-benefit');
      const migr = service(orebro, 'biometrics');
      const hallsberg = offices.find((o) => o.municipality === 'Hallsberg') as Office;
      const base = { from: '2027-03-09', to: '2027-03-09', o: orebro.id };
      const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
        [{ ...base, s: [move] }, 'BAD_USER_INPUT', 'serviceIds'],
        [{ ...base, s: [move, move] }, 'BAD_USER_INPUT', 'serviceIds'],
        [{ ...base, s: [move, '00000000-0000-4000-8000-000000000000'] }, 'NOT_FOUND', undefined],
        [{ ...base, s: [move, fk], to: '2027-03-08' }, 'BAD_USER_INPUT', 'to'],
        [{ ...base, s: [move, fk], limit: 0 }, 'BAD_USER_INPUT', 'limit'],
        [{ ...base, s: [move, fk], language: 'xx' }, 'BAD_USER_INPUT', 'language'],
        [
          { ...base, s: [move, fk], o: undefined, near: { municipality: 'Lindesberg' } },
          'BAD_USER_INPUT',
          'near.municipality',
        ],
        [
          { ...base, s: [move, fk], o: undefined, near: { latitude: 59 } },
          'BAD_USER_INPUT',
          'near',
        ],
        // Hallsberg has no Migrationsverket.
        [{ ...base, s: [move, migr], o: hallsberg.id }, 'BAD_USER_INPUT', 'serviceIds'],
      ];
      for (const [variables, code, field] of cases) {
        const response = await options(variables);
        expect(errorCodes(response)).toEqual([code]);
        expect(response.errors?.[0].extensions?.['field']).toBe(field);
        expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|\.ts:/);
      }
    });
  });

  describe('bookJointVisit', () => {
    it('books exactly the chain listed first for the start, under one reference', async () => {
      const ids = [
        service(orebro, 'register-jobseeker'),
        service(orebro, 'move-to-sweden'),
        service(orebro, 'parental-benefit'),
      ];
      const [first] = (
        await options({ s: ids, from: '2027-03-11', to: '2027-03-11', o: orebro.id, limit: 1 })
      ).data?.jointVisitOptions as Option[];
      const who = citizen();
      const response = await book({
        officeId: orebro.id,
        serviceIds: ids,
        start: first.start,
        citizen: who,
      });
      expect(response.errors).toBeUndefined();
      const visit = response.data?.bookJointVisit as JointVisit;
      expect(visit).toMatchObject({
        status: 'BOOKED',
        start: first.start,
        end: first.end,
        partySize: 1,
        office: { id: orebro.id },
      });
      expect(visit.reference).toMatch(/^[A-Z0-9]{8}$/);
      expect(
        visit.appointments.map((a) => ({ service: a.service.id, start: a.start, end: a.end })),
      ).toEqual(first.parts.map((p) => ({ service: p.service.id, start: p.start, end: p.end })));
      expect(visit.appointments.every((a) => a.status === 'BOOKED')).toBe(true);

      // Each part is an appointment of its own agency, under the same constraints.
      const rows = await sql<{ agency: string; joint_part: number }>(
        `SELECT ag.code AS agency, a.joint_part FROM scheduling.appointment a
         JOIN directory.published_agency ag ON ag.agency_id = a.agency_id
         WHERE a.joint_visit_id = $1 ORDER BY a.joint_part`,
        [visit.id],
      );
      expect(rows).toEqual([
        { agency: 'AF', joint_part: 0 },
        { agency: 'SKV', joint_part: 1 },
        { agency: 'FK', joint_part: 2 },
      ]);

      // Each agency's client sees its own part only, as an ordinary appointment.
      const fkClient = await stack.tokenFor({
        role: 'agency',
        subject: 'fk',
        clientId: 'fk-api',
        agency: 'FK',
      });
      const fkSees = await stack.query<{
        agencyAppointments: { items: Array<{ reference: string; service: { id: string } }> };
      }>(
        `query { agencyAppointments(from: "2027-03-11", to: "2027-03-11") { items { reference service { id } } } }`,
        {},
        { token: fkClient },
      );
      const references = visit.appointments.map((a) => a.reference);
      const seen = (fkSees.data?.agencyAppointments.items ?? []).filter((i) =>
        references.includes(i.reference),
      );
      expect(seen).toEqual([
        { reference: visit.appointments[2].reference, service: { id: ids[2] } },
      ]);

      // The citizen finds it again by its reference; a wrong identity number answers null.
      const found = await stack.query<{ jointVisitByReference: JointVisit | null }>(BY_REFERENCE, {
        r: visit.reference.toLowerCase(),
        p: who.personnummer,
      });
      expect(found.data?.jointVisitByReference?.id).toBe(visit.id);
      const wrong = await stack.query<{ jointVisitByReference: JointVisit | null }>(BY_REFERENCE, {
        r: visit.reference,
        p: personnummer(9999),
      });
      expect(wrong.data?.jointVisitByReference).toBeNull();
    });

    it('books nothing when a part was taken by someone else first, and names that part', async () => {
      const move = service(orebro, 'move-to-sweden');
      const biometrics = service(orebro, 'biometrics');
      const ids = [move, biometrics];
      const [first] = (
        await options({ s: ids, from: '2027-03-17', to: '2027-03-17', o: orebro.id, limit: 1 })
      ).data?.jointVisitOptions as Option[];
      expect(first).toBeDefined();
      // Other citizens take every biometrics time the second part could start at.
      const windowStart = Date.parse(first.parts[0].end);
      for (let round = 0; round < 20; round++) {
        const free = (
          (
            await stack.query<{ availableSlots: Array<{ start: string; capacity: number }> }>(
              SLOTS,
              { o: orebro.id, s: biometrics, from: '2027-03-17', to: '2027-03-17' },
            )
          ).data?.availableSlots ?? []
        ).filter(
          (s) => Date.parse(s.start) >= windowStart && Date.parse(s.start) <= windowStart + GAP_MS,
        );
        if (free.length === 0) break;
        const taken = await stack.query(BOOK_ONE, {
          input: {
            officeId: orebro.id,
            serviceId: biometrics,
            start: free[0].start,
            citizen: citizen(),
          },
        });
        expect(taken.errors).toBeUndefined();
      }
      const visitsBefore = await sql('SELECT count(*)::int AS n FROM scheduling.joint_visit');
      const who = citizen({ name: 'Nobody Booked' });
      const response = await book({
        officeId: orebro.id,
        serviceIds: ids,
        start: first.start,
        citizen: who,
      });
      expect(errorCodes(response)).toEqual(['SLOT_UNAVAILABLE']);
      expect(response.errors?.[0].extensions).toMatchObject({ reason: 'FULL', part: 1 });
      expect(response.errors?.[0].message).toMatch(/part 2/);
      // Nothing at all was written for this citizen: no visit, no first part.
      const written = await sql(
        `SELECT 1 FROM scheduling.appointment_contact WHERE name = 'Nobody Booked'`,
      );
      expect(written).toHaveLength(0);
      expect(await sql('SELECT count(*)::int AS n FROM scheduling.joint_visit')).toEqual(
        visitsBefore,
      );
    });

    it('under a race for one start, each visit is booked whole or not at all', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'parental-benefit')];
      const [first] = (
        await options({ s: ids, from: '2027-03-18', to: '2027-03-18', o: orebro.id, limit: 1 })
      ).data?.jointVisitOptions as Option[];
      const responses = await Promise.all(
        Array.from({ length: 12 }, () =>
          book({ officeId: orebro.id, serviceIds: ids, start: first.start, citizen: citizen() }),
        ),
      );
      const won = responses.filter((r) => !r.errors);
      const lost = responses.filter((r) => r.errors);
      expect(won.length).toBeGreaterThan(0);
      expect(lost.length).toBeGreaterThan(0);
      for (const r of lost) {
        expect(errorCodes(r)).toEqual(['SLOT_UNAVAILABLE']);
        expect(typeof r.errors?.[0].extensions?.['part']).toBe('number');
      }
      for (const r of won) {
        const visit = r.data?.bookJointVisit as JointVisit;
        expect(visit.start).toBe(first.start);
        expect(visit.appointments).toHaveLength(2);
      }
      // Every visit has both parts; no part without its visit; no counter or person twice.
      const broken = await sql(
        `SELECT v.id FROM scheduling.joint_visit v
         LEFT JOIN scheduling.appointment a ON a.joint_visit_id = v.id AND a.status = 'BOOKED'
         WHERE v.status = 'BOOKED' GROUP BY v.id HAVING count(a.id) <> array_length(v.service_ids, 1)`,
      );
      expect(broken).toEqual([]);
      const overlaps = await sql(
        `SELECT 1 FROM scheduling.appointment a JOIN scheduling.appointment b
           ON a.id < b.id AND (a.staff_id = b.staff_id OR (a.office_id = b.office_id AND a.counter_id = b.counter_id))
          AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
         WHERE a.status = 'BOOKED' AND b.status = 'BOOKED'`,
      );
      expect(overlaps).toEqual([]);
    });

    it('returns the first visit for a retried idempotency key, also concurrently', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'id-card')];
      const [first] = (
        await options({ s: ids, from: '2027-03-19', to: '2027-03-19', o: orebro.id, limit: 1 })
      ).data?.jointVisitOptions as Option[];
      const input = {
        officeId: orebro.id,
        serviceIds: ids,
        start: first.start,
        citizen: citizen(),
        idempotencyKey: 'family-move-1',
      };
      const [a, b] = await Promise.all([book(input), book(input)]);
      const c = await book(input);
      expect(a.errors).toBeUndefined();
      expect(b.data?.bookJointVisit.id).toBe(a.data?.bookJointVisit.id);
      expect(c.data?.bookJointVisit.id).toBe(a.data?.bookJointVisit.id);
      expect(
        await sql('SELECT 1 FROM scheduling.joint_visit WHERE id = $1', [
          a.data?.bookJointVisit.id,
        ]),
      ).toHaveLength(1);
      const other = await book({ ...input, serviceIds: [...ids].reverse() });
      expect(errorCodes(other)).toEqual(['CONFLICT']);
    });

    it('returns the first visit to a retry after the visit took the last chain at its start', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'parental-benefit')];
      const [first] = (
        await options({ s: ids, from: '2027-03-22', to: '2027-03-22', o: orebro.id, limit: 1 })
      ).data?.jointVisitOptions as Option[];
      const input = {
        officeId: orebro.id,
        serviceIds: ids,
        start: first.start,
        citizen: citizen(),
        idempotencyKey: 'last-chain-1',
      };
      const booked = await book(input);
      expect(booked.errors).toBeUndefined();
      // Others take every chain left at that start: the citizen's visit was the last but these.
      for (let i = 0; i < 20; i++) {
        const other = await book({ ...input, citizen: citizen(), idempotencyKey: undefined });
        if (other.errors) {
          expect(errorCodes(other)).toEqual(['SLOT_UNAVAILABLE']);
          break;
        }
      }
      const left = await options({
        s: ids,
        from: '2027-03-22',
        to: '2027-03-22',
        o: orebro.id,
        limit: 1,
      });
      expect(left.data?.jointVisitOptions[0]?.start).not.toBe(first.start);
      // The answer to the first attempt was lost; the retry gets that visit, not "taken".
      const retry = await book(input);
      expect(retry.errors).toBeUndefined();
      expect(retry.data?.bookJointVisit.id).toBe(booked.data?.bookJointVisit.id);
    });

    it('applies the per-citizen limit to each part, and books nothing when one is reached', async () => {
      const move = service(orebro, 'move-to-sweden');
      const fk = service(orebro, 'parental-benefit');
      const who = citizen();
      const day =
        (
          await stack.query<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
            o: orebro.id,
            s: fk,
            from: '2027-03-23',
            to: '2027-03-23',
          })
        ).data?.availableSlots ?? [];
      const single = await stack.query(BOOK_ONE, {
        input: {
          officeId: orebro.id,
          serviceId: fk,
          start: day[day.length - 1].start,
          citizen: who,
        },
      });
      expect(single.errors).toBeUndefined();
      const [first] = (
        await options({
          s: [move, fk],
          from: '2027-03-24',
          to: '2027-03-24',
          o: orebro.id,
          limit: 1,
        })
      ).data?.jointVisitOptions as Option[];
      const response = await book({
        officeId: orebro.id,
        serviceIds: [move, fk],
        start: first.start,
        citizen: who,
      });
      expect(errorCodes(response)).toEqual(['LIMIT_REACHED']);
      expect(response.errors?.[0].extensions?.['part']).toBe(1);
      expect(
        await sql(
          'SELECT 1 FROM scheduling.joint_visit WHERE citizen_key = (SELECT citizen_key FROM scheduling.appointment WHERE id = $1)',
          [(single.data as { bookAppointment: { id: string } }).bookAppointment.id],
        ),
      ).toHaveLength(0);
    });

    it('refuses a start no chain begins at, with the reason', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'parental-benefit')];
      const closed = await book({
        officeId: orebro.id,
        serviceIds: ids,
        start: '2027-03-13T10:00:00+01:00', // a Saturday
        citizen: citizen(),
      });
      expect(errorCodes(closed)).toEqual(['SLOT_UNAVAILABLE']);
      expect(closed.errors?.[0].extensions).toMatchObject({ reason: 'CLOSED', part: 0 });
      const nameless = await book({
        officeId: orebro.id,
        serviceIds: ids,
        start: '2027-03-15T10:00:00+01:00',
        citizen: { ...citizen(), name: '  ' },
      });
      expect(errorCodes(nameless)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('changing a joint visit', () => {
    async function bookOne(date: string, extra: Record<string, unknown> = {}) {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'parental-benefit')];
      const list = (await options({ s: ids, from: date, to: date, o: orebro.id, limit: 5 })).data
        ?.jointVisitOptions as Option[];
      const who = citizen(extra);
      const visit = (
        await book({ officeId: orebro.id, serviceIds: ids, start: list[0].start, citizen: who })
      ).data?.bookJointVisit as JointVisit;
      return { ids, list, who, visit };
    }

    it('cancels every part as a unit, and the times are free again', async () => {
      const { ids, list, who, visit } = await bookOne('2027-03-25');
      const response = await stack.query<{ cancelJointVisit: JointVisit }>(CANCEL, {
        r: visit.reference,
        p: who.personnummer,
      });
      expect(response.errors).toBeUndefined();
      expect(response.data?.cancelJointVisit.status).toBe('CANCELLED');
      expect(response.data?.cancelJointVisit.appointments.map((a) => a.status)).toEqual([
        'CANCELLED',
        'CANCELLED',
      ]);
      const after = (
        await options({ s: ids, from: '2027-03-25', to: '2027-03-25', o: orebro.id, limit: 5 })
      ).data?.jointVisitOptions as Option[];
      expect(after).toEqual(list);
      const twice = await stack.query(CANCEL, { r: visit.reference, p: who.personnummer });
      expect(errorCodes(twice)).toEqual(['CONFLICT']);
      const stranger = await stack.query(CANCEL, { r: visit.reference, p: personnummer(9998) });
      expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);
    });

    it('a visitor without an identity number cancels with the e-mail given', async () => {
      const { visit } = await bookOne('2027-04-06', {
        personnummer: undefined,
        birthDate: '1990-05-17',
        email: 'new.arrival@example.org',
      });
      expect(visit.status).toBe('BOOKED');
      const wrong = await stack.query(CANCEL, { r: visit.reference, e: 'other@example.org' });
      expect(errorCodes(wrong)).toEqual(['NOT_FOUND']);
      const right = await stack.query<{ cancelJointVisit: JointVisit }>(CANCEL, {
        r: visit.reference,
        e: 'New.Arrival@example.org',
      });
      expect(right.data?.cancelJointVisit.status).toBe('CANCELLED');
    });

    it('a part is cancelled alone only when the citizen confirms it', async () => {
      const { who, visit } = await bookOne('2027-04-07');
      const part = visit.appointments[1];
      const refused = await stack.query(CANCEL_PART, { r: part.reference, p: who.personnummer });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0].extensions?.['jointVisitReference']).toBe(visit.reference);
      expect(refused.errors?.[0].message).toMatch(/cancelJointVisit|onlyThisPart/);
      const moved = await stack.query(RESCHEDULE_PART, {
        r: part.reference,
        p: who.personnummer,
        start: part.start,
      });
      expect(errorCodes(moved)).toEqual(['CONFLICT']);

      const confirmed = await stack.query<{ cancelAppointment: { status: string } }>(CANCEL_PART, {
        r: part.reference,
        p: who.personnummer,
        only: true,
      });
      expect(confirmed.data?.cancelAppointment.status).toBe('CANCELLED');
      const left = (
        await stack.query<{ jointVisitByReference: JointVisit }>(BY_REFERENCE, {
          r: visit.reference,
          p: who.personnummer,
        })
      ).data?.jointVisitByReference as JointVisit;
      expect(left.status).toBe('BOOKED');
      expect(left.appointments.map((a) => a.status)).toEqual(['BOOKED', 'CANCELLED']);
      expect(left.end).toBe(visit.appointments[0].end);
      // The last part cancelled alone cancels the visit too.
      await stack.query(CANCEL_PART, {
        r: visit.appointments[0].reference,
        p: who.personnummer,
        only: true,
      });
      const none = (
        await stack.query<{ jointVisitByReference: JointVisit }>(BY_REFERENCE, {
          r: visit.reference,
          p: who.personnummer,
        })
      ).data?.jointVisitByReference as JointVisit;
      expect(none.status).toBe('CANCELLED');
    });

    it('moves the whole visit atomically, keeping its references', async () => {
      const { ids, list, who, visit } = await bookOne('2027-03-30');
      const target = list[3];
      const response = await stack.query<{ rescheduleJointVisit: JointVisit }>(RESCHEDULE, {
        r: visit.reference,
        p: who.personnummer,
        start: target.start,
      });
      expect(response.errors).toBeUndefined();
      const moved = response.data?.rescheduleJointVisit as JointVisit;
      expect(moved).toMatchObject({
        id: visit.id,
        reference: visit.reference,
        start: target.start,
      });
      expect(moved.appointments.map((a) => a.reference)).toEqual(
        visit.appointments.map((a) => a.reference),
      );
      // The old start is free again.
      const after = (
        await options({ s: ids, from: '2027-03-30', to: '2027-03-30', o: orebro.id, limit: 5 })
      ).data?.jointVisitOptions as Option[];
      expect(after[0].start).toBe(list[0].start);

      // A start where nothing fits changes nothing.
      const closed = await stack.query(RESCHEDULE, {
        r: visit.reference,
        p: who.personnummer,
        start: '2027-04-03T10:00:00+02:00',
      });
      expect(errorCodes(closed)).toEqual(['SLOT_UNAVAILABLE']);
      const still = (
        await stack.query<{ jointVisitByReference: JointVisit }>(BY_REFERENCE, {
          r: visit.reference,
          p: who.personnummer,
        })
      ).data?.jointVisitByReference as JointVisit;
      expect(still.start).toBe(target.start);
    });
  });

  describe('staff view', () => {
    it('an opening-hours edit that changes nothing leaves every part booked where it was', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'parental-benefit')];
      const booked: JointVisit[] = [];
      // A plain visit, one for two people and one with extra time: later parts start off the
      // 15-minute grid (the previous end plus 5-minute steps) and last longer than the service.
      for (const extra of [{}, { partySize: 2 }, { needs: ['EXTRA_TIME'] }]) {
        const [first] = (
          await options({
            s: ids,
            from: '2027-04-13',
            to: '2027-04-13',
            o: orebro.id,
            limit: 1,
            ...extra,
          })
        ).data?.jointVisitOptions as Option[];
        const response = await book({
          officeId: orebro.id,
          serviceIds: ids,
          start: first.start,
          citizen: citizen(),
          ...extra,
        });
        expect(response.errors).toBeUndefined();
        booked.push(response.data?.bookJointVisit as JointVisit);
      }
      const offGrid = booked
        .flatMap((v) => v.appointments.slice(1))
        .map((a) => a.start.slice(14, 16));
      expect(offGrid.some((minute) => Number(minute) % 15 !== 0)).toBe(true);
      const before = await sql(
        `SELECT id, status, counter_id, staff_id FROM scheduling.appointment
         WHERE joint_visit_id = ANY($1::uuid[]) ORDER BY id`,
        [booked.map((v) => v.id)],
      );

      const admin = await stack.tokenFor({ role: 'admin', subject: 'admin' });
      const weekly = (
        await stack.query<{
          office: { weeklyOpeningHours: Array<{ weekday: number; start: string; end: string }> };
        }>('query($o: ID!) { office(id: $o) { weeklyOpeningHours { weekday start end } } }', {
          o: orebro.id,
        })
      ).data?.office.weeklyOpeningHours;
      const edit = await stack.query(
        'mutation($o: ID!, $h: [WeeklyHoursInput!]!) { setWeeklyOpeningHours(officeId: $o, hours: $h) { id } }',
        { o: orebro.id, h: weekly },
        { token: admin },
      );
      expect(edit.errors).toBeUndefined();
      // Wait until scheduling has handled the change, then nothing may have moved or been flagged.
      const [{ id: change }] = await sql<{ id: string }>(
        `SELECT id FROM directory.published_change WHERE office_id = $1 ORDER BY changed_at DESC LIMIT 1`,
        [orebro.id],
      );
      const result = await eventually(
        () =>
          sql<{ result: Record<string, number> | null }>(
            'SELECT result FROM scheduling.directory_change_handled WHERE change_id = $1',
            [change],
          ),
        (rows) => !!rows[0]?.result,
      );
      expect(result[0]?.result).toMatchObject({ reassigned: 0, flagged: 0 });
      const after = await sql(
        `SELECT id, status, counter_id, staff_id FROM scheduling.appointment
         WHERE joint_visit_id = ANY($1::uuid[]) ORDER BY id`,
        [booked.map((v) => v.id)],
      );
      expect(after).toEqual(before);
      expect(after.every((row) => row['status'] === 'BOOKED')).toBe(true);
    });

    it('shows the parts as linked, without another agency’s matter', async () => {
      const ids = [service(orebro, 'move-to-sweden'), service(orebro, 'register-jobseeker')];
      const [first] = (
        await options({
          s: ids,
          from: '2027-03-31',
          to: '2027-03-31',
          o: orebro.id,
          limit: 1,
          anyOrder: false,
        })
      ).data?.jointVisitOptions as Option[];
      const visit = (
        await book({
          officeId: orebro.id,
          serviceIds: ids,
          start: first.start,
          citizen: citizen({ name: 'Amina Yusuf' }),
        })
      ).data?.bookJointVisit as JointVisit;
      const skvStaff = await stack.tokenFor({
        role: 'staff',
        subject: 'skv-desk',
        offices: [orebro.id],
        adminOffices: [],
        competences: ['SKV'],
      });
      const SCHEDULE = `query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) {
        id reference agency citizenName counterId service { id }
        jointVisit { part parts previous { start counterId agency } next { start end counterId agency } } } }`;
      type Entry = {
        id: string;
        reference: string;
        agency: string;
        citizenName: string | null;
        counterId: string;
        service: { id: string } | null;
        jointVisit: {
          part: number;
          parts: number;
          previous: { start: string; counterId: string; agency: string } | null;
          next: { start: string; end: string; counterId: string; agency: string } | null;
        } | null;
      };
      const response = await stack.query<{ officeSchedule: Entry[] }>(
        SCHEDULE,
        { o: orebro.id, d: '2027-03-31' },
        { token: skvStaff },
      );
      expect(response.errors).toBeUndefined();
      const entries = response.data?.officeSchedule ?? [];
      const skvPart = entries.find((e) => e.id === visit.appointments[0].id) as Entry;
      const afPart = entries.find((e) => e.id === visit.appointments[1].id) as Entry;
      expect(skvPart).toMatchObject({ agency: 'SKV', citizenName: 'Amina Yusuf' });
      expect(skvPart.jointVisit).toMatchObject({
        part: 1,
        parts: 2,
        previous: null,
        next: { start: visit.appointments[1].start, agency: 'AF', counterId: afPart.counterId },
      });
      // The SKV desk sees where the citizen goes next, but neither the AF matter nor the name there.
      expect(afPart.citizenName).toBeNull();
      expect(afPart.service).toBeNull();
      expect(skvPart.service).toEqual({ id: ids[0] });
      expect(afPart.jointVisit).toMatchObject({
        part: 2,
        parts: 2,
        next: null,
        previous: { agency: 'SKV', counterId: skvPart.counterId },
      });
      expect(JSON.stringify(skvPart.jointVisit)).not.toContain(ids[1]);
      // Nor its reference, and no other answer gives the AF part or the whole visit back.
      expect(afPart.reference).toBeNull();
      const afReference = visit.appointments[1].reference;
      const byReference = await stack.query<{ appointmentByReference: unknown }>(
        'query($r: String!) { appointmentByReference(reference: $r) { id service { id } } }',
        { r: afReference },
        { token: skvStaff },
      );
      expect(byReference.data?.appointmentByReference).toBeNull();
      const cancelOwn = await stack.query(
        CANCEL_PART,
        { r: skvPart.reference },
        { token: skvStaff },
      );
      expect(errorCodes(cancelOwn)).toEqual(['CONFLICT']);
      const jointReference = (cancelOwn.errors?.[0]?.extensions as Record<string, unknown>)
        ?.jointVisitReference as string;
      expect(jointReference).toBe(visit.reference);
      const whole = await stack.query<{ jointVisitByReference: unknown }>(
        BY_REFERENCE,
        { r: jointReference },
        { token: skvStaff },
      );
      expect(whole.data?.jointVisitByReference).toBeNull();
      expect(
        errorCodes(await stack.query(CANCEL, { r: jointReference }, { token: skvStaff })),
      ).toEqual(['NOT_FOUND']);
      expect(
        errorCodes(
          await stack.query(CANCEL_PART, { r: afReference, only: true }, { token: skvStaff }),
        ),
      ).toEqual(['NOT_FOUND']);
      // Staff trained for both agencies see the visit whole.
      const bothStaff = await stack.tokenFor({
        role: 'staff',
        subject: 'both-desk',
        offices: [orebro.id],
        adminOffices: [],
        competences: ['SKV', 'AF'],
      });
      const full = await stack.query<{ jointVisitByReference: JointVisit | null }>(
        BY_REFERENCE,
        { r: jointReference },
        { token: bothStaff },
      );
      expect(full.data?.jointVisitByReference?.appointments.map((a) => a.service.id)).toEqual(ids);
      // Staff trained for AF see that part in full.
      const afStaff = await stack.tokenFor({
        role: 'staff',
        subject: 'af-desk',
        offices: [orebro.id],
        adminOffices: [],
        competences: ['AF'],
      });
      const theirs = (
        await stack.query<{ officeSchedule: Entry[] }>(
          SCHEDULE,
          { o: orebro.id, d: '2027-03-31' },
          { token: afStaff },
        )
      ).data?.officeSchedule.find((e) => e.reference === visit.appointments[1].reference);
      expect(theirs).toMatchObject({ citizenName: 'Amina Yusuf', service: { id: ids[1] } });
    });
  });
});
