import { Client } from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '@samservice/platform/database';
import { seedFrontDeskMorning } from '@samservice/scheduling/database';
import { migrateAll, seedDemo } from '@samservice/stack/database';
import { startTestStack, type TestStack } from '@samservice/testing';

/** Monday 1 March 2027, 10:30 in Stockholm: every demo office is open (9–16). */
const MONDAY = '2027-03-01T10:30:00+01:00';
const NOW = Date.parse(MONDAY);
/** Sunday 28 February 2027, 10:30: every demo office is closed. */
const SUNDAY = Date.parse('2027-02-28T10:30:00+01:00');

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface TicketLine {
  officeId: string;
  number: string;
  letter: string;
  sequence: number;
  status: string;
  arrivedAt: Date;
  counterName: string | null;
}

const ticketLines = (url: string) =>
  sql<TicketLine>(
    url,
    `SELECT office_id AS "officeId", number, letter, sequence, status::text AS status,
            arrived_at AS "arrivedAt", counter_name AS "counterName"
     FROM scheduling.ticket ORDER BY office_id, letter, sequence`,
  );

describe('the demo morning at the front desk', () => {
  const scratches: ScratchDatabase[] = [];
  const seededDatabase = async () => {
    const scratch = await createScratchDatabase(
      process.env.SAMSERVICE_TEST_SERVER_URL || undefined,
    );
    scratches.push(scratch);
    await migrateAll(scratch.url);
    await seedDemo(scratch.url);
    return scratch.url;
  };
  let url: string;
  let kiruna: string;

  beforeAll(async () => {
    url = await seededDatabase();
    // Kiruna is closed that Monday (a closure of its own): it gets no morning.
    [{ id: kiruna }] = await sql<{ id: string }>(
      url,
      `SELECT id FROM directory.office WHERE municipality = 'Kiruna'`,
    );
    await sql(
      url,
      `INSERT INTO directory.closure (office_id, from_date, to_date, reason)
       VALUES ($1, '2027-03-01', '2027-03-01', 'Inventering')`,
      [kiruna],
    );
  });

  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
  });

  it('gives every office open at 10:30 on a Monday people waiting and people at counters', async () => {
    const offices = await seedFrontDeskMorning(url, NOW);
    expect(offices).toHaveLength(4);
    const open = offices.filter((o) => o.officeId !== kiruna);
    for (const office of open) {
      expect(office).toMatchObject({ outcome: 'SEEDED' });
      expect(office.waiting).toBeGreaterThanOrEqual(5);
      expect(office.waiting).toBeLessThanOrEqual(15);
      expect(office.atCounters).toBeGreaterThanOrEqual(1);
      expect(office.atCounters).toBeLessThanOrEqual(5);
      expect(office.completed).toBeGreaterThan(0);
    }
    expect(offices.find((o) => o.officeId === kiruna)).toMatchObject({
      outcome: 'CLOSED',
      tickets: 0,
    });

    const perOffice = await sql<{ officeId: string; status: string; count: number }>(
      url,
      `SELECT office_id AS "officeId", status::text AS status, count(*)::int AS count
       FROM scheduling.ticket WHERE local_date = '2027-03-01' GROUP BY 1, 2`,
    );
    for (const office of open) {
      const count = (status: string) =>
        perOffice.find((r) => r.officeId === office.officeId && r.status === status)?.count ?? 0;
      expect(count('WAITING')).toBe(office.waiting);
      expect(count('CALLED') + count('IN_SERVICE')).toBe(office.atCounters);
      expect(count('COMPLETED')).toBe(office.completed);
    }
    expect(perOffice.filter((r) => r.officeId === kiruna)).toEqual([]);
  });

  it('numbers each letter 1, 2, 3… and leaves the day counters where the kiosk goes on', async () => {
    const tickets = await ticketLines(url);
    const byLetter = new Map<string, TicketLine[]>();
    for (const t of tickets) {
      const key = `${t.officeId}/${t.letter}`;
      byLetter.set(key, [...(byLetter.get(key) ?? []), t]);
    }
    for (const list of byLetter.values()) {
      // Numbered 1, 2, 3… per letter, in the order of the office's own count.
      list.sort((a, b) => a.sequence - b.sequence);
      expect(list.map((t) => t.number)).toEqual(
        list.map((t, i) => `${t.letter}${String(i + 1).padStart(3, '0')}`),
      );
      // In order of arrival.
      const arrivals = list.map((t) => t.arrivedAt.getTime());
      expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    }
    const counters = await sql<{ officeId: string; key: string; value: number }>(
      url,
      `SELECT office_id AS "officeId", counter_key AS key, value FROM scheduling.ticket_day_counter
       WHERE local_date = '2027-03-01'`,
    );
    for (const [key, list] of byLetter) {
      const [officeId, letter] = key.split('/');
      expect(
        counters.find((c) => c.officeId === officeId && c.key === `letter:${letter}`)?.value,
      ).toBe(list.length);
    }
    const perService = await sql<{ officeId: string; key: string; value: number }>(
      url,
      `SELECT office_id AS "officeId", 'service:' || service_id AS key, count(*)::int AS value
       FROM scheduling.ticket GROUP BY 1, 2`,
    );
    for (const row of perService) expect(counters).toContainEqual(row);
    // The office's count: every ticket of the day once, 1..n.
    for (const officeId of new Set(tickets.map((t) => t.officeId))) {
      const sequences = tickets.filter((t) => t.officeId === officeId).map((t) => t.sequence);
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences.map((_, i) => i + 1));
      expect(counters).toContainEqual({ officeId, key: 'office', value: sequences.length });
    }
  });

  it('has one citizen at most per counter and per person, called by staff competent for the service', async () => {
    const open = await sql<{
      staffId: string;
      counterId: string;
      serviceId: string;
      agencyId: string;
    }>(
      url,
      `SELECT staff_id AS "staffId", counter_id AS "counterId", service_id AS "serviceId", agency_id AS "agencyId"
       FROM scheduling.ticket WHERE status IN ('CALLED', 'IN_SERVICE')`,
    );
    expect(new Set(open.map((t) => t.staffId)).size).toBe(open.length);
    expect(new Set(open.map((t) => t.counterId)).size).toBe(open.length);
    const incompetent = await sql(
      url,
      `SELECT t.number FROM scheduling.ticket t
       JOIN directory.published_staff s ON s.staff_id = t.staff_id AND s.office_id = t.office_id
       WHERE t.staff_id IS NOT NULL
         AND NOT (t.agency_id = ANY(s.agency_ids) OR t.service_id = ANY(s.service_ids))`,
    );
    expect(incompetent).toEqual([]);
  });

  it('writes every step as an event, in order and in the past, with measured service times', async () => {
    const events = await sql<{ ticketId: string; status: string; kinds: string[]; ats: Date[] }>(
      url,
      `SELECT t.id AS "ticketId", t.status::text AS status,
              array_agg(e.kind ORDER BY e.id) AS kinds, array_agg(e.at ORDER BY e.id) AS ats
       FROM scheduling.ticket t JOIN scheduling.ticket_event e ON e.ticket_id = t.id
       GROUP BY t.id, t.status`,
    );
    const expected: Record<string, string[]> = {
      WAITING: ['ARRIVED'],
      CALLED: ['ARRIVED', 'CALLED'],
      IN_SERVICE: ['ARRIVED', 'CALLED', 'STARTED'],
      COMPLETED: ['ARRIVED', 'CALLED', 'STARTED', 'ENDED'],
    };
    for (const ticket of events) {
      expect(ticket.kinds).toEqual(expected[ticket.status]);
      const ats = ticket.ats.map((at) => at.getTime());
      expect(ats).toEqual([...ats].sort((a, b) => a - b));
      expect(Math.max(...ats)).toBeLessThan(NOW);
      expect(Math.min(...ats)).toBeGreaterThanOrEqual(Date.parse('2027-03-01T09:00:00+01:00'));
    }
    const ended = await sql<{ details: Record<string, unknown>; serviceId: string }>(
      url,
      `SELECT details, service_id AS "serviceId" FROM scheduling.ticket_event WHERE kind = 'ENDED'`,
    );
    expect(ended.length).toBeGreaterThan(0);
    for (const { details, serviceId } of ended) {
      expect(details).toMatchObject({ outcome: 'RESOLVED', deliveredServiceIds: [serviceId] });
      expect(details['servedSeconds']).toBeGreaterThan(60);
    }
    const calls = await sql<{ details: Record<string, unknown>; counterName: string }>(
      url,
      `SELECT e.details, t.counter_name AS "counterName" FROM scheduling.ticket_event e
       JOIN scheduling.ticket t ON t.id = e.ticket_id WHERE e.kind = 'CALLED'`,
    );
    for (const { details, counterName } of calls) {
      expect(details).toMatchObject({ counterName, number: expect.stringMatching(/^[A-Z]\d{3}$/) });
    }
  });

  it('adds nothing on a second run, and nothing on a Sunday', async () => {
    const before = await ticketLines(url);
    const again = await seedFrontDeskMorning(url, NOW + 5 * 60_000);
    expect(again.map((o) => o.outcome).sort()).toEqual([
      'CLOSED',
      'HAS_TICKETS',
      'HAS_TICKETS',
      'HAS_TICKETS',
    ]);
    const sunday = await seedFrontDeskMorning(url, SUNDAY);
    expect(sunday.map((o) => o.outcome)).toEqual(['CLOSED', 'CLOSED', 'CLOSED', 'CLOSED']);
    expect(await ticketLines(url)).toEqual(before);
  });

  it('gives the same morning for the same instant on another fresh database', async () => {
    const other = await seededDatabase();
    await sql(
      other,
      `INSERT INTO directory.closure (office_id, from_date, to_date, reason)
       VALUES ($1, '2027-03-01', '2027-03-01', 'Inventering')`,
      [kiruna],
    );
    await seedFrontDeskMorning(other, NOW);
    expect(await ticketLines(other)).toEqual(await ticketLines(url));
  });

  it('ends what the day before left open, so the next morning has its counters and people', async () => {
    const tuesday = Date.parse('2027-03-02T10:30:00+01:00');
    const left = await sql<{ id: string }>(
      url,
      `SELECT id FROM scheduling.ticket WHERE status IN ('WAITING', 'CALLED', 'IN_SERVICE')`,
    );
    const offices = await seedFrontDeskMorning(url, tuesday);
    expect(offices.reduce((sum, o) => sum + o.endedEarlier, 0)).toBe(left.length);
    expect(offices.every((o) => o.outcome === 'SEEDED')).toBe(true);
    const monday = await sql<{ status: string; kinds: string[]; endedAt: Date }>(
      url,
      `SELECT t.status::text AS status, t.ended_at AS "endedAt",
              array_agg(e.details->>'reason' ORDER BY e.id) FILTER (WHERE e.kind = 'CANCELLED') AS kinds
       FROM scheduling.ticket t JOIN scheduling.ticket_event e ON e.ticket_id = t.id
       WHERE t.id = ANY($1::uuid[]) GROUP BY t.id`,
      [left.map((t) => t.id)],
    );
    for (const ticket of monday) {
      expect(ticket).toMatchObject({ status: 'CANCELLED', kinds: ['DAY_ENDED'] });
      // At Monday's closing, 16:00.
      expect(ticket.endedAt.toISOString()).toBe('2027-03-01T15:00:00.000Z');
    }
  });
});

describe('the demo morning through the stack (startTestStack with demo)', () => {
  let stack: TestStack;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: MONDAY }, { demo: true });
    const response = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
    }>('{ offices { id municipality services { id code } } }');
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the lobby its recent calls and the staff a queue, and the kiosk numbers on', async () => {
    const lobby = await stack.query<{
      lobbyCalls: Array<{ ticketNumber: string; counterName: string; calledAt: string }>;
    }>(`query($o: ID!) { lobbyCalls(officeId: $o) { ticketNumber counterName calledAt } }`, {
      o: orebro.id,
    });
    expect(lobby.errors).toBeUndefined();
    const calls = lobby.data?.lobbyCalls ?? [];
    expect(calls.length).toBeGreaterThan(3);
    expect(calls[0]?.calledAt < '2027-03-01T10:30:00.000+01:00').toBe(true);
    expect(calls[0]?.counterName).toMatch(/^(Disk \d|Samtalsrum)$/);

    const admin = await stack.tokenFor({ role: 'admin', subject: 'demo-admin' });
    const queue = await stack.query<{
      officeQueue: Array<{ number: string; status: string; estimatedWaitMinutes: number | null }>;
    }>(
      `query($o: ID!) { officeQueue(officeId: $o) { number status estimatedWaitMinutes } }`,
      { o: orebro.id },
      { token: admin },
    );
    expect(queue.errors).toBeUndefined();
    const waiting = queue.data?.officeQueue ?? [];
    expect(waiting.length).toBeGreaterThanOrEqual(5);
    expect(waiting.every((t) => t.status === 'WAITING')).toBe(true);

    // A ticket taken now continues its letter's numbering of the morning.
    const taxHelp = orebro.services.find((s) => s.code === 'tax-return-help')?.id;
    const [{ value }] = await stack
      .sql<{ value: number }>(
        `SELECT value FROM scheduling.ticket_day_counter
       WHERE office_id = $1 AND local_date = '2027-03-01' AND counter_key = 'letter:S'`,
        [orebro.id],
      )
      .then((rows) => (rows.length > 0 ? rows : [{ value: 0 }]));
    const taken = await stack.query<{ takeTicket: { ticket: { number: string } } }>(
      `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { number } } }`,
      { input: { officeId: orebro.id, serviceId: taxHelp } },
    );
    expect(taken.errors).toBeUndefined();
    expect(taken.data?.takeTicket.ticket.number).toBe(`S${String(value + 1).padStart(3, '0')}`);
  });
});
