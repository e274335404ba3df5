import {
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
  eventually,
} from '@samservice/testing';

// Monday 1 March 2027; every booking below is later in the spring.
const NOW = '2027-03-01T08:00:00+01:00';

const personnummer = (n: number): string => syntheticPersonnummer(n, 1986);

interface Entry {
  reference: string;
  status: string;
  start: string;
  counterId: string;
  staffId: string;
}

interface Office {
  id: string;
  municipality: string;
  services: Array<{ id: string; code: string; agency: { code: string } }>;
  counters: Array<{ id: string; name: string }>;
}

/**
 * Every directory change that can leave a booked appointment impossible is announced, so
 * scheduling moves the appointment or flags it NEEDS_REBOOKING for staff: none is left
 * BOOKED at a time, counter or person that can no longer serve it. Each test books an
 * appointment the change invalidates, on a day and office of its own.
 */
describe('directory changes that invalidate bookings are announced', () => {
  let stack: TestStack;
  let admin: string;
  let offices: Record<string, Office>;
  let agencies: Array<{ id: string; code: string }>;
  let n = 0;

  const run = async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> => {
    const response = await stack.query<T>(query, variables, { token: admin });
    expect(response.errors).toBeUndefined();
    return response.data as T;
  };

  const agencyId = (code: string) => agencies.find((a) => a.code === code)?.id as string;
  const serviceId = (office: Office, agency: string, code: string) =>
    office.services.find((s) => s.agency.code === agency && s.code === code)?.id as string;
  const counterId = (office: Office, name: string) =>
    office.counters.find((c) => c.name === name)?.id as string;

  const scheduleOf = async (office: Office, date: string): Promise<Entry[]> =>
    (
      await run<{ officeSchedule: Entry[] }>(
        'query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { reference status start counterId staffId } }',
        { o: office.id, d: date },
      )
    ).officeSchedule;

  /** Books the first free time that day (or `start`), and reads where it was put. */
  async function book(
    office: Office,
    service: string,
    date: string,
    options: { start?: string; needs?: string[]; language?: string } = {},
  ): Promise<Entry> {
    let start = options.start;
    if (!start) {
      const slots = await stack.query<{ availableSlots: Array<{ start: string }> }>(
        'query($o: ID!, $s: ID!, $d: Date!, $l: String, $n: [VisitNeed!]) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d, language: $l, needs: $n) { start } }',
        { o: office.id, s: service, d: date, l: options.language, n: options.needs },
      );
      expect(slots.errors).toBeUndefined();
      start = slots.data?.availableSlots[0]?.start as string;
      expect(start).toBeDefined();
    }
    const booked = await stack.query<{ bookAppointment: { reference: string } }>(
      'mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }',
      {
        input: {
          officeId: office.id,
          serviceId: service,
          start,
          needs: options.needs,
          citizen: {
            personnummer: personnummer(++n),
            name: 'Bokad Person',
            language: options.language,
          },
        },
      },
    );
    expect(booked.errors).toBeUndefined();
    const entry = (await scheduleOf(office, date)).find(
      (e) => e.reference === booked.data?.bookAppointment.reference,
    ) as Entry;
    expect(entry).toMatchObject({ status: 'BOOKED' });
    return entry;
  }

  /** The appointment once scheduling has rechecked it: flagged, or moved as `moved` says. */
  async function afterRecheck(
    office: Office,
    date: string,
    entry: Entry,
    moved: (e: Entry) => boolean = () => false,
  ): Promise<Entry | undefined> {
    return eventually(
      async () => (await scheduleOf(office, date)).find((e) => e.reference === entry.reference),
      (e) => e !== undefined && (e.status === 'NEEDS_REBOOKING' || moved(e)),
    );
  }

  const flaggedFor = async (office: Office) =>
    (
      await run<{ affectedAppointments: Entry[] }>(
        'query($o: ID!) { affectedAppointments(officeId: $o) { reference status } }',
        { o: office.id },
      )
    ).affectedAppointments;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    admin = await stack.tokenFor({ role: 'admin', subject: 'network-admin' });
    const data = await run<{ offices: Office[]; agencies: typeof agencies }>(
      '{ offices { id municipality services { id code agency { code } } counters { id name } } agencies { id code } }',
    );
    offices = Object.fromEntries(data.offices.map((o) => [o.municipality, o]));
    agencies = data.agencies;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("removing exceptional hours: the day's normal hours return and close it again", async () => {
    const orebro = offices['Örebro'];
    // Annandag påsk, a public holiday, opened by exception.
    const exception = await run<{ addOpeningException: { id: string } }>(
      'mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-03-29", start: "10:00", end: "14:00", note: "Extra öppet" }) { id } }',
      { o: orebro.id },
    );
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-03-29', {
      start: '2027-03-29T10:00:00+02:00',
    });
    await run('mutation($id: ID!) { removeOpeningException(id: $id) }', {
      id: exception.addOpeningException.id,
    });
    const flagged = await eventually(
      () => flaggedFor(orebro),
      (list) => list.some((e) => e.reference === entry.reference),
    );
    expect(flagged.find((e) => e.reference === entry.reference)).toMatchObject({
      status: 'NEEDS_REBOOKING',
    });
  });

  // Samtalsrum is Örebro's only private room: a visit that needs one is always booked there.
  it("a weekly allocation of a counter's time to another agency", async () => {
    const orebro = offices['Örebro'];
    const room = counterId(orebro, 'Samtalsrum');
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-04-16', {
      needs: ['PRIVATE_ROOM'],
    });
    expect(entry.counterId).toBe(room);
    await run(
      'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 5, start: "09:00", end: "16:00", validFrom: "2027-04-16", validTo: "2027-04-16" }) { id } }',
      { c: room, a: agencyId('FK') },
    );
    expect((await afterRecheck(orebro, '2027-04-16', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it("a dated allocation of a counter's time to another agency", async () => {
    const orebro = offices['Örebro'];
    const room = counterId(orebro, 'Samtalsrum');
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-04-15', {
      needs: ['PRIVATE_ROOM'],
    });
    expect(entry.counterId).toBe(room);
    await run(
      'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, date: "2027-04-15", start: "09:00", end: "18:00" }) { id } }',
      { c: room, a: agencyId('FK') },
    );
    expect((await afterRecheck(orebro, '2027-04-15', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it("removing a dated allocation: the counter's weekly allocations return that day", async () => {
    const orebro = offices['Örebro'];
    const room = counterId(orebro, 'Samtalsrum');
    await run(
      'mutation($c: ID!, $a: ID!) { addCounterAllocation(counterId: $c, input: { agencyId: $a, weekday: 3, start: "09:00", end: "16:00", validFrom: "2027-04-14", validTo: "2027-04-14" }) { id } }',
      { c: room, a: agencyId('FK') },
    );
    // That day the room is pooled instead: open to Skatteverket too.
    const pooled = await run<{ addCounterAllocation: { id: string } }>(
      'mutation($c: ID!) { addCounterAllocation(counterId: $c, input: { date: "2027-04-14", start: "09:00", end: "16:00" }) { id } }',
      { c: room },
    );
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-04-14', {
      needs: ['PRIVATE_ROOM'],
    });
    expect(entry.counterId).toBe(room);
    await run('mutation($id: ID!) { removeCounterAllocation(id: $id) }', {
      id: pooled.addCounterAllocation.id,
    });
    expect((await afterRecheck(orebro, '2027-04-14', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('a counter losing a feature a booked visit needs', async () => {
    const orebro = offices['Örebro'];
    const room = counterId(orebro, 'Samtalsrum');
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-04-13', {
      needs: ['PRIVATE_ROOM'],
    });
    expect(entry.counterId).toBe(room);
    const update = await run<{ updateCounter: { affectedAppointments: number } }>(
      'mutation($c: ID!) { updateCounter(id: $c, input: { privateRoom: false }) { affectedAppointments } }',
      { c: room },
    );
    expect(update.updateCounter.affectedAppointments).toBeGreaterThanOrEqual(1);
    expect((await afterRecheck(orebro, '2027-04-13', entry))?.status).toBe('NEEDS_REBOOKING');
    await run('mutation($c: ID!) { updateCounter(id: $c, input: { privateRoom: true }) { id } }', {
      c: room,
    });
  });

  it('an earlier closing time on eves', async () => {
    const orebro = offices['Örebro'];
    const days = await run<{ openingHours: Array<{ shortEve: boolean }> }>(
      'query($o: ID!) { openingHours(officeId: $o, from: "2027-03-25", to: "2027-03-25") { shortEve } }',
      { o: orebro.id },
    );
    expect(days.openingHours[0]?.shortEve).toBe(true); // Skärtorsdagen: open until 13:00
    const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-03-25', {
      start: '2027-03-25T12:30:00+01:00',
    });
    await run(
      'mutation($o: ID!) { updateOffice(id: $o, input: { eveClosingTime: "12:00" }) { id } }',
      {
        o: orebro.id,
      },
    );
    expect((await afterRecheck(orebro, '2027-03-25', entry))?.status).toBe('NEEDS_REBOOKING');
    await run(
      'mutation($o: ID!) { updateOffice(id: $o, input: { eveClosingTime: "13:00" }) { id } }',
      {
        o: orebro.id,
      },
    );
  });

  it('a service withdrawn from an office', async () => {
    const hallsberg = offices['Hallsberg'];
    const taxHelp = serviceId(hallsberg, 'SKV', 'tax-return-help');
    const entry = await book(hallsberg, taxHelp, '2027-04-20');
    await run(
      'mutation($o: ID!, $s: ID!) { withdrawService(officeId: $o, serviceId: $s) { id } }',
      {
        o: hallsberg.id,
        s: taxHelp,
      },
    );
    expect((await afterRecheck(hallsberg, '2027-04-20', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('an agency leaving an office', async () => {
    const eskilstuna = offices['Eskilstuna'];
    const entry = await book(
      eskilstuna,
      serviceId(eskilstuna, 'PM', 'pension-guidance'),
      '2027-04-21',
    );
    await run(
      'mutation($o: ID!, $a: ID!) { removeAgencyFromOffice(officeId: $o, agencyId: $a) { id } }',
      { o: eskilstuna.id, a: agencyId('PM') },
    );
    expect((await afterRecheck(eskilstuna, '2027-04-21', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('booking rules of a service changed (the language a visit is held in dropped)', async () => {
    const orebro = offices['Örebro'];
    const pension = serviceId(orebro, 'PM', 'pension-guidance');
    const entry = await book(orebro, pension, '2027-04-27', { language: 'fi' });
    await run(
      'mutation($s: ID!) { updateService(id: $s, input: { languages: ["sv", "en"] }) { id } }',
      {
        s: pension,
      },
    );
    expect((await afterRecheck(orebro, '2027-04-27', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('a service no longer offered anywhere', async () => {
    const eskilstuna = offices['Eskilstuna'];
    const guidance = serviceId(eskilstuna, 'ESKILSTUNA', 'citizen-guidance');
    const entry = await book(eskilstuna, guidance, '2027-04-23');
    await run('mutation($s: ID!) { deactivateService(id: $s) { id } }', { s: guidance });
    expect((await afterRecheck(eskilstuna, '2027-04-23', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('an agency leaving the network', async () => {
    const hallsberg = offices['Hallsberg'];
    const entry = await book(
      hallsberg,
      serviceId(hallsberg, 'HALLSBERG', 'citizen-guidance'),
      '2027-04-26',
    );
    await run('mutation($a: ID!) { deactivateAgency(id: $a) { id } }', {
      a: agencyId('HALLSBERG'),
    });
    expect((await afterRecheck(hallsberg, '2027-04-26', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  it('an office closed for good', async () => {
    const kiruna = offices['Kiruna'];
    const entry = await book(kiruna, serviceId(kiruna, 'SKV', 'tax-return-help'), '2027-04-22');
    await run('mutation($o: ID!) { deactivateOffice(id: $o) { id } }', { o: kiruna.id });
    expect((await afterRecheck(kiruna, '2027-04-22', entry))?.status).toBe('NEEDS_REBOOKING');
  });

  // The person who serves each of these visits changes; another may take it over.
  describe('a booked person no longer able to serve the visit', () => {
    const updateStaff =
      'mutation($id: ID!, $input: UpdateStaffMemberInput!) { updateStaffMember(id: $id, input: $input) { id } }';

    /** Another person took it over at the same time, or staff must rebook it. */
    async function outcomeFor(office: Office, date: string, entry: Entry): Promise<string> {
      const after = await afterRecheck(office, date, entry, (e) => e.staffId !== entry.staffId);
      if (after?.status === 'NEEDS_REBOOKING') return 'flagged';
      if (
        after?.status === 'BOOKED' &&
        after.start === entry.start &&
        after.staffId !== entry.staffId
      )
        return 'reassigned';
      return `left ${after?.status} with the same person`;
    }

    it('leaves the office', async () => {
      const orebro = offices['Örebro'];
      const hallsberg = offices['Hallsberg'];
      const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-05-03');
      // The person moves to Hallsberg: joins it, then leaves Örebro (and its shifts there).
      await run(updateStaff, {
        id: entry.staffId,
        input: { offices: [{ officeId: orebro.id }, { officeId: hallsberg.id }] },
      });
      await run(updateStaff, {
        id: entry.staffId,
        input: { offices: [{ officeId: hallsberg.id }] },
      });
      expect(['flagged', 'reassigned']).toContain(await outcomeFor(orebro, '2027-05-03', entry));
    });

    it('is no longer trained for the service', async () => {
      const orebro = offices['Örebro'];
      const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-05-04');
      await run(updateStaff, {
        id: entry.staffId,
        input: { competences: [{ agencyId: agencyId('PM') }] },
      });
      expect(['flagged', 'reassigned']).toContain(await outcomeFor(orebro, '2027-05-04', entry));
    });

    it("no longer speaks the visit's language", async () => {
      const orebro = offices['Örebro'];
      const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-05-05', {
        language: 'en',
      });
      await run(updateStaff, { id: entry.staffId, input: { languages: ['sv'] } });
      expect(['flagged', 'reassigned']).toContain(await outcomeFor(orebro, '2027-05-05', entry));
    });

    it('is deactivated by a network admin', async () => {
      const orebro = offices['Örebro'];
      const entry = await book(orebro, serviceId(orebro, 'SKV', 'tax-return-help'), '2027-05-07');
      await run('mutation($id: ID!) { deactivateStaffMember(id: $id) { id } }', {
        id: entry.staffId,
      });
      expect(['flagged', 'reassigned']).toContain(await outcomeFor(orebro, '2027-05-07', entry));
    });
  });
});
