import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import { CITIZEN_SESSION_ISSUER, CLAIMS, SESSION_COOKIE } from '@samservice/platform/auth';
import {
  CookieJar,
  errorCodes,
  follow,
  startTestStack,
  visit,
  type Step,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 09:00 in Stockholm. */
const NOW = '2027-03-01T09:00:00+01:00';
const TOLVAN = '19121212-1212';
const ANNA = '19811228-9874';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference start } }`;
const MY = `{ myAppointments { id reference status start service { id } }
  myJointVisits { id reference appointments { id } }
  myTickets { id number status } }`;

describe('citizen sign-in with e-ID (OIDC code flow with PKCE against the local test e-ID)', () => {
  let stack: TestStack;
  let gateway: URL;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  const service = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;

  /** Signs in as one test citizen through every real redirect; returns the jar and the hops. */
  async function signIn(
    citizen: string,
    returnTo = '/mina-bokningar',
  ): Promise<{ jar: CookieJar; steps: Step[]; landing: URL }> {
    const jar = new CookieJar();
    const login = await visit(
      jar,
      new URL(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`, gateway),
    );
    const toForm = await follow(jar, login);
    const form = toForm[toForm.length - 1] as Step;
    expect(form.status).toBe(200);
    const action = /action="(\/interaction\/[\w-]+\/login)"/.exec(form.body)?.[1];
    expect(action).toBeDefined();
    const posted = await visit(jar, new URL(action as string, form.url), { form: { citizen } });
    const back = await follow(
      jar,
      posted,
      (url) => url.host === gateway.host && !url.pathname.startsWith('/auth/'),
    );
    const last = back[back.length - 1] as Step;
    return { jar, steps: [...toForm, ...back], landing: last.location as URL };
  }

  const sessionOf = (jar: CookieJar) => jar.get(gateway, SESSION_COOKIE);

  function query<T>(
    jar: CookieJar | undefined,
    text: string,
    variables: Record<string, unknown> = {},
  ) {
    const cookie = jar?.header(new URL('/graphql', gateway));
    return stack.query<T>(text, variables, cookie ? { headers: { cookie } } : {});
  }

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, TEST_EID: 'on' });
    gateway = new URL(stack.gatewayUrl);
    const admin = await stack.tokenFor({ role: 'admin', subject: 'login-admin' });
    const offices = await stack.query<{ offices: Array<typeof orebro & { municipality: string }> }>(
      '{ offices { id municipality services { id code } } }',
      {},
      { token: admin },
    );
    orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the real redirects: gateway → e-ID (PKCE S256, state, nonce) → login page → callback → the page asked for, with an HttpOnly session cookie', async () => {
    expect(stack.testEidUrl).toBeDefined();
    const { jar, steps, landing } = await signIn('test-tolvan');
    const authorize = steps[0]?.location as URL;
    expect(authorize.origin).toBe(stack.testEidUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('scope')).toContain(
      'https://id.oidc.se/scope/naturalPersonNumber',
    );
    // The verifier never leaves the gateway's side: not in any URL of the flow.
    expect(steps.some((s) => s.url.search.includes('code_verifier'))).toBe(false);

    expect(landing.pathname).toBe('/mina-bokningar');
    const callback = steps.find((s) => s.url.pathname === '/auth/callback') as Step;
    expect(callback.url.searchParams.get('code')).toBeTruthy();
    const sessionCookie = callback.setCookies.find((c) =>
      c.startsWith(`${SESSION_COOKIE}=`),
    ) as string;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(sessionCookie).toMatch(/Path=\//);

    const session = await visit(jar, new URL('/auth/session', gateway));
    expect(JSON.parse(session.body)).toMatchObject({ signedIn: true, name: 'Tolvan Tolvansson' });
    const me = await query<{ me: { role: string; subject: string } }>(
      jar,
      '{ me { role subject } }',
    );
    expect(me.data?.me).toEqual({ role: 'CITIZEN', subject: 'test-tolvan' });
  });

  it('a signed-in citizen sees their own appointments, joint visits and tickets, and cancels or moves without typing the identity number', async () => {
    const tolvan = (await signIn('test-tolvan')).jar;
    const anna = (await signIn('test-anna')).jar;

    // Booked without e-ID (as samordningsnummer holders and foreign e-IDs do), by number.
    const book = (personnummer: string, start: string) =>
      query<{ bookAppointment: { id: string; reference: string } }>(undefined, BOOK, {
        input: {
          officeId: orebro.id,
          serviceId: service('tax-return-help'),
          start,
          citizen: { personnummer, name: 'Test Person', email: 'test@example.se' },
        },
      });
    const mine = await book(TOLVAN, '2027-03-03T10:00:00+01:00');
    expect(mine.errors).toBeUndefined();
    const annas = await book(ANNA, '2027-03-03T10:00:00+01:00');
    expect(annas.errors).toBeUndefined();
    const reference = mine.data?.bookAppointment.reference as string;

    // A joint visit and a ticket with Tolvan's number.
    const options = await query<{ jointVisitOptions: Array<{ start: string }> }>(
      undefined,
      `query($s: [ID!]!, $o: ID) { jointVisitOptions(serviceIds: $s, from: "2027-03-04", to: "2027-03-10", officeId: $o, limit: 1) { start } }`,
      { s: [service('parental-benefit'), service('housing-allowance')], o: orebro.id },
    );
    expect(options.errors).toBeUndefined();
    const joint = await query<{ bookJointVisit: { reference: string } }>(
      undefined,
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference } }`,
      {
        input: {
          officeId: orebro.id,
          serviceIds: [service('parental-benefit'), service('housing-allowance')],
          start: options.data?.jointVisitOptions[0]?.start,
          citizen: { personnummer: TOLVAN, name: 'Test Person' },
        },
      },
    );
    expect(joint.errors).toBeUndefined();
    const staff = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id],
      adminOffices: [],
      competences: ['FK', 'SKV'],
    });
    const ticket = await stack.query<{ takeTicket: { ticket: { number: string } } }>(
      `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { ticket { number } } }`,
      {
        input: { officeId: orebro.id, serviceId: service('tax-return-help'), personnummer: TOLVAN },
      },
      { token: staff },
    );
    expect(ticket.errors).toBeUndefined();

    type Mine = {
      myAppointments: Array<{ reference: string; status: string; start: string }>;
      myJointVisits: Array<{ reference: string; appointments: unknown[] }>;
      myTickets: Array<{ number: string; status: string }>;
    };
    const listed = await query<Mine>(tolvan, MY);
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.myAppointments.map((a) => a.reference)).toEqual([reference]);
    expect(listed.data?.myJointVisits.map((j) => j.reference)).toEqual([
      joint.data?.bookJointVisit.reference,
    ]);
    expect(listed.data?.myJointVisits[0]?.appointments).toHaveLength(2);
    expect(listed.data?.myTickets.map((t) => t.number)).toEqual([
      ticket.data?.takeTicket.ticket.number,
    ]);
    // Anna sees only hers.
    const hers = await query<Mine>(anna, MY);
    expect(hers.data?.myAppointments.map((a) => a.reference)).toEqual([
      annas.data?.bookAppointment.reference,
    ]);
    expect(hers.data?.myJointVisits).toEqual([]);
    expect(hers.data?.myTickets).toEqual([]);

    // Move, then cancel, by reference alone: the e-ID says who is asking.
    const moved = await query<{ rescheduleAppointment: { start: string } }>(
      tolvan,
      `mutation($r: String!, $s: DateTime!) { rescheduleAppointment(reference: $r, start: $s) { start } }`,
      { r: reference, s: '2027-03-03T11:00:00+01:00' },
    );
    expect(moved.errors).toBeUndefined();
    expect(moved.data?.rescheduleAppointment.start).toBe('2027-03-03T11:00:00+01:00');
    // Anna cannot touch Tolvan's booking with her own session: it is as if unknown.
    const foreign = await query(
      anna,
      `mutation($r: String!) { cancelAppointment(reference: $r) { id } }`,
      {
        r: reference,
      },
    );
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    const cancelled = await query<{ cancelAppointment: { status: string } }>(
      tolvan,
      `mutation($r: String!) { cancelAppointment(reference: $r) { status } }`,
      { r: reference },
    );
    expect(cancelled.data?.cancelAppointment.status).toBe('CANCELLED');
    const after = await query<Mine>(tolvan, MY);
    expect(after.data?.myAppointments).toEqual([]);
  });

  it('myAppointments, myJointVisits, myTickets and myData: UNAUTHENTICATED without a session, FORBIDDEN for staff, agencies and admins', async () => {
    for (const field of [
      'myAppointments { id }',
      'myJointVisits { id }',
      'myTickets { id }',
      'myData { identityNumber }',
    ]) {
      expect(errorCodes(await stack.query(`{ ${field} }`))).toEqual(['UNAUTHENTICATED']);
      for (const token of [
        await stack.tokenFor({ role: 'admin', subject: 'a' }),
        await stack.tokenFor({ role: 'agency', subject: 'fk', clientId: 'fk', agency: 'FK' }),
        await stack.tokenFor({
          role: 'staff',
          subject: 's',
          offices: [orebro.id],
          adminOffices: [],
          competences: ['FK'],
        }),
      ]) {
        expect(errorCodes(await stack.query(`{ ${field} }`, {}, { token }))).toEqual(['FORBIDDEN']);
      }
    }
  });

  it('refuses an e-ID below the accepted assurance level (loa2): no session, back with ASSURANCE_TOO_LOW', async () => {
    const { jar, landing } = await signIn('test-lena');
    expect(landing.pathname).toBe('/mina-bokningar');
    expect(landing.searchParams.get('login_error')).toBe('ASSURANCE_TOO_LOW');
    expect(sessionOf(jar)).toBeUndefined();
  });

  it('a cancelled sign-in comes back as LOGIN_CANCELLED, without a session', async () => {
    const jar = new CookieJar();
    const toForm = await follow(
      jar,
      await visit(jar, new URL('/auth/login?returnTo=/boka', gateway)),
    );
    const form = toForm[toForm.length - 1] as Step;
    const abort = /formaction="(\/interaction\/[\w-]+\/abort)"/.exec(form.body)?.[1] as string;
    const back = await follow(
      jar,
      await visit(jar, new URL(abort, form.url), { form: { citizen: 'test-tolvan' } }),
      (url) => url.host === gateway.host && !url.pathname.startsWith('/auth/'),
    );
    const landing = back[back.length - 1]?.location as URL;
    expect(landing.pathname).toBe('/boka');
    expect(landing.searchParams.get('login_error')).toBe('LOGIN_CANCELLED');
    expect(sessionOf(jar)).toBeUndefined();
  });

  it('hostile callbacks: a forged state, a replayed code, no sign-in cookie, another browser — no session, LOGIN_EXPIRED', async () => {
    // Stop at the callback, before the gateway sees it.
    const jar = new CookieJar();
    const toForm = await follow(jar, await visit(jar, new URL('/auth/login', gateway)));
    const form = toForm[toForm.length - 1] as Step;
    const action = /action="(\/interaction\/[\w-]+\/login)"/.exec(form.body)?.[1] as string;
    const toCallback = await follow(
      jar,
      await visit(jar, new URL(action, form.url), { form: { citizen: 'test-tolvan' } }),
      (url) => url.pathname === '/auth/callback',
    );
    const callback = toCallback[toCallback.length - 1]?.location as URL;
    expect(callback.pathname).toBe('/auth/callback');

    // Another browser (no sign-in cookie) presenting the stolen callback URL.
    const thief = new CookieJar();
    const stolen = await visit(thief, callback);
    expect(stolen.location?.searchParams.get('login_error')).toBe('LOGIN_EXPIRED');
    expect(sessionOf(thief)).toBeUndefined();

    // The right browser, but the state changed in the URL.
    const forgedState = new URL(callback);
    forgedState.searchParams.set('state', 'forged-state');
    const forged = await visit(jar, forgedState);
    expect(forged.location?.searchParams.get('login_error')).toBe('LOGIN_EXPIRED');
    expect(sessionOf(jar)).toBeUndefined();
    // The sign-in cookie was used up by that attempt: the genuine URL now fails too.
    const late = await visit(jar, callback);
    expect(late.location?.searchParams.get('login_error')).toBe('LOGIN_EXPIRED');
    expect(sessionOf(jar)).toBeUndefined();
  });

  it('a code is good once: replaying a completed callback with a fresh sign-in cookie gives nothing', async () => {
    const first = await signIn('test-tolvan');
    const callback = first.steps.find((s) => s.url.pathname === '/auth/callback')?.url as URL;
    // A new sign-in cookie (a new state), and the old code in the URL.
    const jar = new CookieJar();
    const login = await visit(jar, new URL('/auth/login', gateway));
    const state = login.location?.searchParams.get('state') as string;
    const replay = new URL(callback);
    replay.searchParams.set('state', state);
    const answer = await visit(jar, replay);
    expect(answer.location?.searchParams.get('login_error')).toBe('LOGIN_EXPIRED');
    expect(sessionOf(jar)).toBeUndefined();
  });

  it('the e-ID refuses an authorization request without PKCE, and an unregistered redirect URI', async () => {
    const eid = stack.testEidUrl as string;
    const noPkce = new URL('/auth', eid);
    noPkce.search = new URLSearchParams({
      client_id: 'samservice',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${stack.gatewayUrl}/auth/callback`,
      state: 's',
      nonce: 'n',
    }).toString();
    const refused = await visit(new CookieJar(), noPkce);
    expect(refused.location?.pathname).toBe('/auth/callback');
    expect(refused.location?.searchParams.get('error')).toBe('invalid_request');

    const elsewhere = new URL(noPkce);
    elsewhere.searchParams.set('redirect_uri', 'https://evil.example/callback');
    elsewhere.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    elsewhere.searchParams.set('code_challenge_method', 'S256');
    const page = await visit(new CookieJar(), elsewhere);
    expect(page.location).toBeUndefined();
    expect(page.status).toBe(400);
  });

  it('returnTo stays on this origin: //evil.example, https://evil.example and control characters go to /', async () => {
    for (const returnTo of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      '/ok\r\nSet-Cookie: x=y',
    ]) {
      const { landing, jar } = await signIn('test-tolvan', returnTo);
      expect(landing.host).toBe(gateway.host);
      expect(landing.pathname).toBe('/');
      expect(sessionOf(jar)).toBeDefined();
    }
  });

  it('a session token is only ever a citizen: the session key signing a staff role, or a foreign key, gets 401', async () => {
    const keyFile = path.join(stack.config.dataDir, 'keys', 'citizen-session.jwk.json');
    const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
    const key = await importJWK(jwk, 'EdDSA');
    const staffToken = await new SignJWT({
      [CLAIMS.roles]: ['staff'],
      [CLAIMS.offices]: [orebro.id],
      [CLAIMS.competences]: ['FK'],
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid })
      .setIssuer(CITIZEN_SESSION_ISSUER)
      .setAudience(stack.config.auth.audience)
      .setSubject('forged-staff')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    const asStaff = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${staffToken}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(asStaff.status).toBe(401);
    expect((await asStaff.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const garbage = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=not.a.jwt` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(garbage.status).toBe(401);
  });

  it('signing out clears the session cookie and names the e-ID end-session URL', async () => {
    const { jar } = await signIn('test-anna');
    expect(sessionOf(jar)).toBeDefined();
    const out = await visit(jar, new URL('/auth/logout', gateway), { method: 'POST' });
    expect(out.status).toBe(200);
    const body = JSON.parse(out.body) as { signedOut: boolean; endSessionUrl: string };
    expect(body.signedOut).toBe(true);
    expect(new URL(body.endSessionUrl).origin).toBe(stack.testEidUrl);
    expect(sessionOf(jar)).toBeUndefined();
    const session = await visit(jar, new URL('/auth/session', gateway));
    expect(JSON.parse(session.body)).toMatchObject({ signedIn: false });
    expect(errorCodes(await query(jar, '{ myAppointments { id } }'))).toEqual(['UNAUTHENTICATED']);
  });
});
