import { decodeJwt } from 'jose';
import {
  CLAIMS,
  LOGIN_STATE_COOKIE,
  SESSION_COOKIE,
  STAFF_LOGIN_STATE_COOKIE,
  STAFF_SESSION_COOKIE,
} from '@samservice/platform/auth';
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
const ANNA = 'demo-anna-lindqvist';

/**
 * Staff sign-in at the workstation: the gateway as an OIDC relying party of the
 * organisation's identity provider (the local test e-ID plays it, with the demo network's
 * staff), keeping the access token it gets for the API in an HttpOnly, SameSite=Strict
 * cookie. Every redirect is a real one, followed with a cookie jar.
 */
describe('staff sign-in (OIDC code flow with PKCE, the access token for the API in a cookie)', () => {
  let stack: TestStack;
  let gateway: URL;
  let offices: Array<{ id: string; municipality: string }>;
  const officeIn = (municipality: string) =>
    offices.find((o) => o.municipality === municipality)?.id as string;

  async function toLoginForm(jar: CookieJar, path: string): Promise<Step[]> {
    const steps = await follow(jar, await visit(jar, new URL(path, gateway)));
    expect(steps[steps.length - 1]?.status).toBe(200);
    return steps;
  }

  /** Signs a demo staff member in through every redirect; the jar, the hops, the landing. */
  async function signIn(
    account: string,
    path = '/auth/staff/login',
  ): Promise<{ jar: CookieJar; steps: Step[]; landing: URL }> {
    const jar = new CookieJar();
    const toForm = await toLoginForm(jar, path);
    const form = toForm[toForm.length - 1] as Step;
    const action = /action="(\/interaction\/[\w-]+\/login)"/.exec(form.body)?.[1] as string;
    const posted = await visit(jar, new URL(action, form.url), { form: { account } });
    const back = await follow(
      jar,
      posted,
      (url) => url.host === gateway.host && !url.pathname.startsWith('/auth/'),
    );
    return { jar, steps: [...toForm, ...back], landing: back[back.length - 1]?.location as URL };
  }

  const query = <T>(jar: CookieJar, text: string, variables: Record<string, unknown> = {}) =>
    stack.query<T>(text, variables, {
      headers: { cookie: jar.header(new URL('/graphql', gateway)) },
    });

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, TEST_EID: 'on' });
    gateway = new URL(stack.gatewayUrl);
    offices = (await stack.query<{ offices: typeof offices }>('{ offices { id municipality } }'))
      .data?.offices as typeof offices;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('runs the real redirects to the identity provider and back to /personal, and the cookie is the API access token of a staff member', async () => {
    const { jar, steps, landing } = await signIn(ANNA);
    const authorize = steps[0]?.location as URL;
    expect(authorize.origin).toBe(stack.testEidUrl);
    expect(authorize.searchParams.get('client_id')).toBe('samservice-staff');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('resource')).toBe('urn:samservice:api');
    // The provider's page lists the demo network's staff, not the test citizens.
    expect(steps.some((s) => s.body.includes('Anna Lindqvist'))).toBe(true);
    expect(steps.some((s) => s.body.includes('Tolvan'))).toBe(false);
    expect(landing.pathname).toBe('/personal');

    const callback = steps.find((s) => s.url.pathname === '/auth/staff/callback') as Step;
    const cookie = callback.setCookies.find((c) => c.startsWith(`${STAFF_SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie as string)?.[1]);
    expect(maxAge).toBeGreaterThan(3000);
    expect(maxAge).toBeLessThanOrEqual(3600);
    // The sign-in under way is spent.
    expect(jar.get(gateway, STAFF_LOGIN_STATE_COOKIE)).toBeUndefined();

    // A JWT of the provider for the API's audience, with the staff claims.
    const claims = decodeJwt(jar.get(gateway, STAFF_SESSION_COOKIE) as string);
    expect(claims.iss).toBe(stack.testEidUrl);
    expect(claims.aud).toBe('samservice-api');
    expect(claims.sub).toBe(ANNA);
    expect(claims[CLAIMS.offices]).toEqual([officeIn('Örebro')]);

    const me = await query<{ me: { role: string; subject: string; offices: string[] } }>(
      jar,
      '{ me { role subject offices } }',
    );
    expect(me.data?.me).toEqual({ role: 'STAFF', subject: ANNA, offices: [officeIn('Örebro')] });
    // Staff of Örebro: its queue, not another office's.
    const queue = await query(jar, 'query($o: ID!) { officeQueue(officeId: $o) { id } }', {
      o: officeIn('Örebro'),
    });
    expect(queue.errors).toBeUndefined();
    const elsewhere = await query(jar, 'query($o: ID!) { officeQueue(officeId: $o) { id } }', {
      o: officeIn('Kiruna'),
    });
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);

    const session = await visit(jar, new URL('/auth/staff/session', gateway));
    expect(JSON.parse(session.body)).toEqual({
      signedIn: true,
      signInAvailable: true,
      developmentTokens: true,
      name: 'Anna Lindqvist',
      offices: [officeIn('Örebro')],
      expiresAt: new Date((claims.exp as number) * 1000).toISOString(),
    });
  });

  it('a staff member of two offices gets both', async () => {
    const accounts = /value="(demo-[\w-]+)"/g;
    const jar = new CookieJar();
    const form = (await toLoginForm(jar, '/auth/staff/login')).pop() as Step;
    const subjects = [...form.body.matchAll(accounts)].map((m) => m[1] as string);
    expect(subjects.length).toBeGreaterThan(5);
    let several = 0;
    for (const subject of subjects.slice(0, 40)) {
      const { jar: signedIn } = await signIn(subject);
      const me = await query<{ me: { offices: string[] } }>(signedIn, '{ me { offices } }');
      if ((me.data?.me.offices.length ?? 0) > 1) several++;
      if (several > 0) break;
    }
    expect(several).toBe(1);
  });

  it('a cancelled sign-in comes back to the workstation as LOGIN_CANCELLED, without a session', async () => {
    const jar = new CookieJar();
    const form = (await toLoginForm(jar, '/auth/staff/login')).pop() as Step;
    const abort = /formaction="(\/interaction\/[\w-]+\/abort)"/.exec(form.body)?.[1] as string;
    const back = await follow(
      jar,
      await visit(jar, new URL(abort, form.url), { form: {} }),
      (url) => url.host === gateway.host && !url.pathname.startsWith('/auth/'),
    );
    const landing = back[back.length - 1]?.location as URL;
    expect(landing.pathname).toBe('/personal');
    expect(landing.searchParams.get('login_error')).toBe('LOGIN_CANCELLED');
    expect(jar.get(gateway, STAFF_SESSION_COOKIE)).toBeUndefined();
  });

  it('a replayed code, a callback without the sign-in under way, or a citizen sign-in state: LOGIN_EXPIRED, no session', async () => {
    const { steps } = await signIn(ANNA);
    const callback = steps.find((s) => s.url.pathname === '/auth/staff/callback') as Step;
    // The same callback again, in a browser that has no sign-in under way.
    const replay = await visit(new CookieJar(), callback.url);
    expect(replay.location?.searchParams.get('login_error')).toBe('LOGIN_EXPIRED');
    expect(replay.setCookies.some((c) => c.startsWith(`${STAFF_SESSION_COOKIE}=ey`))).toBe(false);

    // A citizen's sign-in under way is signed by the same key but is not good for staff.
    const citizenJar = new CookieJar();
    await visit(citizenJar, new URL('/auth/login?returnTo=/', gateway));
    const citizenState = citizenJar.get(new URL('/auth/', gateway), LOGIN_STATE_COOKIE);
    expect(citizenState).toBeTruthy();
    const forged = await fetch(new URL('/auth/staff/callback?code=x&state=y', gateway), {
      headers: { cookie: `${STAFF_LOGIN_STATE_COOKIE}=${citizenState}` },
      redirect: 'manual',
    });
    expect(
      new URL(forged.headers.get('location') as string, gateway).searchParams.get('login_error'),
    ).toBe('LOGIN_EXPIRED');
  });

  it('a tampered cookie is refused as UNAUTHENTICATED, and a citizen account at the staff client is no staff member', async () => {
    const { jar } = await signIn(ANNA);
    const token = jar.get(gateway, STAFF_SESSION_COOKIE) as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const widened = Buffer.from(
      JSON.stringify({ ...decodeJwt(token), [CLAIMS.offices]: offices.map((o) => o.id) }),
    ).toString('base64url');
    const tampered = await stack.query(
      '{ me { role } }',
      {},
      {
        headers: { cookie: `${STAFF_SESSION_COOKIE}=${header}.${widened}.${signature}` },
      },
    );
    expect(errorCodes(tampered)).toEqual(['UNAUTHENTICATED']);
    expect(payload).not.toBe(widened);

    // The provider's staff page offers staff only; a citizen's id posted anyway is refused.
    const other = new CookieJar();
    const form = (await toLoginForm(other, '/auth/staff/login')).pop() as Step;
    const action = /action="(\/interaction\/[\w-]+\/login)"/.exec(form.body)?.[1] as string;
    const posted = await visit(other, new URL(action, form.url), {
      form: { account: 'test-tolvan' },
    });
    expect(posted.status).toBe(400);
    expect(other.get(gateway, STAFF_SESSION_COOKIE)).toBeUndefined();
  });

  it('one person per browser: a staff sign-in ends a citizen session there, and logout ends the staff session', async () => {
    const { jar, steps } = await signIn(ANNA);
    const callback = steps.find((s) => s.url.pathname === '/auth/staff/callback') as Step;
    expect(callback.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);

    const out = await visit(jar, new URL('/auth/staff/logout', gateway), { method: 'POST' });
    expect(out.status).toBe(200);
    const body = JSON.parse(out.body) as { signedOut: boolean; endSessionUrl: string | null };
    expect(body.signedOut).toBe(true);
    expect(body.endSessionUrl).toContain(stack.testEidUrl as string);
    expect(jar.get(gateway, STAFF_SESSION_COOKIE)).toBeUndefined();
    const me = await query<{ me: { role: string } }>(jar, '{ me { role } }');
    expect(me.data?.me.role).toBe('ANONYMOUS');
    const session = await visit(jar, new URL('/auth/staff/session', gateway));
    expect(JSON.parse(session.body)).toEqual({
      signedIn: false,
      signInAvailable: true,
      developmentTokens: true,
    });
  });

  it('returnTo stays on this origin: another site or a scheme-relative path lands on /', async () => {
    for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const { landing } = await signIn(
        ANNA,
        `/auth/staff/login?returnTo=${encodeURIComponent(returnTo)}`,
      );
      expect(landing.host).toBe(gateway.host);
      expect(landing.pathname).toBe('/');
    }
  });
});
