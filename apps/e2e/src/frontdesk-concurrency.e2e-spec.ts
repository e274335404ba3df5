import type { RunningStack } from '@samservice/stack';
import { postGraphQL, startTestStack, startReplica, type TestStack } from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm: Örebro is open. */
const NOW = '2027-03-01T10:00:00+01:00';
const COUNTERS = 20;
const TICKETS = 100;

const CALL_NEXT = `mutation($c: ID!) { callNext(counterId: $c) { id number } }`;
const END = `mutation($t: ID!) { endService(ticketId: $t) { id status } }`;
const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { id number } } }`;

interface Counter {
  id: string;
  token: string;
}

/**
 * The claim that callNext makes is one statement with FOR UPDATE SKIP LOCKED: 20 counters
 * pressing at the same instant on one queue never get the same citizen, and every ticket
 * is called exactly once, whether the counters talk to one scheduling replica or to two
 * (a second gateway, directory and scheduling on the same database).
 */
describe('callNext under concurrency', () => {
  let stack: TestStack;
  let second: RunningStack;
  let orebro: string;
  let taxHelp: string;
  const counters: Counter[] = [];

  const admin = () => stack.tokenFor({ role: 'admin', subject: 'race-admin' });

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    // A second replica of every service on the same database, with its own gateway.
    second = await startReplica(stack);

    const token = await admin();
    const offices = await stack.query<{
      offices: Array<{
        id: string;
        municipality: string;
        services: Array<{ id: string; code: string; agency: { id: string } }>;
      }>;
    }>('{ offices { id municipality services { id code agency { id } } } }');
    const office = offices.data?.offices.find((o) => o.municipality === 'Örebro');
    orebro = office?.id as string;
    const service = office?.services.find((s) => s.code === 'tax-return-help');
    taxHelp = service?.id as string;
    const skv = service?.agency.id as string;

    for (let i = 1; i <= COUNTERS; i++) {
      const counter = await stack.query<{ createCounter: { id: string } }>(
        `mutation($o: ID!, $name: String!) { createCounter(officeId: $o, input: { name: $name }) { id } }`,
        { o: orebro, name: `Lucka ${i}` },
        { token },
      );
      const person = await stack.query<{ createStaffMember: { id: string } }>(
        `mutation($input: CreateStaffMemberInput!) { createStaffMember(input: $input) { id } }`,
        {
          input: {
            name: `Handläggare ${i}`,
            subject: `race-${i}`,
            languages: ['sv'],
            offices: [{ officeId: orebro }],
            competences: [{ agencyId: skv }],
          },
        },
        { token },
      );
      // On shift, so the queue's estimates count them and the kiosk keeps giving tickets.
      const shift = await stack.query(
        `mutation($s: ID!, $input: ShiftInput!) { addShift(staffId: $s, input: $input) { id } }`,
        {
          s: person.data?.createStaffMember.id,
          input: { officeId: orebro, weekday: 1, start: '09:00', end: '16:00' },
        },
        { token },
      );
      expect(counter.errors ?? person.errors ?? shift.errors).toBeUndefined();
      counters.push({
        id: counter.data?.createCounter.id as string,
        token: await stack.tokenFor({
          role: 'staff',
          subject: `race-${i}`,
          offices: [orebro],
          adminOffices: [],
          competences: ['SKV'],
        }),
      });
    }
  });

  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  async function fillQueue(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let i = 0; i < TICKETS; i++) {
      const taken = await stack.query<{ takeTicket: { ticket: { id: string } } }>(TAKE, {
        input: { officeId: orebro, serviceId: taxHelp },
      });
      expect(taken.errors).toBeUndefined();
      ids.add(taken.data?.takeTicket.ticket.id as string);
    }
    return ids;
  }

  async function drain(urls: (index: number) => string): Promise<void> {
    const queued = await fillQueue();
    const calledOnce = new Set<string>();
    let remaining = queued.size;
    while (remaining > 0) {
      // Every counter presses at the same instant.
      const answers = await Promise.all(
        counters.map((counter, index) =>
          postGraphQL<{ callNext: { id: string } | null }>(
            urls(index),
            CALL_NEXT,
            { c: counter.id },
            {
              token: counter.token,
            },
          ),
        ),
      );
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const round = answers.map((a) => a.data?.callNext?.id).filter((id): id is string => !!id);
      expect(new Set(round).size).toBe(round.length);
      expect(round.length).toBe(Math.min(COUNTERS, remaining));
      for (const id of round) {
        expect(queued.has(id)).toBe(true);
        expect(calledOnce.has(id)).toBe(false);
        calledOnce.add(id);
      }
      remaining -= round.length;
      // Each counter finishes its citizen before the next round.
      await Promise.all(
        answers.map(async (answer, index) => {
          const id = answer.data?.callNext?.id;
          if (!id) return;
          const ended = await postGraphQL(
            urls(index),
            END,
            { t: id },
            { token: counters[index].token },
          );
          expect(ended.errors).toBeUndefined();
        }),
      );
    }
    expect(calledOnce).toEqual(queued);
    const calls = await stack.sql<{ ticket_id: string; calls: number }>(
      `SELECT ticket_id, count(*)::int AS calls FROM scheduling.ticket_event
       WHERE kind = 'CALLED' AND ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`,
      [[...queued]],
    );
    expect(calls).toHaveLength(TICKETS);
    expect(calls.every((c) => c.calls === 1)).toBe(true);
  }

  it('one replica: each round calls 20 distinct citizens, every ticket exactly once', async () => {
    await drain(() => stack.graphqlUrl);
  });

  it('two replicas: counters split between two gateways and scheduling replicas', async () => {
    await drain((index) => (index % 2 === 0 ? stack.graphqlUrl : second.graphqlUrl));
  });
});
