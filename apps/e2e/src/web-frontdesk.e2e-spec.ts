import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  focused,
  openBrowser,
  screenshot,
  startTcpProxy,
  startTestStack,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm: Örebro is open (as in the front desk suites). */
const NOW = '2027-03-01T10:00:00+01:00';

const TICKET = `query($t: String!) { ticket(token: $t) { id number status position service { code } } }`;
const CALL_NEXT = `mutation($c: ID!) { callNext(counterId: $c) { id number counterName } }`;
const END = `mutation($t: ID!) { endService(ticketId: $t) { id } }`;

interface Office {
  id: string;
  municipality: string;
  counters: Array<{ id: string; name: string }>;
}

/**
 * The front desk's pages in a real Chromium through the real stack: the kiosk (a ticket, a
 * check-in, clearing itself when left), the lobby display (calls pushed live, offline and
 * catching up) and the walk-in's ticket page, in Swedish and English, with axe everywhere.
 */
describe('the web: kiosk, lobby display and ticket page', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let orebro: Office;
  let anna: string;

  const data = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const answer = await stack.query<T>(query, variables, token ? { token } : {});
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data as T;
  };
  const counter = (name: string) => orebro.counters.find((c) => c.name === name)?.id as string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ FIXED_NOW: NOW }), openBrowser()]);
    const admin = await stack.tokenFor({ role: 'admin', subject: 'web-frontdesk-admin' });
    const { offices } = await data<{ offices: Office[] }>(
      '{ offices { id municipality counters { id name } } }',
      {},
      admin,
    );
    orebro = offices.find((o) => o.municipality === 'Örebro') as Office;
    // Anna is trained for Försäkringskassan and Skatteverket (the demo network).
    anna = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id],
      adminOffices: [],
      competences: [],
    });
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

  const open = async (path: string, at: Page = page) => {
    await at.goto(`${stack.gatewayUrl}${path}`);
    await at.locator('h1').waitFor();
  };
  const heading = (name: string, at: Page = page) =>
    at.getByRole('heading', { level: 1, name }).waitFor();

  /** At the kiosk: take a ticket for a matter; the receipt's token (from its link). */
  async function takeAtKiosk(at: Page, matter: string): Promise<{ number: string; token: string }> {
    await at.getByRole('button', { name: 'Ta en kölapp' }).click();
    await heading('Vad gäller ditt ärende?', at);
    await at.getByRole('button', { name: matter }).click();
    await heading('Här är din kölapp', at);
    const number = ((await at.locator('.kiosk__number').textContent()) ?? '').trim();
    const href = (await at.locator('.kiosk__ticket-link').getAttribute('href')) ?? '';
    return { number, token: href.replace('/biljett/', '') };
  }

  /** Ends every call at Disk 3 that Anna can make now, so the next one is the test's. */
  async function drainDisk3(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const { callNext } = await data<{ callNext: { id: string } | null }>(
        CALL_NEXT,
        { c: counter('Disk 3') },
        anna,
      );
      if (!callNext) return;
      await data(END, { t: callNext.id }, anna);
    }
  }

  /** Anna calls the next citizen to Disk 3 (and ends the visit); the number and when answered. */
  async function callAtDisk3(): Promise<{ number: string; answeredAt: number }> {
    const { callNext } = await data<{ callNext: { id: string; number: string } }>(
      CALL_NEXT,
      { c: counter('Disk 3') },
      anna,
    );
    const answeredAt = Date.now();
    await data(END, { t: callNext.id }, anna);
    return { number: callNext.number, answeredAt };
  }

  const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token ticket { number } } }`;
  /** A walk-in's ticket for tax return help (as the kiosk takes it): its number and token. */
  async function walkIn(): Promise<{ number: string; token: string }> {
    const { offices } = await data<{
      offices: Array<{ id: string; services: Array<{ id: string; code: string }> }>;
    }>('{ offices { id services { id code } } }', {});
    const service = offices
      .find((o) => o.id === orebro.id)
      ?.services.find((s) => s.code === 'tax-return-help')?.id;
    const { takeTicket } = await data<{
      takeTicket: { token: string; ticket: { number: string } };
    }>(TAKE, { input: { officeId: orebro.id, serviceId: service } });
    return { number: takeTicket.ticket.number, token: takeTicket.token };
  }

  describe('the kiosk', () => {
    it('gives a ticket for a matter, grouped by agency, with the number large; the ticket exists', async () => {
      await open(`/kiosk/${orebro.id}?lang=sv`);
      expect(await page.locator('h1').textContent()).toBe('Välkommen');
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-start-sv');

      await page.getByRole('button', { name: 'Ta en kölapp' }).click();
      await heading('Vad gäller ditt ärende?');
      await page.locator('.kiosk__service').first().waitFor();
      const agencies = await page.locator('.kiosk__agency h2').allTextContents();
      expect(agencies).toEqual(expect.arrayContaining(['Försäkringskassan', 'Skatteverket']));
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-matters-sv');

      const skv = page.locator('.kiosk__agency', { hasText: 'Skatteverket' });
      await skv.locator('.kiosk__service').first().click();
      await heading('Här är din kölapp');
      expect(await focused(page)).toBe('h1: Här är din kölapp');
      const number = ((await page.locator('.kiosk__number').textContent()) ?? '').trim();
      expect(number).toMatch(/^[A-Z]\d{3}$/);
      expect(await page.locator('.kiosk').textContent()).toMatch(/Du är nummer \d+ i kön/);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-receipt-sv');

      // The ticket is in the office's queue: its holder's token reads it through the API.
      const href = (await page.locator('.kiosk__ticket-link').getAttribute('href')) ?? '';
      const { ticket } = await data<{ ticket: { number: string; status: string } | null }>(TICKET, {
        t: href.replace('/biljett/', ''),
      });
      expect(ticket).toMatchObject({ number, status: 'WAITING' });
    });

    it('checks in with a reference, and an unknown one gets the one neutral message', async () => {
      await open(`/kiosk/${orebro.id}?lang=sv`);
      await page.getByRole('button', { name: 'Jag har en bokad tid' }).click();
      await heading('Checka in');
      await page.getByRole('button', { name: 'Checka in' }).click();
      await page.locator('.kiosk__problem').waitFor();
      expect(await page.locator('.kiosk__problem').textContent()).toContain(
        'Skriv ditt bokningsnummer',
      );
      await page.getByLabel('Bokningsnummer').fill('ACDE-FGHJ');
      await page.getByRole('button', { name: 'Checka in' }).click();
      await page.locator('.kiosk__problem', { hasText: 'Vi hittar ingen bokning' }).waitFor();
      expect(await focused(page)).toMatch(/^p#kiosk-problem: Vi hittar ingen bokning/);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-check-in-not-found-sv');
    });

    it('returns to its start after the idle time, with nothing of the visitor left', async () => {
      await open(`/kiosk/${orebro.id}?lang=sv&idle=1.5`);
      const { number } = await takeAtKiosk(page, 'Hjälp med inkomstdeklarationen');
      expect(await page.locator('body').textContent()).toContain(number);
      await heading('Välkommen');
      expect(await page.locator('body').textContent()).not.toContain(number);
      expect(await page.locator('.kiosk__ticket-link').count()).toBe(0);

      // A typed reference goes too.
      await page.getByRole('button', { name: 'Jag har en bokad tid' }).click();
      await page.getByLabel('Bokningsnummer').fill('ACDEFGHJ');
      await heading('Välkommen');
      await page.getByRole('button', { name: 'Jag har en bokad tid' }).click();
      expect(await page.getByLabel('Bokningsnummer').inputValue()).toBe('');

      // A visitor who switched to English leaves: the next one gets the kiosk's own language.
      await page.getByRole('button', { name: 'In English' }).click();
      await heading('Check in');
      await heading('Välkommen');
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    });

    it('asks whether the visitor is still there before it clears, and one press gives more time', async () => {
      // idle=6: the question after 2 s, the screen clears after 6 (30 s and 20 s as deployed).
      await open(`/kiosk/${orebro.id}?lang=sv&idle=6`);
      const { number } = await takeAtKiosk(page, 'Hjälp med inkomstdeklarationen');
      const dialog = page.getByRole('alertdialog', { name: 'Är du kvar?' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('Skärmen töms om 4 sekunder');
      // Focus is on the one button: Enter (or a touch) is all it takes.
      expect(await focused(page)).toBe('button: Jag behöver mer tid');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-idle-warning-sv');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect(await page.locator('body').textContent()).toContain(number);
      // Left alone again: asked again, then cleared.
      await dialog.waitFor();
      await heading('Välkommen');
      expect(await page.locator('body').textContent()).not.toContain(number);
      expect(await dialog.count()).toBe(0);
    });

    it('works by keyboard alone: Tab, Enter and Space', async () => {
      await open(`/kiosk/${orebro.id}?lang=sv`);
      const tabTo = async (text: string) => {
        const at = async () => {
          const now = await focused(page);
          return !now.startsWith('body') && now.includes(text);
        };
        for (let i = 0; i < 30 && !(await at()); i++) await page.keyboard.press('Tab');
        expect(await focused(page)).toContain(text);
      };
      await tabTo('Ta en kölapp');
      // Focus is visible: FKUI draws it as a ring (box-shadow).
      const ring = await page.evaluate(
        () => getComputedStyle(document.activeElement as Element).boxShadow,
      );
      expect(ring).not.toBe('none');
      await page.keyboard.press('Enter');
      await heading('Vad gäller ditt ärende?');
      expect(await focused(page)).toBe('h1: Vad gäller ditt ärende?');
      await page.locator('.kiosk__service').first().waitFor();
      await tabTo('Hjälp med inkomstdeklarationen');
      await page.keyboard.press('Space');
      await heading('Här är din kölapp');
      await tabTo('Klar');
      await page.keyboard.press('Enter');
      await heading('Välkommen');

      // Check in: the field, then submit with Enter.
      await tabTo('Jag har en bokad tid');
      await page.keyboard.press('Space');
      await heading('Checka in');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/^input#kiosk-reference/);
      await page.keyboard.type('ACDEFGHJ');
      await page.keyboard.press('Enter');
      await page.locator('.kiosk__problem', { hasText: 'Vi hittar ingen bokning' }).waitFor();
    });

    it('speaks English when switched, in place, and fits 320 px', async () => {
      await open(`/kiosk/${orebro.id}?lang=sv`);
      await page.getByRole('button', { name: 'In English' }).click();
      await heading('Welcome');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-start-en');
      await page.getByRole('button', { name: 'Take a queue ticket' }).click();
      await heading('What is your matter about?');
      await page.getByRole('button', { name: 'Help with your income tax return' }).waitFor();
      await screenshot(page, 'kiosk-matters-en');
      await page.getByRole('button', { name: 'Help with your income tax return' }).click();
      await heading('Here is your ticket');
      expect(await page.locator('.kiosk').textContent()).toMatch(/You are number \d+ in the queue/);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-receipt-en');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'I have booked a time' }).click();
      await page.getByLabel('Booking reference').fill('ACDEFGHJ');
      await page.getByRole('button', { name: 'Check in' }).click();
      await page.locator('.kiosk__problem', { hasText: 'We find no booking' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-check-in-not-found-en');

      await context.close();
      context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      page = await context.newPage();
      await open(`/kiosk/${orebro.id}?lang=sv`);
      await takeAtKiosk(page, 'Hjälp med inkomstdeklarationen');
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'kiosk-receipt-sv-320px');
    });
  });

  describe('the lobby display', () => {
    /** The newest call the display shows, waited for: number and counter. */
    const newestIs = (at: Page, number: string) =>
      at.waitForFunction(
        (n) => document.querySelector('.lobby__newest')?.getAttribute('data-number') === n,
        number,
        { polling: 'raf', timeout: 15_000 },
      );

    /**
     * graphql-ws does not acknowledge a subscription: calls are made until the display shows
     * one, so it is known to be live before what the test measures.
     */
    async function untilLive(at: Page): Promise<void> {
      await at.locator('[data-connection="connected"]').waitFor();
      for (let attempt = 0; attempt < 30; attempt++) {
        await walkIn();
        const { number } = await callAtDisk3();
        const shown = await newestIs(at, number).then(
          () => true,
          () => false,
        );
        if (shown) return;
      }
      throw new Error('the display never went live');
    }

    it('shows a walk-in from the kiosk called to a counter within a second, with a highlight', async () => {
      await drainDisk3();
      const lobby = await context.newPage();
      await open(`/lobby/${orebro.id}?lang=sv`, lobby);
      await untilLive(lobby);
      expect(await axeViolations(lobby)).toEqual([]);

      // A walk-in takes a ticket at the kiosk; Anna calls the next citizen to Disk 3: it is them.
      await open(`/kiosk/${orebro.id}?lang=sv`);
      const { number, token } = await takeAtKiosk(page, 'Hjälp med inkomstdeklarationen');
      const chimesBefore = Number(await lobby.locator('.lobby').getAttribute('data-chimes'));
      const { callNext } = await data<{ callNext: { id: string; number: string } }>(
        CALL_NEXT,
        { c: counter('Disk 3') },
        anna,
      );
      const answeredAt = Date.now();
      try {
        expect(callNext.number).toBe(number);
        await newestIs(lobby, number);
        const latencyMs = Date.now() - answeredAt;
        expect(latencyMs).toBeLessThan(1000);
        expect(await lobby.locator('.lobby__newest').textContent()).toMatch(
          new RegExp(`${number}\\s*→\\s*till\\s*Disk 3`),
        );
        await lobby.locator('.lobby__newest--flash').waitFor();
        expect(Number(await lobby.locator('.lobby').getAttribute('data-chimes'))).toBe(
          chimesBefore + 1,
        );
        // The walk-in's own ticket says where to go.
        const { ticket } = await data<{ ticket: { status: string } }>(TICKET, { t: token });
        expect(ticket.status).toBe('CALLED');
        // The calls before it are listed below the newest.
        expect(await lobby.locator('.lobby__table tbody tr').count()).toBeGreaterThan(0);
        expect(await axeViolations(lobby)).toEqual([]);
        await screenshot(lobby, 'lobby-sv');
      } finally {
        // Ended even when an assertion fails, so Disk 3 is free for the next tests.
        await data(END, { t: callNext.id }, anna);
      }

      await open(`/lobby/${orebro.id}?lang=en`, lobby);
      await lobby.getByRole('heading', { level: 2, name: 'Called last' }).waitFor();
      await lobby.locator('.lobby__newest').waitFor();
      expect(await axeViolations(lobby)).toEqual([]);
      await screenshot(lobby, 'lobby-en');
    });

    it('says it is offline when the connection is lost, and catches up when it is back', async () => {
      // The display reaches the gateway through a TCP proxy that can be cut, as a pulled
      // network cable or a restarting gateway would: every connection drops, new ones fail.
      const gateway = new URL(stack.gatewayUrl);
      const proxy = await startTcpProxy(gateway.hostname, Number(gateway.port));
      try {
        const lobby = await context.newPage();
        await lobby.goto(`http://127.0.0.1:${proxy.port}/lobby/${orebro.id}?lang=sv`);
        await lobby.locator('h1').waitFor();
        await untilLive(lobby);
        expect(await lobby.locator('.lobby__offline').count()).toBe(0);

        await proxy.cut();
        await lobby.locator('.lobby__offline').waitFor();
        expect(await lobby.locator('.lobby__offline').textContent()).toContain(
          'Skärmen är offline',
        );
        expect(await axeViolations(lobby)).toEqual([]);
        await screenshot(lobby, 'lobby-offline-sv');

        // Called while the display could not hear it.
        await walkIn();
        const missed = await callAtDisk3();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await lobby.locator('.lobby__newest').getAttribute('data-number')).not.toBe(
          missed.number,
        );

        await proxy.restore();
        await newestIs(lobby, missed.number);
        await lobby.locator('.lobby__offline').waitFor({ state: 'detached' });
        // And live again after it.
        await walkIn();
        const live = await callAtDisk3();
        await newestIs(lobby, live.number);
        expect(await lobby.locator('.lobby__table').textContent()).toContain(missed.number);
      } finally {
        await proxy.close();
      }
    });
  });

  describe("the walk-in's ticket page", () => {
    it('shows number, place and wait, follows the call live, in both languages and at 320 px', async () => {
      await drainDisk3();
      const { number, token } = await walkIn();
      await open(`/biljett/${token}?lang=sv&poll=0.5`);
      // The heading says "Din kölapp" until the ticket has been read, then its number.
      await heading(`Kölapp ${number}`);
      expect(await page.locator('.ticket-page__status').textContent()).toContain('Du står i kön.');
      expect(await page.locator('main').textContent()).toContain('Du är nummer 1 i kön.');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-waiting-sv');

      await page.getByRole('button', { name: 'In English' }).click();
      await heading(`Ticket ${number}`);
      expect(await page.locator('main').textContent()).toContain('You are number 1 in the queue.');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-waiting-en');

      // Anna calls it: the page says where to go, by itself.
      const { callNext } = await data<{ callNext: { id: string; number: string } }>(
        CALL_NEXT,
        { c: counter('Disk 3') },
        anna,
      );
      expect(callNext.number).toBe(number);
      await page
        .locator('.ticket-page__status[data-status="CALLED"]', { hasText: 'Go to Disk 3' })
        .waitFor();
      expect(await page.getByRole('button', { name: 'Leave the queue' }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-called-en');
      await data(END, { t: callNext.id }, anna);

      await context.close();
      context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      page = await context.newPage();
      const other = await walkIn();
      await open(`/biljett/${other.token}?lang=sv`);
      await page.locator('.ticket-page__status').waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-waiting-sv-320px');
    });

    it('leaves the queue after a confirmation, by keyboard; an unknown address says so', async () => {
      const { token } = await walkIn();
      await open(`/biljett/${token}?lang=sv`);
      await page.locator('.ticket-page__leave').focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Vill du lämna kön?' }).waitFor();
      expect(await focused(page)).toBe('h2#leave-question: Vill du lämna kön?');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-leave-confirm-sv');
      // "No" keeps the place.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button: Nej, stanna kvar');
      await page.keyboard.press('Enter');
      expect(await focused(page)).toBe('button: Lämna kön');
      expect((await data<{ ticket: { status: string } }>(TICKET, { t: token })).ticket.status).toBe(
        'WAITING',
      );
      // "Yes" leaves it.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button: Ja, lämna kön');
      await page.keyboard.press('Space');
      await page.locator('.ticket-page__status[data-status="CANCELLED"]').waitFor();
      expect(await page.locator('.ticket-page__status').textContent()).toContain(
        'Du har lämnat kön.',
      );
      expect((await data<{ ticket: { status: string } }>(TICKET, { t: token })).ticket.status).toBe(
        'CANCELLED',
      );

      await open('/biljett/finns-inte-alls?lang=sv');
      await page.locator('.ticket-page__unknown').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'ticket-unknown-sv');
    });
  });

  describe('the staff workstation', () => {
    it('signs in with a development token, and serves the queue by keyboard alone, in both languages', async () => {
      // An empty queue first: earlier tests of this file may leave walk-ins waiting.
      await drainDisk3();
      await open('/personal?lang=sv');
      expect(await page.locator('h1').textContent()).toBe('Logga in vid disken');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.locator('#staff-sign-in-problem').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Utvecklingstoken').fill(anna);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await heading('Disken – Servicekontor Örebro centrum');
      await drainDisk3();
      const first = await walkIn();
      const second = await walkIn();

      // Keyboard only from here: the counter, then call → start → end, each with Enter.
      const tabTo = async (text: string) => {
        const at = async () => {
          const now = await focused(page);
          return !now.startsWith('body') && now.includes(text);
        };
        for (let i = 0; i < 30 && !(await at()); i++) await page.keyboard.press('Tab');
        expect(await focused(page)).toContain(text);
      };
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/^select#staff-counter/);
      // After each step the page moves focus to the likely next one (when the step is done).
      const focusMovesTo = async (what: string) => {
        for (let i = 0; i < 100 && (await focused(page)) !== what; i++)
          await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await focused(page)).toBe(what);
      };
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(
        await page.locator('#staff-counter').evaluate((el) => {
          const select = el as HTMLSelectElement;
          return select.options[select.selectedIndex].text;
        }),
      ).toBe('Disk 3');
      await page.locator('.staff__queue tbody tr').first().waitFor();
      expect(await page.locator('.staff__queue').textContent()).toContain(first.number);
      await tabTo('Kalla nästa');
      await page.keyboard.press('Enter');
      await page
        .locator('.staff__current[data-status="CALLED"]', { hasText: first.number })
        .waitFor();
      await focusMovesTo('button: Påbörja');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'staff-called-sv');
      await page.keyboard.press('Enter');
      await page.locator('.staff__current[data-status="IN_SERVICE"]').waitFor();
      await focusMovesTo('button: Avsluta');
      // "Avsluta" asks the outcome in a dialog (web-staff.e2e-spec.ts tests it in full).
      await page.keyboard.press('Enter');
      await page.locator('#staff-end .modal__title').waitFor();
      await tabTo('input#staff-outcome-RESOLVED');
      await page.keyboard.press('Space');
      await tabTo('button: Avsluta besöket');
      await page.keyboard.press('Enter');
      await page.locator('.staff__message', { hasText: `${first.number} är klar.` }).waitFor();
      await focusMovesTo('button: Kalla nästa');
      const { ticket } = await data<{ ticket: { status: string } }>(TICKET, { t: first.token });
      expect(ticket.status).toBe('COMPLETED');

      // The next one: called, called again, and did not come (after the configured calls).
      await page.keyboard.press('Enter');
      await page.locator('.staff__current', { hasText: second.number }).waitFor();
      await focusMovesTo('button: Påbörja');
      await tabTo('Kalla igen');
      await page.keyboard.press('Enter');
      await page.locator('.staff__current', { hasText: 'kallad 2 gånger' }).waitFor();
      await focusMovesTo('button: Påbörja');
      await tabTo('Pausa');
      await page.keyboard.press('Space');
      // The reason is asked in a dialog; "kommer tillbaka" is chosen.
      await page.locator('#staff-park .modal__title').waitFor();
      await tabTo('button: Pausa');
      await page.keyboard.press('Enter');
      await page.locator('.staff__message', { hasText: `${second.number} är pausad` }).waitFor();
      await focusMovesTo('button: Kalla nästa');
      expect(
        (await data<{ ticket: { status: string } }>(TICKET, { t: second.token })).ticket.status,
      ).toBe('PARKED');

      await page.getByRole('button', { name: 'In English' }).click();
      await heading('Counter – Servicekontor Örebro centrum');
      expect(await page.locator('.staff__queue').textContent()).toContain('paused');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'staff-en');
    });
  });
});
