import type { RunningStack } from '@samservice/stack';
import {
  startTestStack,
  subscribe,
  subscriptionClient,
  startReplica,
  type TestStack,
} from '@samservice/testing';
import type { Client } from 'graphql-ws';

/** Monday 1 March 2027, 10:00 in Stockholm: Örebro is open. */
const NOW = '2027-03-01T10:00:00+01:00';

const LOBBY = `subscription($o: ID!, $after: DateTime) {
  lobbyCallMade(officeId: $o, after: $after) { ticketNumber counterName calledAt recall } }`;
const QUEUE_CHANGED = `subscription($o: ID!) {
  officeQueueChanged(officeId: $o) { officeId waiting services { service { id } waiting } } }`;
const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { id number } } }`;
const CALL_NEXT = `mutation($c: ID!) { callNext(counterId: $c) { id number } }`;
const RECALL = `mutation($t: ID!) { recallTicket(ticketId: $t) { id callCount } }`;
const END = `mutation($t: ID!) { endService(ticketId: $t) { id } }`;

interface Office {
  id: string;
  municipality: string;
  services: Array<{ id: string; code: string }>;
  counters: Array<{ id: string; name: string }>;
}

type LobbyCall = { ticketNumber: string; counterName: string; calledAt: string; recall: boolean };

/** A lobby display's subscription: every call it got, and a way to wait for one. */
interface Display {
  calls: LobbyCall[];
  errors: unknown[];
  /** The first call after `from` (index into calls) that matches, within a few seconds. */
  waitFor(match: (call: LobbyCall) => boolean, from?: number): Promise<LobbyCall>;
  stop(): void;
}

function display(made: Client, variables: Record<string, unknown>): Display {
  const calls: LobbyCall[] = [];
  const errors: unknown[] = [];
  const stop = made.subscribe<{ lobbyCallMade: LobbyCall }>(
    { query: LOBBY, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        if (result.data) calls.push(result.data.lobbyCallMade);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    calls,
    errors,
    stop,
    async waitFor(match, from = 0) {
      for (let waited = 0; waited < 10_000; waited += 20) {
        const found = calls.slice(from).find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(
        `no such call pushed; got ${JSON.stringify(calls)} ${JSON.stringify(errors)}`,
      );
    },
  };
}

/**
 * The lobby display through the gateway's graphql-ws endpoint, as a real display connects:
 * each call pushed as it commits (also from another replica), nothing personal, a display
 * that lost its connection catching up, and staff's queue lengths.
 */
describe('lobby display and queue views over graphql-ws', () => {
  let stack: TestStack;
  let second: RunningStack;
  let orebro: Office;
  let anna: string;
  let erik: string;
  const clients: Client[] = [];

  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;
  const counter = (name: string) => orebro.counters.find((c) => c.name === name)?.id as string;
  const client = (url: string, token?: string) => {
    const made = subscriptionClient(url, { token });
    clients.push(made);
    return made;
  };
  const data = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const answer = await stack.query<T>(query, variables, token ? { token } : {});
    expect(answer.errors).toBeUndefined();
    return answer.data as T;
  };
  const staff = (subject: string, competences: string[]) =>
    stack.tokenFor({
      role: 'staff',
      subject,
      offices: [orebro.id],
      adminOffices: [],
      competences,
    });

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    second = await startReplica(stack);
    const admin = await stack.tokenFor({ role: 'admin', subject: 'lobby-admin' });
    const { offices } = await data<{ offices: Office[] }>(
      '{ offices { id municipality services { id code } counters { id name } } }',
      {},
      admin,
    );
    orebro = offices.find((o) => o.municipality === 'Örebro') as Office;
    anna = await staff('demo-anna-lindqvist', ['FK', 'SKV']);
    erik = await staff('demo-erik-nilsson', ['SKV']);
  });

  afterAll(async () => {
    for (const made of clients) await made.dispose();
    await second?.stop();
    await stack?.stop();
  });

  /** A walk-in ticket for tax return help, called to Disk 3 by Anna and then ended. */
  async function callOne(): Promise<{ id: string; number: string; sentAt: number }> {
    await data(TAKE, { input: { officeId: orebro.id, serviceId: service('tax-return-help') } });
    const sentAt = performance.now();
    const { callNext } = await data<{ callNext: { id: string; number: string } }>(
      CALL_NEXT,
      { c: counter('Disk 3') },
      anna,
    );
    return { ...callNext, sentAt };
  }

  /**
   * graphql-ws does not acknowledge a subscription: calls are made (and ended) until the
   * display shows one, so the display is known to be live before what a test measures.
   */
  async function untilLive(shown: Display): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const warm = await callOne();
      await data(END, { t: warm.id }, anna);
      const deadline = Date.now() + 300;
      while (Date.now() < deadline) {
        if (shown.calls.some((c) => c.ticketNumber === warm.number)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    throw new Error(`the display never went live: ${JSON.stringify(shown.errors)}`);
  }

  it('pushes each call to a connected display, with the number and counter only', async () => {
    const shown = display(client(stack.graphqlUrl), { o: orebro.id });
    await untilLive(shown);
    const from = shown.calls.length;
    const called = await callOne();
    const call = await shown.waitFor((c) => c.ticketNumber === called.number, from);
    const latencyMs = performance.now() - called.sentAt;
    expect(call).toEqual({
      ticketNumber: called.number,
      counterName: 'Disk 3',
      calledAt: '2027-03-01T10:00:00.000+01:00',
      recall: false,
    });
    // Measured from sending callNext (the push may come before its answer); the figures of
    // many pushes under load are bench:frontdesk's, not a threshold here.
    expect(latencyMs).toBeGreaterThan(0);

    await data(RECALL, { t: called.id }, anna);
    expect(await shown.waitFor((c) => c.ticketNumber === called.number && c.recall, from)).toEqual({
      ...call,
      recall: true,
    });
    await data(END, { t: called.id }, anna);
    expect(shown.errors).toEqual([]);
    shown.stop();
  });

  it('reaches a display connected to another replica (gateway and scheduling)', async () => {
    const shown = display(client(second.graphqlUrl), { o: orebro.id });
    // The calls go through the first stack's gateway and scheduling replica.
    await untilLive(shown);
    const called = await callOne();
    expect(
      await shown.waitFor((c) => c.ticketNumber === called.number, shown.calls.length - 1),
    ).toMatchObject({ counterName: 'Disk 3' });
    await data(END, { t: called.id }, anna);
    shown.stop();
  });

  it('lets a display that lost its connection catch up on the calls it missed', async () => {
    // The display showed the calls up to just before these two, then lost its connection.
    const missed = [await callOne()];
    await data(END, { t: missed[0].id }, anna);
    missed.push(await callOne());
    await data(END, { t: missed[1].id }, anna);

    const shown = display(client(stack.graphqlUrl), {
      o: orebro.id,
      after: '2027-03-01T09:59:59.000+01:00',
    });
    // Everything called today after that time comes first, oldest first, ending with the two.
    await shown.waitFor((c) => c.ticketNumber === missed[1].number && !c.recall);
    const replayed = shown.calls.filter((c) => !c.recall).map((c) => c.ticketNumber);
    expect(replayed.slice(-2)).toEqual([missed[0].number, missed[1].number]);
    // Then live, as before.
    const from = shown.calls.length;
    const live = await callOne();
    await shown.waitFor((c) => c.ticketNumber === live.number, from);
    await data(END, { t: live.id }, anna);
    shown.stop();
  });

  it('refuses an unknown office and a malformed time, with codes', async () => {
    const unknown = subscribe(client(stack.graphqlUrl), LOBBY, {
      o: '00000000-0000-4000-8000-000000000000',
    });
    const refused = await unknown.ended;
    expect(JSON.stringify(refused.error ?? refused.results)).toContain('NOT_FOUND');
    const malformed = subscribe(client(stack.graphqlUrl), LOBBY, { o: orebro.id, after: 'soon' });
    const bad = await malformed.ended;
    expect(JSON.stringify(bad.error ?? bad.results)).toContain('BAD_USER_INPUT');
  });

  it('estimates with the staff on duty: someone away is not counted', async () => {
    const admin = await stack.tokenFor({ role: 'admin', subject: 'lobby-admin' });
    const { office } = await data<{ office: { staff: Array<{ id: string; name: string }> } }>(
      `query($o: ID!) { office(id: $o) { staff { id name } } }`,
      { o: orebro.id },
      admin,
    );
    const estimate = async () =>
      (
        await data<{ takeTicket: { ticket: { estimatedWait: { lowMinutes: number } | null } } }>(
          `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { estimatedWait { lowMinutes } } } }`,
          { input: { officeId: orebro.id, serviceId: service('citizen-guidance') } },
        )
      ).takeTicket.ticket.estimatedWait;
    // Örebro kommun's citizen guidance: Fatuma and Maria are trained for it, both on shift.
    expect(await estimate()).not.toBeNull();
    for (const name of ['Fatuma Warsame', 'Maria Svensson']) {
      const person = office.staff.find((s) => s.name === name) as { id: string };
      await data(
        `mutation($s: ID!, $input: AbsenceInput!) { addAbsence(staffId: $s, input: $input) { id } }`,
        {
          s: person.id,
          input: { start: '2027-03-01T09:30:00+01:00', end: '2027-03-01T12:00:00+01:00' },
        },
        admin,
      );
    }
    // Nobody on duty serves it now: no band to show rather than a wrong one.
    expect(await estimate()).toBeNull();
  });

  it("gives staff their services' queue lengths at every change; nobody else", async () => {
    const view = subscribe(client(stack.graphqlUrl, erik), QUEUE_CHANGED, { o: orebro.id });
    type Lengths = {
      officeId: string;
      waiting: number;
      services: Array<{ service: { id: string }; waiting: number }>;
    };
    const first = (await view.next()).data?.officeQueueChanged as Lengths;
    expect(first.officeId).toBe(orebro.id);
    await data(TAKE, { input: { officeId: orebro.id, serviceId: service('tax-return-help') } });
    const after = (await view.next()).data?.officeQueueChanged as Lengths;
    expect(after.waiting).toBe(first.waiting + 1);
    // Erik serves Skatteverket only: a Försäkringskassan ticket is not in his view.
    await data(TAKE, { input: { officeId: orebro.id, serviceId: service('parental-benefit') } });
    const fk = (await view.next()).data?.officeQueueChanged as Lengths;
    expect(fk.waiting).toBe(after.waiting);
    expect(fk.services.map((s) => s.service.id)).not.toContain(service('parental-benefit'));
    view.stop();

    const anonymous = subscribe(client(stack.graphqlUrl), QUEUE_CHANGED, { o: orebro.id });
    const refused = await anonymous.ended;
    expect(JSON.stringify(refused.error ?? refused.results)).toContain('UNAUTHENTICATED');
  });
});
