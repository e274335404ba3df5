import { Client } from 'pg';
import {
  errorCodes,
  schemaFingerprint,
  startTestStack,
  type GraphQLResponse,
  type TestStack,
} from '@samservice/testing';

interface Office {
  id: string;
  municipality: string;
  agencies: Array<{ id: string; code: string }>;
  services: Array<{ id: string; code: string; agency: { code: string } }>;
  counters: Array<{ id: string; name: string }>;
  staff: Array<{ id: string; name: string }>;
}

describe('directory administration through the gateway', () => {
  let stack: TestStack;
  let admin: string;
  let orebro: Office;
  let hallsberg: Office;
  let kiruna: Office;
  let agencies: Array<{ id: string; code: string; services: Array<{ id: string; code: string }> }>;

  const run = <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token = admin,
  ) => stack.query<T>(query, variables, { token });

  /** A step that must succeed. */
  const ok = async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => {
    const response = await run<T>(query, variables);
    expect(response.errors).toBeUndefined();
    return response;
  };

  const agencyId = (code: string) => agencies.find((a) => a.code === code)?.id as string;

  /** The change is refused with BAD_USER_INPUT naming `field`, and nothing in the directory changed. */
  async function expectRefused(
    query: string,
    variables: Record<string, unknown>,
    field: string,
    token = admin,
  ): Promise<GraphQLResponse> {
    const before = await schemaFingerprint(stack.databaseUrl, 'directory');
    const response = await run(query, variables, token);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.extensions?.['field']).toBe(field);
    expect(response.errors?.[0]?.message).toContain(field);
    expect(await schemaFingerprint(stack.databaseUrl, 'directory')).toEqual(before);
    return response;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.tokenFor({ role: 'admin', subject: 'network-admin' });
    const response = await run<{ offices: Office[]; agencies: typeof agencies }>(
      '{ offices { id municipality agencies { id code } services { id code agency { code } } counters { id name } staff { id name } } agencies { id code services { id code } } }',
    );
    expect(response.errors).toBeUndefined();
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as Office;
    hallsberg = response.data?.offices.find((o) => o.municipality === 'Hallsberg') as Office;
    kiruna = response.data?.offices.find((o) => o.municipality === 'Kiruna') as Office;
    agencies = response.data?.agencies ?? [];
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('who may change what', () => {
    const createAgency =
      'mutation { createAgency(input: { code: "TEST", name: "Testverket", level: STATE }) { id } }';

    it('answers anonymous callers UNAUTHENTICATED and other roles FORBIDDEN, writing nothing', async () => {
      const before = await schemaFingerprint(stack.databaseUrl, 'directory');
      expect(errorCodes(await stack.query(createAgency))).toEqual(['UNAUTHENTICATED']);
      const citizen = await stack.tokenFor({
        role: 'citizen',
        subject: 'c',
        personnummer: '191212121212',
      });
      const agency = await stack.tokenFor({
        role: 'agency',
        subject: 'fk',
        clientId: 'fk',
        agency: 'FK',
      });
      const officeAdmin = await stack.tokenFor({
        role: 'staff',
        subject: 's',
        offices: [orebro.id],
        adminOffices: [orebro.id],
        competences: [],
      });
      for (const token of [citizen, agency, officeAdmin])
        expect(errorCodes(await run(createAgency, {}, token))).toEqual(['FORBIDDEN']);
      expect(await schemaFingerprint(stack.databaseUrl, 'directory')).toEqual(before);
    });

    it('lets the admin of an office change that office, but not another one', async () => {
      const mine = await stack.tokenFor({
        role: 'staff',
        subject: 's',
        offices: [orebro.id],
        adminOffices: [orebro.id],
        competences: [],
      });
      const plainStaff = await stack.tokenFor({
        role: 'staff',
        subject: 's2',
        offices: [orebro.id],
        adminOffices: [],
        competences: [],
      });
      const update =
        'mutation($id: ID!) { updateOffice(id: $id, input: { accessibility: { note: "Ny ramp" } }) { accessibility { note } } }';
      expect(
        (
          await run<{ updateOffice: { accessibility: { note: string } } }>(
            update,
            { id: orebro.id },
            mine,
          )
        ).data?.updateOffice.accessibility.note,
      ).toBe('Ny ramp');
      expect(errorCodes(await run(update, { id: hallsberg.id }, mine))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await run(update, { id: orebro.id }, plainStaff))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await stack.query(update, { id: orebro.id }))).toEqual(['UNAUTHENTICATED']);
    });

    it("lets the admin of one office change only that office's part of a colleague who also works elsewhere", async () => {
      type Member = {
        id: string;
        name: string;
        languages: string[];
        active: boolean;
        offices: Array<{ office: { id: string }; officeAdmin: boolean }>;
        competences: Array<{ agency: { code: string }; service: { code: string } | null }>;
      };
      const fields =
        'id name languages active offices { office { id } officeAdmin } competences { agency { code } service { code } }';
      const created = await ok<{ createStaffMember: Member }>(
        `mutation($o: ID!, $h: ID!, $a: ID!) { createStaffMember(input: { name: "Delad Dahlberg", languages: ["sv", "en"], offices: [{ officeId: $o }, { officeId: $h }], competences: [{ agencyId: $a }] }) { ${fields} } }`,
        { o: orebro.id, h: hallsberg.id, a: agencyId('SKV') },
      );
      const id = created.data?.createStaffMember.id as string;
      const orebroAdmin = await stack.tokenFor({
        role: 'staff',
        subject: 'orebro-admin',
        offices: [orebro.id],
        adminOffices: [orebro.id],
        competences: [],
      });
      const update = `mutation($id: ID!, $input: UpdateStaffMemberInput!) { updateStaffMember(id: $id, input: $input) { ${fields} } }`;
      const link = (officeId: string, officeAdmin = false) => ({ officeId, officeAdmin });
      const linked = (id: string, officeAdmin = false) => ({ office: { id }, officeAdmin });

      /** Refused with FORBIDDEN, a message saying `says`, and nothing in the directory changed. */
      const expectForbidden = async (
        query: string,
        variables: Record<string, unknown>,
        says: RegExp,
      ) => {
        const before = await schemaFingerprint(stack.databaseUrl, 'directory');
        const response = await run(query, variables, orebroAdmin);
        expect(errorCodes(response)).toEqual(['FORBIDDEN']);
        expect(response.errors?.[0]?.message).toMatch(says);
        expect(await schemaFingerprint(stack.databaseUrl, 'directory')).toEqual(before);
      };
      // Hallsberg's link: not to be made an admin there, removed, or joined by another office.
      for (const offices of [
        [link(orebro.id), link(hallsberg.id, true)],
        [link(orebro.id)],
        [link(orebro.id), link(hallsberg.id), link(kiruna.id)],
      ])
        await expectForbidden(
          update,
          { id, input: { offices } },
          /Servicekontor (Hallsberg|Kiruna)/,
        );
      // What the person is trained for and speaks, and their sign-in, hold at every office.
      for (const input of [
        { competences: [] },
        { competences: [{ agencyId: agencyId('SKV') }, { agencyId: agencyId('FK') }] },
        { languages: ['sv'] },
        { subject: 'delad-dahlberg' },
      ])
        await expectForbidden(update, { id, input }, /network administrator/);
      await expectForbidden(
        'mutation($id: ID!) { deactivateStaffMember(id: $id) { id } }',
        { id },
        /network administrator/,
      );

      // Their own office's part, the name, and the person-wide fields as they are, still work.
      const allowed = await run<{ updateStaffMember: Member }>(
        update,
        {
          id,
          input: {
            name: 'Delad D. Dahlberg',
            offices: [link(orebro.id, true), link(hallsberg.id)],
            languages: ['en', 'sv'],
            competences: [{ agencyId: agencyId('SKV') }],
          },
        },
        orebroAdmin,
      );
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data?.updateStaffMember).toMatchObject({
        name: 'Delad D. Dahlberg',
        offices: expect.arrayContaining([linked(orebro.id, true), linked(hallsberg.id)]),
        competences: [{ agency: { code: 'SKV' }, service: null }],
      });
      // An admin of both offices may change what applies at both.
      const bothAdmin = await stack.tokenFor({
        role: 'staff',
        subject: 'both-admin',
        offices: [orebro.id, hallsberg.id],
        adminOffices: [orebro.id, hallsberg.id],
        competences: [],
      });
      const retrained = await run<{ updateStaffMember: Member }>(
        update,
        { id, input: { competences: [{ agencyId: agencyId('PM') }], languages: ['sv'] } },
        bothAdmin,
      );
      expect(retrained.errors).toBeUndefined();
      expect(retrained.data?.updateStaffMember).toMatchObject({
        languages: ['sv'],
        competences: [{ agency: { code: 'PM' }, service: null }],
      });
      // Leaving the admin's own office is theirs to decide; then the person is none of theirs.
      const left = await run<{ updateStaffMember: Member }>(
        update,
        { id, input: { offices: [link(hallsberg.id)] } },
        orebroAdmin,
      );
      expect(left.errors).toBeUndefined();
      expect(left.data?.updateStaffMember.offices).toEqual([linked(hallsberg.id)]);
      // A network admin may do anything.
      const gone = await ok<{ deactivateStaffMember: { active: boolean } }>(
        'mutation($id: ID!) { deactivateStaffMember(id: $id) { active } }',
        { id },
      );
      expect(gone.data?.deactivateStaffMember.active).toBe(false);
    });
  });

  describe('creating, changing and deactivating', () => {
    it('agencies and services', async () => {
      const created = await ok<{ createAgency: { id: string; code: string; level: string } }>(
        'mutation { createAgency(input: { code: "CSN", name: "Centrala studiestödsnämnden", level: STATE }) { id code level } }',
      );
      expect(created.errors).toBeUndefined();
      const id = created.data?.createAgency.id as string;
      const service = await ok<{
        createService: {
          id: string;
          name: string;
          durationMinutes: number;
          agency: { code: string };
        };
      }>(
        `mutation($agencyId: ID!) { createService(input: { agencyId: $agencyId, code: "study-aid", nameSv: "Studiestöd", nameEn: "Student finance", durationMinutes: 20, bookingHorizonDays: 60, languages: ["sv", "en"] }) { id name durationMinutes agency { code } } }`,
        { agencyId: id },
      );
      expect(service.data?.createService).toMatchObject({
        name: 'Studiestöd',
        durationMinutes: 20,
        agency: { code: 'CSN' },
      });
      const updated = await ok<{
        updateService: { durationMinutes: number; bookingHorizonDays: number };
      }>(
        'mutation($id: ID!) { updateService(id: $id, input: { durationMinutes: 25, bookingHorizonDays: 730 }) { durationMinutes bookingHorizonDays } }',
        { id: service.data?.createService.id },
      );
      expect(updated.data?.updateService).toEqual({ durationMinutes: 25, bookingHorizonDays: 730 });
      await ok('mutation($id: ID!) { deactivateService(id: $id) { active } }', {
        id: service.data?.createService.id,
      });
      const listed = await ok<{ agency: { services: unknown[] } }>(
        'query($id: ID!) { agency(id: $id) { services { id } } }',
        { id },
      );
      expect(listed.data?.agency.services).toEqual([]);
      await ok('mutation($id: ID!) { updateAgency(id: $id, input: { name: "CSN" }) { name } }', {
        id,
      });
      await ok('mutation($id: ID!) { deactivateAgency(id: $id) { active } }', { id });
      const all = await ok<{ agencies: Array<{ code: string }> }>('{ agencies { code } }');
      expect(all.data?.agencies.map((a) => a.code)).not.toContain('CSN');
    });

    it("a service's party rules, read back by scheduling's view of the office", async () => {
      type Rules = { id: string; perPersonMinutes: number; maxPartySize: number };
      const created = await ok<{ createService: Rules }>(
        'mutation($a: ID!) { createService(input: { agencyId: $a, code: "family-register", nameSv: "Familjeregistrering", nameEn: "Family registration", durationMinutes: 30 }) { id perPersonMinutes maxPartySize } }',
        { a: agencyId('SKV') },
      );
      const id = created.data?.createService.id as string;
      // Unless told otherwise a booking is for one person and takes no extra time.
      expect(created.data?.createService).toEqual({ id, perPersonMinutes: 0, maxPartySize: 1 });
      const updated = await ok<{ updateService: Rules }>(
        'mutation($id: ID!) { updateService(id: $id, input: { perPersonMinutes: 15, maxPartySize: 5 }) { id perPersonMinutes maxPartySize } }',
        { id },
      );
      expect(updated.data?.updateService).toEqual({ id, perPersonMinutes: 15, maxPartySize: 5 });
      // A change of one rule keeps the other.
      const largerParty =
        'mutation($id: ID!) { updateService(id: $id, input: { maxPartySize: 10 }) { id } }';
      await ok(largerParty, { id });
      const read = await ok<{ service: Rules }>(
        'query($id: ID!) { service(id: $id) { id perPersonMinutes maxPartySize } }',
        { id },
      );
      expect(read.data?.service).toEqual({ id, perPersonMinutes: 15, maxPartySize: 10 });

      await ok('mutation($o: ID!, $s: ID!) { offerService(officeId: $o, serviceId: $s) { id } }', {
        o: orebro.id,
        s: id,
      });
      const client = new Client({ connectionString: stack.databaseUrl });
      await client.connect();
      try {
        const published = await client.query(
          `SELECT per_person_minutes, max_party_size FROM directory.published_office_service
           WHERE office_id = $1 AND service_id = $2`,
          [orebro.id, id],
        );
        expect(published.rows).toEqual([{ per_person_minutes: 15, max_party_size: 10 }]);
      } finally {
        await client.end();
      }

      const given = await ok<{ createService: Rules }>(
        'mutation($a: ID!) { createService(input: { agencyId: $a, code: "family-biometrics", nameSv: "Biometri för familjer", nameEn: "Biometrics for families", durationMinutes: 15, perPersonMinutes: 10, maxPartySize: 6 }) { id perPersonMinutes maxPartySize } }',
        { a: agencyId('MIGR') },
      );
      expect(given.data?.createService).toMatchObject({ perPersonMinutes: 10, maxPartySize: 6 });
    });

    it('offices, participation, offered services and hours', async () => {
      const created = await ok<{
        createOffice: { id: string; timeZone: string; eveClosingTime: string };
      }>(
        `mutation { createOffice(input: { name: "Servicekontor Lindesberg", streetAddress: "Kungsgatan 1", postalCode: "711 30", municipality: "Lindesberg", timeZone: "Europe/Stockholm", latitude: 59.59, longitude: 15.23, eveClosingTime: "12:00" }) { id timeZone eveClosingTime } }`,
      );
      expect(created.errors).toBeUndefined();
      const officeId = created.data?.createOffice.id as string;
      expect(created.data?.createOffice.eveClosingTime).toBe('12:00');
      await ok(
        'mutation($o: ID!, $a: ID!) { addAgencyToOffice(officeId: $o, agencyId: $a) { id } }',
        { o: officeId, a: agencyId('SKV') },
      );
      const idCard = agencies
        .find((a) => a.code === 'SKV')
        ?.services.find((s) => s.code === 'id-card')?.id;
      await ok('mutation($o: ID!, $s: ID!) { offerService(officeId: $o, serviceId: $s) { id } }', {
        o: officeId,
        s: idCard,
      });
      await ok(
        'mutation($o: ID!) { setWeeklyOpeningHours(officeId: $o, hours: [{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 1, start: "13:00", end: "16:00" }]) { id } }',
        { o: officeId },
      );
      const exception = await ok<{ addOpeningException: { id: string } }>(
        'mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-03-24", start: "10:00", end: "14:00", note: "Extra öppet" }) { id } }',
        { o: officeId },
      );
      const closure = await ok<{ addClosure: { id: string } }>(
        'mutation($o: ID!) { addClosure(officeId: $o, input: { from: "2027-03-22", to: "2027-03-23", reason: "Renovering" }) { id } }',
        { o: officeId },
      );
      const office = await ok<{
        office: {
          agencies: Array<{ code: string }>;
          services: Array<{ code: string }>;
          weeklyOpeningHours: unknown[];
        };
        openingHours: Array<{
          date: string;
          intervals: Array<{ start: string; end: string }>;
          closedReason: string | null;
          note: string | null;
        }>;
      }>(
        'query($o: ID!) { office(id: $o) { agencies { code } services { code } weeklyOpeningHours { weekday start end } } openingHours(officeId: $o, from: "2027-03-22", to: "2027-03-29") { date intervals { start end } closedReason note } }',
        { o: officeId },
      );
      expect(office.data?.office).toMatchObject({
        agencies: [{ code: 'SKV' }],
        services: [{ code: 'id-card' }],
      });
      expect(office.data?.office.weeklyOpeningHours).toHaveLength(2);
      const days = Object.fromEntries((office.data?.openingHours ?? []).map((d) => [d.date, d]));
      expect(days['2027-03-22']).toMatchObject({ closedReason: 'CLOSURE', note: 'Renovering' });
      expect(days['2027-03-24']).toMatchObject({
        note: 'Extra öppet',
        intervals: [{ start: '2027-03-24T10:00:00+01:00', end: '2027-03-24T14:00:00+01:00' }],
      });
      expect(days['2027-03-29']?.intervals).toHaveLength(0); // Annandag påsk
      await ok('mutation($id: ID!) { removeOpeningException(id: $id) }', {
        id: exception.data?.addOpeningException.id,
      });
      await ok('mutation($id: ID!) { removeClosure(id: $id) }', {
        id: closure.data?.addClosure.id,
      });
      await ok(
        'mutation($o: ID!, $s: ID!) { withdrawService(officeId: $o, serviceId: $s) { id } }',
        { o: officeId, s: idCard },
      );
      await ok(
        'mutation($o: ID!, $a: ID!) { removeAgencyFromOffice(officeId: $o, agencyId: $a) { id } }',
        { o: officeId, a: agencyId('SKV') },
      );
      await ok('mutation($o: ID!) { deactivateOffice(id: $o) { active } }', { o: officeId });
      const offices = await ok<{ offices: Array<{ id: string }> }>('{ offices { id } }');
      expect(offices.data?.offices.map((o) => o.id)).not.toContain(officeId);
    });

    it('counters and allocations', async () => {
      const counter = await ok<{ createCounter: { id: string; status: string } }>(
        'mutation($o: ID!) { createCounter(officeId: $o, input: { name: "Disk 9", accessibleDesk: true }) { id status } }',
        { o: orebro.id },
      );
      const counterId = counter.data?.createCounter.id as string;
      expect(counter.data?.createCounter.status).toBe('ACTIVE');
      const weekly = await ok<{
        addCounterAllocation: { id: string; agency: { code: string }; start: string };
      }>(
        'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 1, start: "09:00", end: "12:00" }) { id agency { code } start } }',
        { c: counterId, a: agencyId('PM') },
      );
      expect(weekly.data?.addCounterAllocation).toMatchObject({
        agency: { code: 'PM' },
        start: '09:00',
      });
      const pooled = await ok<{ addCounterAllocation: { agency: null; kind: string } }>(
        'mutation($c: ID!) { addCounterAllocation(counterId: $c, input: { date: "2027-05-03", start: "09:00", end: "12:00" }) { agency { code } kind } }',
        { c: counterId },
      );
      expect(pooled.data?.addCounterAllocation).toEqual({ agency: null, kind: 'DATED' });
      const outOfOrder = await ok<{ updateCounter: { status: string } }>(
        'mutation($c: ID!) { updateCounter(id: $c, input: { status: OUT_OF_ORDER }) { status } }',
        { c: counterId },
      );
      expect(outOfOrder.data?.updateCounter.status).toBe('OUT_OF_ORDER');
      await ok('mutation($id: ID!) { removeCounterAllocation(id: $id) }', {
        id: weekly.data?.addCounterAllocation.id,
      });
      const retired = await ok<{ retireCounter: { status: string } }>(
        'mutation($c: ID!) { retireCounter(id: $c) { status } }',
        { c: counterId },
      );
      expect(retired.data?.retireCounter.status).toBe('RETIRED');
    });

    it('staff, shifts and absences', async () => {
      const created = await ok<{
        createStaffMember: {
          id: string;
          offices: Array<{ office: { municipality: string } }>;
          competences: Array<{ agency: { code: string }; service: { code: string } | null }>;
        };
      }>(
        `mutation($o: ID!, $a: ID!) { createStaffMember(input: { name: "Test Testsson", languages: ["sv", "en"], offices: [{ officeId: $o }], competences: [{ agencyId: $a }] }) { id offices { office { municipality } } competences { agency { code } service { code } } } }`,
        { o: orebro.id, a: agencyId('FK') },
      );
      expect(created.errors).toBeUndefined();
      const staffId = created.data?.createStaffMember.id as string;
      expect(created.data?.createStaffMember.competences).toEqual([
        { agency: { code: 'FK' }, service: null },
      ]);
      const shift = await ok<{ addShift: { id: string; start: string; end: string } }>(
        'mutation($s: ID!, $o: ID!) { addShift(staffId: $s, input: { officeId: $o, weekday: 4, start: "12:00", end: "18:00" }) { id start end } }',
        { s: staffId, o: orebro.id },
      );
      expect(shift.data?.addShift).toMatchObject({ start: '12:00', end: '18:00' });
      const absence = await ok<{ addAbsence: { id: string; start: string } }>(
        'mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-03-30T09:00:00+02:00", end: "2027-04-02T16:00:00+02:00", reason: "Utbildning" }) { id start } }',
        { s: staffId },
      );
      expect(absence.data?.addAbsence.start).toBe('2027-03-30T09:00:00+02:00');
      const updated = await ok<{
        updateStaffMember: { name: string; languages: string[]; shifts: unknown[] };
      }>(
        'mutation($s: ID!, $o: ID!, $h: ID!) { updateStaffMember(id: $s, input: { name: "Test T. Testsson", languages: ["sv", "ar"], offices: [{ officeId: $o }, { officeId: $h }] }) { name languages shifts { id } } }',
        { s: staffId, o: orebro.id, h: hallsberg.id },
      );
      // Keeping the office keeps the shifts there.
      expect(updated.data?.updateStaffMember).toMatchObject({
        name: 'Test T. Testsson',
        languages: ['sv', 'ar'],
        shifts: [{ id: shift.data?.addShift.id }],
      });
      await ok('mutation($id: ID!) { removeAbsence(id: $id) }', {
        id: absence.data?.addAbsence.id,
      });
      await ok('mutation($id: ID!) { removeShift(id: $id) { removed affectedAppointments } }', {
        id: shift.data?.addShift.id,
      });
      const gone = await ok<{ deactivateStaffMember: { active: boolean } }>(
        'mutation($s: ID!) { deactivateStaffMember(id: $s) { active } }',
        { s: staffId },
      );
      expect(gone.data?.deactivateStaffMember.active).toBe(false);
    });

    it('a null that means something: pooled time, no end date, no note, the whole agency, no sign-in', async () => {
      const counter = await ok<{ createCounter: { id: string } }>(
        'mutation($o: ID!) { createCounter(officeId: $o, input: { name: "Disk 10" }) { id } }',
        { o: orebro.id },
      );
      const counterId = counter.data?.createCounter.id as string;
      type Allocation = {
        agency: { code: string } | null;
        kind: string;
        weekday: number | null;
        date: string | null;
        validFrom: string | null;
        validTo: string | null;
      };
      const allocate = (input: string) =>
        `mutation($c: ID!, $a: ID) { addCounterAllocation(counterId: $c, input: { ${input}, start: "09:00", end: "12:00" }) { agency { code } kind weekday date validFrom validTo } }`;
      const pooled = await ok<{ addCounterAllocation: Allocation }>(
        allocate('agencyId: $a, weekday: null, date: "2027-05-04", validFrom: null, validTo: null'),
        { c: counterId, a: null },
      );
      expect(pooled.data?.addCounterAllocation).toEqual({
        agency: null,
        kind: 'DATED',
        weekday: null,
        date: '2027-05-04',
        validFrom: null,
        validTo: null,
      });
      const openEnded = await ok<{ addCounterAllocation: Allocation }>(
        allocate('agencyId: $a, weekday: 2, date: null, validFrom: "2027-01-01", validTo: null'),
        { c: counterId, a: agencyId('PM') },
      );
      expect(openEnded.data?.addCounterAllocation).toEqual({
        agency: { code: 'PM' },
        kind: 'WEEKLY',
        weekday: 2,
        date: null,
        validFrom: '2027-01-01',
        validTo: null,
      });
      // Only a day's allocation can pool the time; a weekly one is always some agency's.
      await expectRefused(
        allocate('agencyId: $a, weekday: 3'),
        { c: counterId, a: null },
        'agencyId',
      );

      const exception = await ok<{ addOpeningException: { id: string; note: string } }>(
        'mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-08-17", start: "10:00", end: "12:00", note: null }) { id note } }',
        { o: orebro.id },
      );
      expect(exception.data?.addOpeningException.note).toBe('');
      await ok('mutation($id: ID!) { removeOpeningException(id: $id) }', {
        id: exception.data?.addOpeningException.id,
      });

      const office = await ok<{ createOffice: { id: string; accessibility: { note: string } } }>(
        'mutation { createOffice(input: { name: "Servicekontor Nora", streetAddress: "Prästgatan 1", postalCode: "713 80", municipality: "Nora", timeZone: "Europe/Stockholm", latitude: 59.52, longitude: 15.04, accessibility: { note: "Ramp vid entrén" } }) { id accessibility { note } } }',
      );
      expect(office.data?.createOffice.accessibility.note).toBe('Ramp vid entrén');
      const noNote = await ok<{
        updateOffice: { accessibility: { note: string; stepFreeAccess: boolean } };
      }>(
        'mutation($id: ID!) { updateOffice(id: $id, input: { accessibility: { stepFreeAccess: true, note: null } }) { accessibility { note stepFreeAccess } } }',
        { id: office.data?.createOffice.id },
      );
      expect(noNote.data?.updateOffice.accessibility).toEqual({ note: '', stepFreeAccess: true });

      type Member = {
        id: string;
        offices: Array<{ officeAdmin: boolean }>;
        competences: Array<{ agency: { code: string }; service: { code: string } | null }>;
      };
      const member = await ok<{ createStaffMember: Member }>(
        'mutation($o: ID!, $a: ID!) { createStaffMember(input: { name: "Nora Nilsson", subject: null, offices: [{ officeId: $o, officeAdmin: null }], competences: [{ agencyId: $a, serviceId: null }] }) { id offices { officeAdmin } competences { agency { code } service { code } } } }',
        { o: orebro.id, a: agencyId('FK') },
      );
      const staffId = member.data?.createStaffMember.id as string;
      expect(member.data?.createStaffMember).toEqual({
        id: staffId,
        offices: [{ officeAdmin: false }],
        competences: [{ agency: { code: 'FK' }, service: null }],
      });
      const shift = await ok<{ addShift: { validFrom: string | null; validTo: string | null } }>(
        'mutation($s: ID!, $o: ID!) { addShift(staffId: $s, input: { officeId: $o, weekday: 4, start: "12:00", end: "16:00", validFrom: null, validTo: null }) { validFrom validTo } }',
        { s: staffId, o: orebro.id },
      );
      expect(shift.data?.addShift).toEqual({ validFrom: null, validTo: null });
      const absence = await ok<{ addAbsence: { reason: string } }>(
        'mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-04-06T09:00:00+02:00", end: "2027-04-06T12:00:00+02:00", reason: null }) { reason } }',
        { s: staffId },
      );
      expect(absence.data?.addAbsence.reason).toBe('');

      // The sign-in is linked, then unlinked again with null.
      const subjectOf = async () => {
        const client = new Client({ connectionString: stack.databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT subject FROM directory.staff WHERE id = $1', [
            staffId,
          ]);
          return rows[0]?.subject as string | null;
        } finally {
          await client.end();
        }
      };
      const setSubject =
        'mutation($s: ID!, $v: String) { updateStaffMember(id: $s, input: { subject: $v }) { id } }';
      await ok(setSubject, { s: staffId, v: 'nora-nilsson' });
      expect(await subjectOf()).toBe('nora-nilsson');
      await ok(setSubject, { s: staffId, v: null });
      expect(await subjectOf()).toBeNull();
    });
  });

  describe('bad input is refused with BAD_USER_INPUT naming the field, and nothing is stored', () => {
    const officeInput = (timeZone: string) =>
      `mutation { createOffice(input: { name: "X", streetAddress: "Y 1", postalCode: "111 11", municipality: "Z", timeZone: "${timeZone}", latitude: 59, longitude: 15 }) { id } }`;

    it('an unknown time zone', async () => {
      await expectRefused(officeInput('Europe/Stokholm'), {}, 'timeZone');
      await expectRefused(
        'mutation($id: ID!) { updateOffice(id: $id, input: { timeZone: "CET+1" }) { id } }',
        { id: orebro.id },
        'timeZone',
      );
    });

    it('an end before its start', async () => {
      await expectRefused(
        'mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-05-05", start: "14:00", end: "10:00" }) { id } }',
        { o: orebro.id },
        'end',
      );
      await expectRefused(
        'mutation($o: ID!) { addClosure(officeId: $o, input: { from: "2027-05-05", to: "2027-05-04", reason: "Strejk" }) { id } }',
        { o: orebro.id },
        'to',
      );
      await expectRefused(
        'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 2, start: "12:00", end: "09:00" }) { id } }',
        { c: orebro.counters[0]?.id, a: agencyId('FK') },
        'end',
      );
      await expectRefused(
        'mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-03-30T16:00:00+02:00", end: "2027-03-30T09:00:00+02:00" }) { id } }',
        { s: orebro.staff[0]?.id },
        'end',
      );
      await expectRefused(
        'mutation($o: ID!) { setWeeklyOpeningHours(officeId: $o, hours: [{ weekday: 1, start: "16:00", end: "09:00" }]) { id } }',
        { o: orebro.id },
        'end',
      );
    });

    it('overlapping allocations on one counter', async () => {
      // Demo: Disk 5 in Örebro is Försäkringskassan's Monday to Wednesday 09:00–12:00.
      const disk5 = orebro.counters.find((c) => c.name === 'Disk 5')?.id;
      await expectRefused(
        'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 1, start: "11:00", end: "13:00" }) { id } }',
        { c: disk5, a: agencyId('SKV') },
        'start',
      );
    });

    it('a shift outside the opening hours', async () => {
      const response = await expectRefused(
        'mutation($s: ID!, $o: ID!) { addShift(staffId: $s, input: { officeId: $o, weekday: 6, start: "10:00", end: "14:00" }) { id } }',
        { s: orebro.staff[0]?.id, o: orebro.id },
        'start',
      );
      expect(response.errors?.[0]?.message).toMatch(/outside the office's opening hours/);
      await expectRefused(
        'mutation($s: ID!, $o: ID!) { addShift(staffId: $s, input: { officeId: $o, weekday: 1, start: "07:00", end: "12:00" }) { id } }',
        { s: orebro.staff[0]?.id, o: orebro.id },
        'start',
      );
    });

    it('a duration not positive or over 8 hours, and a horizon over 730 days', async () => {
      const service = agencies.find((a) => a.code === 'FK')?.services[0]?.id;
      const update = (input: string) =>
        `mutation($id: ID!) { updateService(id: $id, input: { ${input} }) { id } }`;
      await expectRefused(update('durationMinutes: 0'), { id: service }, 'durationMinutes');
      await expectRefused(update('durationMinutes: 481'), { id: service }, 'durationMinutes');
      await expectRefused(update('bookingHorizonDays: 731'), { id: service }, 'bookingHorizonDays');
      // Every rule of a service has a value: an explicit null is bad input, not a server error.
      for (const field of [
        'nameSv',
        'durationMinutes',
        'bufferAfterMinutes',
        'slotGranularityMinutes',
        'minimumNoticeMinutes',
        'bookingHorizonDays',
        'needsPrivateRoom',
        'nameEn',
        'languages',
        'documentsSv',
        'documentsEn',
        'maxActiveBookingsPerCitizen',
      ]) {
        await expectRefused(update(`${field}: null`), { id: service }, field);
      }
      await expectRefused(
        'mutation($a: ID!) { createService(input: { agencyId: $a, code: "long", nameSv: "Lång", nameEn: "Long", durationMinutes: 600 }) { id } }',
        { a: agencyId('FK') },
        'durationMinutes',
      );
    });

    it('party rules out of range, and a largest party longer than any visit may be', async () => {
      const skv = agencies.find((a) => a.code === 'SKV');
      const idCard = skv?.services.find((s) => s.code === 'id-card')?.id;
      const moveToSweden = skv?.services.find((s) => s.code === 'move-to-sweden')?.id;
      const update = (input: string) =>
        `mutation($id: ID!) { updateService(id: $id, input: { ${input} }) { id } }`;
      for (const value of ['-1', '121', 'null'])
        await expectRefused(
          update(`perPersonMinutes: ${value}`),
          { id: idCard },
          'perPersonMinutes',
        );
      for (const value of ['0', '11', 'null'])
        await expectRefused(update(`maxPartySize: ${value}`), { id: idCard }, 'maxPartySize');
      await expectRefused(
        update('perPersonMinutes: 20, maxPartySize: 11'),
        { id: idCard },
        'maxPartySize',
      );
      await expectRefused(
        'mutation($a: ID!) { createService(input: { agencyId: $a, code: "crowd", nameSv: "Alla", nameEn: "Everyone", durationMinutes: 15, maxPartySize: 11 }) { id } }',
        { a: agencyId('SKV') },
        'maxPartySize',
      );
      // Each rule in range, but the largest party would need more than 8 hours. Demo: the ID
      // card takes 15 minutes, a move to Sweden 30 with 10 more for each of up to 5 more people.
      await expectRefused(
        update('perPersonMinutes: 120, maxPartySize: 5'), // 15 + 4 × 120 = 495
        { id: idCard },
        'maxPartySize',
      );
      await expectRefused(
        update('perPersonMinutes: 100'), // 30 + 5 × 100 = 530
        { id: moveToSweden },
        'perPersonMinutes',
      );
      await expectRefused(
        update('durationMinutes: 440'), // 440 + 5 × 10 = 490
        { id: moveToSweden },
        'durationMinutes',
      );
      const unchanged = await ok<{
        id: { perPersonMinutes: number; maxPartySize: number };
        move: { perPersonMinutes: number; maxPartySize: number; durationMinutes: number };
      }>(
        'query($i: ID!, $m: ID!) { id: service(id: $i) { perPersonMinutes maxPartySize } move: service(id: $m) { perPersonMinutes maxPartySize durationMinutes } }',
        { i: idCard, m: moveToSweden },
      );
      expect(unchanged.data).toEqual({
        id: { perPersonMinutes: 10, maxPartySize: 4 },
        move: { perPersonMinutes: 10, maxPartySize: 6, durationMinutes: 30 },
      });
    });

    it("an agency's limit of active bookings per citizen: out of 1..50 or not a whole number", async () => {
      const literal = (value: string) =>
        `mutation($id: ID!) { updateAgency(id: $id, input: { maxActiveBookingsPerCitizen: ${value} }) { id } }`;
      for (const value of ['0', '-1', '51', '1000000000', 'null'])
        await expectRefused(literal(value), { id: agencyId('FK') }, 'maxActiveBookingsPerCitizen');
      const nulled = await run(literal('null'), { id: agencyId('FK') });
      expect(nulled.errors?.[0]?.message).toBe(
        "maxActiveBookingsPerCitizen: a whole number from 1 to 50 active bookings per citizen across the agency's services.",
      );
      const variable =
        'mutation($id: ID!, $n: Int) { updateAgency(id: $id, input: { maxActiveBookingsPerCitizen: $n }) { id } }';
      for (const n of [0, -1, 1e9])
        await expectRefused(variable, { id: agencyId('FK'), n }, 'maxActiveBookingsPerCitizen');
      // Not a whole number: the GraphQL type Int refuses it before the directory sees it (as a
      // literal in the query it is a malformed query; as a variable, bad input naming it).
      const before = await schemaFingerprint(stack.databaseUrl, 'directory');
      for (const value of ['2.5', '1e9', '"3"'])
        expect(errorCodes(await run(literal(value), { id: agencyId('FK') }))).toEqual([
          'GRAPHQL_VALIDATION_FAILED',
        ]);
      for (const n of ['3', 2.5, 2 ** 31]) {
        const response = await run(variable, { id: agencyId('FK'), n });
        expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors?.[0]?.message).toMatch(/^Variable "\$n" got invalid value/);
      }
      expect(await schemaFingerprint(stack.databaseUrl, 'directory')).toEqual(before);
      await expectRefused(
        'mutation { createAgency(input: { code: "LIM", name: "Gränslös", level: STATE, maxActiveBookingsPerCitizen: 0 }) { id } }',
        {},
        'maxActiveBookingsPerCitizen',
      );
      const unchanged = await ok<{ agency: { maxActiveBookingsPerCitizen: number } }>(
        'query($id: ID!) { agency(id: $id) { maxActiveBookingsPerCitizen } }',
        { id: agencyId('FK') },
      );
      expect(unchanged.data?.agency.maxActiveBookingsPerCitizen).toBe(3);
      // In range: set, read back, and as scheduling reads it; then back to the demo's value.
      const set = await ok<{ updateAgency: { maxActiveBookingsPerCitizen: number } }>(
        literal('50').replace('{ id }', '{ maxActiveBookingsPerCitizen }'),
        { id: agencyId('FK') },
      );
      expect(set.data?.updateAgency.maxActiveBookingsPerCitizen).toBe(50);
      expect(
        await stack.sql(
          'SELECT max_active_bookings FROM directory.published_agency WHERE agency_id = $1',
          [agencyId('FK')],
        ),
      ).toEqual([{ max_active_bookings: 50 }]);
      await ok(literal('3'), { id: agencyId('FK') });
      // Only an admin sets it.
      const staff = await stack.tokenFor({
        role: 'staff',
        subject: 'limit-staff',
        offices: [orebro.id],
        adminOffices: [orebro.id],
        competences: [],
      });
      const refused = await run(literal('10'), { id: agencyId('FK') }, staff);
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    });

    describe('an explicit null for a field that must have a value', () => {
      // Leaving a field out keeps its value; null would clear a value the directory cannot do
      // without, so it is refused like any other bad value, not left to fail in the database.
      it('agencies', async () => {
        for (const field of ['name', 'level', 'maxActiveBookingsPerCitizen'])
          await expectRefused(
            `mutation($id: ID!) { updateAgency(id: $id, input: { ${field}: null }) { id } }`,
            { id: agencyId('FK') },
            field,
          );
      });

      it('services', async () => {
        for (const field of [
          'bufferAfterMinutes',
          'slotGranularityMinutes',
          'minimumNoticeMinutes',
          'bookingHorizonDays',
          'needsPrivateRoom',
          'languages',
          'documentsSv',
          'documentsEn',
          'maxActiveBookingsPerCitizen',
          'perPersonMinutes',
          'maxPartySize',
        ])
          await expectRefused(
            `mutation($a: ID!) { createService(input: { agencyId: $a, code: "nulls", nameSv: "Tomt", nameEn: "Empty", durationMinutes: 15, ${field}: null }) { id } }`,
            { a: agencyId('FK') },
            field,
          );
      });

      it('offices', async () => {
        for (const field of ['eveClosingTime', 'accessibility'])
          await expectRefused(
            `mutation { createOffice(input: { name: "X", streetAddress: "Y 1", postalCode: "111 11", municipality: "Z", timeZone: "Europe/Stockholm", latitude: 59, longitude: 15, ${field}: null }) { id } }`,
            {},
            field,
          );
        const update = (input: string) =>
          `mutation($id: ID!) { updateOffice(id: $id, input: { ${input} }) { id } }`;
        for (const field of [
          'name',
          'streetAddress',
          'postalCode',
          'municipality',
          'timeZone',
          'latitude',
          'longitude',
          'accessibility',
          'eveClosingTime',
        ])
          await expectRefused(update(`${field}: null`), { id: orebro.id }, field);
        for (const field of [
          'stepFreeAccess',
          'accessibleToilet',
          'hearingLoop',
          'accessibleParking',
        ])
          await expectRefused(
            update(`accessibility: { ${field}: null }`),
            { id: orebro.id },
            `accessibility.${field}`,
          );
      });

      it('counters', async () => {
        for (const field of ['privateRoom', 'accessibleDesk', 'hearingLoop', 'status'])
          await expectRefused(
            `mutation($o: ID!) { createCounter(officeId: $o, input: { name: "Disk N", ${field}: null }) { id } }`,
            { o: orebro.id },
            field,
          );
        for (const field of ['name', 'privateRoom', 'accessibleDesk', 'hearingLoop', 'status'])
          await expectRefused(
            `mutation($id: ID!) { updateCounter(id: $id, input: { ${field}: null }) { id } }`,
            { id: orebro.counters[0]?.id },
            field,
          );
      });

      it('staff', async () => {
        for (const field of ['languages', 'competences'])
          await expectRefused(
            `mutation($o: ID!) { createStaffMember(input: { name: "Nils Null", offices: [{ officeId: $o }], ${field}: null }) { id } }`,
            { o: orebro.id },
            field,
          );
        for (const field of ['name', 'languages', 'offices', 'competences'])
          await expectRefused(
            `mutation($id: ID!) { updateStaffMember(id: $id, input: { ${field}: null }) { id } }`,
            { id: orebro.staff[0]?.id },
            field,
          );
      });
    });

    it('an agency that does not take part in the office', async () => {
      // Hallsberg has no Arbetsförmedlingen.
      const afService = agencies.find((a) => a.code === 'AF')?.services[0]?.id;
      await expectRefused(
        'mutation($o: ID!, $s: ID!) { offerService(officeId: $o, serviceId: $s) { id } }',
        { o: hallsberg.id, s: afService },
        'serviceId',
      );
      await expectRefused(
        'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 5, start: "09:00", end: "10:00" }) { id } }',
        { c: hallsberg.counters[0]?.id, a: agencyId('AF') },
        'agencyId',
      );
    });

    it('a duplicate code', async () => {
      await expectRefused(
        'mutation { createAgency(input: { code: "FK", name: "Försäkringskassan 2", level: STATE }) { id } }',
        {},
        'code',
      );
      await expectRefused(
        'mutation($a: ID!) { createService(input: { agencyId: $a, code: "id-card", nameSv: "Id-kort igen", nameEn: "ID card again", durationMinutes: 15 }) { id } }',
        { a: agencyId('SKV') },
        'code',
      );
    });

    it('a competence listed twice', async () => {
      const fk = agencyId('FK');
      const parental = agencies
        .find((a) => a.code === 'FK')
        ?.services.find((s) => s.code === 'parental-benefit')?.id;
      const create =
        'mutation($o: ID!, $c: [CompetenceInput!]!) { createStaffMember(input: { name: "Dubbel Dubbelsson", offices: [{ officeId: $o }], competences: $c }) { id } }';
      const update =
        'mutation($id: ID!, $c: [CompetenceInput!]!) { updateStaffMember(id: $id, input: { competences: $c }) { id } }';
      const twiceTheAgency = [{ agencyId: fk }, { agencyId: fk, serviceId: null }];
      const twiceTheService = [
        { agencyId: fk, serviceId: parental },
        { agencyId: fk, serviceId: parental },
      ];
      for (const competences of [twiceTheAgency, twiceTheService]) {
        await expectRefused(create, { o: orebro.id, c: competences }, 'competences');
        await expectRefused(update, { id: orebro.staff[0]?.id, c: competences }, 'competences');
      }
    });

    it('a retired counter brought back into use', async () => {
      const created = await ok<{ createCounter: { id: string } }>(
        'mutation($o: ID!) { createCounter(officeId: $o, input: { name: "Disk 11" }) { id } }',
        { o: orebro.id },
      );
      const id = created.data?.createCounter.id as string;
      await ok('mutation($c: ID!) { retireCounter(id: $c) { status } }', { c: id });
      for (const status of ['ACTIVE', 'OUT_OF_ORDER']) {
        const response = await expectRefused(
          `mutation($c: ID!) { updateCounter(id: $c, input: { status: ${status} }) { status } }`,
          { c: id },
          'status',
        );
        expect(response.errors?.[0]?.message).toMatch(/retired/);
      }
      // The database holds to it too, whoever writes the row.
      await expect(
        stack.sql(`UPDATE directory.counter SET status = 'ACTIVE' WHERE id = $1`, [id]),
      ).rejects.toMatchObject({ constraint: 'ck_counter_retired_final' });
      // Retiring is final, but the counter keeps its name and features for history.
      const renamed = await ok<{ updateCounter: { name: string; status: string } }>(
        'mutation($c: ID!) { updateCounter(id: $c, input: { name: "Disk 11 (borttagen)" }) { name status } }',
        { c: id },
      );
      expect(renamed.data?.updateCounter).toEqual({
        name: 'Disk 11 (borttagen)',
        status: 'RETIRED',
      });
    });

    it('an unknown language code', async () => {
      const service = agencies.find((a) => a.code === 'FK')?.services[0]?.id;
      await expectRefused(
        'mutation($id: ID!) { updateService(id: $id, input: { languages: ["sv", "xx"] }) { id } }',
        { id: service },
        'languages',
      );
    });
  });
});
