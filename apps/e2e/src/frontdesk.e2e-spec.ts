import {
  errorCodes,
  startTestStack,
  syntheticPersonnummer,
  type GraphQLResponse,
  type TestStack,
} from '@samservice/testing';

/**
 * "Now" of the main stack: Monday 1 March 2027, 10:00 in Stockholm (offices open 9–16; Disk 5
 * at Örebro is FK's on Monday mornings). Time is pinned, so later moments of the same day run
 * as stacks of their own on the same database: LATER (12:30 the same Monday) checks in what
 * was booked at 10:00, and NEXT_MORNING (Tuesday 08:45, before opening) sees a new day.
 */
const NOW = '2027-03-01T10:00:00+01:00';
const LATER = '2027-03-01T12:30:00+01:00';
const NEXT_MORNING = '2027-03-02T08:45:00+01:00';

const TICKET_FIELDS = `id number status arrivedAt appointmentReference counterName estimatedWaitMinutes
  estimatedWait { lowMinutes highMinutes } position channel language needs calledAt callCount transferCount note
  remainingParts service { id }`;

interface Ticket {
  id: string;
  number: string;
  status: string;
  arrivedAt: string;
  appointmentReference: string | null;
  counterName: string | null;
  estimatedWaitMinutes: number | null;
  estimatedWait: { lowMinutes: number; highMinutes: number } | null;
  position: number | null;
  channel: string;
  language: string | null;
  needs: string[];
  calledAt: string | null;
  callCount: number;
  transferCount: number;
  note: string | null;
  remainingParts: number;
  service: { id: string };
}

interface Receipt {
  token: string;
  passesClosingTime: boolean;
  ticket: Ticket;
}

interface LobbyCall {
  ticketNumber: string;
  counterName: string;
  calledAt: string;
  recall: boolean;
}

interface Office {
  id: string;
  name: string;
  municipality: string;
  services: Array<{ id: string; code: string; agency: { code: string } }>;
  counters: Array<{ id: string; name: string }>;
  staff: Array<{ id: string; name: string }>;
}

interface Booked {
  id: string;
  reference: string;
  personnummer: string;
}

const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token passesClosingTime ticket { ${TICKET_FIELDS} } } }`;
const CHECK_IN = `mutation($r: String!) { checkIn(reference: $r) { token passesClosingTime ticket { ${TICKET_FIELDS} } } }`;
const TICKET = `query($t: String!) { ticket(token: $t) { ${TICKET_FIELDS} } }`;
const CANCEL = `mutation($t: String!) { cancelTicket(token: $t) { ${TICKET_FIELDS} } }`;
const QUEUE_TICKET = `query($id: ID!) { queueTicket(id: $id) { ${TICKET_FIELDS} } }`;
const QUEUE = `query($o: ID!, $first: Int) { officeQueue(officeId: $o, first: $first) { ${TICKET_FIELDS} } }`;
const QUEUE_LENGTH = `query($o: ID!) { officeQueueLength(officeId: $o) { officeId waiting services { service { id } waiting longestWaitMinutes } } }`;
const LOBBY = `query($o: ID!, $l: Int) { lobbyCalls(officeId: $o, limit: $l) { ticketNumber counterName calledAt recall } }`;
const CALL_NEXT = `mutation($c: ID!, $k: String) { callNext(counterId: $c, idempotencyKey: $k) { ${TICKET_FIELDS} } }`;
const CALL_TICKET = `mutation($t: ID!, $c: ID!) { callTicket(ticketId: $t, counterId: $c) { ${TICKET_FIELDS} } }`;
const RECALL = `mutation($t: ID!) { recallTicket(ticketId: $t) { ${TICKET_FIELDS} } }`;
const START = `mutation($t: ID!) { startService(ticketId: $t) { ${TICKET_FIELDS} } }`;
const END = `mutation($t: ID!) { endService(ticketId: $t) { ${TICKET_FIELDS} } }`;
const TRANSFER = `mutation($t: ID!, $s: ID!, $note: String, $placement: TransferPlacement, $staff: ID) {
  transferTicket(ticketId: $t, serviceId: $s, note: $note, placement: $placement, staffId: $staff) { ${TICKET_FIELDS} } }`;
const NO_SHOW = `mutation($t: ID!) { markNoShow(ticketId: $t) { ${TICKET_FIELDS} } }`;
const PARK = `mutation($t: ID!) { parkTicket(ticketId: $t, reason: BACK_LATER) { ${TICKET_FIELDS} } }`;
const UNPARK = `mutation($t: ID!) { unparkTicket(ticketId: $t) { ${TICKET_FIELDS} } }`;
const SET_RULE = `mutation($input: SetQueueRuleInput!) {
  setQueueRule(input: $input) { officeId service { id } targetWaitMinutes dailyTicketLimit } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference status start } }`;
const BOOK_JOINT = `mutation($input: BookJointVisitInput!) {
  bookJointVisit(input: $input) { id reference appointments { id reference start service { id } } } }`;
const BY_REFERENCE = `query($r: String!, $p: String) { appointmentByReference(reference: $r, personnummer: $p) { id status } }`;

type Variables = Record<string, unknown>;

/** The data of an operation that must succeed (its errors, if any, fail the test readably). */
async function ok<T>(
  stack: TestStack,
  query: string,
  variables: Variables = {},
  token?: string,
): Promise<T> {
  const response = await stack.query<T>(query, variables, token ? { token } : {});
  if (response.errors) {
    throw new Error(`${query.slice(0, 60).trim()}…: ${JSON.stringify(response.errors)}`);
  }
  return response.data as T;
}

/** An operation that must be refused: its error codes and the first error's extensions. */
async function refusal(
  stack: TestStack,
  query: string,
  variables: Variables = {},
  token?: string,
): Promise<{ codes: unknown[]; extensions: Record<string, unknown>; response: GraphQLResponse }> {
  const response = await stack.query(query, variables, token ? { token } : {});
  return {
    codes: errorCodes(response),
    extensions: response.errors?.[0]?.extensions ?? {},
    response,
  };
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A demo staff member's token (competences come from the directory, never from the token). */
function staffToken(
  stack: TestStack,
  name: string,
  office: Office,
  admin = false,
): Promise<string> {
  return subjectToken(stack, `demo-${slug(name)}`, office.id, admin);
}

function subjectToken(stack: TestStack, subject: string, officeId: string, admin = false) {
  return stack.tokenFor({
    role: 'staff',
    subject,
    offices: [officeId],
    adminOffices: admin ? [officeId] : [],
    competences: [],
  });
}

const personnummer = (n: number): string => syntheticPersonnummer(n, 1960);
let people = 0;

/** Every holder token handed out, by ticket id (the only way to a ticket for its holder). */
const holders = new Map<string, string>();

async function take(stack: TestStack, input: Variables, token?: string): Promise<Receipt> {
  const receipt = (await ok<{ takeTicket: Receipt }>(stack, TAKE, { input }, token)).takeTicket;
  holders.set(receipt.ticket.id, receipt.token);
  return receipt;
}

async function checkIn(stack: TestStack, reference: string, token?: string): Promise<Receipt> {
  const receipt = (await ok<{ checkIn: Receipt }>(stack, CHECK_IN, { r: reference }, token))
    .checkIn;
  holders.set(receipt.ticket.id, receipt.token);
  return receipt;
}

async function callNext(stack: TestStack, counterId: string, token: string, key?: string) {
  return (await ok<{ callNext: Ticket | null }>(stack, CALL_NEXT, { c: counterId, k: key }, token))
    .callNext;
}

async function step(
  stack: TestStack,
  query: string,
  ticketId: string,
  token: string,
): Promise<Ticket> {
  const data = await ok<Record<string, Ticket>>(stack, query, { t: ticketId }, token);
  return Object.values(data)[0];
}

async function holderView(stack: TestStack, ticketId: string): Promise<Ticket | null> {
  return (await ok<{ ticket: Ticket | null }>(stack, TICKET, { t: holders.get(ticketId) })).ticket;
}

async function book(
  stack: TestStack,
  office: Office,
  code: string,
  start: string,
): Promise<Booked> {
  const who = personnummer(++people);
  const booked = (
    await ok<{ bookAppointment: { id: string; reference: string; status: string } }>(stack, BOOK, {
      input: {
        officeId: office.id,
        serviceId: serviceOf(office, code),
        start,
        citizen: { personnummer: who, name: 'Test Person' },
      },
    })
  ).bookAppointment;
  expect(booked.status).toBe('BOOKED');
  return { id: booked.id, reference: booked.reference, personnummer: who };
}

async function appointmentStatus(stack: TestStack, booked: Booked): Promise<string | undefined> {
  const data = await ok<{ appointmentByReference: { status: string } | null }>(
    stack,
    BY_REFERENCE,
    {
      r: booked.reference,
      p: booked.personnummer,
    },
  );
  return data.appointmentByReference?.status;
}

function serviceOf(office: Office, code: string): string {
  const service = office.services.find((s) => s.code === code);
  if (!service) throw new Error(`${office.name} offers no ${code}`);
  return service.id;
}

function counterOf(office: Office, name: string): string {
  const counter = office.counters.find((c) => c.name === name);
  if (!counter) throw new Error(`${office.name} has no counter ${name}`);
  return counter.id;
}

function staffIdOf(office: Office, name: string): string {
  const person = office.staff.find((s) => s.name === name);
  if (!person) throw new Error(`${office.name} has no ${name}`);
  return person.id;
}

async function loadOffices(stack: TestStack): Promise<Map<string, Office>> {
  const admin = await stack.tokenFor({ role: 'admin', subject: 'test-admin' });
  const data = await ok<{ offices: Office[] }>(
    stack,
    '{ offices { id name municipality services { id code agency { code } } counters { id name } staff { id name } } }',
    {},
    admin,
  );
  return new Map(data.offices.map((o) => [o.municipality, o]));
}

/** Rows and events in the front desk's tables: what a refused request must leave as it was. */
async function deskCounts(stack: TestStack) {
  const [row] = await stack.sql<{ tickets: number; events: number; open: number }>(
    `SELECT (SELECT count(*)::int FROM scheduling.ticket) AS tickets,
            (SELECT count(*)::int FROM scheduling.ticket_event) AS events,
            (SELECT count(*)::int FROM scheduling.ticket WHERE status IN ('CALLED', 'IN_SERVICE')) AS open`,
  );
  return row;
}

/**
 * Empties every queue through the API: called tickets are ended by whoever called them,
 * waiting and parked ones cancelled by their holders.
 */
async function clearQueues(stack: TestStack): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const open = await stack.sql<{
      id: string;
      status: string;
      subject: string | null;
      officeId: string;
    }>(
      `SELECT t.id, t.status::text AS status, s.subject, t.office_id AS "officeId"
       FROM scheduling.ticket t
       LEFT JOIN directory.published_staff s ON s.staff_id = t.staff_id AND s.office_id = t.office_id
       WHERE t.status IN ('WAITING', 'CALLED', 'IN_SERVICE', 'PARKED')`,
    );
    if (open.length === 0) return;
    for (const ticket of open) {
      if (ticket.status === 'CALLED' || ticket.status === 'IN_SERVICE') {
        await step(
          stack,
          END,
          ticket.id,
          await subjectToken(stack, ticket.subject as string, ticket.officeId),
        );
      } else {
        await ok(stack, CANCEL, { t: holders.get(ticket.id) });
      }
    }
  }
  throw new Error('the queues did not empty');
}

describe('front desk through the gateway', () => {
  let stack: TestStack;
  let offices: Map<string, Office>;
  let orebro: Office;
  let eskilstuna: Office;
  let anna: string;
  let erik: string;
  let karin: string;
  let sara: string;
  const service = (code: string) => serviceOf(orebro, code);
  const counter = (name: string) => counterOf(orebro, name);

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    offices = await loadOffices(stack);
    orebro = offices.get('Örebro') as Office;
    eskilstuna = offices.get('Eskilstuna') as Office;
    anna = await staffToken(stack, 'Anna Lindqvist', orebro, true);
    erik = await staffToken(stack, 'Erik Nilsson', orebro);
    karin = await staffToken(stack, 'Karin Johansson', orebro);
    sara = await staffToken(stack, 'Sara Ekström', orebro);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('at 10:00 on Monday', () => {
    afterEach(async () => {
      await clearQueues(stack);
    });

    describe('tickets', () => {
      it('walk-in: take a ticket at the kiosk, get called, served and done', async () => {
        const taken = await stack.query<{
          takeTicket: { token: string; passesClosingTime: boolean; ticket: Ticket };
        }>(TAKE, { input: { officeId: orebro.id, serviceId: service('tax-return-help') } });
        expect(taken.errors).toBeUndefined();
        const receipt = taken.data?.takeTicket as Receipt;
        holders.set(receipt.ticket.id, receipt.token);
        expect(receipt.ticket.number).toMatch(/^S\d{3}$/);
        expect(receipt.ticket.status).toBe('WAITING');
        expect(receipt.ticket.arrivedAt).toBe('2027-03-01T10:00:00.000+01:00');

        const mine = await stack.query<{ ticket: Ticket }>(TICKET, { t: receipt.token });
        expect(mine.data?.ticket.number).toBe(receipt.ticket.number);
        expect(mine.data?.ticket.position).toBe(1);

        const called = await stack.query<{ callNext: Ticket }>(
          CALL_NEXT,
          { c: counter('Disk 3') },
          { token: anna },
        );
        expect(called.errors).toBeUndefined();
        expect(called.data?.callNext.number).toBe(receipt.ticket.number);
        expect(called.data?.callNext.counterName).toBe('Disk 3');

        const lobby = await stack.query<{
          lobbyCalls: Array<{ ticketNumber: string; counterName: string }>;
        }>(LOBBY, { o: orebro.id });
        expect(lobby.data?.lobbyCalls[0]).toMatchObject({
          ticketNumber: receipt.ticket.number,
          counterName: 'Disk 3',
        });

        const started = await stack.query<{ startService: Ticket }>(
          START,
          { t: receipt.ticket.id },
          { token: anna },
        );
        expect(started.data?.startService.status).toBe('IN_SERVICE');
        const ended = await stack.query<{ endService: Ticket }>(
          END,
          { t: receipt.ticket.id },
          { token: anna },
        );
        expect(ended.data?.endService.status).toBe('COMPLETED');

        const again = await stack.query(CALL_NEXT, { c: counter('Disk 3') }, { token: anna });
        expect(again.errors).toBeUndefined();
        expect(again.data).toEqual({ callNext: null });
        expect(errorCodes(again)).toEqual([]);
      });

      it('issues kiosk (anonymous), staff and remote tickets, and records who took them', async () => {
        const kiosk = await take(stack, { officeId: orebro.id, serviceId: service('id-card') });
        expect(kiosk.ticket.channel).toBe('KIOSK');
        const remote = await take(stack, {
          officeId: orebro.id,
          serviceId: service('id-card'),
          channel: 'REMOTE',
        });
        expect(remote.ticket.channel).toBe('REMOTE');
        const byStaff = await take(
          stack,
          { officeId: orebro.id, serviceId: service('id-card') },
          anna,
        );
        expect(byStaff.ticket.channel).toBe('STAFF');

        const arrivals = await stack.sql<{
          ticket_id: string;
          staff_id: string | null;
          channel: string;
        }>(
          `SELECT ticket_id, staff_id, details->>'channel' AS channel FROM scheduling.ticket_event
           WHERE kind = 'ARRIVED' AND ticket_id = ANY($1::uuid[])`,
          [[kiosk.ticket.id, remote.ticket.id, byStaff.ticket.id]],
        );
        const byId = new Map(arrivals.map((a) => [a.ticket_id, a]));
        expect(byId.get(kiosk.ticket.id)).toMatchObject({ staff_id: null, channel: 'KIOSK' });
        expect(byId.get(remote.ticket.id)).toMatchObject({ staff_id: null, channel: 'REMOTE' });
        expect(byId.get(byStaff.ticket.id)).toMatchObject({
          staff_id: staffIdOf(orebro, 'Anna Lindqvist'),
          channel: 'STAFF',
        });

        // Only staff of the office take tickets for citizens; appointments arrive with checkIn.
        const before = await deskCounts(stack);
        const notStaff = await refusal(stack, TAKE, {
          input: { officeId: orebro.id, serviceId: service('id-card'), channel: 'STAFF' },
        });
        expect(notStaff.codes).toEqual(['FORBIDDEN']);
        const helena = await staffToken(stack, 'Helena Sjöberg', eskilstuna);
        const otherOffice = await refusal(
          stack,
          TAKE,
          { input: { officeId: orebro.id, serviceId: service('id-card'), channel: 'STAFF' } },
          helena,
        );
        expect(otherOffice.codes).toEqual(['FORBIDDEN']);
        const checkInChannel = await refusal(stack, TAKE, {
          input: { officeId: orebro.id, serviceId: service('id-card'), channel: 'CHECK_IN' },
        });
        expect(checkInChannel.codes).toEqual(['BAD_USER_INPUT']);
        expect(await deskCounts(stack)).toEqual(before);
      });

      it("numbers tickets per office and day with the agency's letter, counting up", async () => {
        const letterOf = async (code: string, office = orebro) =>
          (await take(stack, { officeId: office.id, serviceId: serviceOf(office, code) })).ticket
            .number;
        const numbers = {
          FK: await letterOf('parental-benefit'),
          SKV: await letterOf('tax-return-help'),
          PM: await letterOf('pension-guidance'),
          AF: await letterOf('register-jobseeker'),
          MIGR: await letterOf('biometrics'),
          OREBRO: await letterOf('citizen-guidance'),
        };
        expect(numbers.FK).toMatch(/^F\d{3}$/);
        expect(numbers.SKV).toMatch(/^S\d{3}$/);
        expect(numbers.PM).toMatch(/^P\d{3}$/);
        expect(numbers.AF).toMatch(/^A\d{3}$/);
        expect(numbers.MIGR).toMatch(/^M\d{3}$/);
        expect(numbers.OREBRO).toMatch(/^K\d{3}$/);

        // One sequence per letter: every SKV service counts on from the last S ticket.
        const s = Number(numbers.SKV.slice(1));
        const next = [await letterOf('id-card'), await letterOf('tax-return-help')];
        expect(next).toEqual([
          `S${String(s + 1).padStart(3, '0')}`,
          `S${String(s + 2).padStart(3, '0')}`,
        ]);

        // Another office has numbers of its own, from 001; its municipality is K too.
        expect(await letterOf('tax-return-help', eskilstuna)).toBe('S001');
        expect(await letterOf('tax-return-help', eskilstuna)).toBe('S002');
        expect(await letterOf('citizen-guidance', eskilstuna)).toBe('K001');
        expect(await letterOf('parental-benefit', eskilstuna)).toBe('F001');
      });

      it('shows the holder status, number, place and expected wait by token; an unknown token is null', async () => {
        const first = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const second = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });

        const mine = (await holderView(stack, second.ticket.id)) as Ticket;
        expect(mine).toMatchObject({
          id: second.ticket.id,
          number: second.ticket.number,
          status: 'WAITING',
        });
        expect(mine.position).toBe(2);
        expect((await holderView(stack, first.ticket.id))?.position).toBe(1);
        const band = mine.estimatedWait as { lowMinutes: number; highMinutes: number };
        expect(band.highMinutes).toBeGreaterThanOrEqual(band.lowMinutes + 5);
        expect(mine.estimatedWaitMinutes).toBe(band.lowMinutes);

        await callNext(stack, counter('Disk 4'), erik);
        const called = (await holderView(stack, first.ticket.id)) as Ticket;
        expect(called).toMatchObject({
          status: 'CALLED',
          counterName: 'Disk 4',
          position: null,
          estimatedWait: null,
          estimatedWaitMinutes: null,
          callCount: 1,
        });
        expect((await holderView(stack, second.ticket.id))?.position).toBe(1);

        for (const token of ['A'.repeat(32), 'x', '']) {
          const unknown = await stack.query<{ ticket: Ticket | null }>(TICKET, { t: token });
          expect(unknown.errors).toBeUndefined();
          expect(unknown.data).toEqual({ ticket: null });
        }

        // The holder leaves the queue with the token; a ticket no longer waiting cannot be cancelled.
        const cancelled = await ok<{ cancelTicket: Ticket }>(stack, CANCEL, { t: second.token });
        expect(cancelled.cancelTicket.status).toBe('CANCELLED');
        expect((await refusal(stack, CANCEL, { t: second.token })).codes).toEqual(['CONFLICT']);
        expect((await refusal(stack, CANCEL, { t: 'B'.repeat(32) })).codes).toEqual(['NOT_FOUND']);
      });

      it('holds no personal data: the token is the only way to a ticket', async () => {
        const fields = await ok<{ __type: { fields: Array<{ name: string }> } }>(
          stack,
          '{ __type(name: "Ticket") { fields { name } } }',
        );
        const names = fields.__type.fields.map((f) => f.name).sort();
        expect(names).toEqual(
          [
            'id',
            'number',
            'status',
            'service',
            'arrivedAt',
            'appointmentReference',
            'counterName',
            'estimatedWaitMinutes',
            'estimatedWait',
            'position',
            'channel',
            'language',
            'needs',
            'calledAt',
            'callCount',
            'transferCount',
            'note',
            'remainingParts',
          ].sort(),
        );

        // A personnummer given at the desk is sealed away and never comes back.
        const number = personnummer(++people);
        const receipt = await take(
          stack,
          { officeId: orebro.id, serviceId: service('id-card'), personnummer: number },
          anna,
        );
        const digits = number.replace('-', '');
        expect(JSON.stringify(receipt)).not.toContain(digits.slice(2));
        expect(JSON.stringify(await holderView(stack, receipt.ticket.id))).not.toContain(
          digits.slice(2),
        );
        const stored = await stack.sql<{ sealed: Buffer; citizen_key: string | null }>(
          `SELECT c.identity_number_sealed AS sealed, t.citizen_key FROM scheduling.ticket t
           JOIN scheduling.ticket_contact c ON c.ticket_id = t.id WHERE t.id = $1`,
          [receipt.ticket.id],
        );
        expect(stored).toHaveLength(1);
        expect(stored[0].sealed.toString('latin1')).not.toContain(digits.slice(2));
        expect(stored[0].citizen_key ?? '').not.toContain(digits.slice(2));
        // The lobby display shows numbers and counters only.
        const lobby = await ok<{ __type: { fields: Array<{ name: string }> } }>(
          stack,
          '{ __type(name: "LobbyCall") { fields { name } } }',
        );
        expect(lobby.__type.fields.map((f) => f.name).sort()).toEqual([
          'calledAt',
          'counterName',
          'recall',
          'ticketNumber',
        ]);
      });
    });

    describe('call order', () => {
      it('calls citizens who came at the same instant in the order they took their tickets, across agencies', async () => {
        // Sara serves FK, PM and SKV; the clock is pinned, so every ticket arrives at 10:00.
        const taken = [
          await take(stack, { officeId: orebro.id, serviceId: service('tax-return-help') }),
          await take(stack, { officeId: orebro.id, serviceId: service('id-card') }),
          await take(stack, { officeId: orebro.id, serviceId: service('pension-guidance') }),
          await take(stack, { officeId: orebro.id, serviceId: service('eu-card') }),
          await take(stack, { officeId: orebro.id, serviceId: service('coordination-number') }),
        ];
        const queue = await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, sara);
        expect(queue.officeQueue.map((t) => t.number)).toEqual(taken.map((r) => r.ticket.number));
        const called: string[] = [];
        for (let i = 0; i < taken.length; i++) {
          const ticket = (await callNext(stack, counter('Disk 3'), sara)) as Ticket;
          called.push(ticket.number);
          await step(stack, END, ticket.id, sara);
        }
        expect(called).toEqual(taken.map((r) => r.ticket.number));
      });
    });

    describe('transfers', () => {
      it('keeps number and arrival, shows the note to staff only, and sorts by arrival among the target service', async () => {
        const before = await take(stack, {
          officeId: orebro.id,
          serviceId: service('pension-guidance'),
        });
        const moved = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const after = await take(stack, {
          officeId: orebro.id,
          serviceId: service('pension-guidance'),
        });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(moved.ticket.id);

        const note = 'Har frågor om premiepension, tog med sitt pensionsbesked.';
        const transferred = (
          await ok<{ transferTicket: Ticket }>(
            stack,
            TRANSFER,
            { t: moved.ticket.id, s: service('pension-guidance'), note },
            erik,
          )
        ).transferTicket;
        expect(transferred).toMatchObject({
          id: moved.ticket.id,
          number: moved.ticket.number,
          arrivedAt: moved.ticket.arrivedAt,
          status: 'WAITING',
          service: { id: service('pension-guidance') },
          transferCount: 1,
          counterName: null,
          note,
        });

        // The next officer reads the note; the holder does not.
        expect(
          (await ok<{ queueTicket: Ticket }>(stack, QUEUE_TICKET, { id: moved.ticket.id }, karin))
            .queueTicket.note,
        ).toBe(note);
        const holder = (await holderView(stack, moved.ticket.id)) as Ticket;
        expect(holder).toMatchObject({
          number: moved.ticket.number,
          note: null,
          status: 'WAITING',
        });

        // Placed by its original arrival: after the pension ticket taken before it, ahead of the one after.
        const queue = (await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, karin))
          .officeQueue;
        expect(queue.map((t) => t.id)).toEqual([
          before.ticket.id,
          moved.ticket.id,
          after.ticket.id,
        ]);
        expect(queue[1].note).toBe(note);
        // Erik's counter is free again, and SKV has nobody waiting.
        expect(await callNext(stack, counter('Disk 4'), erik)).toBeNull();
        expect((await callNext(stack, counter('Disk 2'), karin))?.id).toBe(before.ticket.id);
        await step(stack, END, before.ticket.id, karin);
        expect((await callNext(stack, counter('Disk 2'), karin))?.id).toBe(moved.ticket.id);
      });

      it('FIRST_IN_LINE puts the ticket ahead of everyone waiting for the target service', async () => {
        const waiting = [
          await take(stack, { officeId: orebro.id, serviceId: service('pension-guidance') }),
          await take(stack, { officeId: orebro.id, serviceId: service('apply-pension') }),
        ];
        const moved = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(moved.ticket.id);
        await ok(
          stack,
          TRANSFER,
          { t: moved.ticket.id, s: service('pension-guidance'), placement: 'FIRST_IN_LINE' },
          erik,
        );
        const queue = (await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, karin))
          .officeQueue;
        expect(queue.map((t) => t.id)).toEqual([
          moved.ticket.id,
          ...waiting.map((r) => r.ticket.id),
        ]);
        expect((await callNext(stack, counter('Disk 2'), karin))?.id).toBe(moved.ticket.id);
      });

      it('to a named staff member: only that person calls it', async () => {
        const moved = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(moved.ticket.id);
        // Erik is not trained for pensions: he cannot be the one it goes to.
        const untrained = await refusal(
          stack,
          TRANSFER,
          {
            t: moved.ticket.id,
            s: service('pension-guidance'),
            staff: staffIdOf(orebro, 'Erik Nilsson'),
          },
          erik,
        );
        expect(untrained.codes).toEqual(['BAD_USER_INPUT']);
        await ok(
          stack,
          TRANSFER,
          {
            t: moved.ticket.id,
            s: service('pension-guidance'),
            staff: staffIdOf(orebro, 'Karin Johansson'),
          },
          erik,
        );
        const lars = await staffToken(stack, 'Lars Berg', orebro);
        expect(await callNext(stack, counter('Disk 1'), lars)).toBeNull();
        expect(await callNext(stack, counter('Disk 3'), sara)).toBeNull();
        // Nor by calling it out of turn: it was handed over to Karin.
        const before = await deskCounts(stack);
        const outOfTurn = await refusal(
          stack,
          CALL_TICKET,
          { t: moved.ticket.id, c: counter('Disk 3') },
          sara,
        );
        expect(outOfTurn.codes).toEqual(['FORBIDDEN']);
        expect(await deskCounts(stack)).toEqual(before);
        expect((await callNext(stack, counter('Disk 2'), karin))?.id).toBe(moved.ticket.id);
        // Being served by Karin, it is hers to hand over: Sara (also trained for pensions)
        // may not transfer it from under her.
        const called = await deskCounts(stack);
        const fromUnder = await refusal(
          stack,
          TRANSFER,
          { t: moved.ticket.id, s: service('tax-return-help') },
          sara,
        );
        expect(fromUnder.codes).toEqual(['FORBIDDEN']);
        expect(await deskCounts(stack)).toEqual(called);
      });
    });

    describe('no-show', () => {
      it('after the third call a ticket may be marked as a no-show, not before, and not called a fourth time', async () => {
        const receipt = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const id = receipt.ticket.id;
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(id);

        const early = await refusal(stack, NO_SHOW, { t: id }, erik);
        expect(early.codes).toEqual(['CONFLICT']);
        expect(early.extensions).toMatchObject({ callCount: 1, callsNeeded: 3 });
        // Only the one who called may call again.
        expect((await refusal(stack, RECALL, { t: id }, anna)).codes).toEqual(['FORBIDDEN']);

        expect((await step(stack, RECALL, id, erik)).callCount).toBe(2);
        expect((await step(stack, RECALL, id, erik)).callCount).toBe(3);
        const fourth = await refusal(stack, RECALL, { t: id }, erik);
        expect(fourth.codes).toEqual(['CONFLICT']);
        expect(fourth.extensions).toMatchObject({ callCount: 3 });

        const lobby = (await ok<{ lobbyCalls: LobbyCall[] }>(stack, LOBBY, { o: orebro.id, l: 3 }))
          .lobbyCalls;
        expect(
          lobby.map(({ ticketNumber, counterName, recall }) => ({
            ticketNumber,
            counterName,
            recall,
          })),
        ).toEqual([
          { ticketNumber: receipt.ticket.number, counterName: 'Disk 4', recall: true },
          { ticketNumber: receipt.ticket.number, counterName: 'Disk 4', recall: true },
          { ticketNumber: receipt.ticket.number, counterName: 'Disk 4', recall: false },
        ]);
        expect(lobby[0].calledAt).toBe('2027-03-01T10:00:00.000+01:00');

        const missed = await step(stack, NO_SHOW, id, erik);
        expect(missed).toMatchObject({ status: 'NO_SHOW', counterName: null });
        expect((await holderView(stack, id))?.status).toBe('NO_SHOW');
        // The counter is free again.
        expect(await callNext(stack, counter('Disk 4'), erik)).toBeNull();
      });
    });

    describe('parking', () => {
      it('parks a called ticket, frees the counter, and puts it back at its place', async () => {
        const parked = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const next = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(parked.ticket.id);

        expect((await refusal(stack, UNPARK, { t: parked.ticket.id }, erik)).codes).toEqual([
          'CONFLICT',
        ]);
        const set = await step(stack, PARK, parked.ticket.id, erik);
        expect(set).toMatchObject({ status: 'PARKED', counterName: null });
        expect((await holderView(stack, parked.ticket.id))?.status).toBe('PARKED');
        // Waiting first, then parked.
        const queue = (await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, erik))
          .officeQueue;
        expect(queue.map((t) => [t.id, t.status])).toEqual([
          [next.ticket.id, 'WAITING'],
          [parked.ticket.id, 'PARKED'],
        ]);

        // The counter and the person are free: the next citizen is called.
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(next.ticket.id);
        await step(stack, END, next.ticket.id, erik);

        const later = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const back = await step(stack, UNPARK, parked.ticket.id, erik);
        expect(back).toMatchObject({ status: 'WAITING', arrivedAt: parked.ticket.arrivedAt });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(parked.ticket.id);
        await step(stack, END, parked.ticket.id, erik);
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(later.ticket.id);
      });
    });

    describe('access and secrecy', () => {
      it('only staff of the office call at its counters', async () => {
        const receipt = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const before = await deskCounts(stack);
        const stranger = await subjectToken(stack, 'demo-nobody-at-all', orebro.id);
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 3') }, stranger)).codes).toEqual(
          ['FORBIDDEN'],
        );
        const helena = await staffToken(stack, 'Helena Sjöberg', eskilstuna);
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 3') }, helena)).codes).toEqual([
          'FORBIDDEN',
        ]);
        const admin = await stack.tokenFor({ role: 'admin', subject: 'test-admin' });
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 3') }, admin)).codes).toEqual([
          'FORBIDDEN',
        ]);
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 3') })).codes).toEqual([
          'UNAUTHENTICATED',
        ]);
        // Eskilstuna's staff at Eskilstuna's counter is fine, and finds nobody of Örebro's.
        expect(await callNext(stack, counterOf(eskilstuna, 'Disk 1'), helena)).toBeNull();
        expect(await deskCounts(stack)).toEqual(before);
        expect((await holderView(stack, receipt.ticket.id))?.status).toBe('WAITING');
      });

      it("calls only tickets the person is trained for and the counter may serve now (Disk 5 is FK's on Monday mornings)", async () => {
        const tax = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const parental = await take(stack, {
          officeId: orebro.id,
          serviceId: service('parental-benefit'),
        });
        const housing = await take(stack, {
          officeId: orebro.id,
          serviceId: service('housing-allowance'),
        });

        // Erik (SKV only) never gets FK tickets, whatever his token claims.
        const erikClaimsFk = await stack.tokenFor({
          role: 'staff',
          subject: 'demo-erik-nilsson',
          offices: [orebro.id],
          adminOffices: [],
          competences: ['FK', 'SKV'],
        });
        const queue = (
          await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, erikClaimsFk)
        ).officeQueue;
        expect(queue.map((t) => t.id)).toEqual([tax.ticket.id]);
        const length = (
          await ok<{
            officeQueueLength: { waiting: number; services: Array<{ service: { id: string } }> };
          }>(stack, QUEUE_LENGTH, { o: orebro.id }, erik)
        ).officeQueueLength;
        expect(length.waiting).toBe(1);
        expect(length.services.map((s) => s.service.id)).toEqual([service('tax-return-help')]);
        expect(
          (await refusal(stack, QUEUE_TICKET, { id: parental.ticket.id }, erik)).codes,
        ).toEqual(['FORBIDDEN']);

        // Anna (FK and SKV) at Disk 5 gets the FK ticket though the SKV one came first...
        expect((await callNext(stack, counter('Disk 5'), anna))?.id).toBe(parental.ticket.id);
        await step(stack, END, parental.ticket.id, anna);
        // ...and Karin, trained for housing allowance only of FK's services, gets that one.
        expect((await callNext(stack, counter('Disk 2'), karin))?.id).toBe(housing.ticket.id);
        await step(stack, END, housing.ticket.id, karin);
        // Nothing FK is left: Disk 5 has nobody for Anna, Disk 3 has the SKV ticket.
        expect(await callNext(stack, counter('Disk 5'), anna)).toBeNull();
        expect((await callNext(stack, counter('Disk 3'), anna))?.id).toBe(tax.ticket.id);
      });

      it('shows the queue to its staff only, each their own services; the lobby to everyone', async () => {
        const tax = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const parental = await take(stack, {
          officeId: orebro.id,
          serviceId: service('parental-benefit'),
        });
        const annaSees = (await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, anna))
          .officeQueue;
        expect(annaSees.map((t) => t.id)).toEqual([tax.ticket.id, parental.ticket.id]);
        const erikSees = (await ok<{ officeQueue: Ticket[] }>(stack, QUEUE, { o: orebro.id }, erik))
          .officeQueue;
        expect(erikSees.map((t) => t.id)).toEqual([tax.ticket.id]);
        expect((await refusal(stack, QUEUE, { o: orebro.id })).codes).toEqual(['UNAUTHENTICATED']);
        const helena = await staffToken(stack, 'Helena Sjöberg', eskilstuna);
        expect((await refusal(stack, QUEUE, { o: orebro.id }, helena)).codes).toEqual([
          'FORBIDDEN',
        ]);
        expect((await refusal(stack, QUEUE_TICKET, { id: tax.ticket.id }, helena)).codes).toEqual([
          'FORBIDDEN',
        ]);

        await callNext(stack, counter('Disk 3'), anna);
        const lobby = await stack.query<{ lobbyCalls: LobbyCall[] }>(LOBBY, { o: orebro.id, l: 1 });
        expect(lobby.errors).toBeUndefined();
        expect(lobby.data?.lobbyCalls).toEqual([
          {
            ticketNumber: tax.ticket.number,
            counterName: 'Disk 3',
            calledAt: '2027-03-01T10:00:00.000+01:00',
            recall: false,
          },
        ]);
      });
    });

    describe('bad input', () => {
      it('unknown and malformed ids answer NOT_FOUND and change nothing', async () => {
        const receipt = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const before = await deskCounts(stack);
        const unknown = '00000000-0000-4000-8000-000000000000';
        const cases: Array<[string, Variables, string | undefined]> = [
          [
            TAKE,
            { input: { officeId: unknown, serviceId: service('tax-return-help') } },
            undefined,
          ],
          [TAKE, { input: { officeId: 'nope', serviceId: service('tax-return-help') } }, undefined],
          [TAKE, { input: { officeId: orebro.id, serviceId: unknown } }, undefined],
          [TAKE, { input: { officeId: orebro.id, serviceId: 'not-a-uuid' } }, undefined],
          [CALL_NEXT, { c: unknown }, erik],
          [CALL_NEXT, { c: 'Disk 3' }, erik],
          [CALL_TICKET, { t: unknown, c: counter('Disk 4') }, erik],
          [CALL_TICKET, { t: receipt.ticket.id, c: unknown }, erik],
          [RECALL, { t: unknown }, erik],
          [START, { t: 'nope' }, erik],
          [END, { t: unknown }, erik],
          [PARK, { t: unknown }, erik],
          [UNPARK, { t: 'nope' }, erik],
          [NO_SHOW, { t: unknown }, erik],
          [TRANSFER, { t: unknown, s: service('pension-guidance') }, erik],
          [TRANSFER, { t: receipt.ticket.id, s: unknown }, erik],
          [
            TRANSFER,
            { t: receipt.ticket.id, s: service('pension-guidance'), staff: unknown },
            erik,
          ],
          [QUEUE_TICKET, { id: unknown }, erik],
          [QUEUE_TICKET, { id: 'nope' }, erik],
          [QUEUE, { o: unknown }, erik],
          [QUEUE_LENGTH, { o: 'nope' }, erik],
          [LOBBY, { o: unknown }, undefined],
          [CHECK_IN, { r: 'ZZZZ2222' }, undefined],
          [CHECK_IN, { r: 'no such booking!' }, undefined],
        ];
        for (const [query, variables, token] of cases) {
          const refused = await refusal(stack, query, variables, token);
          expect({ query: query.slice(0, 40), variables, codes: refused.codes }).toEqual({
            query: query.slice(0, 40),
            variables,
            codes: ['NOT_FOUND'],
          });
        }
        expect(await deskCounts(stack)).toEqual(before);
        expect(await holderView(stack, receipt.ticket.id)).toMatchObject({
          status: 'WAITING',
          transferCount: 0,
        });
      });

      it('refuses what the service cannot give with BAD_USER_INPUT', async () => {
        const before = await deskCounts(stack);
        const eskilstunaGuidance = serviceOf(eskilstuna, 'citizen-guidance');
        const cases: Variables[] = [
          { officeId: orebro.id, serviceId: eskilstunaGuidance },
          { officeId: orebro.id, serviceId: service('tax-return-help'), language: 'ar' },
          { officeId: orebro.id, serviceId: service('tax-return-help'), language: 'xx' },
          {
            officeId: orebro.id,
            serviceId: service('tax-return-help'),
            needs: Array.from({ length: 11 }, () => 'WHEELCHAIR_ACCESS'),
          },
        ];
        for (const input of cases) {
          const refused = await refusal(stack, TAKE, { input });
          expect({ input, codes: refused.codes }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
        }
        expect(await deskCounts(stack)).toEqual(before);
        // In a language the service is given in, it is fine.
        const finnish = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
          language: 'fi',
        });
        expect(finnish.ticket.language).toBe('fi');
      });

      it('refuses steps the ticket is not ready for, or by the wrong person', async () => {
        const first = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const second = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        expect((await callNext(stack, counter('Disk 4'), erik))?.id).toBe(first.ticket.id);
        const before = await deskCounts(stack);

        const twice = await refusal(
          stack,
          CALL_TICKET,
          { t: first.ticket.id, c: counter('Disk 3') },
          anna,
        );
        expect(twice.codes).toEqual(['CONFLICT']);
        expect(twice.extensions).toMatchObject({
          status: 'CALLED',
          ticketNumber: first.ticket.number,
        });
        expect((await refusal(stack, START, { t: first.ticket.id }, anna)).codes).toEqual([
          'FORBIDDEN',
        ]);
        expect((await refusal(stack, END, { t: first.ticket.id }, anna)).codes).toEqual([
          'FORBIDDEN',
        ]);
        // The counter (and the person) serve one citizen at a time.
        const busy = await refusal(stack, CALL_NEXT, { c: counter('Disk 4') }, erik);
        expect(busy.codes).toEqual(['CONFLICT']);
        expect(busy.extensions).toMatchObject({ ticketNumber: first.ticket.number });
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 4') }, anna)).codes).toEqual([
          'CONFLICT',
        ]);
        expect((await refusal(stack, CALL_NEXT, { c: counter('Disk 3') }, erik)).codes).toEqual([
          'CONFLICT',
        ]);
        // Another office's counter; a service the office does not offer; a note too long.
        const elsewhere = await refusal(
          stack,
          CALL_TICKET,
          { t: second.ticket.id, c: counterOf(eskilstuna, 'Disk 1') },
          anna,
        );
        expect(elsewhere.codes).toEqual(['FORBIDDEN']);
        const notOffered = await refusal(
          stack,
          TRANSFER,
          { t: first.ticket.id, s: serviceOf(eskilstuna, 'citizen-guidance') },
          erik,
        );
        expect(notOffered.codes).toEqual(['BAD_USER_INPUT']);
        const longNote = await refusal(
          stack,
          TRANSFER,
          { t: first.ticket.id, s: service('pension-guidance'), note: 'x'.repeat(501) },
          erik,
        );
        expect(longNote.codes).toEqual(['BAD_USER_INPUT']);
        const sameService = await refusal(
          stack,
          TRANSFER,
          { t: first.ticket.id, s: service('tax-return-help') },
          erik,
        );
        expect(sameService.codes).toEqual(['BAD_USER_INPUT']);
        expect(await deskCounts(stack)).toEqual(before);
        const still = (
          await ok<{ queueTicket: Ticket }>(stack, QUEUE_TICKET, { id: first.ticket.id }, erik)
        ).queueTicket;
        expect(still).toMatchObject({
          status: 'CALLED',
          counterName: 'Disk 4',
          transferCount: 0,
          note: null,
        });

        // A finished ticket takes no further steps.
        expect((await step(stack, END, first.ticket.id, erik)).status).toBe('COMPLETED');
        const done = await deskCounts(stack);
        for (const [query, variables] of [
          [END, { t: first.ticket.id }],
          [START, { t: first.ticket.id }],
          [PARK, { t: first.ticket.id }],
          [RECALL, { t: first.ticket.id }],
          [TRANSFER, { t: first.ticket.id, s: service('pension-guidance') }],
        ] as Array<[string, Variables]>) {
          const refused = await refusal(stack, query, variables, erik);
          expect(refused.codes).toEqual(['CONFLICT']);
          expect(refused.extensions).toMatchObject({ status: 'COMPLETED' });
        }
        expect(
          (await refusal(stack, CALL_TICKET, { t: first.ticket.id, c: counter('Disk 4') }, erik))
            .codes,
        ).toEqual(['CONFLICT']);
        expect(await deskCounts(stack)).toEqual(done);
      });

      it('answers a retried callNext with the same key with the same ticket, calling nobody new', async () => {
        const first = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const second = await take(stack, {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
        });
        const called = await callNext(stack, counter('Disk 4'), erik, 'erik-disk4-1');
        expect(called?.id).toBe(first.ticket.id);
        const before = await deskCounts(stack);
        const retried = await callNext(stack, counter('Disk 4'), erik, 'erik-disk4-1');
        expect(retried).toMatchObject({
          id: first.ticket.id,
          number: first.ticket.number,
          status: 'CALLED',
        });
        expect(await deskCounts(stack)).toEqual(before);
        expect((await holderView(stack, second.ticket.id))?.status).toBe('WAITING');
        const calls = await stack.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM scheduling.ticket_event WHERE ticket_id = $1 AND kind = 'CALLED'`,
          [first.ticket.id],
        );
        expect(calls[0].n).toBe(1);
        // A new key at a busy counter is refused; a key of more than 200 characters too.
        expect(
          (await refusal(stack, CALL_NEXT, { c: counter('Disk 4'), k: 'erik-disk4-2' }, erik))
            .codes,
        ).toEqual(['CONFLICT']);
        expect(
          (await refusal(stack, CALL_NEXT, { c: counter('Disk 4'), k: 'k'.repeat(201) }, erik))
            .codes,
        ).toEqual(['BAD_USER_INPUT']);
      });

      it("keeps a service's daily contingent, set by an office admin only", async () => {
        const rule = { officeId: orebro.id, serviceId: service('foreign-education') };
        expect(
          (await refusal(stack, SET_RULE, { input: { ...rule, dailyTicketLimit: 1 } }, erik)).codes,
        ).toEqual(['FORBIDDEN']);
        expect(
          (await refusal(stack, SET_RULE, { input: { ...rule, dailyTicketLimit: 1 } })).codes,
        ).toEqual(['UNAUTHENTICATED']);
        expect(
          (await refusal(stack, SET_RULE, { input: { ...rule, targetWaitMinutes: 0 } }, anna))
            .codes,
        ).toEqual(['BAD_USER_INPUT']);
        expect(
          (await refusal(stack, SET_RULE, { input: { ...rule, dailyTicketLimit: -1 } }, anna))
            .codes,
        ).toEqual(['BAD_USER_INPUT']);
        expect(
          (
            await refusal(
              stack,
              SET_RULE,
              { input: { officeId: 'nope', serviceId: rule.serviceId } },
              anna,
            )
          ).codes,
        ).toEqual(['BAD_USER_INPUT']);
        const set = await ok<{ setQueueRule: Variables }>(
          stack,
          SET_RULE,
          { input: { ...rule, dailyTicketLimit: 1 } },
          anna,
        );
        expect(set.setQueueRule).toEqual({
          officeId: orebro.id,
          service: { id: rule.serviceId },
          targetWaitMinutes: 30,
          dailyTicketLimit: 1,
        });

        await take(stack, rule);
        const before = await deskCounts(stack);
        const second = await refusal(stack, TAKE, { input: rule });
        expect(second.codes).toEqual(['LIMIT_REACHED']);
        expect(second.extensions).toMatchObject({ reason: 'CONTINGENT' });
        expect(await deskCounts(stack)).toEqual(before);

        // Lifting the contingent lets the next citizen in.
        await ok(stack, SET_RULE, { input: { ...rule, dailyTicketLimit: null } }, anna);
        expect((await take(stack, rule)).ticket.status).toBe('WAITING');
      });
    });
  });

  describe('later the same day (12:30)', () => {
    let later: TestStack;
    let hallsberg: Office;
    let kiruna: Office;
    const booked: Record<string, Booked> = {};
    const oldWalkIns: Record<string, Receipt> = {};
    let joint: {
      id: string;
      reference: string;
      appointments: Array<{ id: string; reference: string; service: { id: string } }>;
    };

    beforeAll(async () => {
      hallsberg = offices.get('Hallsberg') as Office;
      kiruna = offices.get('Kiruna') as Office;
      const gunilla = await staffToken(stack, 'Gunilla Persson', hallsberg, true);
      const nils = await staffToken(stack, 'Nils Labba', kiruna, true);
      // At 10:00: walk-ins that will have waited two and a half hours by 12:30. Those for
      // services with a target wait of 480 minutes are not overdue then; the FK one is.
      for (const code of ['tax-return-help', 'citizen-guidance']) {
        await ok(
          stack,
          SET_RULE,
          {
            input: {
              officeId: hallsberg.id,
              serviceId: serviceOf(hallsberg, code),
              targetWaitMinutes: 480,
            },
          },
          gunilla,
        );
      }
      for (const code of ['tax-return-help', 'coordination-number']) {
        await ok(
          stack,
          SET_RULE,
          {
            input: {
              officeId: kiruna.id,
              serviceId: serviceOf(kiruna, code),
              targetWaitMinutes: 480,
            },
          },
          nils,
        );
      }
      const walkIn = (office: Office, code: string) =>
        take(stack, { officeId: office.id, serviceId: serviceOf(office, code) });
      oldWalkIns.tax = await walkIn(hallsberg, 'tax-return-help');
      oldWalkIns.parental = await walkIn(hallsberg, 'parental-benefit');
      oldWalkIns.guidance = await walkIn(hallsberg, 'citizen-guidance');
      oldWalkIns.bounced = await walkIn(kiruna, 'coordination-number');
      oldWalkIns.kirunaTax = await walkIn(kiruna, 'tax-return-help');
      oldWalkIns.kirunaCoordination = await walkIn(kiruna, 'coordination-number');

      // Booked at 10:00 for later today (two hours' notice) and for tomorrow.
      booked.onTime = await book(stack, hallsberg, 'tax-return-help', '2027-03-01T12:30:00+01:00');
      booked.notYet = await book(
        stack,
        hallsberg,
        'coordination-number',
        '2027-03-01T12:45:00+01:00',
      );
      booked.late = await book(stack, hallsberg, 'citizen-guidance', '2027-03-01T12:00:00+01:00');
      booked.fk = await book(stack, hallsberg, 'eu-card', '2027-03-01T12:30:00+01:00');
      booked.tomorrow = await book(
        stack,
        hallsberg,
        'tax-return-help',
        '2027-03-02T10:00:00+01:00',
      );
      booked.walkThrough = await book(
        stack,
        orebro,
        'pension-guidance',
        '2027-03-01T12:30:00+01:00',
      );
      joint = (
        await ok<{ bookJointVisit: typeof joint }>(stack, BOOK_JOINT, {
          input: {
            officeId: orebro.id,
            serviceIds: [
              serviceOf(orebro, 'tax-return-help'),
              serviceOf(orebro, 'housing-allowance'),
            ],
            start: '2027-03-01T12:30:00+01:00',
            citizen: { personnummer: personnummer(++people), name: 'Test Person' },
          },
        })
      ).bookJointVisit;

      later = await startTestStack({ FIXED_NOW: LATER, DATABASE_URL: stack.databaseUrl });
    });

    afterAll(async () => {
      await later?.stop();
    });

    describe('check-in', () => {
      it('refuses too early (with when it opens), another day and unknown references, changing nothing', async () => {
        const before = await deskCounts(stack);
        // The office's staff are told why; the kiosk (anyone else) only that it does not
        // check in here now, exactly as for an unknown reference (the access matrix).
        const desk = await staffToken(stack, 'Henrik Ström', hallsberg);
        const deskLater = await staffToken(later, 'Henrik Ström', hallsberg);
        const early = await refusal(stack, CHECK_IN, { r: booked.onTime.reference }, desk);
        expect(early.codes).toEqual(['CONFLICT']);
        expect(early.extensions).toMatchObject({
          reason: 'TOO_EARLY',
          checkInFrom: '2027-03-01T11:15:00.000Z',
        });
        const tomorrow = await refusal(
          later,
          CHECK_IN,
          { r: booked.tomorrow.reference },
          deskLater,
        );
        expect(tomorrow.codes).toEqual(['CONFLICT']);
        expect(tomorrow.extensions).toMatchObject({ reason: 'NOT_TODAY' });
        const unknown = await refusal(later, CHECK_IN, { r: 'ZZZZ2222' });
        expect(unknown.codes).toEqual(['NOT_FOUND']);
        for (const [at, r] of [
          [stack, booked.onTime.reference],
          [later, booked.tomorrow.reference],
        ] as const) {
          const kiosk = await refusal(at, CHECK_IN, { r });
          expect(kiosk.codes).toEqual(['NOT_FOUND']);
          expect(kiosk.response.errors?.[0]?.message).toBe(unknown.response.errors?.[0]?.message);
          expect(kiosk.extensions).toEqual(unknown.extensions);
        }
        expect(await deskCounts(stack)).toEqual(before);
        expect(await appointmentStatus(later, booked.onTime)).toBe('BOOKED');
        expect(await appointmentStatus(later, booked.tomorrow)).toBe('BOOKED');
      });

      it('on time: an appointment ticket, called at its time ahead of walk-ins who came earlier; only once', async () => {
        const henrik = await staffToken(later, 'Henrik Ström', hallsberg);
        const onTime = await checkIn(later, booked.onTime.reference.toLowerCase());
        expect(onTime.ticket).toMatchObject({
          status: 'WAITING',
          channel: 'CHECK_IN',
          appointmentReference: booked.onTime.reference,
          arrivedAt: '2027-03-01T12:30:00.000+01:00',
          service: { id: serviceOf(hallsberg, 'tax-return-help') },
          remainingParts: 0,
        });
        expect(onTime.ticket.number).toMatch(/^S\d{3}$/);
        expect(await appointmentStatus(later, booked.onTime)).toBe('CHECKED_IN');
        // 15 minutes early is within the window, but it is not called before 12:45.
        const notYet = await checkIn(later, booked.notYet.reference, henrik);
        expect(notYet.ticket.channel).toBe('CHECK_IN');

        const twice = await refusal(later, CHECK_IN, { r: booked.onTime.reference }, henrik);
        expect(twice.codes).toEqual(['CONFLICT']);
        expect(twice.extensions).toMatchObject({ ticketNumber: onTime.ticket.number });
        // At the kiosk, a second check-in tells nothing (not the ticket's number).
        expect((await refusal(later, CHECK_IN, { r: booked.onTime.reference })).codes).toEqual([
          'NOT_FOUND',
        ]);

        const counter = counterOf(hallsberg, 'Disk 1');
        expect((await callNext(later, counter, henrik))?.id).toBe(onTime.ticket.id);
        expect(await appointmentStatus(later, booked.onTime)).toBe('CALLED');
        await step(later, END, onTime.ticket.id, henrik);
        expect(await appointmentStatus(later, booked.onTime)).toBe('COMPLETED');
        expect((await callNext(later, counter, henrik))?.id).toBe(oldWalkIns.tax.ticket.id);
        await step(later, END, oldWalkIns.tax.ticket.id, henrik);
        expect(await callNext(later, counter, henrik)).toBeNull();
        expect((await holderView(later, notYet.ticket.id))?.status).toBe('WAITING');
        await ok(later, CANCEL, { t: notYet.token });
      });

      it('ageing: a walk-in waiting beyond the target wait is called before a due appointment', async () => {
        // The FK walk-in arrived at 10:00 with the default target of 30 minutes
        // (FRONTDESK_TARGET_WAIT_MINUTES): at 12:30 it is long overdue.
        const amira = await staffToken(later, 'Amira Haddad', hallsberg);
        const appointment = await checkIn(later, booked.fk.reference);
        const counter = counterOf(hallsberg, 'Disk 3');
        expect((await callNext(later, counter, amira))?.id).toBe(oldWalkIns.parental.ticket.id);
        await step(later, END, oldWalkIns.parental.ticket.id, amira);
        expect((await callNext(later, counter, amira))?.id).toBe(appointment.ticket.id);
        await step(later, END, appointment.ticket.id, amira);
      });

      it('late: a walk-in ticket for the same service, waiting from now, the reference kept', async () => {
        const late = await checkIn(later, booked.late.reference);
        expect(late.ticket).toMatchObject({
          status: 'WAITING',
          channel: 'CHECK_IN',
          arrivedAt: '2027-03-01T12:30:00.000+01:00',
          appointmentReference: booked.late.reference,
          service: { id: serviceOf(hallsberg, 'citizen-guidance') },
        });
        expect(await appointmentStatus(later, booked.late)).toBe('CHECKED_IN');
        const [row] = await later.sql<{ booked_start: Date | null; due_at: Date }>(
          'SELECT booked_start, due_at FROM scheduling.ticket WHERE id = $1',
          [late.ticket.id],
        );
        expect(row.booked_start).toBeNull();
        expect(row.due_at.toISOString()).toBe('2027-03-01T11:30:00.000Z');
        // As a walk-in, it comes after the walk-in who has waited since 10:00.
        const gunilla = await staffToken(later, 'Gunilla Persson', hallsberg);
        const counter = counterOf(hallsberg, 'Disk 2');
        expect((await callNext(later, counter, gunilla))?.id).toBe(oldWalkIns.guidance.ticket.id);
        await step(later, END, oldWalkIns.guidance.ticket.id, gunilla);
        expect((await callNext(later, counter, gunilla))?.id).toBe(late.ticket.id);
        await step(later, END, late.ticket.id, gunilla);
        expect(await appointmentStatus(later, booked.late)).toBe('COMPLETED');
      });
    });

    describe('joint visit', () => {
      it('checks in once and serves the parts in order, the same ticket throughout', async () => {
        const erikLater = await staffToken(later, 'Erik Nilsson', orebro);
        const karinLater = await staffToken(later, 'Karin Johansson', orebro);
        const mohammed = await staffToken(later, 'Mohammed Al-Hassan', orebro);
        const [first, second] = joint.appointments;
        expect(first.service.id).toBe(serviceOf(orebro, 'tax-return-help'));

        const receipt = await checkIn(later, joint.reference);
        expect(receipt.ticket).toMatchObject({
          status: 'WAITING',
          remainingParts: 1,
          service: { id: first.service.id },
          appointmentReference: first.reference,
        });
        expect(receipt.ticket.number).toMatch(/^S\d{3}$/);
        const statuses = async () =>
          (
            await later.sql<{ status: string }>(
              'SELECT status::text AS status FROM scheduling.appointment WHERE joint_visit_id = $1 ORDER BY joint_part',
              [joint.id],
            )
          ).map((r) => r.status);
        expect(await statuses()).toEqual(['CHECKED_IN', 'CHECKED_IN']);

        // Those trained only for the second part do not get it before the first is done.
        expect(await callNext(later, counterOf(orebro, 'Disk 2'), karinLater)).toBeNull();
        expect(await callNext(later, counterOf(orebro, 'Disk 1'), mohammed)).toBeNull();
        expect((await callNext(later, counterOf(orebro, 'Disk 4'), erikLater))?.id).toBe(
          receipt.ticket.id,
        );
        await step(later, START, receipt.ticket.id, erikLater);
        const next = await step(later, END, receipt.ticket.id, erikLater);
        expect(next).toMatchObject({
          id: receipt.ticket.id,
          number: receipt.ticket.number,
          arrivedAt: receipt.ticket.arrivedAt,
          status: 'WAITING',
          service: { id: second.service.id },
          remainingParts: 0,
          appointmentReference: second.reference,
          counterName: null,
        });
        expect(await statuses()).toEqual(['COMPLETED', 'CHECKED_IN']);
        expect((await holderView(later, receipt.ticket.id))?.status).toBe('WAITING');

        expect(await callNext(later, counterOf(orebro, 'Disk 4'), erikLater)).toBeNull();
        expect((await callNext(later, counterOf(orebro, 'Disk 2'), karinLater))?.id).toBe(
          receipt.ticket.id,
        );
        expect((await step(later, END, receipt.ticket.id, karinLater)).status).toBe('COMPLETED');
        expect(await statuses()).toEqual(['COMPLETED', 'COMPLETED']);
      });
    });

    describe('transfer cap', () => {
      it('after FRONTDESK_TRANSFER_CAP transfers a ticket queues from the time of the transfer', async () => {
        // Kiruna: the bounced ticket and two walk-ins all arrived at 10:00, in this order; the
        // target wait of both SKV services is 480 minutes, so nobody is overdue at 12:30.
        const aino = await staffToken(later, 'Aino Niemi', kiruna);
        const tax = serviceOf(kiruna, 'tax-return-help');
        const coordination = serviceOf(kiruna, 'coordination-number');
        const id = oldWalkIns.bounced.ticket.id;
        const order = async (serviceId: string) =>
          (await ok<{ officeQueue: Ticket[] }>(later, QUEUE, { o: kiruna.id }, aino)).officeQueue
            .filter((t) => t.service.id === serviceId)
            .map((t) => t.id);
        const transfer = async (serviceId: string, placement?: string) =>
          (
            await ok<{ transferTicket: Ticket }>(
              later,
              TRANSFER,
              { t: id, s: serviceId, placement },
              aino,
            )
          ).transferTicket;

        expect((await transfer(tax)).transferCount).toBe(1);
        expect(await order(tax)).toEqual([id, oldWalkIns.kirunaTax.ticket.id]);
        await transfer(coordination);
        const third = await transfer(tax);
        expect(third).toMatchObject({ transferCount: 3, number: oldWalkIns.bounced.ticket.number });
        expect(await order(tax)).toEqual([id, oldWalkIns.kirunaTax.ticket.id]);

        // The fourth: from the transfer time, and no longer first in line even when asked.
        const fourth = await transfer(coordination, 'FIRST_IN_LINE');
        expect(fourth).toMatchObject({
          transferCount: 4,
          number: oldWalkIns.bounced.ticket.number,
          arrivedAt: '2027-03-01T10:00:00.000+01:00',
        });
        expect(await order(coordination)).toEqual([oldWalkIns.kirunaCoordination.ticket.id, id]);
        const placements = await later.sql<{ placement: string }>(
          `SELECT details->>'placement' AS placement FROM scheduling.ticket_event
           WHERE ticket_id = $1 AND kind = 'TRANSFERRED' ORDER BY id`,
          [id],
        );
        expect(placements.map((p) => p.placement)).toEqual([
          'ARRIVAL',
          'ARRIVAL',
          'ARRIVAL',
          'TRANSFER_TIME',
        ]);
        await clearQueues(later);
      });
    });

    describe('events', () => {
      it('writes an event row for every step, with time, staff, counter and agency', async () => {
        const karinLater = await staffToken(later, 'Karin Johansson', orebro);
        const erikLater = await staffToken(later, 'Erik Nilsson', orebro);
        const disk2 = counterOf(orebro, 'Disk 2');
        const disk4 = counterOf(orebro, 'Disk 4');

        // An appointment checked in by staff, called, recalled, parked, back, served, handed over.
        const visit = await checkIn(later, booked.walkThrough.reference, karinLater);
        const id = visit.ticket.id;
        expect((await callNext(later, disk2, karinLater))?.id).toBe(id);
        await step(later, RECALL, id, karinLater);
        await step(later, PARK, id, karinLater);
        await step(later, UNPARK, id, karinLater);
        await ok(later, CALL_TICKET, { t: id, c: disk2 }, karinLater);
        await step(later, START, id, karinLater);
        await ok(
          later,
          TRANSFER,
          { t: id, s: serviceOf(orebro, 'tax-return-help'), note: 'Deklarationen' },
          karinLater,
        );
        expect((await callNext(later, disk4, erikLater))?.id).toBe(id);
        await step(later, START, id, erikLater);
        await step(later, END, id, erikLater);
        // A walk-in who never came.
        const walkIn = await take(later, {
          officeId: orebro.id,
          serviceId: serviceOf(orebro, 'id-card'),
        });
        expect((await callNext(later, disk4, erikLater))?.id).toBe(walkIn.ticket.id);
        await step(later, RECALL, walkIn.ticket.id, erikLater);
        await step(later, RECALL, walkIn.ticket.id, erikLater);
        await step(later, NO_SHOW, walkIn.ticket.id, erikLater);

        const events = await later.sql<{
          ticket_id: string;
          kind: string;
          at: Date;
          staff_id: string | null;
          counter_id: string | null;
          agency: string;
          office_id: string;
        }>(
          `SELECT e.ticket_id, e.kind, e.at, e.staff_id, e.counter_id, a.code AS agency, e.office_id
           FROM scheduling.ticket_event e JOIN directory.published_agency a ON a.agency_id = e.agency_id
           WHERE e.ticket_id = ANY($1::uuid[]) ORDER BY e.id`,
          [[id, walkIn.ticket.id]],
        );
        expect(events.every((e) => e.at.toISOString() === '2027-03-01T11:30:00.000Z')).toBe(true);
        expect(events.every((e) => e.office_id === orebro.id)).toBe(true);
        const karinId = staffIdOf(orebro, 'Karin Johansson');
        const erikId = staffIdOf(orebro, 'Erik Nilsson');
        const shape = (ticketId: string) =>
          events
            .filter((e) => e.ticket_id === ticketId)
            .map((e) => [e.kind, e.staff_id, e.counter_id, e.agency]);
        expect(shape(id)).toEqual([
          ['CHECKED_IN', karinId, null, 'PM'],
          ['CALLED', karinId, disk2, 'PM'],
          ['RECALLED', karinId, disk2, 'PM'],
          ['PARKED', karinId, disk2, 'PM'],
          ['UNPARKED', karinId, null, 'PM'],
          ['CALLED', karinId, disk2, 'PM'],
          ['STARTED', karinId, disk2, 'PM'],
          ['TRANSFERRED', karinId, disk2, 'PM'],
          ['CALLED', erikId, disk4, 'SKV'],
          ['STARTED', erikId, disk4, 'SKV'],
          ['ENDED', erikId, disk4, 'SKV'],
        ]);
        expect(shape(walkIn.ticket.id)).toEqual([
          ['ARRIVED', null, null, 'SKV'],
          ['CALLED', erikId, disk4, 'SKV'],
          ['RECALLED', erikId, disk4, 'SKV'],
          ['RECALLED', erikId, disk4, 'SKV'],
          ['NO_SHOW', erikId, disk4, 'SKV'],
        ]);
        expect(await appointmentStatus(later, booked.walkThrough)).toBe('COMPLETED');
      });
    });
  });

  describe('the next morning, before opening (Tuesday 08:45)', () => {
    let morning: TestStack;
    let appointment: Booked;
    let yesterday: Receipt;
    let leftCalled: Receipt;

    beforeAll(async () => {
      appointment = await book(stack, orebro, 'tax-return-help', '2027-03-02T09:00:00+01:00');
      // A ticket left waiting when Monday ended.
      yesterday = await take(stack, {
        officeId: eskilstuna.id,
        serviceId: serviceOf(eskilstuna, 'tax-return-help'),
      });
      // And one left called at Sara's counter.
      leftCalled = await take(stack, {
        officeId: orebro.id,
        serviceId: serviceOf(orebro, 'tax-return-help'),
      });
      expect((await callNext(stack, counterOf(orebro, 'Disk 3'), sara))?.id).toBe(
        leftCalled.ticket.id,
      );
      morning = await startTestStack({ FIXED_NOW: NEXT_MORNING, DATABASE_URL: stack.databaseUrl });
    });

    afterAll(async () => {
      await morning?.stop();
    });

    it('gives no tickets while the office is closed, and says when it opens', async () => {
      const before = await deskCounts(morning);
      const closed = await refusal(morning, TAKE, {
        input: { officeId: orebro.id, serviceId: serviceOf(orebro, 'tax-return-help') },
      });
      expect(closed.codes).toEqual(['SLOT_UNAVAILABLE']);
      expect(closed.extensions).toMatchObject({
        reason: 'CLOSED',
        opensAt: '2027-03-02T08:00:00.000Z',
      });
      expect(await deskCounts(morning)).toEqual(before);
    });

    it('numbers the new day from 001 again', async () => {
      const receipt = await checkIn(morning, appointment.reference);
      expect(receipt.ticket).toMatchObject({
        number: 'S001',
        status: 'WAITING',
        channel: 'CHECK_IN',
      });
      // Due at 09:00: nobody calls it before then.
      const erikMorning = await staffToken(morning, 'Erik Nilsson', orebro);
      expect(await callNext(morning, counterOf(orebro, 'Disk 4'), erikMorning)).toBeNull();
    });

    it("ends yesterday's open calls, so the counter and the person are free this morning", async () => {
      const saraMorning = await staffToken(morning, 'Sara Ekström', orebro);
      // Not a CONFLICT over Monday's citizen: nobody is due yet, so nobody is called.
      expect(await callNext(morning, counterOf(orebro, 'Disk 3'), saraMorning)).toBeNull();
      const [ended] = await morning.sql<{ status: string; ended_at: Date; reason: string }>(
        `SELECT t.status, t.ended_at, e.details->>'reason' AS reason
         FROM scheduling.ticket t JOIN scheduling.ticket_event e ON e.ticket_id = t.id AND e.kind = 'CANCELLED'
         WHERE t.id = $1`,
        [leftCalled.ticket.id],
      );
      // At Monday's closing time, 16:00.
      expect(ended).toEqual({
        status: 'CANCELLED',
        ended_at: new Date('2027-03-01T15:00:00.000Z'),
        reason: 'DAY_ENDED',
      });
    });

    it("leaves yesterday's waiting tickets out of today's queue", async () => {
      const mikael = await staffToken(morning, 'Mikael Lund', eskilstuna);
      expect(
        (await ok<{ officeQueue: Ticket[] }>(morning, QUEUE, { o: eskilstuna.id }, mikael))
          .officeQueue,
      ).toEqual([]);
      expect(await callNext(morning, counterOf(eskilstuna, 'Disk 2'), mikael)).toBeNull();
      expect((await holderView(morning, yesterday.ticket.id))?.status).toBe('WAITING');
    });
  });

  describe('after closing (Monday 16:30)', () => {
    let evening: TestStack;
    let appointment: Booked;

    beforeAll(async () => {
      appointment = await book(stack, orebro, 'tax-return-help', '2027-03-01T15:30:00+01:00');
      evening = await startTestStack({
        FIXED_NOW: '2027-03-01T16:30:00+01:00',
        DATABASE_URL: stack.databaseUrl,
      });
    });

    afterAll(async () => {
      await evening?.stop();
    });

    it('a late arrival after closing gets no walk-in ticket, and the booking stays as it was', async () => {
      const before = await deskCounts(evening);
      const desk = await staffToken(evening, 'Erik Nilsson', orebro);
      const late = await refusal(evening, CHECK_IN, { r: appointment.reference }, desk);
      expect(late.codes).toEqual(['SLOT_UNAVAILABLE']);
      expect(late.extensions).toMatchObject({ reason: 'CLOSED' });
      // The kiosk is told only that it does not check in here now.
      expect((await refusal(evening, CHECK_IN, { r: appointment.reference })).codes).toEqual([
        'NOT_FOUND',
      ]);
      expect(await deskCounts(evening)).toEqual(before);
      expect(await appointmentStatus(evening, appointment)).toBe('BOOKED');
    });
  });

  describe('just before closing (Monday 15:45)', () => {
    let late: TestStack;

    beforeAll(async () => {
      late = await startTestStack({
        FIXED_NOW: '2027-03-01T15:45:00+01:00',
        DATABASE_URL: stack.databaseUrl,
      });
    });

    afterAll(async () => {
      await late?.stop();
    });

    it('gives no ticket that cannot be served before closing, and still gives shorter ones', async () => {
      const before = await deskCounts(late);
      // Help with the tax return takes 20 minutes: 15:45 + 20 is after 16:00.
      const tooLate = await refusal(late, TAKE, {
        input: { officeId: orebro.id, serviceId: serviceOf(orebro, 'tax-return-help') },
      });
      expect(tooLate.codes).toEqual(['SLOT_UNAVAILABLE']);
      expect(tooLate.extensions).toMatchObject({
        reason: 'AFTER_LAST_TICKET',
        closesAt: '2027-03-01T15:00:00.000Z',
      });
      expect(await deskCounts(late)).toEqual(before);
      // An EU card takes 10: given, and the kiosk is told whether the queue may pass closing.
      const receipt = await take(late, {
        officeId: orebro.id,
        serviceId: serviceOf(orebro, 'eu-card'),
      });
      expect(receipt.ticket.status).toBe('WAITING');
      expect(typeof receipt.passesClosingTime).toBe('boolean');
    });
  });
});
