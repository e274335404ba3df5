import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import {
  DEVELOPMENT_ISSUER,
  IDENTITY_HEADER,
  claimsForPrincipal,
  developmentIssuerKey,
} from '@samservice/platform/auth';
import { schemaFingerprint, startTestStack, type TestStack } from '@samservice/testing';

/**
 * The bad-input corpus (issue 12): hundreds of hostile or malformed requests through the
 * gateway, one table. Each is answered with a documented code (docs/security.md, "The hostile
 * corpus"), never HTTP 500, never with a trace of the inside, and none changes a row.
 */

/** "Now" for this suite: Monday 1 March 2027, 10:00 in Stockholm, the offices open. */
const NOW = '2027-03-01T10:00:00+01:00';
const KB = 1024;

/** What the table's requests refer to, found once the stack runs. */
interface Context {
  officeId: string;
  fkServiceId: string;
  skvServiceId: string;
  skvAgencyId: string;
  counterId: string;
  /** A free start of the FK service. */
  freeStart: string;
  tokens: Record<TokenName, string>;
}

type TokenName =
  | 'fkAgency'
  | 'citizen'
  | 'staff'
  | 'expired'
  | 'algNone'
  | 'wrongKey'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'notYetValid'
  | 'noRoles';

interface Request {
  /** A subgraph straight; the gateway if none. */
  to?: 'directory' | 'scheduling';
  method?: 'GET' | 'POST' | 'PUT';
  /** Search parameters of a GET. */
  params?: Record<string, string>;
  /** Sent as JSON, or as it is if a string or bytes. */
  body?: unknown;
  /** `null`: no content type at all. */
  contentType?: string | null;
  headers?: Record<string, string>;
  token?: TokenName;
  /** A raw `Authorization` header. */
  authorization?: string;
}

interface Case {
  name: string;
  request: (c: Context) => Request;
  expect: {
    status?: number;
    /** The distinct `extensions.code`s of the answer; none for an answer with data only. */
    codes: string[];
    /** For an answer with no error: its `data`. */
    data?: unknown;
  };
}

interface Answer {
  status: number;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** Traces of the inside an answer must never carry. */
const INTERNALS = [
  /"stack"|stacktrace/i,
  /\bat \/[^\s)]+\/[^\s)]+/,
  /\bat [\w.<>]+ \(/,
  /node_modules/,
  /\.ts:\d+/,
  /QueryFailedError|EntityNotFound|TypeORM/i,
  /syntax error at or near|invalid input syntax|violates .*constraint|duplicate key|relation "|column "/i,
  /\b(SELECT|INSERT|UPDATE|DELETE)\b[^"]*\b(FROM|INTO|SET)\b\s+"/,
];

const gql = (query: string, variables?: Record<string, unknown>): Request => ({
  body: variables ? { query, variables } : { query },
});
const as = (token: TokenName, request: Request): Request => ({ ...request, token });

/** Strings that must stay data: SQL, script, control characters, odd Unicode. */
const INJECTIONS: Array<[string, string]> = [
  ['SQL quote', "' OR '1'='1' --"],
  ['SQL drop', "'; DROP TABLE scheduling.appointment; --"],
  ['SQL union', "x' UNION SELECT personnummer_hash FROM scheduling.appointment_contact --"],
  ['script', '<script>alert(document.cookie)</script>'],
  ['NUL', 'A\u0000B'],
  ['RTL override', 'abc\u202Egpj.exe'],
  ['emoji', '🧨💣🔥'.repeat(10)],
  ['10k combining marks', `e${'\u0301'.repeat(10_000)}`],
];

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const HOLD_JOINT =
  'mutation($i: HoldJointVisitInput!) { holdJointVisit(input: $i) { token parts { start } } }';

function injectionCases(): Case[] {
  const cases: Case[] = [];
  for (const [label, s] of INJECTIONS) {
    const add = (field: string, expected: Case['expect'], request: Case['request']) =>
      cases.push({ name: `${label} in ${field}`, request, expect: expected });
    add(
      'appointmentByReference(reference)',
      { codes: [], data: { appointmentByReference: null } },
      () =>
        gql(
          'query($r: String!) { appointmentByReference(reference: $r, personnummer: "19121212-1212") { id } }',
          { r: s },
        ),
    );
    add(
      'appointmentByReference(personnummer, email)',
      { codes: [], data: { appointmentByReference: null } },
      () =>
        gql(
          'query($r: String!) { appointmentByReference(reference: "ABC123", personnummer: $r, email: $r) { id } }',
          { r: s },
        ),
    );
    add(
      'jointVisitByReference(reference)',
      { codes: [], data: { jointVisitByReference: null } },
      () =>
        gql(
          'query($r: String!) { jointVisitByReference(reference: $r, email: $r) { reference } }',
          { r: s },
        ),
    );
    add('cancelAppointment(reference)', { codes: ['NOT_FOUND'] }, () =>
      gql('mutation($r: String!) { cancelAppointment(reference: $r, personnummer: $r) { id } }', {
        r: s,
      }),
    );
    add('rescheduleAppointment(email)', { codes: ['NOT_FOUND'] }, () =>
      gql(
        'mutation($r: String!) { rescheduleAppointment(reference: $r, start: "2027-03-02T10:00:00+01:00", email: $r) { id } }',
        { r: s },
      ),
    );
    add('cancelJointVisit(reference)', { codes: ['NOT_FOUND'] }, () =>
      gql('mutation($r: String!) { cancelJointVisit(reference: $r, email: $r) { reference } }', {
        r: s,
      }),
    );
    add('checkIn(reference)', { codes: [s.length > 40 ? 'BAD_USER_INPUT' : 'NOT_FOUND'] }, () =>
      gql('mutation($r: String!) { checkIn(reference: $r) { token } }', { r: s }),
    );
    add('ticket(token)', { codes: [], data: { ticket: null } }, () =>
      gql('query($t: String!) { ticket(token: $t) { number } }', { t: s }),
    );
    add('cancelTicket(token)', { codes: ['NOT_FOUND'] }, () =>
      gql('mutation($t: String!) { cancelTicket(token: $t) { number } }', { t: s }),
    );
    add('releaseHold(token)', { codes: [], data: { releaseHold: false } }, () =>
      gql('mutation($t: ID!) { releaseHold(token: $t) }', { t: s }),
    );
    add('bookJointVisit(holdToken)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql('mutation($i: BookJointVisitInput!) { bookJointVisit(input: $i) { reference } }', {
        i: {
          officeId: c.officeId,
          serviceIds: [c.fkServiceId, c.skvServiceId],
          start: c.freeStart,
          citizen: { personnummer: '19121212-1212', name: 'Tolvan' },
          holdToken: s,
        },
      }),
    );
    add('takeTicket(language)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql('mutation($i: TakeTicketInput!) { takeTicket(input: $i) { token } }', {
        i: { officeId: c.officeId, serviceId: c.fkServiceId, language: s },
      }),
    );
    add('takeTicket(personnummer)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql('mutation($i: TakeTicketInput!) { takeTicket(input: $i) { token } }', {
        i: { officeId: c.officeId, serviceId: c.fkServiceId, personnummer: s },
      }),
    );
    add('availableSlots(language)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql(
        'query($o: ID!, $s: ID!, $l: String) { availableSlots(officeId: $o, serviceId: $s, from: "2027-03-02", to: "2027-03-02", language: $l) { start } }',
        {
          o: c.officeId,
          s: c.fkServiceId,
          l: s,
        },
      ),
    );
    add('bookAppointment(citizen.email, language)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql('mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { reference } }', {
        i: {
          officeId: c.officeId,
          serviceId: c.fkServiceId,
          start: c.freeStart,
          citizen: { personnummer: '19121212-1212', name: 'Tolvan', email: s, language: s },
        },
      }),
    );
    add('bookAppointment(citizen.personnummer)', { codes: ['BAD_USER_INPUT'] }, (c) =>
      gql('mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { reference } }', {
        i: {
          officeId: c.officeId,
          serviceId: c.fkServiceId,
          start: c.freeStart,
          citizen: { personnummer: s, name: 'Tolvan' },
        },
      }),
    );
    add(
      'bookAppointment(name, phone, idempotencyKey) at a time that is not free',
      { codes: ['SLOT_UNAVAILABLE'] },
      (c) =>
        gql('mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { reference } }', {
          i: {
            officeId: c.officeId,
            serviceId: c.fkServiceId,
            start: '2027-03-02T03:00:00+01:00',
            idempotencyKey: s.slice(0, 200),
            citizen: {
              personnummer: '19121212-1212',
              name: s.slice(0, 200),
              phone: s.slice(0, 20),
            },
          },
        }),
    );
    add(
      'callNext(idempotencyKey), staff',
      s.includes('\u0000')
        ? { codes: ['BAD_USER_INPUT'] }
        : { codes: [], data: { callNext: null } },
      (c) =>
        as(
          'staff',
          gql(
            'mutation($c: ID!, $k: String) { callNext(counterId: $c, idempotencyKey: $k) { number } }',
            { c: c.counterId, k: s.slice(0, 200) },
          ),
        ),
    );
    add(
      'transferTicket(note), staff',
      { codes: [s.length > 500 ? 'BAD_USER_INPUT' : 'NOT_FOUND'] },
      (c) =>
        as(
          'staff',
          gql(
            'mutation($t: ID!, $s: ID!, $n: String) { transferTicket(ticketId: $t, serviceId: $s, note: $n) { number } }',
            { t: UNKNOWN_ID, s: c.skvServiceId, n: s },
          ),
        ),
    );
    // Validated first (at most 50 characters, counted as code points), signed in after.
    const code = [...s].length > 50 ? 'BAD_USER_INPUT' : 'UNAUTHENTICATED';
    add('createAgency(code, name), anonymous', { codes: [code] }, () =>
      gql(
        'mutation($s: String!) { createAgency(input: { code: $s, name: $s, level: STATE }) { id } }',
        { s },
      ),
    );
  }
  return cases;
}

const TAKE_TICKET = 'mutation($i: TakeTicketInput!) { takeTicket(input: $i) { token } }';
const SLOTS_ON = (from: string, to = from) =>
  `query($o: ID!, $s: ID!) { availableSlots(officeId: $o, serviceId: $s, from: "${from}", to: "${to}") { start } }`;
const BOOK = 'mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { reference } }';
const book = (c: Context, input: Record<string, unknown>) =>
  gql(BOOK, {
    i: {
      officeId: c.officeId,
      serviceId: c.fkServiceId,
      start: c.freeStart,
      citizen: { personnummer: '19121212-1212', name: 'Tolvan' },
      ...input,
    },
  });

function nested(depth: number): string {
  let selection = 'code';
  for (let level = depth - 1; level > 1; level--) {
    selection = `${level % 2 === 0 ? 'services' : 'agency'} { ${selection} }`;
  }
  return `{ offices { ${selection} } }`;
}

const CASES: Case[] = [
  // The body and the HTTP around it.
  {
    name: 'invalid JSON',
    request: () => ({ body: '{"query": "{ agencies { code } }"' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'not JSON at all',
    request: () => ({ body: 'hello' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an empty body',
    request: () => ({ body: '' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'JSON null',
    request: () => ({ body: 'null' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a JSON string',
    request: () => ({ body: '"{ agencies { code } }"' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a JSON number',
    request: () => ({ body: '42' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an empty object',
    request: () => ({ body: {} }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'query is a number',
    request: () => ({ body: { query: 1 } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'query is an empty string',
    request: () => ({ body: { query: '' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'variables is a string',
    request: () => ({ body: { query: '{ agencies { code } }', variables: 'x' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'variables is an array',
    request: () => ({ body: { query: '{ agencies { code } }', variables: [1] } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'extensions is a string',
    request: () => ({ body: { query: '{ agencies { code } }', extensions: 'x' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'operationName is a number',
    request: () => ({ body: { query: '{ agencies { code } }', operationName: 5 } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an operationName the document lacks',
    request: () => ({ body: { query: 'query A { agencies { code } }', operationName: 'B' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'two operations and no operationName',
    request: () => ({
      body: { query: 'query A { agencies { code } } query B { offices { id } }' },
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an unknown persisted query',
    request: () => ({
      body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    }),
    // Apollo's automatic persisted queries: the client sends the text with the hash.
    expect: { status: 200, codes: ['PERSISTED_QUERY_NOT_FOUND'] },
  },
  {
    name: 'a JSON duplicate key holding a mutation',
    request: () => ({
      body: '{"query": "{ agencies { code } }", "query": "mutation { cancelTicket(token: \\"x\\") { number } }"}',
    }),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'content type text/plain',
    request: () => ({ body: { query: '{ agencies { code } }' }, contentType: 'text/plain' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'content type form-urlencoded',
    request: () => ({
      body: 'query=%7B%20agencies%20%7B%20code%20%7D%20%7D',
      contentType: 'application/x-www-form-urlencoded',
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'content type multipart',
    request: () => ({
      body: '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--b--',
      contentType: 'multipart/form-data; boundary=b',
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'content type application/xml',
    request: () => ({ body: '<query/>', contentType: 'application/xml' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'no content type',
    request: () => ({
      body: JSON.stringify({ query: '{ agencies { code } }' }),
      contentType: null,
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a gzip body that is not gzip',
    request: () => ({ body: 'not gzip', headers: { 'content-encoding': 'gzip' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an unknown content encoding',
    request: () => ({
      body: { query: '{ agencies { code } }' },
      headers: { 'content-encoding': 'br2' },
    }),
    expect: { status: 415, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a GET with a mutation',
    request: () => ({
      method: 'GET',
      params: { query: 'mutation { cancelTicket(token: "x") { number } }' },
      headers: { 'apollo-require-preflight': 'true' },
    }),
    expect: { status: 405, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a GET with a mutation, without the preflight header',
    request: () => ({
      method: 'GET',
      params: { query: 'mutation { cancelTicket(token: "x") { number } }' },
      contentType: null,
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a GET with variables that are not JSON',
    request: () => ({
      method: 'GET',
      params: { query: '{ agencies { code } }', variables: '{x' },
      headers: { 'apollo-require-preflight': 'true' },
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a GET without a query',
    request: () => ({ method: 'GET', params: {}, headers: { 'apollo-require-preflight': 'true' } }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a 100 kB name',
    request: (c) =>
      book(c, { citizen: { personnummer: '19121212-1212', name: 'x'.repeat(100 * KB) } }),
    expect: { status: 413, codes: ['PAYLOAD_TOO_LARGE'] },
  },
  {
    name: 'a 100 kB query',
    request: () => gql(`{ agencies { code } } #${'x'.repeat(100 * KB)}`),
    expect: { status: 413, codes: ['PAYLOAD_TOO_LARGE'] },
  },
  {
    name: 'a 60 kB reference (within the body limit)',
    request: () =>
      gql('query($r: String!) { appointmentByReference(reference: $r, email: "a@b.se") { id } }', {
        r: 'R'.repeat(60 * KB),
      }),
    expect: { codes: [], data: { appointmentByReference: null } },
  },
  {
    name: 'a 60 kB ticket token',
    request: () =>
      gql('query($t: String!) { ticket(token: $t) { number } }', { t: 't'.repeat(60 * KB) }),
    expect: { codes: [], data: { ticket: null } },
  },
  {
    name: 'a 30 kB note',
    request: (c) =>
      as(
        'staff',
        gql(
          'mutation($t: ID!, $s: ID!, $n: String) { transferTicket(ticketId: $t, serviceId: $s, note: $n) { number } }',
          { t: UNKNOWN_ID, s: c.skvServiceId, n: 'n'.repeat(30 * KB) },
        ),
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a 201-character idempotency key for callNext',
    request: (c) =>
      as(
        'staff',
        gql(
          'mutation($c: ID!, $k: String) { callNext(counterId: $c, idempotencyKey: $k) { number } }',
          { c: c.counterId, k: 'k'.repeat(201) },
        ),
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a 10 kB idempotency key for a booking',
    request: (c) => book(c, { idempotencyKey: 'k'.repeat(10 * KB) }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a 300-character e-mail',
    request: (c) =>
      book(c, {
        citizen: {
          name: 'Tolvan',
          birthDate: '1990-01-01',
          email: `${'a'.repeat(290)}@example.se`,
        },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: '10,000 needs',
    request: (c) => book(c, { needs: Array.from({ length: 10_000 }, () => 'HEARING_LOOP') }),
    expect: { status: 413, codes: ['PAYLOAD_TOO_LARGE'] },
  },
  {
    name: '1,000 service ids for jointVisitOptions',
    request: () =>
      gql(
        'query($s: [ID!]!) { jointVisitOptions(serviceIds: $s, from: "2027-03-02", to: "2027-03-02") { start } }',
        { s: Array.from({ length: 1_000 }, () => UNKNOWN_ID) },
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: '500 service ids for bookJointVisit',
    request: (c) =>
      gql('mutation($i: BookJointVisitInput!) { bookJointVisit(input: $i) { reference } }', {
        i: {
          officeId: c.officeId,
          serviceIds: Array.from({ length: 500 }, () => UNKNOWN_ID),
          start: c.freeStart,
          citizen: { personnummer: '19121212-1212', name: 'Tolvan' },
        },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: '100 service ids for holdJointVisit',
    request: (c) =>
      gql(HOLD_JOINT, {
        i: {
          officeId: c.officeId,
          serviceIds: Array.from({ length: 100 }, () => UNKNOWN_ID),
          start: c.freeStart,
        },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'one service twice for holdJointVisit',
    request: (c) =>
      gql(HOLD_JOINT, {
        i: { officeId: c.officeId, serviceIds: [c.fkServiceId, c.fkServiceId], start: c.freeStart },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'holdJointVisit years ahead',
    request: (c) =>
      gql(HOLD_JOINT, {
        i: {
          officeId: c.officeId,
          serviceIds: [c.fkServiceId, c.skvServiceId],
          start: '2031-03-04T10:00:00+01:00',
        },
      }),
    expect: { codes: ['SLOT_UNAVAILABLE'] },
  },
  {
    name: 'holdJointVisit in year 9999',
    request: (c) =>
      gql(HOLD_JOINT, {
        i: {
          officeId: c.officeId,
          serviceIds: [c.fkServiceId, c.skvServiceId],
          start: '9999-12-31T10:00:00+01:00',
        },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'releaseHold of a guessed token',
    request: () => gql(`mutation { releaseHold(token: "${randomUUID()}") }`),
    expect: { codes: [], data: { releaseHold: false } },
  },
  {
    name: 'releaseHold with a token of 60 kB (within the body limit)',
    request: () => gql('mutation($t: ID!) { releaseHold(token: $t) }', { t: 'a'.repeat(60 * KB) }),
    expect: { codes: [], data: { releaseHold: false } },
  },
  {
    name: '200 needs for takeTicket',
    request: (c) =>
      gql(TAKE_TICKET, {
        i: {
          officeId: c.officeId,
          serviceId: c.fkServiceId,
          needs: Array.from({ length: 200 }, () => 'EXTRA_TIME'),
        },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a list where one value is expected',
    request: () => gql('query($t: String!) { ticket(token: $t) { number } }', { t: ['a', 'b'] }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },

  // Wrong types for every scalar.
  {
    name: 'ID as a boolean literal',
    request: () => gql('{ office(id: true) { id } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'ID as an object variable',
    request: () => gql('query($id: ID!) { office(id: $id) { id } }', { id: { $ne: null } }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'ID as a float variable',
    request: () => gql('query($id: ID!) { office(id: $id) { id } }', { id: 1.5 }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'ID that is not a UUID',
    request: () => gql('{ office(id: "1 OR 1=1") { id } }'),
    expect: { codes: [], data: { office: null } },
  },
  {
    name: 'ID with SQL for a service',
    request: () => gql(`{ service(id: "'; DELETE FROM directory.service; --") { id } }`),
    expect: { codes: [], data: { service: null } },
  },
  {
    name: 'ID that is not a UUID for availableSlots',
    request: () =>
      gql(
        '{ availableSlots(officeId: "x", serviceId: "y", from: "2027-03-02", to: "2027-03-02") { start } }',
      ),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'ID that is not a UUID for callNext',
    request: () =>
      as('staff', gql('mutation { callNext(counterId: "../../etc/passwd") { number } }')),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'ID that is not a UUID for lobbyCalls',
    request: () => gql('{ lobbyCalls(officeId: "x") { ticketNumber } }'),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'ID that is not a UUID for takeTicket',
    request: () => gql(TAKE_TICKET, { i: { officeId: 'x', serviceId: 'y' } }),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'Date as an Int',
    request: (c) =>
      gql(
        'query($o: ID!, $s: ID!) { availableSlots(officeId: $o, serviceId: $s, from: 20270302, to: 20270302) { start } }',
        { o: c.officeId, s: c.fkServiceId },
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Date as a word',
    request: (c) => gql(SLOTS_ON('tomorrow'), { o: c.officeId, s: c.fkServiceId }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Date with month 13',
    request: (c) => gql(SLOTS_ON('2027-13-01'), { o: c.officeId, s: c.fkServiceId }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Date with a time',
    request: (c) => gql(SLOTS_ON('2027-03-02T10:00:00Z'), { o: c.officeId, s: c.fkServiceId }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Date as a variable object',
    request: (c) =>
      gql(
        'query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }',
        { o: c.officeId, s: c.fkServiceId, d: { year: 2027 } },
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'DateTime without an offset',
    request: (c) => book(c, { start: '2027-03-02T10:00:00' }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'DateTime with a space',
    request: (c) => book(c, { start: '2027-03-02 10:00' }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'DateTime as epoch seconds',
    request: (c) => book(c, { start: 1_803_000_000 }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'DateTime as a boolean',
    request: (c) => book(c, { start: true }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Int as a string',
    request: (c) => gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: "5") { ticketNumber } }`),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'Int as a float',
    request: (c) => gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: 1.5) { ticketNumber } }`),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'Int over 32 bits',
    request: (c) =>
      gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: 4294967296) { ticketNumber } }`),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'Int 1e100 as a variable',
    request: (c) =>
      gql('query($o: ID!, $l: Int) { lobbyCalls(officeId: $o, limit: $l) { ticketNumber } }', {
        o: c.officeId,
        l: 1e100,
      }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'lobbyCalls(limit: -1)',
    request: (c) => gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: -1) { ticketNumber } }`),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'lobbyCalls(limit: 0)',
    request: (c) => gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: 0) { ticketNumber } }`),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'lobbyCalls(limit: 2147483647)',
    request: (c) =>
      gql(`{ lobbyCalls(officeId: "${c.officeId}", limit: 2147483647) { ticketNumber } }`),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'officeQueue(first: -5), staff',
    request: (c) =>
      as('staff', gql(`{ officeQueue(officeId: "${c.officeId}", first: -5) { number } }`)),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'agencyAppointments(first: 100000)',
    request: () =>
      as(
        'fkAgency',
        gql(
          '{ agencyAppointments(from: "2027-03-01", to: "2027-03-02", first: 100000) { nextCursor } }',
        ),
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'agencyAppointments(first: -1)',
    request: () =>
      as(
        'fkAgency',
        gql(
          '{ agencyAppointments(from: "2027-03-01", to: "2027-03-02", first: -1) { nextCursor } }',
        ),
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'agencyAppointments(after: a forged cursor)',
    request: () =>
      as(
        'fkAgency',
        gql(
          `{ agencyAppointments(from: "2027-03-01", to: "2027-03-02", after: "' OR 1=1 --") { nextCursor } }`,
        ),
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'jointVisitOptions(limit: 1000)',
    request: (c) =>
      gql(
        `{ jointVisitOptions(serviceIds: ["${c.fkServiceId}"], from: "2027-03-02", to: "2027-03-02", limit: 1000) { start } }`,
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'jointVisitOptions(partySize: -3)',
    request: (c) =>
      gql(
        `{ jointVisitOptions(serviceIds: ["${c.fkServiceId}"], from: "2027-03-02", to: "2027-03-02", partySize: -3) { start } }`,
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'jointVisitOptions(near: latitude 1000)',
    request: (c) =>
      gql(
        `{ jointVisitOptions(serviceIds: ["${c.fkServiceId}"], from: "2027-03-02", to: "2027-03-02", near: { latitude: 1000, longitude: -1000 }) { start } }`,
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'Boolean as a string',
    request: () =>
      gql('mutation { cancelAppointment(reference: "X", onlyThisPart: "yes") { id } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an enum value that does not exist',
    request: (c) => book(c, { needs: ['FLYING'] }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'an enum as a string literal',
    request: () =>
      gql('mutation { createAgency(input: { code: "X", name: "X", level: "STATE" }) { id } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown field',
    request: () => gql('{ agencies { code secret } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown root field',
    request: () => gql('{ users { password } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown argument',
    request: () => gql('{ agencies(where: "1=1") { code } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown input field',
    request: (c) => book(c, { admin: true }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'an unknown type in a fragment',
    request: () => gql('{ agencies { ... on Secret { code } } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a missing required argument',
    request: () => gql('{ office { id } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a missing required input field',
    request: (c) =>
      gql(BOOK, { i: { officeId: c.officeId, serviceId: c.fkServiceId, start: c.freeStart } }),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a missing required variable',
    request: () => gql('query($t: String!) { ticket(token: $t) { number } }'),
    expect: { status: 400, codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'null for a required argument',
    request: () => gql('{ ticket(token: null) { number } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an undeclared variable',
    request: () => gql('{ ticket(token: $t) { number } }', { t: 'x' }),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a subscription over HTTP',
    request: (c) =>
      gql(`subscription { lobbyCallMade(officeId: "${c.officeId}") { ticketNumber } }`),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a syntax error',
    request: () => gql('{ agencies { code '),
    expect: { status: 400, codes: ['GRAPHQL_PARSE_FAILED'] },
  },
  {
    name: 'a query that is only a comment',
    request: () => gql('# nothing'),
    expect: { status: 400, codes: ['GRAPHQL_PARSE_FAILED'] },
  },
  {
    name: 'a type definition instead of an operation',
    request: () => gql('type Query { x: Int }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },

  // Dates at the edges.
  ...(
    [
      ['year 0001', '0001-01-01'],
      ['year 9999', '9999-12-31'],
      ['2027-02-29 (not a leap year)', '2027-02-29'],
      ['2028-02-30', '2028-02-30'],
      ['day 00', '2027-03-00'],
      ['a six-digit year', '+202701-03-02'],
      ['a negative year', '-2027-03-02'],
    ] as const
  ).map(([label, date]): Case => ({
    name: `Date ${label}`,
    request: (c) => gql(SLOTS_ON(date), { o: c.officeId, s: c.fkServiceId }),
    expect: { codes: ['BAD_USER_INPUT'] },
  })),
  {
    name: 'openingHours from after to',
    request: (c) =>
      gql(
        `{ openingHours(officeId: "${c.officeId}", from: "2027-03-10", to: "2027-03-01") { date } }`,
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'openingHours over 400 days',
    request: (c) =>
      gql(
        `{ openingHours(officeId: "${c.officeId}", from: "2027-01-01", to: "2028-12-31") { date } }`,
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  ...(
    [
      ['year 0001', '0001-01-01T10:00:00+01:00'],
      ['year 9999', '9999-12-31T10:00:00+01:00'],
      ['on 2027-02-29', '2027-02-29T10:00:00+01:00'],
      ['on 2028-02-30', '2028-02-30T10:00:00+01:00'],
      ['at 24:00', '2027-03-02T24:00:00+01:00'],
      ['at 10:60', '2027-03-02T10:60:00+01:00'],
      ['with offset +25:00', '2027-03-02T10:00:00+25:00'],
      ['with offset -99:99', '2027-03-02T10:00:00-99:99'],
      ['a leap second', '2027-03-02T10:59:60+01:00'],
    ] as const
  ).map(([label, start]): Case => ({
    name: `DateTime ${label}`,
    request: (c) => book(c, { start }),
    expect: { codes: ['BAD_USER_INPUT'] },
  })),
  {
    name: 'lobbyCallMade(after) in year 9999, over HTTP',
    request: (c) =>
      gql(
        `subscription { lobbyCallMade(officeId: "${c.officeId}", after: "9999-12-31T00:00:00Z") { ticketNumber } }`,
      ),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'rescheduleAppointment to 24:00',
    request: () =>
      gql(
        'mutation { rescheduleAppointment(reference: "ABC", start: "2027-03-02T24:00:00+01:00", email: "a@b.se") { id } }',
      ),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a birth date of 2027-02-29',
    request: (c) =>
      book(c, { citizen: { name: 'Tolvan', birthDate: '2027-02-29', email: 'a@example.se' } }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },

  // The shape of the query.
  {
    name: '25 levels of nesting',
    request: () => gql(nested(25)),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '8 levels of nesting',
    request: () => gql(nested(8)),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'nesting reached through inline fragments',
    request: () =>
      gql(
        `{ offices { ${'... on Office { services { agency { services { '.repeat(1)}${'agency { services { agency { services { code } } } } '}} } } } } }`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '11 aliases',
    request: () =>
      gql(`{ ${Array.from({ length: 11 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '11 aliases of ticket(token)',
    request: () =>
      gql(
        `{ ${Array.from({ length: 11 }, (_, i) => `t${i}: ticket(token: "g${i}") { number }`).join(' ')} }`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '11 aliases of appointmentByReference',
    request: () =>
      gql(
        `{ ${Array.from({ length: 11 }, (_, i) => `r${i}: appointmentByReference(reference: "R${i}", email: "a@b.se") { id }`).join(' ')} }`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '11 aliased mutations',
    request: () =>
      gql(
        `mutation { ${Array.from({ length: 11 }, (_, i) => `c${i}: cancelTicket(token: "g${i}") { number }`).join(' ')} }`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '200 aliases (over the token limit)',
    request: () =>
      gql(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`),
    expect: { status: 400, codes: ['GRAPHQL_PARSE_FAILED'] },
  },
  {
    name: '30 directives',
    request: () =>
      gql(
        `{ agencies { ${Array.from({ length: 30 }, (_, i) => `c${i}: code @include(if: true)`).join(' ')} } }`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '11 directives on one field',
    request: () => gql(`{ agencies { code ${'@skip(if: false) '.repeat(11)} } }`),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown directive',
    request: () => gql('{ agencies @admin { code } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a directive without its argument',
    request: () => gql('{ agencies @include { code } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a federation directive in a query',
    request: () => gql('{ agencies @join__field(graph: DIRECTORY) { code } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a fragment cycle',
    request: () =>
      gql('{ ...A } fragment A on Query { agencies { code } ...B } fragment B on Query { ...A }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a fragment spreading itself',
    request: () => gql('{ agencies { ...A } } fragment A on Agency { code ...A }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unknown fragment',
    request: () => gql('{ agencies { ...Nope } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'an unused fragment',
    request: () => gql('{ agencies { code } } fragment A on Agency { code }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'fragments that double at each level',
    request: () =>
      gql(
        `{ agencies { ...F20 } } fragment F0 on Agency { code } ${Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Agency { ...F${i} n${i}: name ...F${i} }`).join(' ')}`,
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a batch of two operations',
    request: () => ({
      body: [{ query: '{ agencies { code } }' }, { query: '{ offices { id } }' }],
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'an empty batch',
    request: () => ({ body: [] }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: 'a batch of 100 mutations',
    request: () => ({
      body: Array.from({ length: 100 }, (_, i) => ({
        query: `mutation { cancelTicket(token: "g${i}") { number } }`,
      })),
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },
  {
    name: '__typename only, 5,000 times (over the token limit)',
    request: () => gql(`{ ${'__typename '.repeat(5_000)} }`),
    expect: { status: 400, codes: ['GRAPHQL_PARSE_FAILED'] },
  },
  {
    name: 'a document of a fragment only',
    request: () => gql('fragment A on Query { agencies { code } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '_entities through the gateway',
    request: (c) =>
      gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Office { id } } }', {
        r: [{ __typename: 'Office', id: c.officeId }],
      }),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '_entities for an appointment through the gateway',
    request: () =>
      gql(
        '{ _entities(representations: [{ __typename: "Appointment", id: "x" }]) { __typename } }',
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: '_service through the gateway',
    request: () => gql('{ _service { sdl } }'),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },

  // Raw bytes.
  {
    name: 'overlong UTF-8 (C0 AF) in a reference',
    request: () => ({
      body: Buffer.concat([
        Buffer.from('{"query":"{ appointmentByReference(reference: \\"A'),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from('\\", email: \\"a@b.se\\") { id } }"}'),
      ]),
    }),
    expect: { codes: [], data: { appointmentByReference: null } },
  },
  {
    name: 'invalid UTF-8 (FF FE) in a ticket token',
    request: () => ({
      body: Buffer.concat([
        Buffer.from(
          '{"query":"query($t: String!) { ticket(token: $t) { number } }","variables":{"t":"',
        ),
        Buffer.from([0xff, 0xfe, 0xfd]),
        Buffer.from('"}}'),
      ]),
    }),
    expect: { codes: [], data: { ticket: null } },
  },
  {
    name: 'a lone surrogate escape in a name',
    request: (c) => ({
      body: JSON.stringify({
        query: BOOK,
        variables: {
          i: {
            officeId: c.officeId,
            serviceId: c.fkServiceId,
            start: '2027-03-02T03:00:00+01:00',
            citizen: { personnummer: '19121212-1212', name: 'X' },
          },
        },
      }).replace('"X"', '"\\ud800"'),
    }),
    expect: { codes: ['SLOT_UNAVAILABLE'] },
  },
  {
    name: 'a NUL byte in the query text',
    request: () => ({ body: '{"query":"{ agencies { code\\u0000 } }"}' }),
    expect: { status: 400, codes: ['GRAPHQL_PARSE_FAILED'] },
  },
  {
    name: 'a NUL in a booking name at a free time',
    request: (c) => book(c, { citizen: { personnummer: '19121212-1212', name: 'Tol\u0000van' } }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a NUL in a language of takeTicket',
    request: (c) =>
      gql(TAKE_TICKET, {
        i: { officeId: c.officeId, serviceId: c.fkServiceId, language: 's\u0000' },
      }),
    expect: { codes: ['BAD_USER_INPUT'] },
  },
  {
    name: 'a UTF-16 body, said so (read as any charset the parser knows)',
    request: () => ({
      body: Buffer.from(
        JSON.stringify({ query: '{ ticket(token: "\u202e") { number } }' }),
        'utf16le',
      ),
      contentType: 'application/json; charset=utf-16',
    }),
    expect: { codes: [], data: { ticket: null } },
  },
  {
    name: 'a UTF-16 body, unsaid',
    request: () => ({
      body: Buffer.from(JSON.stringify({ query: '{ ticket(token: "x") { number } }' }), 'utf16le'),
    }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },

  // Tokens.
  ...(
    [
      ['an expired token', 'expired'],
      ['alg: none', 'algNone'],
      ['a token signed by an unknown key', 'wrongKey'],
      ['a token for another audience', 'wrongAudience'],
      ['a token of another issuer', 'wrongIssuer'],
      ['a token not valid yet', 'notYetValid'],
      ['a token without roles', 'noRoles'],
    ] as const
  ).flatMap(([label, token]): Case[] => [
    {
      name: `${label}, for a public query`,
      request: () => as(token, gql('{ agencies { code } }')),
      expect: { status: 401, codes: ['UNAUTHENTICATED'] },
    },
    {
      name: `${label}, for callNext`,
      request: (c) =>
        as(token, gql(`mutation { callNext(counterId: "${c.counterId}") { number } }`)),
      expect: { status: 401, codes: ['UNAUTHENTICATED'] },
    },
  ]),
  ...(
    [
      ['Basic credentials', 'Basic YWRtaW46YWRtaW4='],
      ['a bearer that is not a JWT', 'Bearer not-a-token'],
      ['an empty bearer', 'Bearer '],
      ['a bearer with three empty parts', 'Bearer ..'],
      ['a bearer of 8 kB', `Bearer ${'a'.repeat(8 * KB)}`],
      ['SQL in a bearer', "Bearer ' OR 1=1 --"],
      ['two bearers', 'Bearer a.b.c, Bearer d.e.f'],
    ] as const
  ).map(([label, authorization]): Case => ({
    name: `an Authorization header with ${label}`,
    request: () => ({ ...gql('{ agencies { code } }'), authorization }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  })),

  // Another agency's things.
  {
    name: 'an FK client books an SKV service',
    request: (c) =>
      as(
        'fkAgency',
        gql(BOOK, {
          i: {
            officeId: c.officeId,
            serviceId: c.skvServiceId,
            start: c.freeStart,
            citizen: { personnummer: '19121212-1212', name: 'Tolvan' },
          },
        }),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client holds an SKV slot',
    request: (c) =>
      as(
        'fkAgency',
        gql('mutation($i: HoldSlotInput!) { holdSlot(input: $i) { token } }', {
          i: { officeId: c.officeId, serviceId: c.skvServiceId, start: c.freeStart },
        }),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client holds a joint visit with an SKV part',
    request: (c) =>
      as(
        'fkAgency',
        gql(HOLD_JOINT, {
          i: {
            officeId: c.officeId,
            serviceIds: [c.fkServiceId, c.skvServiceId],
            start: c.freeStart,
          },
        }),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client books a joint visit with an SKV part',
    request: (c) =>
      as(
        'fkAgency',
        gql('mutation($i: BookJointVisitInput!) { bookJointVisit(input: $i) { reference } }', {
          i: {
            officeId: c.officeId,
            serviceIds: [c.fkServiceId, c.skvServiceId],
            start: c.freeStart,
            citizen: { personnummer: '19121212-1212', name: 'Tolvan' },
          },
        }),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client changes an SKV service',
    request: (c) =>
      as(
        'fkAgency',
        gql(
          `mutation { updateService(id: "${c.skvServiceId}", input: { nameSv: "Hacked" }) { id } }`,
        ),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client deactivates the SKV agency',
    request: (c) =>
      as('fkAgency', gql(`mutation { deactivateAgency(id: "${c.skvAgencyId}") { id } }`)),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client withdraws an SKV service from an office',
    request: (c) =>
      as(
        'fkAgency',
        gql(
          `mutation { withdrawService(officeId: "${c.officeId}", serviceId: "${c.skvServiceId}") { id } }`,
        ),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client calls the next citizen',
    request: (c) =>
      as('fkAgency', gql(`mutation { callNext(counterId: "${c.counterId}") { number } }`)),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: "an FK client sets the SKV queue's rule",
    request: (c) =>
      as(
        'fkAgency',
        gql(
          `mutation { setQueueRule(input: { officeId: "${c.officeId}", serviceId: "${c.skvServiceId}", targetWaitMinutes: 1 }) { targetWaitMinutes } }`,
        ),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'an FK client cancels an unknown appointment',
    request: () =>
      as(
        'fkAgency',
        gql(
          'mutation { cancelAppointment(reference: "SKV123", personnummer: "19121212-1212") { id } }',
        ),
      ),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'a citizen calls the next citizen',
    request: (c) =>
      as('citizen', gql(`mutation { callNext(counterId: "${c.counterId}") { number } }`)),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: "a citizen reads an office's schedule",
    request: (c) =>
      as(
        'citizen',
        gql(`{ officeSchedule(officeId: "${c.officeId}", date: "2027-03-01") { start } }`),
      ),
    expect: { codes: ['FORBIDDEN'] },
  },
  {
    name: 'anonymous reads the queue',
    request: (c) => gql(`{ officeQueue(officeId: "${c.officeId}") { number } }`),
    expect: { codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'anonymous reads an unknown queue ticket',
    request: () => gql(`{ queueTicket(id: "${UNKNOWN_ID}") { number } }`),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'anonymous transfers an unknown ticket',
    request: (c) =>
      gql(
        `mutation { transferTicket(ticketId: "${UNKNOWN_ID}", serviceId: "${c.skvServiceId}", note: "x") { number } }`,
      ),
    expect: { codes: ['NOT_FOUND'] },
  },
  {
    name: 'anonymous creates an office',
    request: () =>
      gql(
        'mutation { createOffice(input: { name: "x", streetAddress: "x", postalCode: "x", municipality: "x", timeZone: "Europe/Stockholm", latitude: 0, longitude: 0 }) { id } }',
      ),
    expect: { codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'guessed references answer null alike',
    request: () =>
      gql(
        '{ a: appointmentByReference(reference: "ABC123", personnummer: "19121212-1212") { id } b: appointmentByReference(reference: "ZZZZZZ", email: "a@example.se") { id } }',
      ),
    expect: { codes: [], data: { a: null, b: null } },
  },
  {
    name: 'a guessed ticket token answers null',
    request: () => gql(`{ ticket(token: "${randomUUID()}") { number } }`),
    expect: { codes: [], data: { ticket: null } },
  },
  {
    name: 'a guessed ticket token of the usual length answers null',
    request: () => gql(`{ ticket(token: "${'A'.repeat(43)}") { number } }`),
    expect: { codes: [], data: { ticket: null } },
  },

  // A subgraph straight, without the gateway's signed identity.
  {
    name: '_entities straight to scheduling without an identity',
    request: () => ({
      to: 'scheduling',
      ...gql(
        '{ _entities(representations: [{ __typename: "Appointment", id: "x" }]) { __typename } }',
      ),
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: '_entities straight to directory without an identity',
    request: (c) => ({
      to: 'directory',
      ...gql(
        `{ _entities(representations: [{ __typename: "Office", id: "${c.officeId}" }]) { __typename } }`,
      ),
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: '_entities straight to scheduling with a client bearer token',
    request: () => ({
      to: 'scheduling',
      token: 'fkAgency',
      ...gql(
        '{ _entities(representations: [{ __typename: "Appointment", id: "x" }]) { __typename } }',
      ),
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: '_entities straight to scheduling with a forged identity',
    request: () => ({
      to: 'scheduling',
      headers: {
        [IDENTITY_HEADER]: 'eyJhbGciOiJub25lIn0.eyJwcmluY2lwYWwiOnsicm9sZSI6ImFkbWluIn19.',
      },
      ...gql(
        '{ _entities(representations: [{ __typename: "Appointment", id: "x" }]) { __typename } }',
      ),
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'a mutation straight to scheduling without an identity',
    request: () => ({
      to: 'scheduling',
      ...gql('mutation { cancelTicket(token: "x") { number } }'),
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'invalid JSON straight to directory',
    request: () => ({ to: 'directory', body: '{"query":' }),
    expect: { status: 400, codes: ['BAD_REQUEST'] },
  },

  // The signed-in citizen's own operations (e-ID sessions; docs/security.md).
  {
    name: 'myAppointments anonymously',
    request: () => gql('{ myAppointments { id } }'),
    expect: { status: 200, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'myTickets with an argument it does not take',
    request: () => as('citizen', gql('{ myTickets(officeId: "x") { id } }')),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'myJointVisits aliased 50 times',
    request: () =>
      as(
        'citizen',
        gql(`{ ${Array.from({ length: 50 }, (_, i) => `v${i}: myJointVisits { id }`).join(' ')} }`),
      ),
    expect: { status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] },
  },
  {
    name: 'a session cookie that is not a JWT',
    request: () => ({
      ...gql('{ myAppointments { id } }'),
      headers: { cookie: 'samservice_session=%27%20OR%201%3D1--' },
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'a session cookie holding an alg: none token',
    request: (c) => ({
      ...gql('{ myData { identityNumber } }'),
      headers: { cookie: `samservice_session=${c.tokens.algNone}` },
    }),
    expect: { status: 401, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'a cookie header of 10 kB (ignored: anonymous)',
    request: () => ({
      ...gql('{ myAppointments { id } }'),
      headers: { cookie: `samservice_session=${'a'.repeat(10 * KB)}` },
    }),
    expect: { status: 200, codes: ['UNAUTHENTICATED'] },
  },
  {
    name: 'a staff token to myData',
    request: () => as('staff', gql('{ myData { identityNumber } }')),
    expect: { status: 200, codes: ['FORBIDDEN'] },
  },

  ...injectionCases(),
];

describe('the hostile corpus, through the gateway', () => {
  let stack: TestStack;
  let context: Context;
  const before: Record<string, Record<string, string>> = {};

  const send = async (request: Request): Promise<Answer> => {
    const base = request.to ? stack.subgraphs[request.to] : stack.graphqlUrl;
    const url = new URL(base);
    for (const [key, value] of Object.entries(request.params ?? {}))
      url.searchParams.set(key, value);
    const headers: Record<string, string> = { ...request.headers };
    if (request.contentType !== null && request.method !== 'GET') {
      headers['content-type'] = request.contentType ?? 'application/json';
    }
    if (request.token) headers['authorization'] = `Bearer ${context.tokens[request.token]}`;
    if (request.authorization !== undefined) headers['authorization'] = request.authorization;
    const body =
      request.method === 'GET'
        ? undefined
        : Buffer.isBuffer(request.body)
          ? new Uint8Array(request.body)
          : typeof request.body === 'string'
            ? request.body
            : JSON.stringify(request.body);
    const response = await fetch(url, { method: request.method ?? 'POST', headers, body });
    const text = await response.text();
    let parsed: Answer['body'] = {};
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      // asserted on below
    }
    return { status: response.status, text, body: parsed };
  };

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    const offices = await stack.query<{
      offices: Array<{
        id: string;
        name: string;
        services: Array<{ id: string; agency: { id: string; code: string } }>;
      }>;
    }>('{ offices { id name services { id agency { id code } } } }');
    const list = offices.data?.offices ?? [];
    const office =
      list.find(
        (o) =>
          o.services.some((s) => s.agency.code === 'FK') &&
          o.services.some((s) => s.agency.code === 'SKV'),
      ) ?? list[0];
    const fk = office.services.find((s) => s.agency.code === 'FK') ?? office.services[0];
    const skv = office.services.find((s) => s.agency.code === 'SKV') ?? office.services[1];
    const [counter] = await stack.sql<{ id: string }>(
      'SELECT id FROM directory.counter WHERE office_id = $1 ORDER BY id LIMIT 1',
      [office.id],
    );
    const [staff] = await stack.sql<{ subject: string }>(
      `SELECT s.subject FROM directory.staff s JOIN directory.staff_office so ON so.staff_id = s.id
       WHERE so.office_id = $1 AND s.subject IS NOT NULL ORDER BY s.subject LIMIT 1`,
      [office.id],
    );
    const slots = await stack.query<{ availableSlots: Array<{ start: string }> }>(
      'query($o: ID!, $s: ID!) { availableSlots(officeId: $o, serviceId: $s, from: "2027-03-02", to: "2027-03-05") { start } }',
      { o: office.id, s: fk.id },
    );
    const audience = stack.config.auth.audience;
    const key = await developmentIssuerKey(stack.config.dataDir, false);
    const admin = claimsForPrincipal({ role: 'admin', subject: 'intruder' });
    const sign = (claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT) =>
      edit(
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
          .setSubject('intruder')
          .setIssuedAt(),
      ).sign(key.privateKey);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unknownKey = (await generateKeyPair('EdDSA')).privateKey;
    context = {
      officeId: office.id,
      fkServiceId: fk.id,
      skvServiceId: skv.id,
      skvAgencyId: skv.agency.id,
      counterId: counter?.id ?? UNKNOWN_ID,
      freeStart: slots.data?.availableSlots[0]?.start ?? '2027-03-02T10:00:00+01:00',
      tokens: {
        fkAgency: await stack.tokenFor({
          role: 'agency',
          subject: 'fk-client',
          clientId: 'fk-integration',
          agency: 'FK',
        }),
        citizen: await stack.tokenFor({
          role: 'citizen',
          subject: 'c-1',
          personnummer: '191212121212',
        }),
        staff: await stack.tokenFor({
          role: 'staff',
          subject: staff?.subject ?? 'nobody',
          offices: [office.id],
          adminOffices: [],
          competences: ['FK', 'SKV'],
        }),
        expired: await stack.tokenFor({ role: 'admin', subject: 'admin-1' }, -120),
        algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...admin, iss: DEVELOPMENT_ISSUER, aud: audience, sub: 'intruder', exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
        wrongKey: await new SignJWT(admin)
          .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
          .setIssuer(DEVELOPMENT_ISSUER)
          .setAudience(audience)
          .setSubject('intruder')
          .setExpirationTime('5m')
          .sign(unknownKey),
        wrongAudience: await sign(admin, (j) =>
          j.setIssuer(DEVELOPMENT_ISSUER).setAudience('some-other-api').setExpirationTime('5m'),
        ),
        wrongIssuer: await sign(admin, (j) =>
          j.setIssuer('https://idp.example.invalid').setAudience(audience).setExpirationTime('5m'),
        ),
        notYetValid: await sign(admin, (j) =>
          j
            .setIssuer(DEVELOPMENT_ISSUER)
            .setAudience(audience)
            .setNotBefore('2h')
            .setExpirationTime('3h'),
        ),
        noRoles: await sign({}, (j) =>
          j.setIssuer(DEVELOPMENT_ISSUER).setAudience(audience).setExpirationTime('5m'),
        ),
      },
    };
    for (const schema of ['directory', 'scheduling']) {
      before[schema] = await schemaFingerprint(stack.databaseUrl, schema);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('has at least 150 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', async ({ request, expect: expected }) => {
    const answer = await send(request(context));
    const codes = [...new Set((answer.body.errors ?? []).map((e) => e.extensions?.['code']))];
    expect(answer.status).not.toBe(500);
    expect({ status: answer.status, codes }).toEqual({
      status: expected.status ?? answer.status,
      codes: expected.codes,
    });
    if (expected.status === undefined) expect(answer.status).toBeLessThan(500);
    if (expected.codes.length === 0) expect(answer.body.data).toEqual(expected.data);
    else expect(Object.values(answer.body.data ?? {}).every((value) => value === null)).toBe(true);
    for (const internal of INTERNALS) expect(answer.text).not.toMatch(internal);
  });

  describe('afterwards', () => {
    it.each(['directory', 'scheduling'])('no row of the %s schema changed', async (schema) => {
      expect(await schemaFingerprint(stack.databaseUrl, schema)).toEqual(before[schema]);
    });

    it('the gateway and every subgraph are still ready', async () => {
      for (const base of [
        stack.gatewayUrl,
        ...Object.values(stack.subgraphs).map((u) => u.replace(/\/graphql$/, '')),
      ]) {
        const ready = await fetch(`${base}/ready`);
        expect({ base, status: ready.status }).toEqual({ base, status: 200 });
        expect(((await ready.json()) as { status: string }).status).toBe('ok');
      }
    });
  });
});
