import {
  eventually,
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm: bookings and tickets are made. */
const MARCH = '2027-03-01T10:00:00+01:00';
/** 106 days later: March's visits are past the 90 days of retention, June's are not. */
const JUNE = '2027-06-15T10:00:00+02:00';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference } }`;
const BY_REFERENCE = `query($r: String!, $p: String) { appointmentByReference(reference: $r, personnummer: $p) { id status } }`;

interface Booked {
  id: string;
  reference: string;
  personnummer: string;
}

/**
 * Retention (docs/security.md): 90 days after a visit the personal data is gone — contact
 * details, identity numbers, the keys linking visits to one person, ticket notes — and the
 * rows stay for statistics. Later visits are untouched.
 */
describe('retention of personal data', () => {
  let march: TestStack;
  let june: TestStack;
  let orebro: {
    id: string;
    services: Array<{ id: string; code: string }>;
    counters: Array<{ id: string; name: string }>;
  };
  const booked: Record<string, Booked> = {};
  let ticketId: string;
  let people = 0;

  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;

  async function book(stack: TestStack, start: string): Promise<Booked> {
    const personnummer = syntheticPersonnummer(++people, 1975);
    const answer = await stack.query<{ bookAppointment: { id: string; reference: string } }>(BOOK, {
      input: {
        officeId: orebro.id,
        serviceId: service('tax-return-help'),
        start,
        citizen: {
          personnummer,
          name: 'Test Person',
          email: 'test.person@example.se',
          phone: '070-000 00 00',
        },
      },
    });
    expect(answer.errors).toBeUndefined();
    return { ...(answer.data?.bookAppointment as { id: string; reference: string }), personnummer };
  }

  beforeAll(async () => {
    march = await startTestStack({ FIXED_NOW: MARCH });
    const admin = await march.tokenFor({ role: 'admin', subject: 'retention-admin' });
    const offices = await march.query<{ offices: Array<typeof orebro & { municipality: string }> }>(
      '{ offices { id municipality services { id code } counters { id name } } }',
      {},
      { token: admin },
    );
    orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    booked.past = await book(march, '2027-03-01T13:00:00+01:00');
    booked.later = await book(march, '2027-06-10T10:00:00+02:00');

    // A ticket taken by staff with the citizen's identity number, then transferred with a note.
    const anna = await march.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id],
      adminOffices: [],
      competences: ['FK', 'SKV'],
    });
    const taken = await march.query<{ takeTicket: { ticket: { id: string } } }>(
      `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { id } } }`,
      {
        input: {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
          personnummer: syntheticPersonnummer(++people, 1975),
        },
      },
      { token: anna },
    );
    expect(taken.errors).toBeUndefined();
    ticketId = taken.data?.takeTicket.ticket.id as string;
    const moved = await march.query(
      `mutation($t: ID!, $s: ID!) { transferTicket(ticketId: $t, serviceId: $s, note: "Needs help with the form for his late wife's pension") { id } }`,
      { t: ticketId, s: service('parental-benefit') },
      { token: anna },
    );
    expect(moved.errors).toBeUndefined();
  });

  afterAll(async () => {
    await june?.stop();
    await march?.stop();
  });

  it('keeps everything while the visits are recent', async () => {
    const [contacts] = await march.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduling.appointment_contact WHERE appointment_id = ANY($1::uuid[])',
      [[booked.past.id, booked.later.id]],
    );
    expect(contacts.n).toBe(2);
    const found = await march.query(BY_REFERENCE, {
      r: booked.past.reference,
      p: booked.past.personnummer,
    });
    expect(found.data).toMatchObject({ appointmentByReference: { id: booked.past.id } });
  });

  it('purges what identifies the citizen 90 days after the visit, and keeps the rows for statistics', async () => {
    const appointmentsBefore = await march.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduling.appointment',
    );
    const eventsBefore = await march.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM scheduling.ticket_event',
    );
    // The scheduling replica of June sweeps at start.
    june = await startTestStack({ FIXED_NOW: JUNE, DATABASE_URL: march.databaseUrl });
    const contact = await eventually(
      () =>
        june.sql<{ appointment_id: string }>(
          'SELECT appointment_id FROM scheduling.appointment_contact WHERE appointment_id = ANY($1::uuid[])',
          [[booked.past.id, booked.later.id]],
        ),
      (rows) => rows.length === 1,
    );
    expect(contact.map((r) => r.appointment_id)).toEqual([booked.later.id]);

    const [past] = await june.sql<{
      citizen_key: string | null;
      status: string;
      service_id: string;
    }>(
      'SELECT citizen_key, status::text AS status, service_id FROM scheduling.appointment WHERE id = $1',
      [booked.past.id],
    );
    expect(past).toEqual({
      citizen_key: null,
      status: 'BOOKED',
      service_id: service('tax-return-help'),
    });
    const [later] = await june.sql<{ citizen_key: string | null }>(
      'SELECT citizen_key FROM scheduling.appointment WHERE id = $1',
      [booked.later.id],
    );
    expect(later.citizen_key).not.toBeNull();

    const [ticket] = await june.sql<{
      citizen_key: string | null;
      note: string | null;
      number: string;
    }>('SELECT citizen_key, note, number FROM scheduling.ticket WHERE id = $1', [ticketId]);
    expect(ticket).toMatchObject({ citizen_key: null, note: null });
    const ticketContacts = await june.sql(
      'SELECT 1 FROM scheduling.ticket_contact WHERE ticket_id = $1',
      [ticketId],
    );
    expect(ticketContacts).toEqual([]);

    // Statistics keep every row.
    expect(await june.sql('SELECT count(*)::int AS n FROM scheduling.appointment')).toEqual(
      appointmentsBefore,
    );
    expect(await june.sql('SELECT count(*)::int AS n FROM scheduling.ticket_event')).toEqual(
      eventsBefore,
    );

    // The purged booking no longer answers to the identity number; the later one does.
    const gone = await june.query(BY_REFERENCE, {
      r: booked.past.reference,
      p: booked.past.personnummer,
    });
    expect(gone.data).toEqual({ appointmentByReference: null });
    const kept = await june.query(BY_REFERENCE, {
      r: booked.later.reference,
      p: booked.later.personnummer,
    });
    expect(kept.data).toMatchObject({ appointmentByReference: { id: booked.later.id } });
  });
});
