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
 * "Now": Monday 1 March 2027, 10:00 in Stockholm (the front desk is open); the bookings
 * are for Tuesday 2 March at Örebro.
 */
const NOW = '2027-03-01T10:00:00+01:00';
const DAY = '2027-03-02';

const ROLES = [
  'anonymous',
  'citizen',
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
type Cell = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'null' | Check;
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
  service: (code: string) => string;
  counter: (name: string) => string;
}

const APPOINTMENT = `query($r: String!, $p: String) {
  appointmentByReference(reference: $r, personnummer: $p) { id reference status service { id } } }`;
const SCHEDULE = `query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) {
  id reference service { id } agency citizenName identityNumber jointVisit { part previous { agency } next { agency } } } }`;
const AFFECTED_QUERY = `query($o: ID!) { affectedAppointments(officeId: $o) { id reference service { id } agency citizenName identityNumber } }`;
const AGENCY_APPOINTMENTS = `query($from: Date!, $to: Date!) {
  agencyAppointments(from: $from, to: $to, first: 50) { items { id reference citizenName identityNumber } } }`;
const JOINT = `query($r: String!, $p: String) {
  jointVisitByReference(reference: $r, personnummer: $p) { id reference appointments { id service { id } } } }`;
const COUNTERS = `query($o: ID!) { counters(officeId: $o) { id name } }`;
const OFFICE_COUNTERS = `query($o: ID!) { office(id: $o) { id counters { id } } }`;
const STAFF_MEMBERS = `query($o: ID!) { staffMembers(officeId: $o) { id name } }`;
const OFFICE_STAFF = `query($o: ID!) { office(id: $o) { id staff { id name } } }`;
const STAFF_MEMBER = `query($id: ID!) { staffMember(id: $id) { id name shifts { id } absences { id } } }`;
const TICKET_FIELDS = 'id number status note service { id } appointmentReference';
const TICKET = `query($t: String!) { ticket(token: $t) { ${TICKET_FIELDS} } }`;
const QUEUE = `query($o: ID!) { officeQueue(officeId: $o) { ${TICKET_FIELDS} } }`;
const QUEUE_TICKET = `query($id: ID!) { queueTicket(id: $id) { ${TICKET_FIELDS} } }`;
const QUEUE_LENGTH = `query($o: ID!) { officeQueueLength(officeId: $o) { officeId waiting services { service { id } waiting } } }`;
const QUEUE_CHANGED = `subscription($o: ID!) {
  officeQueueChanged(officeId: $o) { officeId waiting services { service { id } waiting } } }`;
const LOBBY = `query($o: ID!) { lobbyCalls(officeId: $o) { ticketNumber counterName calledAt recall } }`;
const CALL_NEXT = `mutation($c: ID!) { callNext(counterId: $c) { ${TICKET_FIELDS} } }`;
const SET_RULE = `mutation($input: SetQueueRuleInput!) {
  setQueueRule(input: $input) { officeId service { id } targetWaitMinutes } }`;
/** The steps on a ticket, each with the arguments it takes besides the ticket. */
const STEPS: Record<string, string> = {
  callTicket: `mutation($t: ID!, $c: ID!) { callTicket(ticketId: $t, counterId: $c) { id } }`,
  recallTicket: `mutation($t: ID!) { recallTicket(ticketId: $t) { id } }`,
  startService: `mutation($t: ID!) { startService(ticketId: $t) { id } }`,
  endService: `mutation($t: ID!) { endService(ticketId: $t) { id } }`,
  transferTicket: `mutation($t: ID!, $s: ID!) { transferTicket(ticketId: $t, serviceId: $s, note: "x") { id } }`,
  markNoShow: `mutation($t: ID!) { markNoShow(ticketId: $t) { id } }`,
  parkTicket: `mutation($t: ID!) { parkTicket(ticketId: $t) { id } }`,
  unparkTicket: `mutation($t: ID!) { unparkTicket(ticketId: $t) { id } }`,
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
    if (cell === 'UNAUTHENTICATED' || cell === 'FORBIDDEN') {
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
      service,
      counter,
    };
  });

  afterAll(async () => {
    await stack?.stop();
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
