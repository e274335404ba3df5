import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  openBrowser,
  screenshot,
  startTestStack,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 09:00 in Stockholm. */
const NOW = '2027-03-01T09:00:00+01:00';

/**
 * "Mina bokningar" in a real Chromium: a citizen signs in with e-ID through the local test
 * e-ID (every real redirect, the provider's own login page) and sees their appointments;
 * a refused e-ID comes back with a message; signing out ends it. Both languages.
 */
describe('the web: a citizen signed in with e-ID sees their bookings', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let reference: string;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, TEST_EID: 'on' });
    browser = await openBrowser();
    const offices = await stack.query<{
      offices: Array<{
        id: string;
        municipality: string;
        services: Array<{ id: string; code: string }>;
      }>;
    }>('{ offices { id municipality services { id code } } }');
    const orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro');
    const service = orebro?.services.find((s) => s.code === 'tax-return-help')?.id;
    const booked = await stack.query<{ bookAppointment: { reference: string } }>(
      `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { reference } }`,
      {
        input: {
          officeId: orebro?.id,
          serviceId: service,
          start: '2027-03-03T10:00:00+01:00',
          citizen: { personnummer: '19121212-1212', name: 'Tolvan Tolvansson' },
        },
      },
    );
    expect(booked.errors).toBeUndefined();
    reference = booked.data?.bookAppointment.reference as string;
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Through the test e-ID's page, as a person: choose the test citizen, press sign in. */
  async function signInAs(testCitizen: RegExp): Promise<void> {
    await page.getByRole('link', { name: /Logga in med e-legitimation|Sign in with e-ID/ }).click();
    await page.waitForURL((url) => url.origin === stack.testEidUrl);
    await page.getByRole('radio', { name: testCitizen }).check();
    await page.getByRole('button', { name: 'Logga in / Sign in' }).click();
    await page.waitForURL((url) => url.origin === stack.gatewayUrl);
  }

  it.each([
    ['sv', 'Mina bokningar', 'onsdag 3 mars 10:00 (svensk tid)', 'Logga ut'],
    ['en', 'My bookings', 'Wednesday 3 March 10:00 (Swedish time)', 'Sign out'],
  ])(
    'in %s: sign in, see the booking with its weekday in Swedish time, sign out',
    async (lang, title, when, out) => {
      await page.goto(`${stack.gatewayUrl}/mina-sidor?lang=${lang}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `mine-signed-out-${lang}`);

      await signInAs(/Tolvan Tolvansson/);
      expect(new URL(page.url()).pathname).toBe('/mina-sidor');
      await page.getByText(reference).waitFor();
      const listed = await page.locator('main').innerText();
      expect(listed).toContain('Tolvan Tolvansson');
      expect(listed).toContain(when);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `mine-signed-in-${lang}`);

      await page.getByRole('button', { name: out }).click();
      // The e-ID's own logout confirmation (RP-initiated logout), then back to the start page.
      await page.waitForURL((url) => url.origin === stack.testEidUrl);
      await page.getByRole('button', { name: /Ja, logga ut/ }).click();
      await page.waitForURL((url) => url.origin === stack.gatewayUrl && url.pathname === '/');
      await page.locator('h1').waitFor();
      const session = await page.evaluate(async () => (await fetch('/auth/session')).json());
      expect(session).toMatchObject({ signedIn: false });
    },
  );

  it('an e-ID of too low assurance comes back with a message, and no session', async () => {
    await page.goto(`${stack.gatewayUrl}/mina-sidor?lang=sv`);
    await page.getByRole('heading', { level: 1, name: 'Mina bokningar' }).waitFor();
    await signInAs(/Lena Lågnivå/);
    // The sign-in error is an alert (the loader's "checking" text is one too, while it shows).
    const refused = page.getByRole('alert').filter({ hasText: 'E-legitimationen räcker inte' });
    await refused.waitFor();
    expect(await page.getByRole('link', { name: 'Logga in med e-legitimation' }).isVisible()).toBe(
      true,
    );
    expect(await axeViolations(page)).toEqual([]);
  });
});
