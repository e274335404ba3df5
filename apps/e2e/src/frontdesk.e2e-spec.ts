import { errorCodes, startTestStack, type TestStack } from '@samservice/testing';

/** "Now" for this suite: Monday 1 March 2027, 10:00 in Stockholm (Örebro open 9–16). */
const NOW = '2027-03-01T10:00:00+01:00';

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
  callCount: number;
  transferCount: number;
  note: string | null;
  remainingParts: number;
  service: { id: string };
}

const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token passesClosingTime ticket { ${TICKET_FIELDS} } } }`;
const TICKET = `query($t: String!) { ticket(token: $t) { ${TICKET_FIELDS} } }`;
const CALL_NEXT = `mutation($c: ID!, $k: String) { callNext(counterId: $c, idempotencyKey: $k) { ${TICKET_FIELDS} } }`;
const START = `mutation($t: ID!) { startService(ticketId: $t) { ${TICKET_FIELDS} } }`;
const END = `mutation($t: ID!) { endService(ticketId: $t) { ${TICKET_FIELDS} } }`;
const LOBBY = `query($o: ID!) { lobbyCalls(officeId: $o) { ticketNumber counterName calledAt recall } }`;

describe('front desk through the gateway', () => {
  let stack: TestStack;
  let orebro: {
    id: string;
    services: Array<{ id: string; code: string; agency: { code: string } }>;
    counters: Array<{ id: string; name: string }>;
  };
  let anna: string;
  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;
  const counter = (name: string) => orebro.counters.find((c) => c.name === name)?.id as string;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    const admin = await stack.tokenFor({ role: 'admin', subject: 'test-admin' });
    const response = await stack.query<{ offices: Array<typeof orebro & { municipality: string }> }>(
      '{ offices { id municipality services { id code agency { code } } counters { id name } } }',
      {},
      { token: admin },
    );
    orebro = response.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    anna = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id],
      adminOffices: [orebro.id],
      competences: ['FK', 'SKV'],
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('walk-in: take a ticket at the kiosk, get called, served and done', async () => {
    const taken = await stack.query<{
      takeTicket: { token: string; passesClosingTime: boolean; ticket: Ticket };
    }>(TAKE, { input: { officeId: orebro.id, serviceId: service('tax-return-help') } });
    expect(taken.errors).toBeUndefined();
    const receipt = taken.data!.takeTicket;
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

    const lobby = await stack.query<{ lobbyCalls: Array<{ ticketNumber: string; counterName: string }> }>(
      LOBBY,
      { o: orebro.id },
    );
    expect(lobby.data?.lobbyCalls[0]).toMatchObject({
      ticketNumber: receipt.ticket.number,
      counterName: 'Disk 3',
    });

    const started = await stack.query<{ startService: Ticket }>(START, { t: receipt.ticket.id }, { token: anna });
    expect(started.data?.startService.status).toBe('IN_SERVICE');
    const ended = await stack.query<{ endService: Ticket }>(END, { t: receipt.ticket.id }, { token: anna });
    expect(ended.data?.endService.status).toBe('COMPLETED');

    const again = await stack.query(CALL_NEXT, { c: counter('Disk 3') }, { token: anna });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual({ callNext: null });
    expect(errorCodes(again)).toEqual([]);
  });
});
