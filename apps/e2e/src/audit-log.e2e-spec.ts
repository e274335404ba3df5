import {
  errorCodes,
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm. */
const NOW = '2027-03-01T10:00:00+01:00';

const READS = `query($o: ID, $a: ID, $t: ID) {
  personalDataReads(officeId: $o, appointmentId: $a, ticketId: $t) {
    at readerRole readerSubject readerAgency operation officeId appointmentId ticketId } }`;

interface Read {
  at: string;
  readerRole: string;
  readerSubject: string | null;
  readerAgency: string | null;
  operation: string;
  officeId: string;
  appointmentId: string | null;
  ticketId: string | null;
}

/**
 * The audit log (docs/security.md): every read of another person's personal data by staff,
 * an agency's client or an admin is recorded — who, whose record, when, by which operation —
 * only admins read it, and nobody can change it, the services' own database role included.
 */
describe('audit log of personal data reads', () => {
  let stack: TestStack;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  let appointmentId: string;
  let ticketId: string;
  let admin: string;
  let staff: string;
  const citizenNumber = syntheticPersonnummer(1, 1971);

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    admin = await stack.tokenFor({ role: 'admin', subject: 'audit-admin' });
    const offices = await stack.query<{ offices: Array<typeof orebro & { municipality: string }> }>(
      '{ offices { id municipality services { id code } } }',
    );
    orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    const taxHelp = orebro.services.find((s) => s.code === 'tax-return-help')?.id as string;
    const booked = await stack.query<{ bookAppointment: { id: string } }>(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`,
      {
        input: {
          officeId: orebro.id,
          serviceId: taxHelp,
          start: '2027-03-01T13:00:00+01:00',
          citizen: {
            personnummer: citizenNumber,
            name: 'Test Person',
            email: 'test.person@example.se',
          },
        },
      },
    );
    expect(booked.errors).toBeUndefined();
    appointmentId = booked.data?.bookAppointment.id as string;
    const taken = await stack.query<{ takeTicket: { ticket: { id: string } } }>(
      `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { id } } }`,
      { input: { officeId: orebro.id, serviceId: taxHelp } },
    );
    ticketId = taken.data?.takeTicket.ticket.id as string;
    staff = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-erik-nilsson',
      offices: [orebro.id],
      adminOffices: [],
      competences: ['SKV'],
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const reads = async (variables: Record<string, unknown>) => {
    const answer = await stack.query<{ personalDataReads: Read[] }>(READS, variables, {
      token: admin,
    });
    expect(answer.errors).toBeUndefined();
    return answer.data?.personalDataReads ?? [];
  };

  it('records who read a citizen’s name in the schedule, the agency list and the queue', async () => {
    const schedule = await stack.query(
      `query($o: ID!) { officeSchedule(officeId: $o, date: "2027-03-01") { id citizenName } }`,
      { o: orebro.id },
      { token: staff },
    );
    expect(schedule.errors).toBeUndefined();
    const agency = await stack.tokenFor({
      role: 'agency',
      subject: 'skv-system',
      clientId: 'skv',
      agency: 'SKV',
    });
    const list = await stack.query(
      `{ agencyAppointments(from: "2027-03-01", to: "2027-03-01") { items { id citizenName } } }`,
      {},
      { token: agency },
    );
    expect(list.errors).toBeUndefined();
    const queue = await stack.query(
      `query($o: ID!) { officeQueue(officeId: $o) { id } }`,
      { o: orebro.id },
      { token: staff },
    );
    expect(queue.errors).toBeUndefined();

    const ofAppointment = await reads({ a: appointmentId });
    expect(
      ofAppointment.map((r) => [r.operation, r.readerRole, r.readerSubject, r.readerAgency]),
    ).toEqual([
      ['agencyAppointments', 'AGENCY', 'skv-system', 'SKV'],
      ['officeSchedule', 'STAFF', 'demo-erik-nilsson', null],
    ]);
    expect(
      ofAppointment.every((r) => r.officeId === orebro.id && r.at === '2027-03-01T09:00:00.000Z'),
    ).toBe(true);
    const ofTicket = await reads({ t: ticketId });
    expect(ofTicket).toMatchObject([
      { operation: 'officeQueue', readerSubject: 'demo-erik-nilsson', ticketId },
    ]);
  });

  it('lets the citizen, signed in, export their data and see who read it', async () => {
    const digits = citizenNumber.replace(/\D/g, '');
    const twelve = digits.length === 12 ? digits : `19${digits}`;
    const citizen = await stack.tokenFor({
      role: 'citizen',
      subject: 'e-id-test-citizen',
      personnummer: twelve,
    });
    const answer = await stack.query<{
      myData: {
        identityNumber: string;
        appointments: Array<{ id: string; name: string; email: string }>;
        reads: Array<{
          operation: string;
          readerRole: string;
          readerAgency: string | null;
          readerSubject: string | null;
        }>;
      };
    }>(
      `{ myData { identityNumber appointments { id name email } tickets { id } reads { operation readerRole readerAgency readerSubject } } }`,
      {},
      { token: citizen },
    );
    expect(answer.errors).toBeUndefined();
    const mine = answer.data?.myData;
    expect(mine?.identityNumber).toBe(twelve);
    expect(mine?.appointments).toEqual([
      { id: appointmentId, name: 'Test Person', email: 'test.person@example.se' },
    ]);
    // Who read it: the role and agency, and why; not the official's own sign-in.
    expect(mine?.reads).toEqual([
      {
        operation: 'agencyAppointments',
        readerRole: 'AGENCY',
        readerAgency: 'SKV',
        readerSubject: null,
      },
      { operation: 'officeSchedule', readerRole: 'STAFF', readerAgency: null, readerSubject: null },
    ]);
    // Another citizen gets only their own (nothing here); staff and anonymous get no export.
    const other = await stack.tokenFor({
      role: 'citizen',
      subject: 'e-id-other',
      personnummer: syntheticPersonnummer(2, 1971).replace(/\D/g, '').padStart(12, '19'),
    });
    const theirs = await stack.query<{ myData: { appointments: unknown[] } }>(
      `{ myData { appointments { id } } }`,
      {},
      { token: other },
    );
    expect(theirs.data?.myData.appointments).toEqual([]);
    expect(
      errorCodes(await stack.query(`{ myData { identityNumber } }`, {}, { token: staff })),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await stack.query(`{ myData { identityNumber } }`, {}))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('is for admins only', async () => {
    const asStaff = await stack.query(READS, {}, { token: staff });
    expect(errorCodes(asStaff)).toEqual(['FORBIDDEN']);
    const anonymous = await stack.query(READS, {});
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const malformed = await stack.query(READS, { a: 'not-an-id' }, { token: admin });
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    for (const first of [0, 501]) {
      const bad = await stack.query(
        `query($f: Int) { personalDataReads(first: $f) { operation } }`,
        { f: first },
        { token: admin },
      );
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it("cannot be changed or emptied by the services' own database role", async () => {
    const [before] = await stack.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduling.personal_data_read',
    );
    expect(before.n).toBeGreaterThan(0);
    for (const statement of [
      `UPDATE scheduling.personal_data_read SET reader_subject = 'someone-else'`,
      'DELETE FROM scheduling.personal_data_read',
      'TRUNCATE scheduling.personal_data_read',
    ]) {
      // The same role and connection string the services use (the stack's DATABASE_URL).
      await expect(stack.sql(statement)).rejects.toMatchObject({ code: '42501' });
    }
    const [after] = await stack.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduling.personal_data_read',
    );
    expect(after).toEqual(before);
    const subjects = await stack.sql<{ reader_subject: string }>(
      'SELECT DISTINCT reader_subject FROM scheduling.personal_data_read ORDER BY 1',
    );
    expect(subjects.map((r) => r.reader_subject)).not.toContain('someone-else');
  });
});
