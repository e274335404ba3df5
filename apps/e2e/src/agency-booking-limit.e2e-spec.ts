import {
  errorCodes,
  startTestStack,
  type GraphQLResponse,
  type TestStack,
  syntheticPersonnummer,
} from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const personnummer = (n: number): string => syntheticPersonnummer(n, 1970);

const SLOTS = `query($o: ID!, $s: ID!, $from: Date!, $to: Date!) {
  availableSlots(officeId: $o, serviceId: $s, from: $from, to: $to) { start } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference start } }`;
const CANCEL = `mutation($r: String!, $p: String) { cancelAppointment(reference: $r, personnummer: $p) { status } }`;
const RESCHEDULE = `mutation($r: String!, $p: String, $start: DateTime!) {
  rescheduleAppointment(reference: $r, personnummer: $p, start: $start) { start } }`;
const OPTIONS = `query($s: [ID!]!, $d: Date!, $o: ID!) {
  jointVisitOptions(serviceIds: $s, from: $d, to: $d, officeId: $o, limit: 1) { start } }`;
const BOOK_JOINT = `mutation($input: BookJointVisitInput!) {
  bookJointVisit(input: $input) { reference appointments { id status } } }`;
const CANCEL_JOINT = `mutation($r: String!, $p: String) { cancelJointVisit(reference: $r, personnummer: $p) { status } }`;
const SET_LIMIT = `mutation($id: ID!, $limit: Int!) {
  updateAgency(id: $id, input: { maxActiveBookingsPerCitizen: $limit }) { maxActiveBookingsPerCitizen } }`;

interface Booked {
  id: string;
  reference: string;
  start: string;
}

/**
 * An agency's limit of active bookings per citizen across all its services (issue 12), next
 * to each service's own: checked by the booking functions under the citizen's lock.
 */
describe("an agency's limit of active bookings per citizen", () => {
  let stack: TestStack;
  let admin: string;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  let agencies: Array<{ id: string; code: string; name: string; limit: number }>;
  let person = 0;

  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;
  const agency = (code: string) => agencies.find((a) => a.code === code) as (typeof agencies)[0];
  const citizen = () => ({ personnummer: personnummer(++person), name: 'Test Person' });
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    stack.sql<T>(text, params);

  /** The `index`th free start of the service at Örebro on the day. */
  async function freeStart(code: string, date: string, index = 0): Promise<string> {
    const response = await stack.query<{ availableSlots: Array<{ start: string }> }>(SLOTS, {
      o: orebro.id,
      s: service(code),
      from: date,
      to: date,
    });
    const start = response.data?.availableSlots[index]?.start;
    if (!start) throw new Error(`no free start ${index} for ${code} on ${date}`);
    return start;
  }

  const book = (code: string, start: string, who: { personnummer: string; name: string }) =>
    stack.query<{ bookAppointment: Booked }>(BOOK, {
      input: { officeId: orebro.id, serviceId: service(code), start, citizen: who },
    });

  async function booked(
    code: string,
    date: string,
    who: { personnummer: string; name: string },
    index = 0,
  ): Promise<Booked> {
    const response = await book(code, await freeStart(code, date, index), who);
    expect(response.errors).toBeUndefined();
    return response.data?.bookAppointment as Booked;
  }

  async function bookJoint(codes: string[], date: string, who: { personnummer: string }) {
    const serviceIds = codes.map(service);
    const options = await stack.query<{ jointVisitOptions: Array<{ start: string }> }>(OPTIONS, {
      s: serviceIds,
      d: date,
      o: orebro.id,
    });
    const start = options.data?.jointVisitOptions[0]?.start;
    if (!start) throw new Error(`no joint visit of ${codes.join(', ')} on ${date}`);
    return stack.query<{
      bookJointVisit: { reference: string; appointments: Array<{ status: string }> };
    }>(BOOK_JOINT, { input: { officeId: orebro.id, serviceIds, start, citizen: who } });
  }

  async function setLimit(code: string, limit: number): Promise<void> {
    const response = await stack.query(SET_LIMIT, { id: agency(code).id, limit }, { token: admin });
    expect(response.errors).toBeUndefined();
  }

  /** The active bookings of the citizen who booked `reference` (any service), in the database. */
  async function activeBookings(reference: string): Promise<number> {
    const [row] = await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM scheduling.appointment
       WHERE citizen_key = (SELECT citizen_key FROM scheduling.appointment WHERE reference = $1 LIMIT 1)
         AND status = 'BOOKED'`,
      [reference],
    );
    return row.count;
  }

  const expectAgencyLimit = (
    response: GraphQLResponse<unknown>,
    name: string,
    limit: number,
  ): void => {
    expect(errorCodes(response)).toEqual(['LIMIT_REACHED']);
    const error = response.errors?.[0];
    expect(error?.extensions).toMatchObject({ scope: 'AGENCY', agency: name, limit });
    expect(error?.message).toContain(name);
    expect(error?.message).toContain('across all its services');
    expect(error?.message).toMatch(/Cancel one|Leave one/);
  };

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    admin = await stack.tokenFor({ role: 'admin', subject: 'network-admin' });
    const response = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
      agencies: Array<{
        id: string;
        code: string;
        name: string;
        maxActiveBookingsPerCitizen: number;
      }>;
    }>(
      '{ offices { id municipality services { id code } } agencies { id code name maxActiveBookingsPerCitizen } }',
    );
    expect(response.errors).toBeUndefined();
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    agencies = (response.data?.agencies ?? []).map((a) => ({
      id: a.id,
      code: a.code,
      name: a.name,
      limit: a.maxActiveBookingsPerCitizen,
    }));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is public on Agency, as a rule like the service limit, with the demo values', async () => {
    expect(Object.fromEntries(agencies.map((a) => [a.code, a.limit]))).toEqual({
      AF: 2,
      ESKILSTUNA: 2,
      FK: 3,
      HALLSBERG: 2,
      KIRUNA: 2,
      MIGR: 2,
      OREBRO: 2,
      PM: 2,
      SKV: 3,
    });
    // Published to scheduling with the other agency facts, after the columns the view had.
    const [skv] = await sql<{ max_active_bookings: number }>(
      'SELECT max_active_bookings FROM directory.published_agency WHERE agency_id = $1',
      [agency('SKV').id],
    );
    expect(skv.max_active_bookings).toBe(3);
  });

  it("the service's own limit still refuses first, with scope SERVICE", async () => {
    const who = citizen();
    await booked('tax-return-help', '2027-03-08', who);
    const second = await book(
      'tax-return-help',
      await freeStart('tax-return-help', '2027-03-09'),
      who,
    );
    expect(errorCodes(second)).toEqual(['LIMIT_REACHED']);
    expect(second.errors?.[0].extensions).toMatchObject({ scope: 'SERVICE', limit: 1 });
    expect(second.errors?.[0].message).toMatch(/for this service/);
  });

  it("counts bookings across the agency's services (the demo's 3 for Skatteverket); another agency is not affected; cancelling one frees a place", async () => {
    const who = citizen();
    const first = await booked('id-card', '2027-03-08', who);
    await booked('tax-return-help', '2027-03-09', who);
    await booked('move-to-sweden', '2027-03-10', who);
    const fourth = await book(
      'coordination-number',
      await freeStart('coordination-number', '2027-03-11'),
      who,
    );
    expectAgencyLimit(fourth, 'Skatteverket', 3);
    expect(fourth.errors?.[0].message).toBe(
      'Skatteverket allows 3 active bookings per person at a time, across all its services, and you already have 3 active bookings with Skatteverket. Cancel one of them and you can book this.',
    );
    // Försäkringskassan counts its own.
    await booked('parental-benefit', '2027-03-11', who);
    expect(await activeBookings(first.reference)).toBe(4);

    const cancelled = await stack.query(CANCEL, { r: first.reference, p: who.personnummer });
    expect(cancelled.errors).toBeUndefined();
    await booked('coordination-number', '2027-03-11', who, 4);
  });

  describe('with Skatteverket allowing one', () => {
    beforeAll(() => setLimit('SKV', 1));
    afterAll(() => setLimit('SKV', 3));

    it('refuses a second service of the agency, names the agency and the limit; nothing is written', async () => {
      const who = citizen();
      const first = await booked('id-card', '2027-03-15', who);
      const before = await sql('SELECT count(*)::int AS n FROM scheduling.appointment_event');
      const second = await book(
        'tax-return-help',
        await freeStart('tax-return-help', '2027-03-16'),
        who,
      );
      expectAgencyLimit(second, 'Skatteverket', 1);
      expect(second.errors?.[0].message).toBe(
        'Skatteverket allows one active booking per person at a time, across all its services, and you already have 1 active booking with Skatteverket. Cancel one of them and you can book this.',
      );
      expect(await sql('SELECT count(*)::int AS n FROM scheduling.appointment_event')).toEqual(
        before,
      );
      // Other agencies keep their own limits.
      await booked('parental-benefit', '2027-03-16', who);
      await booked('pension-guidance', '2027-03-17', who);
      expect(await activeBookings(first.reference)).toBe(3);
    });

    it('moving the booking does not count it twice', async () => {
      const who = citizen();
      const first = await booked('id-card', '2027-03-15', who, 3);
      const moved = await stack.query<{ rescheduleAppointment: { start: string } }>(RESCHEDULE, {
        r: first.reference,
        p: who.personnummer,
        start: await freeStart('id-card', '2027-03-18', 2),
      });
      expect(moved.errors).toBeUndefined();
      expect(moved.data?.rescheduleAppointment.start.slice(0, 10)).toBe('2027-03-18');
    });

    it('a cancelled booking frees the place at once', async () => {
      const who = citizen();
      const first = await booked('move-to-sweden', '2027-03-15', who);
      expectAgencyLimit(
        await book('id-card', await freeStart('id-card', '2027-03-19'), who),
        'Skatteverket',
        1,
      );
      expect(
        (await stack.query(CANCEL, { r: first.reference, p: who.personnummer })).errors,
      ).toBeUndefined();
      await booked('id-card', '2027-03-19', who);
    });

    it('two simultaneous bookings of two of its services for one citizen: exactly one wins, every time', async () => {
      for (let round = 0; round < 5; round++) {
        const who = citizen();
        const date = `2027-04-${String(5 + round).padStart(2, '0')}`; // Monday to Friday
        const [idCard, taxHelp] = await Promise.all([
          freeStart('id-card', date, 0),
          freeStart('tax-return-help', date, 10),
        ]);
        const results = await Promise.all([
          book('id-card', idCard, who),
          book('tax-return-help', taxHelp, who),
        ]);
        const won = results.filter((r) => r.errors === undefined);
        const lost = results.filter((r) => r.errors !== undefined);
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expectAgencyLimit(lost[0], 'Skatteverket', 1);
        const reference = (won[0].data as { bookAppointment: Booked }).bookAppointment.reference;
        expect(await activeBookings(reference)).toBe(1);
      }
    });

    it('a joint visit and a single booking at once: exactly one of them wins', async () => {
      const who = citizen();
      const [joint, single] = await Promise.all([
        bookJoint(['move-to-sweden', 'parental-benefit'], '2027-04-12', who),
        book('id-card', await freeStart('id-card', '2027-04-13'), who),
      ]);
      expect([joint, single].filter((r) => r.errors === undefined)).toHaveLength(1);
      const [lost] = [joint, single].filter((r) => r.errors !== undefined);
      expectAgencyLimit(lost, 'Skatteverket', 1);
    });
  });

  describe('a joint visit counts each of its parts', () => {
    afterAll(() => setLimit('SKV', 3));

    it('two parts of one agency need two places; nothing of the visit is booked when they do not fit', async () => {
      await setLimit('SKV', 1);
      const who = citizen();
      const refused = await bookJoint(['move-to-sweden', 'id-card'], '2027-03-31', who);
      expectAgencyLimit(refused, 'Skatteverket', 1);
      expect(refused.errors?.[0].extensions?.['part']).toBe(1);
      expect(refused.errors?.[0].message).toBe(
        'Skatteverket allows one active booking per person at a time, across all its services: this visit has 2 parts with Skatteverket, so part 2 ("Ansöka om id-kort") is one too many. Leave one of its services out of the visit and you can book it; nothing was booked.',
      );

      await setLimit('SKV', 2);
      const single = await booked('tax-return-help', '2027-04-01', who);
      const over = await bookJoint(['move-to-sweden', 'id-card'], '2027-03-31', who);
      expectAgencyLimit(over, 'Skatteverket', 2);
      expect(over.errors?.[0].message).toContain(
        'you already have 1 active booking with Skatteverket, and this visit has 2 parts',
      );
      expect(await activeBookings(single.reference)).toBe(1);
      expect(
        await sql(
          `SELECT 1 FROM scheduling.joint_visit WHERE citizen_key =
             (SELECT citizen_key FROM scheduling.appointment WHERE id = $1)`,
          [single.id],
        ),
      ).toHaveLength(0);

      // With the single booking cancelled, both parts fit the two places.
      expect(
        (await stack.query(CANCEL, { r: single.reference, p: who.personnummer })).errors,
      ).toBeUndefined();
      const visit = await bookJoint(['move-to-sweden', 'id-card'], '2027-03-31', who);
      expect(visit.errors).toBeUndefined();
      expect(visit.data?.bookJointVisit.appointments.map((a) => a.status)).toEqual([
        'BOOKED',
        'BOOKED',
      ]);
      // Full now: no third Skatteverket booking, until the visit is cancelled.
      expectAgencyLimit(
        await book(
          'coordination-number',
          await freeStart('coordination-number', '2027-04-02'),
          who,
        ),
        'Skatteverket',
        2,
      );
      const reference = visit.data?.bookJointVisit.reference as string;
      expect(
        (await stack.query(CANCEL_JOINT, { r: reference, p: who.personnummer })).errors,
      ).toBeUndefined();
      await booked('coordination-number', '2027-04-02', who);
    });
  });
});
