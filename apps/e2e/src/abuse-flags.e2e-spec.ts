import {
  errorCodes,
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }`;
const CANCEL = `mutation($r: String!, $p: String) { cancelAppointment(reference: $r, personnummer: $p) { status } }`;
const FLAGS = `{ abuseFlags { kind subject count windowMinutes } }`;

interface Flag {
  kind: string;
  subject: string;
  count: number;
  windowMinutes: number;
}

/**
 * Release-morning abuse (docs/security.md, "Abuse"): a citizen cancelling and rebooking
 * again and again, and one client booking for many identity numbers, are flagged for an
 * admin — and nothing is refused for it.
 */
describe('abuse flags', () => {
  let stack: TestStack;
  let admin: string;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  let slots: string[];
  let people = 0;

  const book = (personnummer: string, start: string) =>
    stack.query<{ bookAppointment: { reference: string } }>(BOOK, {
      input: {
        officeId: orebro.id,
        serviceId: orebro.services.find((s) => s.code === 'tax-return-help')?.id,
        start,
        citizen: { personnummer, name: 'Test Person' },
      },
    });
  const flags = async () =>
    (await stack.query<{ abuseFlags: Flag[] }>(FLAGS, {}, { token: admin })).data?.abuseFlags ?? [];

  beforeAll(async () => {
    // Small limits, so the patterns show with a few requests.
    stack = await startTestStack({
      FIXED_NOW: NOW,
      ABUSE_TRADING_CANCELS: '3',
      ABUSE_IDENTITIES_PER_CLIENT: '4',
    });
    admin = await stack.tokenFor({ role: 'admin', subject: 'abuse-admin' });
    const offices = await stack.query<{ offices: Array<typeof orebro & { municipality: string }> }>(
      '{ offices { id municipality services { id code } } }',
    );
    orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    const free = await stack.query<{ availableSlots: Array<{ start: string }> }>(
      `query($o: ID!, $s: ID!) { availableSlots(officeId: $o, serviceId: $s, from: "2027-03-02", to: "2027-03-05") { start } }`,
      { o: orebro.id, s: orebro.services.find((s) => s.code === 'tax-return-help')?.id },
    );
    slots = (free.data?.availableSlots ?? []).map((s) => s.start);
    expect(slots.length).toBeGreaterThan(10);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('flags a citizen who cancels and rebooks again and again, refusing nothing', async () => {
    const personnummer = syntheticPersonnummer(++people, 1969);
    for (let round = 0; round < 3; round++) {
      const booked = await book(personnummer, slots[round]);
      expect(booked.errors).toBeUndefined();
      const cancelled = await stack.query(CANCEL, {
        r: booked.data?.bookAppointment.reference,
        p: personnummer,
      });
      expect(cancelled.errors).toBeUndefined();
    }
    // The fourth booking goes through: a flag is for review, not a refusal.
    expect((await book(personnummer, slots[3])).errors).toBeUndefined();
    const trading = (await flags()).filter((f) => f.kind === 'APPOINTMENT_TRADING');
    expect(trading).toHaveLength(1);
    expect(trading[0]).toMatchObject({ count: 3, windowMinutes: 24 * 60 });
    // The subject is the citizen's keyed hash, never the identity number.
    expect(trading[0].subject).toMatch(/^citizen:[0-9a-f]{64}$/);
  });

  it('flags one anonymous client booking for many identity numbers', async () => {
    for (let i = 0; i < 5; i++) {
      const booked = await book(syntheticPersonnummer(++people, 1969), slots[5 + i]);
      expect(booked.errors).toBeUndefined();
    }
    // More bookings from the flagged client go through and are no longer noted or counted.
    const noted = () =>
      stack.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM scheduling.client_booking WHERE client LIKE 'address:%'`,
      );
    const before = await noted();
    expect((await book(syntheticPersonnummer(++people, 1969), slots[10])).errors).toBeUndefined();
    expect(await noted()).toEqual(before);
    const many = (await flags()).filter((f) => f.kind === 'MANY_IDENTITIES');
    expect(many).toHaveLength(1);
    expect(many[0].subject).toMatch(/^address:/);
    expect(many[0].count).toBeGreaterThan(4);
  });

  it('shows the flags to admins only', async () => {
    const staff = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-erik-nilsson',
      offices: [orebro.id],
      adminOffices: [orebro.id],
      competences: ['SKV'],
    });
    expect(errorCodes(await stack.query(FLAGS, {}, { token: staff }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await stack.query(FLAGS, {}))).toEqual(['UNAUTHENTICATED']);
    for (const first of [0, 501, -1]) {
      const bad = await stack.query(
        `query($f: Int) { abuseFlags(first: $f) { kind } }`,
        { f: first },
        { token: admin },
      );
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
