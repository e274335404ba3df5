import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openBrowser, startTestStack, type TestStack } from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm: Örebro is open. */
const NOW = '2027-03-01T10:00:00+01:00';

const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token ticket { number } } }`;

/**
 * Aria snapshots of the key pages: what a screen reader is given (roles, names, headings,
 * landmarks, the live regions' text), in Swedish and English, compared with the committed
 * snapshots (`__snapshots__/web-aria.e2e-spec.ts.snap`). A change to a page's structure fails
 * here until the new snapshot is looked at and committed (`npx jest … -u`).
 */
describe('the web: aria snapshots of the key pages', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let orebro: { id: string; services: Array<{ id: string; code: string }> };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startTestStack({ FIXED_NOW: NOW, TEST_EID: 'on' }),
      openBrowser(),
    ]);
    const answer = await stack.query<{
      offices: Array<typeof orebro & { municipality: string }>;
    }>('{ offices { id municipality services { id code } } }');
    orebro = answer.data?.offices.find((o) => o.municipality === 'Örebro') as typeof orebro;
    // One walk-in ticket per language, taken before any page is opened: fixed numbers.
    for (const lang of ['sv', 'en']) {
      const taken = await stack.query<{ takeTicket: { token: string } }>(TAKE, {
        input: {
          officeId: orebro.id,
          serviceId: orebro.services.find((s) => s.code === 'parental-benefit')?.id,
        },
      });
      tokens[lang] = taken.data?.takeTicket.token as string;
    }
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

  const snapshotOf = async (path: string, ready: string) => {
    await page.goto(`${stack.gatewayUrl}${path}`);
    await page.locator(ready).first().waitFor();
    return page.locator('body').ariaSnapshot();
  };

  it.each(['sv', 'en'])('the kiosk (%s): its start and the matters', async (lang) => {
    expect(
      await snapshotOf(`/kiosk/${orebro.id}?lang=${lang}`, '.kiosk__office:not(:empty)'),
    ).toMatchSnapshot();
    await page.locator('.kiosk__choice').first().click();
    await page.locator('.kiosk__services button').first().waitFor();
    expect(await page.locator('body').ariaSnapshot()).toMatchSnapshot();
  });

  it.each(['sv', 'en'])('the lobby display (%s), before any call', async (lang) => {
    await page.goto(`${stack.gatewayUrl}/lobby/${orebro.id}?lang=${lang}`);
    // Once the recent calls are read: none yet today.
    await page
      .getByText(lang === 'sv' ? 'Inga nummer har kallats' : 'No numbers have been called')
      .waitFor();
    expect(await page.locator('body').ariaSnapshot()).toMatchSnapshot();
  });

  it.each(['sv', 'en'])('the ticket page (%s) of a waiting walk-in', async (lang) => {
    expect(
      await snapshotOf(`/biljett/${tokens[lang]}?lang=${lang}`, '.ticket-page__matter'),
    ).toMatchSnapshot();
  });

  it.each(['sv', 'en'])('my booking (%s): finding a booking', async (lang) => {
    expect(await snapshotOf(`/min-bokning?lang=${lang}`, 'form')).toMatchSnapshot();
  });

  it.each(['sv', 'en'])('the staff sign-in at the workstation (%s)', async (lang) => {
    expect(await snapshotOf(`/personal?lang=${lang}`, 'a.staff__sign-in')).toMatchSnapshot();
  });

  it.each(['sv', 'en'])('the accessibility statement (%s)', async (lang) => {
    expect(await snapshotOf(`/tillganglighet?lang=${lang}`, 'h1')).toMatchSnapshot();
  });
});
