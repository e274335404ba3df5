import {
  errorCodes,
  startTestStack,
  type GraphQLResponse,
  type TestStack,
  syntheticPersonnummer,
} from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const personnummer = (n: number): string => syntheticPersonnummer(n, 1980);

interface Slot {
  start: string;
  end: string;
  capacity: number;
}

interface Appointment {
  id: string;
  reference: string;
  status: string;
  start: string;
  end: string;
  channel: string;
  office: { id: string; name?: string };
  service: { id: string; name?: string };
}

const SLOTS = `query($o: ID!, $s: ID!, $from: Date!, $to: Date!, $language: String, $needs: [VisitNeed!]) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to, language: $language, needs: $needs) { start end capacity } }`;
const BOOK = `mutation($input: BookAppointmentInput!) {
  bookAppointment(input: $input) { id reference status start end channel office { id name } service { id name } } }`;
const BY_REFERENCE = `query($r: String!, $p: String, $e: String) {
  appointmentByReference(reference: $r, personnummer: $p, email: $e) { id reference status start } }`;
const CANCEL = `mutation($r: String!, $p: String, $e: String) { cancelAppointment(reference: $r, personnummer: $p, email: $e) { id status } }`;
const RESCHEDULE = `mutation($r: String!, $p: String, $e: String, $start: DateTime!) {
  rescheduleAppointment(reference: $r, personnummer: $p, email: $e, start: $start) { id status start } }`;

describe('availability and booking through the gateway', () => {
  let stack: TestStack;
  let orebro: {
    id: string;
    services: Array<{ id: string; code: string; agency: { code: string } }>;
  };
  let hallsberg: {
    id: string;
    services: Array<{ id: string; code: string; agency: { code: string } }>;
  };
  let taxHelp: string;
  let idCard: string;
  let moveToSweden: string;
  let person = 0;

  const service = (office: typeof orebro, code: string) =>
    office.services.find((s) => s.code === code)?.id as string;
  const slots = async (variables: Record<string, unknown>) =>
    stack.query<{ availableSlots: Slot[] }>(SLOTS, variables);
  const book = (input: Record<string, unknown>, token?: string) =>
    stack.query<{ bookAppointment: Appointment }>(BOOK, { input }, token ? { token } : {});
  const citizen = (extra: Record<string, unknown> = {}) => ({
    personnummer: personnummer(++person),
    name: 'Test Person',
    ...extra,
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    stack.sql<T>(text, params);

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    const response = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
    }>('{ offices { id municipality services { id code agency { code } } } }');
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    hallsberg = response.data?.offices.find((o) => o.municipality === 'Hallsberg') as typeof orebro;
    taxHelp = service(orebro, 'tax-return-help');
    idCard = service(orebro, 'id-card');
    moveToSweden = service(orebro, 'move-to-sweden');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('availableSlots', () => {
    it('lists free starts in local time across Easter and the change to summer time', async () => {
      const response = await slots({
        o: orebro.id,
        s: taxHelp,
        from: '2027-03-24',
        to: '2027-03-31',
      });
      expect(response.errors).toBeUndefined();
      const list = response.data?.availableSlots ?? [];
      const days = new Set(list.map((slot) => slot.start.slice(0, 10)));
      // Open: Wed 24, Skärtorsdagen 25 (until 13:00), Tue 30, Wed 31. Closed: Långfredagen, weekend, Annandag påsk.
      expect([...days].sort()).toEqual(['2027-03-24', '2027-03-25', '2027-03-30', '2027-03-31']);
      expect(list.find((s) => s.start.startsWith('2027-03-24'))?.start).toBe(
        '2027-03-24T09:00:00+01:00',
      );
      expect(list.find((s) => s.start.startsWith('2027-03-30'))?.start).toBe(
        '2027-03-30T09:00:00+02:00',
      );
      const eve = list.filter((s) => s.start.startsWith('2027-03-25'));
      expect(eve.every((s) => s.end <= '2027-03-25T13:00:00+01:00')).toBe(true);
      // 20-minute visits on a 15-minute grid: the last one starts 12:30 and ends before 13:00.
      expect(eve.at(-1)).toMatchObject({
        start: '2027-03-25T12:30:00+01:00',
        end: '2027-03-25T12:50:00+01:00',
      });
      for (const slot of list) {
        expect(slot.capacity).toBeGreaterThan(0);
        expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(20 * 60_000);
      }
    });

    it('respects the minimum notice, the horizon and the grid', async () => {
      const today =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-01', to: '2027-03-01' })).data
          ?.availableSlots ?? [];
      // Now is 08:00 and the notice two hours: the first start is 10:00.
      expect(today[0]?.start).toBe('2027-03-01T10:00:00+01:00');
      const starts = today.map((s) => s.start.slice(11, 16));
      expect(starts.every((t) => ['00', '15', '30', '45'].includes(t.slice(3)))).toBe(true);
      // id-card has a 90-day horizon: nothing on 1 June.
      const far = await slots({ o: orebro.id, s: idCard, from: '2027-06-01', to: '2027-06-01' });
      expect(far.data?.availableSlots).toEqual([]);
    });

    it('narrows by language and needs', async () => {
      const all =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-02', to: '2027-03-02' })).data
          ?.availableSlots ?? [];
      const finnish =
        (
          await slots({
            o: orebro.id,
            s: taxHelp,
            from: '2027-03-02',
            to: '2027-03-02',
            language: 'fi',
          })
        ).data?.availableSlots ?? [];
      // In Örebro only Karin speaks Finnish, and she is not trained for Skatteverket's tax help.
      expect(all.length).toBeGreaterThan(0);
      expect(finnish).toEqual([]);
      const wheelchair =
        (
          await slots({
            o: orebro.id,
            s: taxHelp,
            from: '2027-03-02',
            to: '2027-03-02',
            needs: ['WHEELCHAIR_ACCESS'],
          })
        ).data?.availableSlots ?? [];
      expect(wheelchair.length).toBeGreaterThan(0);
      expect(Math.max(...wheelchair.map((s) => s.capacity))).toBeLessThanOrEqual(3); // Disk 1, Disk 2, Samtalsrum
      const longer =
        (
          await slots({
            o: orebro.id,
            s: taxHelp,
            from: '2027-03-02',
            to: '2027-03-02',
            needs: ['EXTRA_TIME'],
          })
        ).data?.availableSlots ?? [];
      expect(Date.parse(longer[0]?.end as string) - Date.parse(longer[0]?.start as string)).toBe(
        30 * 60_000,
      );
    });

    it.each([
      [{ from: '2027-03-05', to: '2027-03-04' }, 'BAD_USER_INPUT'],
      [{ from: '2027-03-01', to: '2027-05-15' }, 'BAD_USER_INPUT'],
      [{ from: '2027-13-01', to: '2027-13-02' }, 'BAD_USER_INPUT'],
      [{ language: 'xx' }, 'BAD_USER_INPUT'],
      [{ needs: ['JETPACK'] }, 'BAD_USER_INPUT'],
      [{ o: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
      [{ s: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
    ])('refuses %p with %s', async (change, code) => {
      const response = await slots({
        o: orebro.id,
        s: taxHelp,
        from: '2027-03-02',
        to: '2027-03-03',
        ...change,
      });
      expect(errorCodes(response)).toEqual([code]);
    });

    it('refuses a service the office does not offer with BAD_USER_INPUT', async () => {
      const afService = orebro.services.find((s) => s.agency.code === 'AF')?.id;
      const response = await slots({
        o: hallsberg.id,
        s: afService,
        from: '2027-03-02',
        to: '2027-03-03',
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('bookAppointment and managing a booking', () => {
    it('books, finds by reference with either form of the number, and cancels (the time is free again)', async () => {
      const who = citizen();
      const before =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-03', to: '2027-03-03' })).data
          ?.availableSlots ?? [];
      const target = before[0] as Slot;
      const booked = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: target.start,
        citizen: who,
      });
      expect(booked.errors).toBeUndefined();
      const appointment = booked.data?.bookAppointment as Appointment;
      expect(appointment).toMatchObject({ status: 'BOOKED', start: target.start, channel: 'WEB' });
      expect(appointment.reference).toMatch(/^[ACDEFGHJKMNPQRTUVWXY345679]{8}$/);
      expect(appointment.office.name).toBe('Servicekontor Örebro centrum');
      expect(appointment.service.name).toBe('Hjälp med inkomstdeklarationen');

      const after =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-03', to: '2027-03-03' })).data
          ?.availableSlots ?? [];
      expect(after.find((s) => s.start === target.start)?.capacity ?? 0).toBe(target.capacity - 1);

      const tenDigit = who.personnummer.slice(2);
      for (const p of [who.personnummer, tenDigit, who.personnummer.replace('-', '')]) {
        const found = await stack.query<{ appointmentByReference: Appointment | null }>(
          BY_REFERENCE,
          { r: appointment.reference.toLowerCase(), p },
        );
        expect(found.data?.appointmentByReference?.id).toBe(appointment.id);
      }
      const cancelled = await stack.query<{ cancelAppointment: Appointment }>(CANCEL, {
        r: appointment.reference,
        p: tenDigit,
      });
      expect(cancelled.data?.cancelAppointment.status).toBe('CANCELLED');
      const freed =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-03', to: '2027-03-03' })).data
          ?.availableSlots ?? [];
      expect(freed.find((s) => s.start === target.start)?.capacity).toBe(target.capacity);
      const events = await sql<{ type: string; earliest: Date | null }>(
        'SELECT type, earliest_free_start AS earliest FROM scheduling.appointment_event WHERE appointment_id = $1 ORDER BY occurred_at',
        [appointment.id],
      );
      expect(events.map((e) => e.type)).toEqual(['BOOKED', 'CANCELLED']);
      expect(events[0]?.earliest).not.toBeNull();
    });

    it('answers a wrong number, an unknown and a malformed reference all with null; cancel with NOT_FOUND', async () => {
      const who = citizen();
      const target = ((
        await slots({ o: orebro.id, s: taxHelp, from: '2027-03-04', to: '2027-03-04' })
      ).data?.availableSlots ?? [])[0] as Slot;
      const appointment = (
        await book({ officeId: orebro.id, serviceId: taxHelp, start: target.start, citizen: who })
      ).data?.bookAppointment as Appointment;
      const someoneElse = personnummer(9999);
      for (const variables of [
        { r: appointment.reference, p: someoneElse },
        { r: 'ACDEFGHJ', p: who.personnummer },
        { r: 'not a reference!', p: who.personnummer },
        { r: appointment.reference, p: '19121212-1213' },
        { r: appointment.reference },
      ]) {
        const response = await stack.query<{ appointmentByReference: null }>(
          BY_REFERENCE,
          variables,
        );
        expect(response.errors).toBeUndefined();
        expect(response.data?.appointmentByReference).toBeNull();
        const cancel = await stack.query(CANCEL, variables);
        expect(errorCodes(cancel)).toEqual(['NOT_FOUND']);
        expect(cancel.errors?.[0]?.message).toBe(
          (await stack.query(CANCEL, { r: 'ACDEFGHJ', p: someoneElse })).errors?.[0]?.message,
        );
      }
    });

    it('reschedules atomically: a free new time moves it, a full or closed one keeps the old time', async () => {
      const who = citizen();
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-05', to: '2027-03-05' })).data
          ?.availableSlots ?? [];
      const appointment = (
        await book({ officeId: orebro.id, serviceId: taxHelp, start: day[0]?.start, citizen: who })
      ).data?.bookAppointment as Appointment;
      const moved = await stack.query<{ rescheduleAppointment: Appointment }>(RESCHEDULE, {
        r: appointment.reference,
        p: who.personnummer,
        start: day[2]?.start,
      });
      expect(moved.data?.rescheduleAppointment).toMatchObject({
        id: appointment.id,
        start: day[2]?.start,
        status: 'BOOKED',
      });
      const closed = await stack.query(RESCHEDULE, {
        r: appointment.reference,
        p: who.personnummer,
        start: '2027-03-26T10:00:00+01:00',
      });
      expect(errorCodes(closed)).toEqual(['SLOT_UNAVAILABLE']);
      const still = await stack.query<{ appointmentByReference: Appointment }>(BY_REFERENCE, {
        r: appointment.reference,
        p: who.personnummer,
      });
      expect(still.data?.appointmentByReference.start).toBe(day[2]?.start);
    });

    it('limits active bookings per citizen and service, and a citizen cannot be in two visits at once', async () => {
      const who = citizen();
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-08', to: '2027-03-08' })).data
          ?.availableSlots ?? [];
      expect(
        (
          await book({
            officeId: orebro.id,
            serviceId: taxHelp,
            start: day[0]?.start,
            citizen: who,
          })
        ).errors,
      ).toBeUndefined();
      const second = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: day[8]?.start,
        citizen: who,
      });
      expect(errorCodes(second)).toEqual(['LIMIT_REACHED']);
      const overlapping = await book({
        officeId: orebro.id,
        serviceId: idCard,
        start: day[0]?.start,
        citizen: who,
      });
      expect(errorCodes(overlapping)).toEqual(['SLOT_UNAVAILABLE']);
    });

    it('lets a visitor without an identity number book with birth date and e-mail, and manage it with the e-mail', async () => {
      const visitor = {
        birthDate: '1991-04-12',
        email: 'Nadia.K@example.org',
        name: 'Nadia K',
        language: 'en',
      };
      const day =
        (await slots({ o: orebro.id, s: moveToSweden, from: '2027-03-09', to: '2027-03-09' })).data
          ?.availableSlots ?? [];
      const booked = await book({
        officeId: orebro.id,
        serviceId: moveToSweden,
        start: day[0]?.start,
        citizen: visitor,
      });
      expect(booked.errors).toBeUndefined();
      const reference = booked.data?.bookAppointment.reference as string;
      const again = await book({
        officeId: orebro.id,
        serviceId: moveToSweden,
        start: day[6]?.start,
        citizen: { ...visitor, email: 'nadia.k@EXAMPLE.org' },
      });
      expect(errorCodes(again)).toEqual(['LIMIT_REACHED']);
      expect(
        (
          await stack.query<{ appointmentByReference: Appointment | null }>(BY_REFERENCE, {
            r: reference,
            e: 'other@example.org',
          })
        ).data?.appointmentByReference,
      ).toBeNull();
      const found = await stack.query<{ appointmentByReference: Appointment }>(BY_REFERENCE, {
        r: reference,
        e: 'nadia.k@example.org',
      });
      expect(found.data?.appointmentByReference.reference).toBe(reference);
      expect(
        (
          await stack.query<{ cancelAppointment: Appointment }>(CANCEL, {
            r: reference,
            e: 'NADIA.K@example.org',
          })
        ).data?.cancelAppointment.status,
      ).toBe('CANCELLED');
    });

    it('lets staff of the office book for a citizen at the desk or on the phone, and records it', async () => {
      const staff = await stack.tokenFor({
        role: 'staff',
        subject: 'demo-anna-lindqvist',
        offices: [orebro.id],
        adminOffices: [],
        competences: [],
      });
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-10', to: '2027-03-10' })).data
          ?.availableSlots ?? [];
      const booked = await book(
        {
          officeId: orebro.id,
          serviceId: taxHelp,
          start: day[0]?.start,
          citizen: citizen(),
          channel: 'PHONE',
        },
        staff,
      );
      expect(booked.data?.bookAppointment.channel).toBe('PHONE');
      const [row] = await sql<{
        booked_by_role: string;
        booked_by_subject: string;
        channel: string;
      }>(
        'SELECT booked_by_role, booked_by_subject, channel FROM scheduling.appointment WHERE id = $1',
        [booked.data?.bookAppointment.id],
      );
      expect(row).toEqual({
        booked_by_role: 'STAFF',
        booked_by_subject: 'demo-anna-lindqvist',
        channel: 'PHONE',
      });
      const other = await stack.tokenFor({
        role: 'staff',
        subject: 'x',
        offices: [hallsberg.id],
        adminOffices: [],
        competences: [],
      });
      expect(
        errorCodes(
          await book(
            { officeId: orebro.id, serviceId: taxHelp, start: day[1]?.start, citizen: citizen() },
            other,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    });

    it.each([
      [
        'an invalid identity number',
        { citizen: { personnummer: '19121212-1213', name: 'X' } },
        'BAD_USER_INPUT',
      ],
      [
        'neither identity number nor birth date and e-mail',
        { citizen: { name: 'X', email: 'x@example.org' } },
        'BAD_USER_INPUT',
      ],
      ['a malformed start', { start: '2027-03-11 09:00' }, 'BAD_USER_INPUT'],
      ['a start off the grid', { start: '2027-03-11T09:07:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['a start when closed', { start: '2027-03-13T10:00:00+01:00' }, 'SLOT_UNAVAILABLE'],
      [
        'a start inside the minimum notice',
        { start: '2027-03-01T09:00:00+01:00' },
        'SLOT_UNAVAILABLE',
      ],
      ['a start beyond the horizon', { start: '2028-03-14T09:00:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['an unknown office', { officeId: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
      [
        'an unknown language',
        { citizen: { personnummer: '19121212-1212', name: 'X', language: 'xx' } },
        'BAD_USER_INPUT',
      ],
    ])('refuses %s with %s, writing nothing', async (_label, change, code) => {
      const before = await sql<{ count: string }>('SELECT count(*) FROM scheduling.appointment');
      const response: GraphQLResponse = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: '2027-03-11T09:00:00+01:00',
        citizen: citizen(),
        ...change,
      });
      expect(errorCodes(response)).toEqual([code]);
      expect(await sql('SELECT count(*) FROM scheduling.appointment')).toEqual(before);
    });

    it('refuses to change a booking that has passed with CONFLICT', async () => {
      const who = citizen();
      const [{ id }] = await sql<{ id: string }>(
        `INSERT INTO scheduling.appointment (office_id, agency_id, service_id, counter_id, staff_id, citizen_key, reference, status, starts_at, ends_at, busy_until, channel, booked_by_role)
         SELECT $1, gen_random_uuid(), $2, gen_random_uuid(), gen_random_uuid(), 'placeholder', 'PPPPPPPP', 'BOOKED', '2027-02-01T09:00:00+01:00', '2027-02-01T09:20:00+01:00', '2027-02-01T09:25:00+01:00', 'WEB', 'CITIZEN' RETURNING id`,
        [orebro.id, taxHelp],
      );
      // Give the row the citizen's keyed hash by booking-and-copying: book a real visit, then reuse its key.
      const real = (
        await book({
          officeId: orebro.id,
          serviceId: idCard,
          start: '2027-03-12T10:00:00+01:00',
          citizen: who,
        })
      ).data?.bookAppointment as Appointment;
      await sql(
        `UPDATE scheduling.appointment SET citizen_key = (SELECT citizen_key FROM scheduling.appointment WHERE id = $2) WHERE id = $1`,
        [id, real.id],
      );
      expect(errorCodes(await stack.query(CANCEL, { r: 'PPPPPPPP', p: who.personnummer }))).toEqual(
        ['CONFLICT'],
      );
      expect(
        errorCodes(
          await stack.query(RESCHEDULE, {
            r: 'PPPPPPPP',
            p: who.personnummer,
            start: '2027-03-12T11:00:00+01:00',
          }),
        ),
      ).toEqual(['CONFLICT']);
    });
  });

  describe('staff and agency reads', () => {
    const SCHEDULE = `query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference status start agency citizenName channel service { name } } }`;
    const AGENCY = `query($from: Date!, $to: Date!, $first: Int, $after: String) {
      agencyAppointments(from: $from, to: $to, first: $first, after: $after) { items { reference start citizenName service { name } office { name } } nextCursor } }`;

    it("shows staff their office's day, with names only for agencies they are trained for", async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-22', to: '2027-03-22' })).data
          ?.availableSlots ?? [];
      const pnr = personnummer(7000);
      const booked = (
        await book({
          officeId: orebro.id,
          serviceId: taxHelp,
          start: day[0]?.start,
          citizen: { personnummer: pnr, name: 'Greta Garbo' },
        })
      ).data?.bookAppointment as Appointment;
      const skvStaff = await stack.tokenFor({
        role: 'staff',
        subject: 's1',
        offices: [orebro.id],
        adminOffices: [],
        competences: ['SKV'],
      });
      const fkStaff = await stack.tokenFor({
        role: 'staff',
        subject: 's2',
        offices: [orebro.id],
        adminOffices: [],
        competences: ['FK'],
      });
      const mine = await stack.query<{
        officeSchedule: Array<{ reference: string; citizenName: string | null; agency: string }>;
      }>(SCHEDULE, { o: orebro.id, d: '2027-03-22' }, { token: skvStaff });
      expect(mine.data?.officeSchedule.find((e) => e.reference === booked.reference)).toMatchObject(
        { agency: 'SKV', citizenName: 'Greta Garbo' },
      );
      const theirs = await stack.query<{
        officeSchedule: Array<{ reference: string; citizenName: string | null }>;
      }>(SCHEDULE, { o: orebro.id, d: '2027-03-22' }, { token: fkStaff });
      expect(
        theirs.data?.officeSchedule.find((e) => e.reference === booked.reference)?.citizenName,
      ).toBeNull();
      expect(errorCodes(await stack.query(SCHEDULE, { o: orebro.id, d: '2027-03-22' }))).toEqual([
        'UNAUTHENTICATED',
      ]);
      const elsewhere = await stack.tokenFor({
        role: 'staff',
        subject: 's3',
        offices: [hallsberg.id],
        adminOffices: [],
        competences: ['SKV'],
      });
      expect(
        errorCodes(
          await stack.query(SCHEDULE, { o: orebro.id, d: '2027-03-22' }, { token: elsewhere }),
        ),
      ).toEqual(['FORBIDDEN']);
    });

    it('shows a masked identity number (birth date only) where the name is shown, and no other number', async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-24', to: '2027-03-24' })).data
          ?.availableSlots ?? [];
      // A personnummer, a samordningsnummer (day + 60, kept as written: 19701063) written
      // with 10 digits, and a visitor without either.
      const pnr = personnummer(7100);
      const coordination = '701063-2391';
      const bookings = [
        { personnummer: pnr, name: 'Anna Andersson' },
        { personnummer: coordination, name: 'Anna Andersson' },
        { birthDate: '1990-05-17', email: 'anna.visitor@example.se', name: 'Anna Andersson' },
      ];
      const references: string[] = [];
      for (const [index, citizenInput] of bookings.entries()) {
        const booked = await book({
          officeId: orebro.id,
          serviceId: taxHelp,
          start: day[index]?.start,
          citizen: citizenInput,
        });
        expect(booked.errors).toBeUndefined();
        references.push(booked.data?.bookAppointment.reference as string);
      }
      const expected = [`${pnr.slice(0, 8)}-****`, '19701063-****', null];
      const staffToken = (competences: string[]) =>
        stack.tokenFor({
          role: 'staff',
          subject: `masking-${competences.join('-') || 'none'}`,
          offices: [orebro.id],
          adminOffices: [],
          competences,
        });
      type Entry = { reference: string; citizenName: string | null; identityNumber: string | null };
      const schedule = async (token: string) => {
        const response = await stack.query<{ officeSchedule: Entry[] }>(
          `query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference citizenName identityNumber } }`,
          { o: orebro.id, d: '2027-03-24' },
          { token },
        );
        expect(response.errors).toBeUndefined();
        return references.map((r) => response.data?.officeSchedule.find((e) => e.reference === r));
      };
      // Staff trained for the agency: name and masked number; the two Annas are told apart.
      const trained = await schedule(await staffToken(['SKV']));
      expect(trained.map((e) => e?.identityNumber)).toEqual(expected);
      expect(trained.map((e) => e?.citizenName)).toEqual(bookings.map(() => 'Anna Andersson'));
      // Staff not trained for it: neither name nor number.
      const untrained = await schedule(await staffToken(['FK']));
      expect(untrained.map((e) => [e?.citizenName, e?.identityNumber])).toEqual(
        bookings.map(() => [null, null]),
      );

      const skv = await stack.tokenFor({
        role: 'agency',
        subject: 'skv-masking',
        clientId: 'skv-api',
        agency: 'SKV',
      });
      const listed = await stack.query<{ agencyAppointments: { items: Entry[] } }>(
        'query($d: Date!) { agencyAppointments(from: $d, to: $d) { items { reference citizenName identityNumber } } }',
        { d: '2027-03-24' },
        { token: skv },
      );
      expect(listed.errors).toBeUndefined();
      expect(
        references.map(
          (r) =>
            listed.data?.agencyAppointments.items.find((i) => i.reference === r)?.identityNumber,
        ),
      ).toEqual(expected);
      // Nowhere in either answer a number in full.
      const answers = JSON.stringify([trained, untrained, listed]);
      expect(answers).not.toContain(pnr.slice(9));
      expect(answers).not.toContain('2391');
    });

    it('answers a wrongly typed variable holding a personnummer without echoing the number', async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-25', to: '2027-03-25' })).data
          ?.availableSlots ?? [];
      const pnr = personnummer(7200);
      const input = {
        officeId: orebro.id,
        serviceId: taxHelp,
        start: day[0]?.start,
        // An unknown field: graphql-js quotes the whole citizen object; a number for a String:
        // it quotes the number.
        citizen: { personnummer: Number(pnr.replace('-', '')), name: 'Greta Garbo', pnr },
      };
      const refused = await stack.query(BOOK, { input });
      expect(new Set(errorCodes(refused))).toEqual(new Set(['BAD_USER_INPUT']));
      const text = JSON.stringify(refused.errors);
      // graphql-js quotes the value it refused; the birth date stays, the last four do not.
      expect(text).toContain(`${pnr.slice(0, 8)}-****`);
      expect(text).toMatch(/got invalid value/);
      expect(text).not.toContain(pnr);
      expect(text).not.toContain(pnr.replace('-', ''));
      expect(text).not.toContain(pnr.slice(9));
      // Inline in the document (a literal the subgraph's validation refuses) too.
      const inline = await stack.query(
        `mutation { bookAppointment(input: { officeId: "${orebro.id}", serviceId: "${taxHelp}", start: "${day[0]?.start}", citizen: { personnummer: ${pnr.replace('-', '')}, name: "G" } }) { id } }`,
      );
      expect(JSON.stringify(inline.errors)).toContain(`${pnr.slice(0, 8)}-****`);
      expect(JSON.stringify(inline.errors)).not.toContain(pnr.slice(9));
    });

    it('gives an agency its own appointments only, in pages', async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-23', to: '2027-03-23' })).data
          ?.availableSlots ?? [];
      for (const slot of day.slice(0, 3)) {
        expect(
          (
            await book({
              officeId: orebro.id,
              serviceId: taxHelp,
              start: slot.start,
              citizen: citizen(),
            })
          ).errors,
        ).toBeUndefined();
      }
      const skv = await stack.tokenFor({
        role: 'agency',
        subject: 'skv',
        clientId: 'skv-api',
        agency: 'SKV',
      });
      const fk = await stack.tokenFor({
        role: 'agency',
        subject: 'fk',
        clientId: 'fk-api',
        agency: 'FK',
      });
      type Page = {
        agencyAppointments: {
          items: Array<{ reference: string; service: { name: string } }>;
          nextCursor: string | null;
        };
      };
      const first = await stack.query<Page>(
        AGENCY,
        { from: '2027-03-23', to: '2027-03-23', first: 2 },
        { token: skv },
      );
      expect(first.data?.agencyAppointments.items).toHaveLength(2);
      const second = await stack.query<Page>(
        AGENCY,
        {
          from: '2027-03-23',
          to: '2027-03-23',
          first: 2,
          after: first.data?.agencyAppointments.nextCursor,
        },
        { token: skv },
      );
      expect(second.data?.agencyAppointments.items.length).toBeGreaterThanOrEqual(1);
      const seen = [
        ...(first.data?.agencyAppointments.items ?? []),
        ...(second.data?.agencyAppointments.items ?? []),
      ];
      expect(new Set(seen.map((i) => i.reference)).size).toBe(seen.length);
      expect(seen.every((i) => i.service.name === 'Hjälp med inkomstdeklarationen')).toBe(true);
      const other = await stack.query<Page>(
        AGENCY,
        { from: '2027-03-23', to: '2027-03-23' },
        { token: fk },
      );
      expect(other.data?.agencyAppointments.items).toEqual([]);
      const staff = await stack.tokenFor({
        role: 'staff',
        subject: 's',
        offices: [orebro.id],
        adminOffices: [],
        competences: [],
      });
      expect(
        errorCodes(
          await stack.query(AGENCY, { from: '2027-03-23', to: '2027-03-23' }, { token: staff }),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(
        errorCodes(
          await stack.query(AGENCY, { from: '2027-03-01', to: '2027-06-01' }, { token: skv }),
        ),
      ).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('holds', () => {
    const HOLD = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { token start end expiresAt } }`;
    const hold = (start: string, token?: string) =>
      stack.query<{ holdSlot: { token: string; start: string; expiresAt: string } }>(
        HOLD,
        { input: { officeId: orebro.id, serviceId: taxHelp, start } },
        token ? { token } : {},
      );
    const capacityAt = async (date: string, start: string) =>
      (
        (await slots({ o: orebro.id, s: taxHelp, from: date, to: date })).data?.availableSlots ?? []
      ).find((s) => s.start === start)?.capacity ?? 0;

    it('holds a slot for HOLD_MINUTES, counts it against capacity, and turns into the booking', async () => {
      const target = ((
        await slots({ o: orebro.id, s: taxHelp, from: '2027-03-17', to: '2027-03-17' })
      ).data?.availableSlots ?? [])[2] as Slot;
      const held = await hold(target.start);
      expect(held.errors).toBeUndefined();
      expect(held.data?.holdSlot.expiresAt).toBe('2027-03-01T08:05:00+01:00');
      expect(await capacityAt('2027-03-17', target.start)).toBe(target.capacity - 1);
      const booked = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: target.start,
        citizen: citizen(),
        holdToken: held.data?.holdSlot.token,
      });
      expect(booked.errors).toBeUndefined();
      expect(await capacityAt('2027-03-17', target.start)).toBe(target.capacity - 1);
      const holds = await sql<{ count: string }>(
        `SELECT count(*) FROM scheduling.appointment WHERE id = $1`,
        [held.data?.holdSlot.token],
      );
      expect(holds[0]?.count).toBe('0');
    });

    it.each([
      ['an unknown office', { officeId: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
      ['a start off the grid', { start: '2027-03-17T09:07:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['a start when closed', { start: '2027-03-20T10:00:00+01:00' }, 'SLOT_UNAVAILABLE'],
      ['a malformed start', { start: 'tomorrow' }, 'BAD_USER_INPUT'],
      ['an unknown language', { language: 'xx' }, 'BAD_USER_INPUT'],
    ])('refuses to hold %s with %s, writing nothing', async (_label, change, code) => {
      const before = await sql('SELECT count(*) FROM scheduling.appointment');
      const response = await stack.query(HOLD, {
        input: {
          officeId: orebro.id,
          serviceId: taxHelp,
          start: '2027-03-17T09:00:00+01:00',
          ...change,
        },
      });
      expect(errorCodes(response)).toEqual([code]);
      expect(await sql('SELECT count(*) FROM scheduling.appointment')).toEqual(before);
    });

    it('allows a client only a few live holds', async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-18', to: '2027-03-18' })).data
          ?.availableSlots ?? [];
      const token = await stack.tokenFor({
        role: 'citizen',
        subject: 'holder',
        personnummer: personnummer(5000).replace('-', ''),
      });
      for (const slot of day.slice(0, 3))
        expect((await hold(slot.start, token)).errors).toBeUndefined();
      expect(errorCodes(await hold(day[3]?.start as string, token))).toEqual(['LIMIT_REACHED']);
    });

    it('ignores expired holds and removes the ones in the way when booking', async () => {
      const target = ((
        await slots({ o: orebro.id, s: taxHelp, from: '2027-03-19', to: '2027-03-19' })
      ).data?.availableSlots ?? [])[0] as Slot;
      for (let i = 0; i < target.capacity; i++) {
        const token = await stack.tokenFor({
          role: 'citizen',
          subject: `filler-${i}`,
          personnummer: personnummer(6000 + i).replace('-', ''),
        });
        expect((await hold(target.start, token)).errors).toBeUndefined();
      }
      expect(await capacityAt('2027-03-19', target.start)).toBe(0);
      expect(
        errorCodes(
          await book({
            officeId: orebro.id,
            serviceId: taxHelp,
            start: target.start,
            citizen: citizen(),
          }),
        ),
      ).toEqual(['SLOT_UNAVAILABLE']);
      await sql(
        `UPDATE scheduling.appointment SET hold_expires_at = '2027-03-01T07:00:00+01:00' WHERE status = 'HELD' AND starts_at = $1`,
        [target.start],
      );
      expect(await capacityAt('2027-03-19', target.start)).toBe(target.capacity);
      expect(
        (
          await book({
            officeId: orebro.id,
            serviceId: taxHelp,
            start: target.start,
            citizen: citizen(),
          })
        ).errors,
      ).toBeUndefined();
      const left = await sql<{ count: string }>(
        `SELECT count(*) FROM scheduling.appointment WHERE status = 'HELD' AND starts_at = $1`,
        [target.start],
      );
      expect(Number(left[0]?.count)).toBeLessThan(target.capacity);
    });
  });

  describe('under concurrency', () => {
    it('lets exactly capacity of 40 parallel bookings of one slot win; the rest get SLOT_UNAVAILABLE; no overlap in SQL', async () => {
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-15', to: '2027-03-15' })).data
          ?.availableSlots ?? [];
      const target = day[4] as Slot;
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          book({
            officeId: orebro.id,
            serviceId: taxHelp,
            start: target.start,
            citizen: citizen(),
          }),
        ),
      );
      const won = results.filter((r) => !r.errors);
      expect(won).toHaveLength(target.capacity);
      expect(
        results
          .filter((r) => r.errors)
          .flatMap((r) => errorCodes(r))
          .every((c) => c === 'SLOT_UNAVAILABLE'),
      ).toBe(true);
      const overlaps = await sql<{ count: string }>(
        `SELECT count(*) FROM scheduling.appointment a JOIN scheduling.appointment b ON a.id < b.id
         WHERE a.status IN ('HELD','BOOKED','CHECKED_IN','CALLED','IN_SERVICE') AND b.status IN ('HELD','BOOKED','CHECKED_IN','CALLED','IN_SERVICE')
           AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)
           AND (a.counter_id = b.counter_id OR a.staff_id = b.staff_id)`,
      );
      expect(overlaps[0]?.count).toBe('0');
      const left =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-15', to: '2027-03-15' })).data
          ?.availableSlots ?? [];
      expect(left.find((s) => s.start === target.start)).toBeUndefined();

      // Booking the full time again says which later time that day is free, and it is.
      const again = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: target.start,
        citizen: citizen(),
      });
      const refusal = again.errors?.[0];
      expect(refusal?.extensions?.['code']).toBe('SLOT_UNAVAILABLE');
      expect(refusal?.extensions?.['reason']).toBe('FULL');
      const next = left.find((s) => s.start > target.start);
      expect(refusal?.extensions?.['nextFreeStart']).toBe(next?.start);
      expect(refusal?.message).toContain(
        `the next free time that day is ${next?.start.slice(11, 16)}`,
      );
    });

    it('returns the first appointment to concurrent retries with one idempotency key, and CONFLICT for a different request', async () => {
      const who = citizen();
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: '2027-03-16', to: '2027-03-16' })).data
          ?.availableSlots ?? [];
      const input = {
        officeId: orebro.id,
        serviceId: taxHelp,
        start: day[1]?.start,
        citizen: who,
        idempotencyKey: 'retry-1',
      };
      const results = await Promise.all(Array.from({ length: 10 }, () => book(input)));
      const ids = new Set(results.map((r) => r.data?.bookAppointment.id));
      expect(results.every((r) => !r.errors)).toBe(true);
      expect(ids.size).toBe(1);
      const rows = await sql<{ count: string }>(
        'SELECT count(*) FROM scheduling.appointment WHERE id = ANY($1::uuid[])',
        [[...ids]],
      );
      expect(rows[0]?.count).toBe('1');
      const different = await book({ ...input, start: day[3]?.start });
      expect(errorCodes(different)).toEqual(['CONFLICT']);
    });
  });

  describe('defects found in the core (issue 15)', () => {
    const HOLD = `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { token start } }`;
    const counterOf = async (reference: string) =>
      (
        await sql<{ accessible: boolean; staff: string; ends: Date }>(
          `SELECT c.accessible_desk AS accessible, a.staff_id AS staff, a.ends_at AS ends
           FROM scheduling.appointment a JOIN directory.published_counter c ON c.counter_id = a.counter_id
           WHERE a.reference = $1 AND a.status = 'BOOKED'`,
          [reference],
        )
      )[0];

    it("lets an agency's client book, hold and change only its own agency's services", async () => {
      const fk = await stack.tokenFor({
        role: 'agency',
        subject: 'fk-bookings',
        clientId: 'fk-api',
        agency: 'FK',
      });
      const parental = service(orebro, 'parental-benefit');
      const date = '2027-03-24';
      const skvSlot = ((await slots({ o: orebro.id, s: taxHelp, from: date, to: date })).data
        ?.availableSlots ?? [])[0] as Slot;
      const before = await sql('SELECT count(*) FROM scheduling.appointment');
      const refused = await book(
        { officeId: orebro.id, serviceId: taxHelp, start: skvSlot.start, citizen: citizen() },
        fk,
      );
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors?.[0]?.message).toContain('own agency');
      const held = await stack.query(
        HOLD,
        { input: { officeId: orebro.id, serviceId: taxHelp, start: skvSlot.start } },
        { token: fk },
      );
      expect(errorCodes(held)).toEqual(['FORBIDDEN']);
      const joint = await stack.query(
        'mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { id } }',
        {
          input: {
            officeId: orebro.id,
            serviceIds: [moveToSweden, parental],
            start: skvSlot.start,
            citizen: citizen(),
          },
        },
        { token: fk },
      );
      expect(errorCodes(joint)).toEqual(['FORBIDDEN']);
      expect(await sql('SELECT count(*) FROM scheduling.appointment')).toEqual(before);

      // Its own service: booked, and in its own list.
      const fkSlot = ((await slots({ o: orebro.id, s: parental, from: date, to: date })).data
        ?.availableSlots ?? [])[0] as Slot;
      const own = await book(
        { officeId: orebro.id, serviceId: parental, start: fkSlot.start, citizen: citizen() },
        fk,
      );
      expect(own.errors).toBeUndefined();
      expect(own.data?.bookAppointment).toMatchObject({ status: 'BOOKED', channel: 'API' });
      const listed = await stack.query<{
        agencyAppointments: { items: Array<{ reference: string }> };
      }>(
        'query($d: Date!) { agencyAppointments(from: $d, to: $d) { items { reference } } }',
        { d: date },
        { token: fk },
      );
      expect(listed.data?.agencyAppointments.items.map((i) => i.reference)).toContain(
        own.data?.bookAppointment.reference,
      );

      // Another agency's booking, even with the citizen's proof, is not the FK client's to read or change.
      const who = citizen();
      const skv = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: skvSlot.start,
        citizen: who,
      });
      expect(skv.errors).toBeUndefined();
      const reference = skv.data?.bookAppointment.reference;
      const read = await stack.query<{ appointmentByReference: unknown }>(
        BY_REFERENCE,
        { r: reference, p: who.personnummer },
        { token: fk },
      );
      expect(read.data?.appointmentByReference).toBeNull();
      expect(
        errorCodes(await stack.query(CANCEL, { r: reference, p: who.personnummer }, { token: fk })),
      ).toEqual(['NOT_FOUND']);
      expect(
        (
          await stack.query<{ appointmentByReference: { status: string } }>(BY_REFERENCE, {
            r: reference,
            p: who.personnummer,
          })
        ).data?.appointmentByReference,
      ).toMatchObject({ status: 'BOOKED' });
    });

    it("books a held time only on a counter and with a person that meet the booking's needs", async () => {
      const date = '2027-03-25';
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: date, to: date })).data?.availableSlots ??
        [];
      // Held without needs, the hold takes a counter without an accessible desk (those are kept
      // for visits that need them); the booking then asks for one.
      const target = day[1] as Slot;
      const held = await stack.query<{ holdSlot: { token: string } }>(HOLD, {
        input: { officeId: orebro.id, serviceId: taxHelp, start: target.start },
      });
      expect(held.errors).toBeUndefined();
      const [hold] = await sql<{ accessible: boolean }>(
        `SELECT c.accessible_desk AS accessible FROM scheduling.appointment a
         JOIN directory.published_counter c ON c.counter_id = a.counter_id WHERE a.id = $1`,
        [held.data?.holdSlot.token],
      );
      expect(hold?.accessible).toBe(false);
      const booked = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: target.start,
        citizen: citizen(),
        needs: ['WHEELCHAIR_ACCESS', 'EXTRA_TIME'],
        holdToken: held.data?.holdSlot.token,
      });
      expect(booked.errors).toBeUndefined();
      const row = await counterOf(booked.data?.bookAppointment.reference as string);
      expect(row?.accessible).toBe(true);
      // 20 minutes plus 10 of extra time.
      expect(
        Date.parse(booked.data?.bookAppointment.end as string) - Date.parse(target.start),
      ).toBe(30 * 60_000);
      // The held time is not held twice: the hold was taken over.
      const left = await sql<{ count: string }>(
        'SELECT count(*) FROM scheduling.appointment WHERE id = $1',
        [held.data?.holdSlot.token],
      );
      expect(left[0]?.count).toBe('0');
    });

    it('moves a booking to a time blocked only by expired holds, as a booking may', async () => {
      const date = '2027-04-08';
      const day =
        (await slots({ o: orebro.id, s: taxHelp, from: date, to: date })).data?.availableSlots ??
        [];
      const who = citizen();
      const booked = await book({
        officeId: orebro.id,
        serviceId: taxHelp,
        start: (day[0] as Slot).start,
        citizen: who,
      });
      expect(booked.errors).toBeUndefined();
      const target = day[3] as Slot;
      for (let i = 0; i < target.capacity; i++) {
        const token = await stack.tokenFor({
          role: 'citizen',
          subject: `expiring-${i}`,
          personnummer: personnummer(7000 + i).replace('-', ''),
        });
        const held = await stack.query(
          HOLD,
          { input: { officeId: orebro.id, serviceId: taxHelp, start: target.start } },
          { token },
        );
        expect(held.errors).toBeUndefined();
      }
      await sql(
        `UPDATE scheduling.appointment SET hold_expires_at = '2027-03-01T07:00:00+01:00' WHERE status = 'HELD' AND starts_at = $1`,
        [target.start],
      );
      // availableSlots lists the time again, so moving there must work.
      const listed = (await slots({ o: orebro.id, s: taxHelp, from: date, to: date })).data
        ?.availableSlots;
      expect(listed?.find((s) => s.start === target.start)?.capacity).toBe(target.capacity);
      const moved = await stack.query<{ rescheduleAppointment: { start: string } }>(RESCHEDULE, {
        r: booked.data?.bookAppointment.reference,
        p: who.personnummer,
        start: target.start,
      });
      expect(moved.errors).toBeUndefined();
      expect(moved.data?.rescheduleAppointment.start).toBe(target.start);
    });
  });
});
