import { Kind, parse, type DocumentNode } from 'graphql';
import { readSupergraph } from '@samservice/gateway';
import { IDENTITY_HEADER, InternalIdentitySigner, type Principal } from '@samservice/platform/auth';
import {
  errorCodes,
  postGraphQL,
  startTestStack,
  subscribe,
  subscriptionClient,
  syntheticPersonnummer,
  type GraphQLResponse,
  type TestStack,
} from '@samservice/testing';

/**
 * The access matrix of docs/security.md ("Access matrix"): every role against every read
 * and write of personal or agency data, through the gateway, and the federation side door
 * (`_entities` sent straight to each subgraph with a valid gateway-signed identity).
 * The tables below mirror the doc's; a cell is an error code, "null", or a check of what
 * the role gets (for "own only": that another's rows are absent; for hidden fields: null).
 *
 * The first test is the completeness check: every root field of the committed supergraph
 * is called by some document here (`covers`) or is in PUBLIC_OPERATIONS, with its reason.
 *
 * "Now": Monday 1 March 2027, 10:00 in Stockholm (the front desk is open); the bookings
 * the reads look at are for Tuesday 2 March at Örebro; the writes make their own, on
 * Wednesday 3 March (or today, for check-in), and cancel them after each cell.
 */
const NOW = '2027-03-01T10:00:00+01:00';
/** Another day, for the bookings the writes below make and undo. */
const LATER_DAY = '2027-03-03';
const TODAY = NOW.slice(0, 10);

/**
 * The completeness check's list: the root fields of the API that carry nothing personal or
 * agency-secret, so they have no row here. Anything else the schema has must be called by a
 * document of this matrix (`covers`), or the first test fails naming it.
 */
const PUBLIC_OPERATIONS: Record<string, string> = {
  agencies: 'the network: agencies and their services, as published',
  agency: 'one agency, as published',
  service: 'one service and its rules, as published',
  offices: 'open offices, addresses, hours (Office.counters and Office.staff have rows)',
  office: 'one office (Office.counters and Office.staff have rows)',
  openingHours: "an office's opening hours",
  availableSlots: 'free start times, nothing of who booked the others',
  jointVisitOptions: 'free chains of starts, as availableSlots',
  me: "the caller's own principal as the subgraph sees it, nothing of anyone else",
  lobbyCallMade:
    'the lobby display, pushed: ticket number, counter, time (lobbyCalls, its query, has a row; subscriptions.e2e-spec)',
};

/** Root fields (query, mutation and subscription) some document of this matrix calls. */
const COVERED = new Set<string>();

function rootFields(document: DocumentNode): string[] {
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION
      ? definition.selectionSet.selections.flatMap((s) =>
          s.kind === Kind.FIELD ? [s.name.value] : [],
        )
      : [],
  );
}

/** A document of the matrix; its root fields count as having a row. */
function covers(document: string): string {
  for (const field of rootFields(parse(document))) COVERED.add(field);
  return document;
}

/** The root fields of the gateway's API, from the committed supergraph. */
function apiOperations(): string[] {
  const supergraph = parse(readSupergraph());
  return supergraph.definitions.flatMap((definition) =>
    (definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
    ['Query', 'Mutation', 'Subscription'].includes(definition.name.value)
      ? (definition.fields ?? [])
          .filter((f) => !f.directives?.some((d) => d.name.value === 'inaccessible'))
          .map((f) => `${definition.name.value}.${f.name.value}`)
      : [],
  );
}
const DAY = '2027-03-02';

const ROLES = [
  'anonymous',
  'citizen',
  'otherCitizen',
  'staffHere',
  'staffElsewhere',
  'officeAdmin',
  'agency',
  'otherAgency',
  'admin',
] as const;
type RoleName = (typeof ROLES)[number];

type Variables = Record<string, unknown>;
/* eslint-disable @typescript-eslint/no-explicit-any -- cells check the JSON the API answers */
type Check = (value: any) => void;
type Refusal = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';
type Cell = Refusal | 'null' | Check;
type Cells = Record<RoleName, Cell>;

const OWNER = syntheticPersonnummer(1, 1970);
const OTHER = syntheticPersonnummer(2, 1970);
const AFFECTED = syntheticPersonnummer(3, 1970);
const OWNER_NAME = 'Alva Ägare';
const OTHER_NAME = 'Bo Annan';
const AFFECTED_NAME = 'Cia Flyttad';

interface Office {
  id: string;
  municipality: string;
  services: Array<{ id: string; code: string; agency: { code: string } }>;
  counters: Array<{ id: string; name: string }>;
  staff: Array<{ id: string; name: string }>;
}

interface Booking {
  id: string;
  reference: string;
}

/** What the suite set up: appointments, a joint visit and tickets, by what they are for. */
interface World {
  orebro: Office;
  eskilstuna: Office;
  /** The owner's single appointment for an FK service. */
  fk: Booking;
  /** Another citizen's appointment for an SKV service. */
  skv: Booking;
  /** The owner's joint visit: an FK part, then an SKV part. */
  joint: Booking & { fkPart: Booking; skvPart: Booking };
  /** A third citizen's FK appointment a directory change left NEEDS_REBOOKING. */
  affected: Booking;
  ticketFk: { id: string; token: string };
  ticketSkv: { id: string; token: string };
  /** A ticket the signed-in owner took at Eskilstuna (so Örebro's queue is as it was). */
  ownersTicket: { id: string; token: string };
  service: (code: string) => string;
  counter: (name: string) => string;
}

const APPOINTMENT = covers(`query($r: String!, $p: String) {
  appointmentByReference(reference: $r, personnummer: $p) { id reference status service { id } } }`);
const SCHEDULE = covers(`query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) {
  id reference service { id } agency citizenName identityNumber jointVisit { part previous { agency } next { agency } } } }`);
const AFFECTED_QUERY = covers(
  `query($o: ID!) { affectedAppointments(officeId: $o) { id reference service { id } agency citizenName identityNumber } }`,
);
const AGENCY_APPOINTMENTS = covers(`query($from: Date!, $to: Date!) {
  agencyAppointments(from: $from, to: $to, first: 50) { items { id reference service { id } citizenName identityNumber } } }`);
const JOINT = covers(`query($r: String!, $p: String) {
  jointVisitByReference(reference: $r, personnummer: $p) { id reference appointments { id service { id } } } }`);
const COUNTERS = covers(`query($o: ID!) { counters(officeId: $o) { id name } }`);
const OFFICE_COUNTERS = covers(`query($o: ID!) { office(id: $o) { id counters { id } } }`);
const STAFF_MEMBERS = covers(`query($o: ID!) { staffMembers(officeId: $o) { id name } }`);
const OFFICE_STAFF = covers(`query($o: ID!) { office(id: $o) { id staff { id name } } }`);
const STAFF_MEMBER = covers(
  `query($id: ID!) { staffMember(id: $id) { id name shifts { id } absences { id } } }`,
);
const TICKET_FIELDS = 'id number status note service { id } appointmentReference';
const TICKET = covers(`query($t: String!) { ticket(token: $t) { ${TICKET_FIELDS} } }`);
const QUEUE = covers(`query($o: ID!) { officeQueue(officeId: $o) { ${TICKET_FIELDS} } }`);
const QUEUE_TICKET = covers(`query($id: ID!) { queueTicket(id: $id) { ${TICKET_FIELDS} } }`);
const QUEUE_LENGTH = covers(
  `query($o: ID!) { officeQueueLength(officeId: $o) { officeId waiting services { service { id } waiting } } }`,
);
const QUEUE_CHANGED = covers(`subscription($o: ID!) {
  officeQueueChanged(officeId: $o) { officeId waiting services { service { id } waiting } } }`);
const LOBBY = covers(
  `query($o: ID!) { lobbyCalls(officeId: $o) { ticketNumber counterName calledAt recall } }`,
);
const CALL_NEXT = covers(`mutation($c: ID!) { callNext(counterId: $c) { ${TICKET_FIELDS} } }`);
const SET_RULE = covers(`mutation($input: SetQueueRuleInput!) {
  setQueueRule(input: $input) { officeId service { id } targetWaitMinutes } }`);
const MY_APPOINTMENTS = covers(`query { myAppointments { id reference } }`);
const MY_JOINT_VISITS = covers(`query { myJointVisits { id reference appointments { id } } }`);
const MY_TICKETS = covers(`query { myTickets { id number } }`);
const MY_DATA = covers(
  `query { myData { identityNumber appointments { id name } tickets { id } reads { operation } } }`,
);
const READS = covers(`query { personalDataReads(first: 10) { operation readerRole } }`);
const ABUSE = covers(`query { abuseFlags(first: 10) { kind } }`);
/** The steps on a ticket, each with the arguments it takes besides the ticket. */
const STEPS: Record<string, string> = {
  callTicket: covers(
    `mutation($t: ID!, $c: ID!) { callTicket(ticketId: $t, counterId: $c) { id } }`,
  ),
  recallTicket: covers(`mutation($t: ID!) { recallTicket(ticketId: $t) { id } }`),
  startService: covers(`mutation($t: ID!) { startService(ticketId: $t) { id } }`),
  endService: covers(`mutation($t: ID!) { endService(ticketId: $t) { id } }`),
  transferTicket: covers(
    `mutation($t: ID!, $s: ID!) { transferTicket(ticketId: $t, serviceId: $s, note: "x") { id } }`,
  ),
  markNoShow: covers(`mutation($t: ID!) { markNoShow(ticketId: $t) { id } }`),
  parkTicket: covers(`mutation($t: ID!) { parkTicket(ticketId: $t) { id } }`),
  unparkTicket: covers(`mutation($t: ID!) { unparkTicket(ticketId: $t) { id } }`),
};

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The principal of each column (staff subjects are demo staff members of the directory). */
function principals(orebro: Office, eskilstuna: Office): Record<RoleName, Principal> {
  const staff = (name: string, office: Office, competences: string[], admin = false) => ({
    role: 'staff' as const,
    subject: `demo-${slug(name)}`,
    offices: [office.id],
    adminOffices: admin ? [office.id] : [],
    competences,
  });
  return {
    anonymous: { role: 'anonymous' },
    citizen: { role: 'citizen', subject: 'citizen-owner', personnummer: OWNER.replace('-', '') },
    // Signed in too, but the owner's bookings are someone else's to them (SKV's is theirs).
    otherCitizen: {
      role: 'citizen',
      subject: 'citizen-other',
      personnummer: OTHER.replace('-', ''),
    },
    // Trained for SKV only (as the directory has it): FK's matters are not theirs.
    staffHere: staff('Erik Nilsson', orebro, ['SKV']),
    staffElsewhere: staff('Helena Sjöberg', eskilstuna, ['FK', 'PM']),
    officeAdmin: staff('Anna Lindqvist', orebro, ['FK', 'SKV'], true),
    agency: { role: 'agency', subject: 'fk-client', clientId: 'fk-client', agency: 'FK' },
    otherAgency: { role: 'agency', subject: 'af-client', clientId: 'af-client', agency: 'AF' },
    admin: { role: 'admin', subject: 'test-admin' },
  };
}

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

/** A list that holds exactly `present` of `ours` (rows the suite made), whatever else it has. */
function onlyOurs(ours: string[], present: string[]): Check {
  return (list: Array<{ id: string }>) => {
    expect(
      ids(list)
        .filter((id) => ours.includes(id))
        .sort(),
    ).toEqual([...present].sort());
  };
}

function codesOf(response: GraphQLResponse<unknown>): string[] {
  return [...new Set(errorCodes(response).map(String))];
}

describe('access matrix', () => {
  let stack: TestStack;
  let world: World;
  let tokens: Record<RoleName, string | undefined>;
  let roles: Record<RoleName, Principal>;

  const as = (role: RoleName, query: string, variables: Variables = {}) => {
    const token = tokens[role];
    return stack.query<Record<string, any>>(query, variables, token ? { token } : {});
  };

  const data = async <T = any>(query: string, variables: Variables = {}, token?: string) => {
    const response = await stack.query<Record<string, T>>(query, variables, token ? { token } : {});
    if (response.errors)
      throw new Error(`${query.slice(0, 50)}: ${JSON.stringify(response.errors)}`);
    return Object.values(response.data as Record<string, T>)[0] as T;
  };

  /** Asserts one cell of a row: the error code alone, null, or the check of the answer. */
  async function expectCell(
    response: GraphQLResponse<Record<string, any>>,
    field: string,
    cell: Cell,
  ) {
    if (typeof cell === 'string' && cell !== 'null') {
      expect(codesOf(response)).toEqual([cell]);
      expect(response.data?.[field] ?? null).toBeNull();
      return;
    }
    expect(response.errors).toBeUndefined();
    if (cell === 'null') expect(response.data?.[field]).toBeNull();
    else cell(response.data?.[field]);
  }

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, FRONTDESK_CHECK_IN_EARLY_MINUTES: '240' });
    const adminToken = await stack.tokenFor({ role: 'admin', subject: 'setup-admin' });
    const offices = await data<Office[]>(
      '{ offices { id municipality services { id code agency { code } } counters { id name } staff { id name } } }',
      {},
      adminToken,
    );
    const orebro = offices.find((o) => o.municipality === 'Örebro') as Office;
    const eskilstuna = offices.find((o) => o.municipality === 'Eskilstuna') as Office;
    const service = (code: string) => {
      const found = orebro.services.find((s) => s.code === code);
      if (!found) throw new Error(`Örebro offers no ${code}`);
      return found.id;
    };
    const counter = (name: string) => {
      const found = orebro.counters.find((c) => c.name === name);
      if (!found) throw new Error(`Örebro has no ${name}`);
      return found.id;
    };
    roles = principals(orebro, eskilstuna);
    tokens = Object.fromEntries(
      await Promise.all(
        ROLES.map(async (role) => {
          const principal = roles[role];
          return [
            role,
            principal.role === 'anonymous' ? undefined : await stack.tokenFor(principal),
          ];
        }),
      ),
    ) as Record<RoleName, string | undefined>;

    const slots = (code: string) =>
      data<Array<{ start: string }>>(
        `query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }`,
        { o: orebro.id, s: service(code), d: DAY },
      );
    const book = (code: string, start: string, personnummer: string, name: string) =>
      data<Booking>(
        `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference } }`,
        {
          input: {
            officeId: orebro.id,
            serviceId: service(code),
            start,
            citizen: { personnummer, name },
          },
        },
      );

    // The owner's joint visit first (the first chain of the day), then their single FK
    // booking at the day's last free start, so the two never overlap.
    const jointServices = [service('housing-allowance'), service('tax-return-help')];
    const [option] = await data<Array<{ start: string }>>(
      `query($s: [ID!]!, $o: ID!, $d: Date!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 1) { start } }`,
      { s: jointServices, o: orebro.id, d: DAY },
    );
    const visit = await data<{
      id: string;
      reference: string;
      appointments: Array<{ id: string; reference: string; service: { id: string } }>;
    }>(
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { id reference appointments { id reference service { id } } } }`,
      {
        input: {
          officeId: orebro.id,
          serviceIds: jointServices,
          start: option?.start,
          citizen: { personnummer: OWNER, name: OWNER_NAME },
        },
      },
    );
    const part = (serviceId: string) =>
      visit.appointments.find((a) => a.service.id === serviceId) as Booking;
    const fk = await book(
      'parental-benefit',
      (await slots('parental-benefit')).at(-1)?.start as string,
      OWNER,
      OWNER_NAME,
    );
    const skv = await book(
      'id-card',
      (await slots('id-card'))[0]?.start as string,
      OTHER,
      OTHER_NAME,
    );
    const affected = await book(
      'parental-benefit',
      (await slots('parental-benefit'))[0]?.start as string,
      AFFECTED,
      AFFECTED_NAME,
    );
    // What a counter's retirement does to a booking it hits (directory change → scheduling).
    await stack.sql(`UPDATE scheduling.appointment SET status = 'NEEDS_REBOOKING' WHERE id = $1`, [
      affected.id,
    ]);

    // Two walk-ins at the kiosk, one per agency, each with a note for the next officer.
    const take = async (code: string, note: string) => {
      const receipt = await data<{ token: string; ticket: { id: string } }>(
        `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token ticket { id } } }`,
        { input: { officeId: orebro.id, serviceId: service(code) } },
      );
      await stack.sql(`UPDATE scheduling.ticket SET note = $2 WHERE id = $1`, [
        receipt.ticket.id,
        note,
      ]);
      return { id: receipt.ticket.id, token: receipt.token };
    };
    const ticketFk = await take('parental-benefit', 'FK note');
    const ticketSkv = await take('tax-return-help', 'SKV note');
    const remote = await data<{ token: string; ticket: { id: string } }>(
      `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token ticket { id } } }`,
      { input: { officeId: eskilstuna.id, serviceId: eskilstuna.services[0]?.id } },
      tokens.citizen,
    );
    const ownersTicket = { id: remote.ticket.id, token: remote.token };

    world = {
      orebro,
      eskilstuna,
      fk,
      skv,
      joint: {
        id: visit.id,
        reference: visit.reference,
        fkPart: part(service('housing-allowance')),
        skvPart: part(service('tax-return-help')),
      },
      affected,
      ticketFk,
      ticketSkv,
      ownersTicket,
      service,
      counter,
    };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('has a row for every operation of the API but the listed public ones', () => {
    const operations = apiOperations();
    const missing = operations.filter((o) => {
      const field = o.slice(o.indexOf('.') + 1);
      return !COVERED.has(field) && !(field in PUBLIC_OPERATIONS);
    });
    expect({ missing }).toEqual({ missing: [] });
    // And the public list names only operations there are.
    const fields = operations.map((o) => o.slice(o.indexOf('.') + 1));
    expect(Object.keys(PUBLIC_OPERATIONS).filter((f) => !fields.includes(f))).toEqual([]);
  });

  // -------------------------------------------------------------------------------------
  // Appointments and the schedule

  /** An entry as a role sees it: with the name, without it, or hidden (service, reference). */
  type View = 'named' | 'nameless' | 'hidden';
  const entries =
    (views: () => Record<string, View>): Check =>
    (
      list: Array<{
        id: string;
        reference: string | null;
        service: { id: string } | null;
        citizenName: string | null;
        identityNumber: string | null;
      }>,
    ) => {
      const expected = views();
      const ours = list.filter((e) => e.id in expected);
      expect(ids(ours).sort()).toEqual(Object.keys(expected).sort());
      for (const entry of ours) {
        const view = expected[entry.id];
        expect({ id: entry.id, named: entry.citizenName !== null }).toEqual({
          id: entry.id,
          named: view === 'named',
        });
        // The masked number follows the name's rule, and is never the full number.
        expect({ id: entry.id, number: entry.identityNumber }).toEqual({
          id: entry.id,
          number: view === 'named' ? expect.stringMatching(/^\d{8}-\*{4}$/) : null,
        });
        expect({
          id: entry.id,
          hidden: entry.service === null && entry.reference === null,
        }).toEqual({
          id: entry.id,
          hidden: view === 'hidden',
        });
      }
    };
  const schedule = (view: (w: World) => Record<string, View>) => entries(() => view(world));
  const everyoneNamed = (w: World): Record<string, View> => ({
    [w.fk.id]: 'named',
    [w.skv.id]: 'named',
    [w.joint.fkPart.id]: 'named',
    [w.joint.skvPart.id]: 'named',
    [w.affected.id]: 'named',
  });
  const appointment = (booking: () => Booking) => (value: { id: string }) =>
    expect(value?.id).toBe(booking().id);

  const rows: Array<{ name: string; query: string; variables: () => Variables; cells: Cells }> = [
    {
      name: "appointmentByReference: the owner's single FK booking, no identity number",
      query: APPOINTMENT,
      variables: () => ({ r: world.fk.reference }),
      cells: {
        anonymous: 'null',
        citizen: appointment(() => world.fk),
        otherCitizen: 'null',
        staffHere: appointment(() => world.fk),
        staffElsewhere: 'null',
        officeAdmin: appointment(() => world.fk),
        agency: 'null',
        otherAgency: 'null',
        admin: 'null',
      },
    },
    {
      name: 'appointmentByReference: the same, with the identity number',
      query: APPOINTMENT,
      variables: () => ({ r: world.fk.reference, p: OWNER }),
      cells: {
        anonymous: appointment(() => world.fk),
        citizen: appointment(() => world.fk),
        otherCitizen: appointment(() => world.fk),
        staffHere: appointment(() => world.fk),
        staffElsewhere: appointment(() => world.fk),
        officeAdmin: appointment(() => world.fk),
        agency: appointment(() => world.fk),
        otherAgency: 'null',
        admin: appointment(() => world.fk),
      },
    },
    {
      name: "appointmentByReference: another citizen's SKV booking, no identity number",
      query: APPOINTMENT,
      variables: () => ({ r: world.skv.reference }),
      cells: {
        anonymous: 'null',
        citizen: 'null',
        otherCitizen: appointment(() => world.skv),
        staffHere: appointment(() => world.skv),
        staffElsewhere: 'null',
        officeAdmin: appointment(() => world.skv),
        agency: 'null',
        otherAgency: 'null',
        admin: 'null',
      },
    },
    {
      name: 'appointmentByReference: the FK part of a joint visit, no identity number',
      query: APPOINTMENT,
      variables: () => ({ r: world.joint.fkPart.reference }),
      cells: {
        anonymous: 'null',
        citizen: appointment(() => world.joint.fkPart),
        otherCitizen: 'null',
        staffHere: 'null',
        staffElsewhere: 'null',
        officeAdmin: appointment(() => world.joint.fkPart),
        agency: 'null',
        otherAgency: 'null',
        admin: 'null',
      },
    },
    {
      name: 'officeSchedule (Örebro, the day)',
      query: SCHEDULE,
      variables: () => ({ o: world.orebro.id, d: DAY }),
      cells: {
        anonymous: 'UNAUTHENTICATED',
        citizen: 'FORBIDDEN',
        otherCitizen: 'FORBIDDEN',
        staffHere: schedule((w) => ({
          [w.fk.id]: 'nameless',
          [w.skv.id]: 'named',
          [w.joint.fkPart.id]: 'hidden',
          [w.joint.skvPart.id]: 'named',
          [w.affected.id]: 'nameless',
        })),
        staffElsewhere: 'FORBIDDEN',
        officeAdmin: schedule(everyoneNamed),
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
        admin: schedule(everyoneNamed),
      },
    },
    {
      name: 'affectedAppointments (Örebro)',
      query: AFFECTED_QUERY,
      variables: () => ({ o: world.orebro.id }),
      cells: {
        anonymous: 'UNAUTHENTICATED',
        citizen: 'FORBIDDEN',
        otherCitizen: 'FORBIDDEN',
        staffHere: schedule((w) => ({ [w.affected.id]: 'nameless' })),
        staffElsewhere: 'FORBIDDEN',
        officeAdmin: schedule((w) => ({ [w.affected.id]: 'named' })),
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
        admin: schedule((w) => ({ [w.affected.id]: 'named' })),
      },
    },
    {
      name: 'agencyAppointments (the day)',
      query: AGENCY_APPOINTMENTS,
      variables: () => ({ from: DAY, to: DAY }),
      cells: {
        anonymous: 'UNAUTHENTICATED',
        citizen: 'FORBIDDEN',
        otherCitizen: 'FORBIDDEN',
        staffHere: 'FORBIDDEN',
        staffElsewhere: 'FORBIDDEN',
        officeAdmin: 'FORBIDDEN',
        agency: (page: {
          items: Array<{ id: string; citizenName: string; identityNumber: string | null }>;
        }) => {
          const ours = [
            world.fk,
            world.skv,
            world.joint.fkPart,
            world.joint.skvPart,
            world.affected,
          ];
          onlyOurs(ids(ours), [world.fk.id, world.joint.fkPart.id, world.affected.id])(page.items);
          const fk = page.items.find((i) => i.id === world.fk.id);
          expect(fk?.citizenName).toBe(OWNER_NAME);
          expect(fk?.identityNumber).toBe(`${OWNER.slice(0, 8)}-****`);
        },
        otherAgency: (page: { items: Array<{ id: string }> }) =>
          onlyOurs(
            ids([world.fk, world.skv, world.joint.fkPart, world.joint.skvPart, world.affected]),
            [],
          )(page.items),
        admin: 'FORBIDDEN',
      },
    },
    {
      name: 'jointVisitByReference (FK + SKV), no identity number',
      query: JOINT,
      variables: () => ({ r: world.joint.reference }),
      cells: {
        anonymous: 'null',
        citizen: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        otherCitizen: 'null',
        staffHere: 'null',
        staffElsewhere: 'null',
        officeAdmin: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        agency: 'null',
        otherAgency: 'null',
        admin: 'null',
      },
    },
    {
      name: 'jointVisitByReference, with the identity number',
      query: JOINT,
      variables: () => ({ r: world.joint.reference, p: OWNER }),
      cells: {
        anonymous: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        citizen: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        otherCitizen: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        staffHere: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        staffElsewhere: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        officeAdmin: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
        agency: 'null',
        otherAgency: 'null',
        admin: (v: { id: string }) => expect(v.id).toBe(world.joint.id),
      },
    },
  ];

  // -------------------------------------------------------------------------------------
  // The office's staff and counters (directory)

  const staffOnly = (check: Check): Cells => ({
    anonymous: 'UNAUTHENTICATED',
    citizen: 'FORBIDDEN',
    otherCitizen: 'FORBIDDEN',
    staffHere: check,
    staffElsewhere: 'FORBIDDEN',
    officeAdmin: check,
    agency: 'FORBIDDEN',
    otherAgency: 'FORBIDDEN',
    admin: check,
  });
  const nonEmpty = (list: unknown[]) => expect(list.length).toBeGreaterThan(0);
  rows.push(
    {
      name: 'counters(officeId)',
      query: COUNTERS,
      variables: () => ({ o: world.orebro.id }),
      cells: staffOnly(nonEmpty),
    },
    {
      name: 'Office.counters',
      query: OFFICE_COUNTERS,
      variables: () => ({ o: world.orebro.id }),
      cells: staffOnly((office: { counters: unknown[] }) => nonEmpty(office.counters)),
    },
    {
      name: 'staffMembers(officeId)',
      query: STAFF_MEMBERS,
      variables: () => ({ o: world.orebro.id }),
      cells: staffOnly(nonEmpty),
    },
    {
      name: 'Office.staff',
      query: OFFICE_STAFF,
      variables: () => ({ o: world.orebro.id }),
      cells: staffOnly((office: { staff: unknown[] }) => nonEmpty(office.staff)),
    },
    {
      name: 'staffMember(id), with shifts and absences',
      query: STAFF_MEMBER,
      variables: () => ({
        id: world.orebro.staff.find((s) => s.name === 'Karin Johansson')?.id,
      }),
      cells: staffOnly((member: { shifts: unknown[] }) => nonEmpty(member.shifts)),
    },
  );

  // -------------------------------------------------------------------------------------
  // The front desk: reads

  const holderView =
    (ticket: () => { id: string }) => (value: { id: string; note: string | null }) =>
      expect({ id: value.id, note: value.note }).toEqual({ id: ticket().id, note: null });
  const queue =
    (present: (w: World) => Array<{ id: string }>, notes: boolean): Check =>
    (list: Array<{ id: string; note: string | null }>) => {
      const ours = [world.ticketFk.id, world.ticketSkv.id];
      onlyOurs(ours, ids(present(world)))(list);
      for (const ticket of list.filter((t) => ours.includes(t.id))) {
        expect(ticket.note === null).toBe(!notes);
      }
    };
  const lengths =
    (codes: string[]): Check =>
    (value: { waiting: number; services: Array<{ service: { id: string }; waiting: number }> }) => {
      const ours = [world.service('parental-benefit'), world.service('tax-return-help')];
      const seen = value.services.filter((s) => ours.includes(s.service.id));
      expect(seen.map((s) => s.service.id).sort()).toEqual(codes.map(world.service).sort());
      expect(value.waiting).toBe(value.services.reduce((sum, s) => sum + s.waiting, 0));
    };
  const queueLengthCells: Cells = {
    anonymous: 'UNAUTHENTICATED',
    citizen: 'FORBIDDEN',
    otherCitizen: 'FORBIDDEN',
    staffHere: lengths(['tax-return-help']),
    staffElsewhere: 'FORBIDDEN',
    officeAdmin: lengths(['parental-benefit', 'tax-return-help']),
    agency: lengths(['parental-benefit']),
    otherAgency: lengths([]),
    admin: lengths(['parental-benefit', 'tax-return-help']),
  };
  const everyone = (cell: Cell): Cells =>
    Object.fromEntries(ROLES.map((role) => [role, cell])) as Cells;
  rows.push(
    {
      name: "ticket(token): the holder's token, whoever sends it",
      query: TICKET,
      variables: () => ({ t: world.ticketFk.token }),
      cells: everyone(holderView(() => world.ticketFk)),
    },
    {
      name: 'ticket(token): an unknown token',
      query: TICKET,
      variables: () => ({ t: 'not-a-token' }),
      cells: everyone('null'),
    },
    {
      name: 'officeQueue (Örebro)',
      query: QUEUE,
      variables: () => ({ o: world.orebro.id }),
      cells: {
        anonymous: 'UNAUTHENTICATED',
        citizen: 'FORBIDDEN',
        otherCitizen: 'FORBIDDEN',
        staffHere: queue((w) => [w.ticketSkv], true),
        staffElsewhere: 'FORBIDDEN',
        officeAdmin: queue((w) => [w.ticketFk, w.ticketSkv], true),
        agency: queue((w) => [w.ticketFk], false),
        otherAgency: queue(() => [], false),
        admin: queue((w) => [w.ticketFk, w.ticketSkv], true),
      },
    },
    {
      name: 'queueTicket (the FK ticket)',
      query: QUEUE_TICKET,
      variables: () => ({ id: world.ticketFk.id }),
      cells: {
        anonymous: 'UNAUTHENTICATED',
        citizen: 'FORBIDDEN',
        otherCitizen: 'FORBIDDEN',
        staffHere: 'FORBIDDEN',
        staffElsewhere: 'FORBIDDEN',
        officeAdmin: (t: { id: string; note: string }) =>
          expect({ id: t.id, note: t.note }).toEqual({ id: world.ticketFk.id, note: 'FK note' }),
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
        admin: 'FORBIDDEN',
      },
    },
    {
      name: 'officeQueueLength (Örebro)',
      query: QUEUE_LENGTH,
      variables: () => ({ o: world.orebro.id }),
      cells: queueLengthCells,
    },
    {
      name: 'lobbyCalls (Örebro): public, nothing personal',
      query: LOBBY,
      variables: () => ({ o: world.orebro.id }),
      cells: everyone((calls: unknown[]) => expect(Array.isArray(calls)).toBe(true)),
    },
  );

  // -------------------------------------------------------------------------------------
  // A signed-in citizen's own data, and the admins' reviews

  const citizenOnly = (own: Check, others: Check): Cells => ({
    anonymous: 'UNAUTHENTICATED',
    citizen: own,
    otherCitizen: others,
    staffHere: 'FORBIDDEN',
    staffElsewhere: 'FORBIDDEN',
    officeAdmin: 'FORBIDDEN',
    agency: 'FORBIDDEN',
    otherAgency: 'FORBIDDEN',
    admin: 'FORBIDDEN',
  });
  const adminOnly = (check: Check): Cells => ({
    ...everyone('FORBIDDEN'),
    anonymous: 'UNAUTHENTICATED',
    admin: check,
  });
  const isList = (list: unknown) => expect(Array.isArray(list)).toBe(true);
  const bookingsOfOwner = (w: World) => [w.fk.id, w.joint.fkPart.id, w.joint.skvPart.id];
  const allBookings = (w: World) => [...bookingsOfOwner(w), w.skv.id, w.affected.id];
  rows.push(
    {
      name: 'myAppointments (single appointments only)',
      query: MY_APPOINTMENTS,
      variables: () => ({}),
      cells: citizenOnly(
        (list) => onlyOurs(allBookings(world), [world.fk.id])(list),
        (list) => onlyOurs(allBookings(world), [world.skv.id])(list),
      ),
    },
    {
      name: 'myJointVisits',
      query: MY_JOINT_VISITS,
      variables: () => ({}),
      cells: citizenOnly(
        (list) => onlyOurs([world.joint.id], [world.joint.id])(list),
        (list) => onlyOurs([world.joint.id], [])(list),
      ),
    },
    {
      name: 'myTickets',
      query: MY_TICKETS,
      variables: () => ({}),
      cells: citizenOnly(
        (list) =>
          onlyOurs([world.ownersTicket.id, world.ticketFk.id], [world.ownersTicket.id])(list),
        (list) => onlyOurs([world.ownersTicket.id, world.ticketFk.id], [])(list),
      ),
    },
    {
      name: 'myData',
      query: MY_DATA,
      variables: () => ({}),
      cells: citizenOnly(
        (mine: {
          identityNumber: string;
          appointments: Array<{ id: string; name: string }>;
          tickets: Array<{ id: string }>;
        }) => {
          expect(mine.identityNumber).toBe(OWNER.replace('-', ''));
          onlyOurs(allBookings(world), bookingsOfOwner(world))(mine.appointments);
          expect(mine.appointments.find((a) => a.id === world.fk.id)?.name).toBe(OWNER_NAME);
          onlyOurs(
            [world.ownersTicket.id, world.ticketFk.id],
            [world.ownersTicket.id],
          )(mine.tickets);
        },
        (theirs: {
          identityNumber: string;
          appointments: Array<{ id: string }>;
          tickets: Array<{ id: string }>;
        }) => {
          expect(theirs.identityNumber).toBe(OTHER.replace('-', ''));
          onlyOurs(allBookings(world), [world.skv.id])(theirs.appointments);
          onlyOurs([world.ownersTicket.id], [])(theirs.tickets);
        },
      ),
    },
    {
      name: 'personalDataReads (the audit log)',
      query: READS,
      variables: () => ({}),
      cells: adminOnly(isList),
    },
    {
      name: 'abuseFlags',
      query: ABUSE,
      variables: () => ({}),
      cells: adminOnly(isList),
    },
    {
      name: 'ticket(token): a well-formed token nobody holds',
      query: TICKET,
      variables: () => ({ t: 'A'.repeat(32) }),
      cells: everyone('null'),
    },
  );

  for (const row of rows) {
    describe(row.name, () => {
      it.each(ROLES)('%s', async (role) => {
        const response = await as(role, row.query, row.variables());
        const field = /\{\s*(\w+)/.exec(row.query.replace(/^[^{]*/, ''))?.[1] as string;
        await expectCell(response, field, row.cells[role]);
      });
    });
  }

  describe('officeQueueChanged (Örebro), its first event', () => {
    it.each(ROLES)('%s', async (role) => {
      const client = subscriptionClient(stack.graphqlUrl, { token: tokens[role] });
      try {
        const running = subscribe(client, QUEUE_CHANGED, { o: world.orebro.id });
        const cell = queueLengthCells[role];
        if (typeof cell === 'function') {
          const first = await running.next();
          expect(first.errors).toBeUndefined();
          cell(first.data?.['officeQueueChanged']);
          running.stop();
        } else {
          const outcome = await running.ended;
          const errors = [
            ...outcome.results.flatMap((r) => r.errors ?? []),
            ...(Array.isArray(outcome.error) ? outcome.error : []),
          ] as Array<{ extensions?: { code?: string } }>;
          expect(outcome.results.some((r) => r.data)).toBe(false);
          expect([...new Set(errors.map((e) => e.extensions?.code))]).toEqual([cell]);
        }
      } finally {
        await client.dispose();
      }
    });
  });

  // -------------------------------------------------------------------------------------
  // The front desk: writes (in this order: each changes the queue)

  describe('callNext (Disk 1 for the office staff, Disk 2 for the office admin)', () => {
    const cells: Cells = {
      anonymous: 'UNAUTHENTICATED',
      citizen: 'FORBIDDEN',
      otherCitizen: 'FORBIDDEN',
      // Trained for SKV only: the SKV ticket, never the FK one waiting longer.
      staffHere: (t: { id: string; note: string }) =>
        expect({ id: t.id, note: t.note }).toEqual({ id: world.ticketSkv.id, note: 'SKV note' }),
      staffElsewhere: 'FORBIDDEN',
      officeAdmin: (t: { id: string }) => expect(t.id).toBe(world.ticketFk.id),
      agency: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      admin: 'FORBIDDEN',
    };
    it.each(ROLES)('%s', async (role) => {
      const counter = world.counter(role === 'officeAdmin' ? 'Disk 2' : 'Disk 1');
      await expectCell(await as(role, CALL_NEXT, { c: counter }), 'callNext', cells[role]);
    });
  });

  describe('the steps on a ticket (the FK ticket, called by the office admin)', () => {
    const refusals: Partial<Record<RoleName, string>> = {
      anonymous: 'UNAUTHENTICATED',
      citizen: 'FORBIDDEN',
      otherCitizen: 'FORBIDDEN',
      staffHere: 'FORBIDDEN',
      staffElsewhere: 'FORBIDDEN',
      agency: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      admin: 'FORBIDDEN',
    };
    const cases = Object.keys(STEPS).flatMap((step) =>
      Object.entries(refusals).map(
        ([role, code]) => [step, role as RoleName, code as string] as const,
      ),
    );
    it.each(cases)('%s by %s: %s', async (step, role, code) => {
      const response = await as(role, STEPS[step] as string, {
        t: world.ticketFk.id,
        c: world.counter('Disk 1'),
        s: world.service('tax-return-help'),
      });
      expect(codesOf(response)).toEqual([code]);
    });

    it('officeAdmin (trained for FK, called it): recallTicket, startService, endService', async () => {
      for (const step of ['recallTicket', 'startService', 'endService']) {
        const response = await as('officeAdmin', STEPS[step] as string, { t: world.ticketFk.id });
        expect(response.errors).toBeUndefined();
      }
    });

    it('staffHere ends the SKV ticket it called', async () => {
      const response = await as('staffHere', STEPS['endService'] as string, {
        t: world.ticketSkv.id,
      });
      expect(response.errors).toBeUndefined();
    });
  });

  describe('setQueueRule (Örebro, tax-return-help)', () => {
    const cells: Cells = {
      anonymous: 'UNAUTHENTICATED',
      citizen: 'FORBIDDEN',
      otherCitizen: 'FORBIDDEN',
      staffHere: 'FORBIDDEN',
      staffElsewhere: 'FORBIDDEN',
      officeAdmin: (rule: { targetWaitMinutes: number }) => expect(rule.targetWaitMinutes).toBe(20),
      agency: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
      admin: (rule: { targetWaitMinutes: number }) => expect(rule.targetWaitMinutes).toBe(20),
    };
    it.each(ROLES)('%s', async (role) => {
      const input = {
        officeId: world.orebro.id,
        serviceId: world.service('tax-return-help'),
        targetWaitMinutes: 20,
      };
      await expectCell(await as(role, SET_RULE, { input }), 'setQueueRule', cells[role]);
    });
  });

  describe("a joint visit's ticket", () => {
    it("tells an agency's client nothing of other parts; a transfer note does not follow it to the next part", async () => {
      const serviceIds = [world.service('housing-allowance'), world.service('tax-return-help')];
      const today = NOW.slice(0, 10);
      const [option] = await data<Array<{ start: string }>>(
        `query($s: [ID!]!, $o: ID!, $d: Date!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 1) { start } }`,
        { s: serviceIds, o: world.orebro.id, d: today },
      );
      const visit = await data<{ reference: string }>(
        `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference } }`,
        {
          input: {
            officeId: world.orebro.id,
            serviceIds,
            start: option?.start,
            citizen: { personnummer: syntheticPersonnummer(4, 1970), name: 'Dan Delad' },
          },
        },
      );
      const { ticket } = await data<{ ticket: { id: string } }>(
        `mutation($r: String!) { checkIn(reference: $r) { ticket { id } } }`,
        { r: visit.reference },
      );
      // An agency's client sees its own part's ticket, not that the citizen has more parts.
      const PARTS = `query($o: ID!) { officeQueue(officeId: $o) { id remainingParts } }`;
      const partsSeen = async (role: RoleName) =>
        (
          await data<Array<{ id: string; remainingParts: number | null }>>(
            PARTS,
            { o: world.orebro.id },
            tokens[role],
          )
        ).find((t) => t.id === ticket.id);
      expect(await partsSeen('officeAdmin')).toEqual({ id: ticket.id, remainingParts: 1 });
      expect(await partsSeen('agency')).toEqual({ id: ticket.id, remainingParts: null });
      expect(await partsSeen('otherAgency')).toBeUndefined();

      const admin = tokens.officeAdmin;
      const disk2 = world.counter('Disk 2');
      // The FK part: its officer hands the citizen to another FK service with a note about
      // the FK matter, and that service is done; the ticket goes on to the SKV part.
      await data(STEPS['callTicket'] as string, { t: ticket.id, c: disk2 }, admin);
      const transferred = await data<{ id: string }>(
        `mutation($t: ID!, $s: ID!) { transferTicket(ticketId: $t, serviceId: $s, note: "FK: the sick note is missing") { id note } }`,
        { t: ticket.id, s: world.service('parental-benefit') },
        admin,
      );
      expect(transferred).toMatchObject({ note: 'FK: the sick note is missing' });
      await data(STEPS['callTicket'] as string, { t: ticket.id, c: disk2 }, admin);
      const next = await data<Record<string, unknown>>(
        `mutation($t: ID!) { endService(ticketId: $t) { status service { id } remainingParts note } }`,
        { t: ticket.id },
        admin,
      );
      expect(next).toMatchObject({
        status: 'WAITING',
        service: { id: world.service('tax-return-help') },
        remainingParts: 0,
        note: null,
      });
      const seen = await data<Array<{ id: string; note: string | null }>>(
        QUEUE,
        { o: world.orebro.id },
        tokens.staffHere,
      );
      expect(seen.find((t) => t.id === ticket.id)).toMatchObject({ note: null });
      const one = await as('staffHere', QUEUE_TICKET, { id: ticket.id });
      expect(one.data?.['queueTicket']).toMatchObject({ id: ticket.id, note: null });
    });
  });

  // -------------------------------------------------------------------------------------
  // Bookings: writes. Each role acts on a booking of its own making (made just before, by an
  // anonymous citizen, or by the signed-in owner in the citizen's column), and what it
  // leaves is cancelled afterwards, so no cell depends on another.

  let people = 100;
  /** A fresh identity number, or the owner's in the owner's own column. */
  const whoFor = (role: RoleName) =>
    role === 'citizen' ? OWNER : syntheticPersonnummer(++people, 1970);
  const starts = async (code: string, day: string) =>
    (
      await data<Array<{ start: string }>>(
        `query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }`,
        { o: world.orebro.id, s: world.service(code), d: day },
      )
    ).map((slot) => slot.start);
  /** Bookings and joint visits the writes made: cancelled after each cell. */
  const made: string[] = [];
  const bookFor = async (
    personnummer: string,
    code: string,
    day = LATER_DAY,
    at: 'first' | 'last' = 'first',
  ) => {
    const free = await starts(code, day);
    const start = at === 'first' ? free[0] : free.at(-1);
    const booking = await data<Booking & { start: string }>(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference start } }`,
      {
        input: {
          officeId: world.orebro.id,
          serviceId: world.service(code),
          start,
          citizen: { personnummer, name: 'Ny Bokning' },
        },
      },
    );
    made.push(booking.id);
    return booking;
  };
  const JOINT_SERVICES = ['sickness-benefit', 'coordination-number'];
  const jointStarts = async () =>
    (
      await data<Array<{ start: string }>>(
        `query($s: [ID!]!, $o: ID!, $d: Date!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 5) { start } }`,
        { s: JOINT_SERVICES.map(world.service), o: world.orebro.id, d: LATER_DAY },
      )
    ).map((o) => o.start);
  const bookJointFor = async (personnummer: string) => {
    const visit = await data<Booking & { start: string }>(
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { id reference start } }`,
      {
        input: {
          officeId: world.orebro.id,
          serviceIds: JOINT_SERVICES.map(world.service),
          start: (await jointStarts())[0],
          citizen: { personnummer, name: 'Ny Bokning' },
        },
      },
    );
    made.push(visit.id);
    return visit;
  };
  const cancelled = (value: { status: string }) => expect(value.status).toBe('CANCELLED');
  const moved = (from: () => string) => (value: { start: string; status: string }) =>
    expect({ moved: value.start !== from(), status: value.status }).toEqual({
      moved: true,
      status: 'BOOKED',
    });

  const CANCEL = covers(`mutation($r: String!, $p: String) {
    cancelAppointment(reference: $r, personnummer: $p) { id status start } }`);
  const RESCHEDULE = covers(`mutation($r: String!, $s: DateTime!, $p: String) {
    rescheduleAppointment(reference: $r, start: $s, personnummer: $p) { id status start } }`);
  const CANCEL_JOINT = covers(`mutation($r: String!, $p: String) {
    cancelJointVisit(reference: $r, personnummer: $p) { id status start } }`);
  const RESCHEDULE_JOINT = covers(`mutation($r: String!, $s: DateTime!, $p: String) {
    rescheduleJointVisit(reference: $r, start: $s, personnummer: $p) { id status start } }`);
  const BOOK = covers(
    `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id status } }`,
  );
  const BOOK_JOINT = covers(
    `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { id status } }`,
  );
  const HOLD = covers(
    `mutation($input: HoldSlotInput!) { holdSlot(input: $input) { token start } }`,
  );
  const HOLD_JOINT = covers(
    `mutation($input: HoldJointVisitInput!) { holdJointVisit(input: $input) { token start } }`,
  );
  const RELEASE = covers(`mutation($t: ID!) { releaseHold(token: $t) }`);
  const HOLD_DAY = '2027-03-04';
  const JOINT_OPTIONS = `query($s: [ID!]!, $o: ID!, $d: Date!) {
    jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 1) { start } }`;
  let holders = 0;
  /** A slot hold made by a client of its own, whose token a role then sends. */
  const heldToken = async () => {
    const holder = await stack.tokenFor({ role: 'admin', subject: `holder-${++holders}` });
    const hold = await data<{ token: string }>(
      HOLD,
      {
        input: {
          officeId: world.orebro.id,
          serviceId: world.service('sickness-benefit'),
          start: (await starts('sickness-benefit', HOLD_DAY))[0],
        },
      },
      holder,
    );
    return hold.token;
  };

  /** By reference alone: the office's staff (a single booking), or its citizen signed in. */
  const byReferenceAlone = (done: Check): Cells => ({
    anonymous: 'NOT_FOUND',
    citizen: done,
    otherCitizen: 'NOT_FOUND',
    staffHere: done,
    staffElsewhere: 'NOT_FOUND',
    officeAdmin: done,
    agency: 'NOT_FOUND',
    otherAgency: 'NOT_FOUND',
    admin: 'NOT_FOUND',
  });
  /** With the identity number: anyone who has it, but an agency's client only for its own. */
  const withProof = (done: Check, agency: Cell = done): Cells => ({
    ...everyone(done),
    agency,
    otherAgency: 'NOT_FOUND',
  });
  /** A joint visit (FK + SKV) by reference alone: staff trained for every part, or its citizen. */
  const jointByReferenceAlone = (done: Check): Cells => ({
    ...byReferenceAlone(done),
    staffHere: 'NOT_FOUND',
  });

  interface Write {
    name: string;
    query: string;
    /** What the role acts on, made fresh for its cell. */
    arrange: (role: RoleName) => Promise<Variables>;
    cells: Cells;
  }
  let current = '';
  const writes: Write[] = [
    {
      name: 'cancelAppointment by reference alone (an FK booking)',
      query: CANCEL,
      arrange: async (role) => ({ r: (await bookFor(whoFor(role), 'sickness-benefit')).reference }),
      cells: byReferenceAlone(cancelled),
    },
    {
      name: 'cancelAppointment with the identity number',
      query: CANCEL,
      arrange: async (role) => {
        const p = whoFor(role);
        return { r: (await bookFor(p, 'sickness-benefit')).reference, p };
      },
      cells: withProof(cancelled),
    },
    {
      name: 'rescheduleAppointment by reference alone',
      query: RESCHEDULE,
      arrange: async (role) => {
        const booking = await bookFor(whoFor(role), 'sickness-benefit');
        current = booking.start;
        return { r: booking.reference, s: (await starts('sickness-benefit', LATER_DAY)).at(-1) };
      },
      cells: byReferenceAlone(moved(() => current)),
    },
    {
      name: 'rescheduleAppointment with the identity number',
      query: RESCHEDULE,
      arrange: async (role) => {
        const p = whoFor(role);
        const booking = await bookFor(p, 'sickness-benefit');
        current = booking.start;
        return { r: booking.reference, p, s: (await starts('sickness-benefit', LATER_DAY)).at(-1) };
      },
      cells: withProof(moved(() => current)),
    },
    {
      name: 'cancelJointVisit (FK + SKV) by reference alone',
      query: CANCEL_JOINT,
      arrange: async (role) => ({ r: (await bookJointFor(whoFor(role))).reference }),
      cells: jointByReferenceAlone(cancelled),
    },
    {
      name: 'cancelJointVisit with the identity number',
      query: CANCEL_JOINT,
      arrange: async (role) => {
        const p = whoFor(role);
        return { r: (await bookJointFor(p)).reference, p };
      },
      // FK's client: the visit has an SKV part, which is not its to touch.
      cells: withProof(cancelled, 'NOT_FOUND'),
    },
    {
      name: 'rescheduleJointVisit by reference alone',
      query: RESCHEDULE_JOINT,
      arrange: async (role) => {
        const visit = await bookJointFor(whoFor(role));
        current = visit.start;
        return { r: visit.reference, s: (await jointStarts()).find((s) => s !== visit.start) };
      },
      cells: jointByReferenceAlone(moved(() => current)),
    },
    {
      name: 'bookAppointment at Örebro (an FK service)',
      query: BOOK,
      arrange: async (role) => ({
        input: {
          officeId: world.orebro.id,
          serviceId: world.service('sickness-benefit'),
          start: (await starts('sickness-benefit', LATER_DAY))[0],
          citizen: { personnummer: whoFor(role), name: 'Ny Bokning' },
        },
      }),
      cells: {
        ...everyone((a: { status: string }) => expect(a.status).toBe('BOOKED')),
        // Staff book only at their own offices; an agency's client only its own services.
        staffElsewhere: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
      },
    },
    {
      name: 'bookJointVisit at Örebro (FK + SKV)',
      query: BOOK_JOINT,
      arrange: async (role) => ({
        input: {
          officeId: world.orebro.id,
          serviceIds: JOINT_SERVICES.map(world.service),
          start: (await jointStarts())[0],
          citizen: { personnummer: whoFor(role), name: 'Ny Bokning' },
        },
      }),
      cells: {
        ...everyone((v: { status: string }) => expect(v.status).toBe('BOOKED')),
        staffElsewhere: 'FORBIDDEN',
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
      },
    },
    {
      name: 'holdSlot at Örebro (an FK service)',
      query: HOLD,
      arrange: async () => ({
        input: {
          officeId: world.orebro.id,
          serviceId: world.service('sickness-benefit'),
          start: (await starts('sickness-benefit', LATER_DAY))[0],
        },
      }),
      cells: {
        ...everyone((h: { token: string }) => expect(typeof h.token).toBe('string')),
        staffElsewhere: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
      },
    },
    {
      name: 'holdJointVisit at Örebro (FK + SKV)',
      query: HOLD_JOINT,
      // A day of its own: the holds stay (until they expire), and the slot holds above
      // already take much of LATER_DAY's FK time.
      arrange: async () => {
        const [option] = await data<Array<{ start: string }>>(JOINT_OPTIONS, {
          s: JOINT_SERVICES.map(world.service),
          o: world.orebro.id,
          d: HOLD_DAY,
        });
        return {
          input: {
            officeId: world.orebro.id,
            serviceIds: JOINT_SERVICES.map(world.service),
            start: option?.start,
          },
        };
      },
      // As bookJointVisit: an agency's client holds no visit with another agency's part.
      cells: {
        ...everyone((h: { token: string }) => expect(typeof h.token).toBe('string')),
        staffElsewhere: 'FORBIDDEN',
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
      },
    },
    {
      name: "releaseHold: another client's live hold, by its token (the capability)",
      query: RELEASE,
      arrange: async () => ({ t: await heldToken() }),
      cells: everyone((released: boolean) => expect(released).toBe(true)),
    },
    {
      name: 'releaseHold: an unknown or malformed token',
      query: RELEASE,
      arrange: async (role) => ({
        t: ROLES.indexOf(role) % 2 ? 'not-a-token' : '00000000-0000-4000-8000-000000000000',
      }),
      cells: everyone((released: boolean) => expect(released).toBe(false)),
    },
  ];

  const fieldOf = (query: string) => /\{\s*(\w+)/.exec(query.replace(/^[^{]*/, ''))?.[1] as string;
  const clearWrites = async () => {
    await stack.sql(
      `UPDATE scheduling.appointment SET status = 'CANCELLED'
       WHERE (id = ANY($1::uuid[]) OR joint_visit_id = ANY($1::uuid[]))
         AND status IN ('BOOKED', 'NEEDS_REBOOKING', 'CHECKED_IN')`,
      [made],
    );
    made.length = 0;
  };
  for (const write of writes) {
    describe(write.name, () => {
      it.each(ROLES)('%s', async (role) => {
        try {
          const variables = await write.arrange(role);
          const response = await as(role, write.query, variables);
          const id = response.data?.[fieldOf(write.query)]?.id;
          if (typeof id === 'string') made.push(id);
          await expectCell(response, fieldOf(write.query), write.cells[role]);
        } finally {
          await clearWrites();
        }
      });
    });
  }

  // -------------------------------------------------------------------------------------
  // The front desk at the kiosk: takeTicket, checkIn, cancelTicket (anyone may use a kiosk,
  // so these must answer alike whatever is behind a reference or a token)

  const TAKE = covers(`mutation($input: TakeTicketInput!) {
    takeTicket(input: $input) { token ticket { id channel note } } }`);
  const CHECK_IN = covers(`mutation($r: String!, $o: ID) {
    checkIn(reference: $r, officeId: $o) { token ticket { id appointmentReference note } } }`);
  const CANCEL_TICKET = covers(`mutation($t: String!) { cancelTicket(token: $t) { id status } }`);
  const receipt =
    (channel: string) => (r: { token: string; ticket: { channel: string; note: string | null } }) =>
      expect({ channel: r.ticket.channel, note: r.ticket.note, token: typeof r.token }).toEqual({
        channel,
        note: null,
        token: 'string',
      });

  describe('takeTicket at Örebro', () => {
    const plain: Cells = {
      ...everyone(receipt('KIOSK')),
      staffHere: receipt('STAFF'),
      officeAdmin: receipt('STAFF'),
      agency: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
    };
    // Only the office's staff record an identity number: from anyone else it would put a
    // ticket into a stranger's myTickets and myData.
    const withNumber: Cells = {
      ...everyone('FORBIDDEN'),
      staffHere: receipt('STAFF'),
      officeAdmin: receipt('STAFF'),
    };
    describe.each([
      ['without an identity number', plain, false],
      ['with an identity number', withNumber, true],
    ] as const)('%s', (_name, cells, numbered) => {
      it.each(ROLES)('%s', async (role) => {
        const input = {
          officeId: world.orebro.id,
          serviceId: world.service('tax-return-help'),
          ...(numbered ? { personnummer: syntheticPersonnummer(++people, 1970) } : {}),
        };
        const response = await as(role, TAKE, { input });
        await expectCell(response, 'takeTicket', cells[role]);
        const token = response.data?.['takeTicket']?.token;
        if (token) await data(CANCEL_TICKET, { t: token });
      });
    });
  });

  describe('checkIn', () => {
    const refs: Record<string, string> = {};
    let unknownMessage = '';
    beforeAll(async () => {
      const someone = () => syntheticPersonnummer(++people, 1970);
      refs['another day'] = (await bookFor(someone(), 'eu-card', LATER_DAY)).reference;
      refs['too early (today, after the window opens)'] = (
        await bookFor(someone(), 'eu-card', TODAY, 'last')
      ).reference;
      made.length = 0;
      const gone = await bookFor(someone(), 'eu-card', TODAY);
      await data(CANCEL, { r: gone.reference }, tokens.officeAdmin);
      refs['cancelled'] = gone.reference;
      const eskilstuna = world.eskilstuna.services[0] as { id: string };
      const [slot] = await data<Array<{ start: string }>>(
        `query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }`,
        { o: world.eskilstuna.id, s: eskilstuna.id, d: TODAY },
      );
      refs['at another office (Eskilstuna, today)'] = (
        await data<Booking>(
          `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference } }`,
          {
            input: {
              officeId: world.eskilstuna.id,
              serviceId: eskilstuna.id,
              start: slot?.start,
              citizen: { personnummer: syntheticPersonnummer(++people, 1970), name: 'Annan Ort' },
            },
          },
        )
      ).reference;
      refs['unknown'] = 'ZZZZ2222';
      const unknown = await as('anonymous', CHECK_IN, { r: 'ZZZZ2222', o: world.orebro.id });
      unknownMessage = unknown.errors?.[0]?.message ?? '';
      expect(unknownMessage).toMatch(/^No booking to check in with this reference here today/);
    });

    /** Not here, not now: one answer for all but the office's staff, who are told why. */
    const notHere = (desk: Refusal | 'NOT_FOUND'): Cells => ({
      ...everyone('NOT_FOUND'),
      staffHere: desk,
      officeAdmin: desk,
      agency: 'FORBIDDEN',
      otherAgency: 'FORBIDDEN',
    });
    const cases: Array<[string, Cells]> = [
      ['unknown', notHere('NOT_FOUND')],
      ['at another office (Eskilstuna, today)', notHere('NOT_FOUND')],
      ['another day', notHere('CONFLICT')],
      ['cancelled', notHere('NOT_FOUND')],
      ['too early (today, after the window opens)', notHere('CONFLICT')],
    ];
    describe.each(cases)('a reference %s, from the Örebro kiosk', (which, cells) => {
      it.each(ROLES)('%s', async (role) => {
        const before = await stack.sql('SELECT count(*)::int AS n FROM scheduling.ticket');
        const response = await as(role, CHECK_IN, { r: refs[which], o: world.orebro.id });
        await expectCell(response, 'checkIn', cells[role]);
        if (cells[role] === 'NOT_FOUND') {
          // The same words and nothing else: the answer of an unknown reference.
          expect(response.errors?.map((e) => e.message)).toEqual([unknownMessage]);
          expect(Object.keys(response.errors?.[0]?.extensions ?? {}).sort()).toEqual(
            Object.keys(
              (await as('anonymous', CHECK_IN, { r: 'ZZZZ2222' })).errors?.[0]?.extensions ?? {},
            ).sort(),
          );
        }
        expect(await stack.sql('SELECT count(*)::int AS n FROM scheduling.ticket')).toEqual(before);
      });
    });

    describe('a booking of today in its window (a genuine check-in): the receipt', () => {
      const checkedIn = (r: { ticket: { appointmentReference: string; note: string | null } }) =>
        expect(r.ticket).toMatchObject({ appointmentReference: current, note: null });
      const cells: Cells = {
        ...everyone(checkedIn),
        // Staff elsewhere are not the kiosk's office's: as for an unknown reference.
        staffElsewhere: 'NOT_FOUND',
        agency: 'FORBIDDEN',
        otherAgency: 'FORBIDDEN',
      };
      it.each(ROLES)('%s', async (role) => {
        try {
          current = (await bookFor(whoFor(role), 'eu-card', TODAY)).reference;
          const response = await as(role, CHECK_IN, { r: current, o: world.orebro.id });
          await expectCell(response, 'checkIn', cells[role]);
          const token = response.data?.['checkIn']?.token;
          if (token) await data(CANCEL_TICKET, { t: token });
        } finally {
          await clearWrites();
        }
      });
    });
  });

  describe('cancelTicket(token)', () => {
    const unknownTokens: Array<[string, string]> = [
      ['well-formed, nobody holds it', 'A'.repeat(32)],
      ['too short to be one', 'x'],
      ['too long to be one', 'A'.repeat(80)],
    ];
    describe.each(unknownTokens)('a token %s', (_name, token) => {
      it.each(ROLES)('%s: NOT_FOUND, the same words', async (role) => {
        const response = await as(role, CANCEL_TICKET, { t: token });
        expect(codesOf(response)).toEqual(['NOT_FOUND']);
        expect(response.errors?.map((e) => e.message)).toEqual(['No ticket matches this token.']);
      });
    });
    it.each(ROLES)("the holder's token, whoever sends it: cancelled (%s)", async (role) => {
      const taken = await data<{ token: string }>(TAKE, {
        input: { officeId: world.orebro.id, serviceId: world.service('tax-return-help') },
      });
      await expectCell(
        await as(role, CANCEL_TICKET, { t: taken.token }),
        'cancelTicket',
        cancelled,
      );
    });
  });

  describe('the steps on a ticket, by those who may take them', () => {
    // Each step on a fresh ticket of a service the staff member is trained for (the
    // directory's competences): the SKV trained staff on an SKV ticket, the office admin on FK.
    const ticketFor = (code: string) =>
      data<{ token: string; ticket: { id: string } }>(TAKE, {
        input: { officeId: world.orebro.id, serviceId: world.service(code) },
      });
    it.each([
      ['staffHere', 'tax-return-help', 'id-card', 'Disk 1'],
      ['officeAdmin', 'parental-benefit', 'sickness-benefit', 'Disk 2'],
    ] as const)(
      '%s (%s): call, recall, no-show; park, unpark, transfer',
      async (role, code, other, desk) => {
        const c = world.counter(desk);
        const called = await ticketFor(code);
        for (const step of ['callTicket', 'recallTicket', 'recallTicket', 'markNoShow'])
          expect(
            (await as(role, STEPS[step] as string, { t: called.ticket.id, c })).errors,
          ).toBeUndefined();
        const parked = await ticketFor(code);
        for (const step of ['parkTicket', 'unparkTicket', 'transferTicket']) {
          const response = await as(role, STEPS[step] as string, {
            t: parked.ticket.id,
            s: world.service(other),
          });
          expect(response.errors).toBeUndefined();
        }
        await data(CANCEL_TICKET, { t: parked.token });
      },
    );
  });

  // -------------------------------------------------------------------------------------
  // The directory's set-up writes: who may change the network. Each is sent so that, once
  // past the role check, it stops at a check of its own (an unknown id: NOT_FOUND; a value
  // out of range: BAD_USER_INPUT) and writes nothing; refused roles are refused before that.
  // What the permitted roles really change is directory-admin.e2e-spec's.

  const NIL = '00000000-0000-4000-8000-000000000000';
  type SetUpScope = 'network' | 'office';
  const setUp: Array<{ query: string; variables: () => Variables; scope: SetUpScope }> = [
    ...(
      [
        [`mutation { createAgency(input: { code: "", name: "Testverket", level: STATE }) { id } }`],
        [`mutation($n: ID!) { updateAgency(id: $n, input: {}) { id } }`],
        [`mutation($n: ID!) { deactivateAgency(id: $n) { id } }`],
        [
          `mutation($n: ID!) { createService(input: { agencyId: $n, code: "x", nameSv: "x", nameEn: "x", durationMinutes: 20 }) { id } }`,
        ],
        [`mutation($n: ID!) { updateService(id: $n, input: {}) { id } }`],
        [`mutation($n: ID!) { deactivateService(id: $n) { id } }`],
        [
          `mutation { createOffice(input: { name: "x", streetAddress: "x", postalCode: "70210", municipality: "x", timeZone: "Mars/Olympus", latitude: 59, longitude: 15 }) { id } }`,
        ],
        [`mutation($n: ID!) { deactivateOffice(id: $n) { id } }`],
      ] as const
    ).map(([query]) => ({
      query: covers(query),
      variables: () => ({ n: NIL }),
      scope: 'network' as const,
    })),
    ...(
      [
        `mutation($o: ID!) { updateOffice(id: $o, input: { timeZone: "Mars/Olympus" }) { id } }`,
        `mutation($o: ID!, $n: ID!) { addAgencyToOffice(officeId: $o, agencyId: $n) { id } }`,
        `mutation($o: ID!, $n: ID!) { removeAgencyFromOffice(officeId: $o, agencyId: $n) { id } }`,
        `mutation($o: ID!, $n: ID!) { offerService(officeId: $o, serviceId: $n) { id } }`,
        `mutation($o: ID!, $n: ID!) { withdrawService(officeId: $o, serviceId: $n) { id } }`,
        `mutation($o: ID!) { setWeeklyOpeningHours(officeId: $o, hours: [{ weekday: 9, start: "09:00", end: "16:00" }]) { id } }`,
        `mutation($o: ID!) { addOpeningException(officeId: $o, input: { date: "2027-03-10", start: "16:00", end: "09:00" }) { id } }`,
        `mutation($n: ID!) { removeOpeningException(id: $n) }`,
        `mutation($o: ID!) { addClosure(officeId: $o, input: { from: "2027-03-10", to: "2027-03-05", reason: "x" }) { id } }`,
        `mutation($n: ID!) { removeClosure(id: $n) }`,
        `mutation($o: ID!) { createCounter(officeId: $o, input: { name: " " }) { id } }`,
        `mutation($c: ID!) { updateCounter(id: $c, input: { name: " " }) { id } }`,
        `mutation($n: ID!) { retireCounter(id: $n) { id } }`,
        `mutation($c: ID!) { addCounterAllocation(counterId: $c, input: { start: "25:00", end: "26:00" }) { id } }`,
        `mutation($n: ID!) { removeCounterAllocation(id: $n) }`,
        `mutation($o: ID!) { createStaffMember(input: { name: " ", offices: [{ officeId: $o }] }) { id } }`,
        `mutation($s: ID!) { updateStaffMember(id: $s, input: { name: " " }) { id } }`,
        `mutation($n: ID!) { deactivateStaffMember(id: $n) { id } }`,
        `mutation($s: ID!, $o: ID!) { addShift(staffId: $s, input: { officeId: $o, weekday: 7, start: "09:00", end: "12:00" }) { id } }`,
        `mutation($n: ID!) { removeShift(id: $n) { removed } }`,
        `mutation($s: ID!) { addAbsence(staffId: $s, input: { start: "2027-03-10T12:00:00+01:00", end: "2027-03-10T09:00:00+01:00" }) { id } }`,
        `mutation($n: ID!) { removeAbsence(id: $n) }`,
      ] as const
    ).map((query) => ({
      query: covers(query),
      variables: () => ({
        o: world.orebro.id,
        n: NIL,
        c: world.counter('Disk 1'),
        s: world.orebro.staff.find((m) => m.name === 'Karin Johansson')?.id,
      }),
      scope: 'office' as const,
    })),
  ];

  describe.each(setUp.map((op) => [fieldOf(op.query), op] as const))('set-up: %s', (_field, op) => {
    const permitted: RoleName[] = op.scope === 'network' ? ['admin'] : ['admin', 'officeAdmin'];
    it.each(ROLES)('%s', async (role) => {
      const response = await as(role, op.query, op.variables());
      const codes = codesOf(response);
      // An unknown id names no office to check a staff member against: staff learn that it
      // is unknown (a random UUID, nothing personal); for a real one, the office it
      // belongs to decides (requireOfficeAdmin): FORBIDDEN unless they administer it.
      const unknownTarget = op.scope === 'office' && !/\$[cos]\b/.test(op.query);
      if (unknownTarget && (role === 'staffHere' || role === 'staffElsewhere')) {
        expect(codes).toEqual(['NOT_FOUND']);
      } else if (permitted.includes(role)) {
        // Past the role check; stopped by the unknown id or the bad value.
        expect(codes.length).toBe(1);
        expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(codes[0]);
      } else {
        expect(codes).toEqual([role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
      }
      expect(response.data?.[fieldOf(op.query)] ?? null).toBeNull();
    });
  });

  // -------------------------------------------------------------------------------------
  // The side door: `_entities` straight to each subgraph, with a valid signed identity

  describe('_entities sent straight to the subgraphs', () => {
    let signer: InternalIdentitySigner;
    const direct = async (
      subgraph: 'directory' | 'scheduling',
      role: RoleName,
      query: string,
      variables: Variables,
    ) =>
      postGraphQL<Record<string, any>>(stack.subgraphs[subgraph], query, variables, {
        headers: { [IDENTITY_HEADER]: await signer.sign(roles[role]) },
      });

    beforeAll(async () => {
      signer = await InternalIdentitySigner.create({
        isProduction: false,
        dataDir: stack.config.dataDir,
        ...stack.config.internalIdentity,
      });
    });

    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Office { id } } }`;
    const OFFICE_COUNTERS_ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Office { id counters { id name } } } }`;
    const OFFICE_STAFF_ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Office { id staff { id name shifts { id } } } } }`;

    describe.each([
      ['Office.counters', OFFICE_COUNTERS_ENTITY, 'counters'],
      ['Office.staff', OFFICE_STAFF_ENTITY, 'staff'],
    ])('directory: %s of Örebro by reference', (_name, query, field) => {
      const cells = staffOnly((office: Record<string, unknown[]>) => nonEmpty(office[field] ?? []));
      it.each(ROLES)('%s', async (role) => {
        const response = await direct('directory', role, query, {
          r: [{ __typename: 'Office', id: world.orebro.id }],
        });
        const cell = cells[role];
        if (typeof cell === 'function') {
          expect(response.errors).toBeUndefined();
          cell(response.data?.['_entities']?.[0]);
        } else {
          expect(codesOf(response)).toEqual([cell]);
          expect(response.data?.['_entities']?.[0] ?? null).toBeNull();
        }
      });
    });

    /** Types with personal or agency data, asked for by id: none is an entity of either. */
    const personal = (w: World): Array<[string, string]> => [
      ['Appointment', w.fk.id],
      ['ScheduleEntry', w.fk.id],
      ['AgencyAppointment', w.fk.id],
      ['JointVisit', w.joint.id],
      ['Ticket', w.ticketSkv.id],
      ['StaffMember', w.orebro.staff[0]?.id as string],
      ['Counter', w.orebro.counters[0]?.id as string],
    ];
    describe.each(['directory', 'scheduling'] as const)(
      '%s: non-entity types by id',
      (subgraph) => {
        it.each(ROLES)('%s gets nothing', async (role) => {
          for (const [typename, id] of personal(world)) {
            const response = await direct(subgraph, role, ENTITIES, {
              r: [{ __typename: typename, id }],
            });
            // Not an entity: an error (graphql-js cannot place it in _Entity), never the object.
            expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
            expect(response.data?.['_entities']?.[0] ?? null).toBeNull();
          }
        });
      },
    );

    it.each(ROLES)('scheduling: Office by reference is its id only (%s)', async (role) => {
      const response = await direct('scheduling', role, ENTITIES, {
        r: [{ __typename: 'Office', id: world.orebro.id }],
      });
      // Scheduling only refers to offices (resolvable: false): nothing of its own to add.
      expect(response.errors).toBeUndefined();
      expect(response.data?.['_entities']).toEqual([{ __typename: 'Office', id: world.orebro.id }]);
    });
  });
});
