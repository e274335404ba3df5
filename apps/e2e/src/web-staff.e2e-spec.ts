import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  focused,
  openBrowser,
  screenshot,
  startTestStack,
  syntheticPersonnummer,
  type TestStack,
} from '@samservice/testing';

/** Monday 1 March 2027, 10:00 in Stockholm: Örebro is open (as in the front desk suites). */
const NOW = '2027-03-01T10:00:00+01:00';

const TAKE = `mutation($input: TakeTicketInput!) { takeTicket(input: $input) { token ticket { id number } } }`;
const TICKET = `query($t: String!) { ticket(token: $t) { id number status service { code } } }`;
const STAFF_TICKET = `query($id: ID!) { queueTicket(id: $id) { id status note transferCount service { code } } }`;
const SLOTS = `query($o: ID!, $s: ID!, $d: Date!) { availableSlots(officeId: $o, serviceId: $s, from: $d, to: $d) { start } }`;
const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id reference status start channel } }`;
const SCHEDULE = `query($o: ID!, $d: Date!) { officeSchedule(officeId: $o, date: $d) { id reference status start counterId staffId channel citizenName } }`;
const NAMES = `query($o: ID!) { counters(officeId: $o) { id name } staffMembers(officeId: $o) { id name } }`;

interface Office {
  id: string;
  municipality: string;
  services: Array<{ id: string; code: string }>;
}

/**
 * The staff workstation in a real Chromium through the real stack, by keyboard alone: end
 * with an outcome, transfer with a note to another agency's service, pause with a reason and
 * back, the day's schedule with counter and staff names and check-in, the choice of office
 * for staff of several offices; in Swedish and English, with axe on every state.
 */
describe('the web: the staff workstation', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let orebro: Office;
  let anna: string;
  let people = 0;

  const data = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
    const answer = await stack.query<T>(query, variables, token ? { token } : {});
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data as T;
  };
  const serviceOf = (code: string) => orebro.services.find((s) => s.code === code)?.id as string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startTestStack({
        FIXED_NOW: NOW,
        // The first time staff can book today is two hours ahead (the services' notice): the
        // desk checks in from further ahead than the kiosk's 15 minutes in this suite.
        FRONTDESK_CHECK_IN_EARLY_MINUTES: '240',
        // The local test e-ID, also the staff's identity provider (the sign-in test).
        TEST_EID: 'on',
      }),
      openBrowser(),
    ]);
    const { offices } = await data<{ offices: Office[] }>(
      '{ offices { id municipality services { id code } } }',
      {},
    );
    orebro = offices.find((o) => o.municipality === 'Örebro') as Office;
    // Anna is trained for Försäkringskassan and Skatteverket (the demo network).
    anna = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id],
      adminOffices: [],
      competences: ['FK', 'SKV'],
    });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The browser's clock at the stack's "now" (and running), so "today" is the same day.
    await context.clock.install({ time: new Date(NOW) });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const heading = (name: string, at: Page = page) =>
    at.getByRole('heading', { level: 1, name }).waitFor();

  /** Tab (forwards) until the focused element's description contains `text`. */
  const tabTo = async (text: string, at: Page = page) => {
    const there = async () => {
      const now = await focused(at);
      return !now.startsWith('body') && now.includes(text);
    };
    for (let i = 0; i < 80 && !(await there()); i++) await at.keyboard.press('Tab');
    expect(await focused(at)).toContain(text);
  };
  /** Waits until the page has moved focus to `what` (after a step's answer). */
  const focusMovesTo = async (what: string | RegExp) => {
    const matches = (now: string) => (typeof what === 'string' ? now === what : what.test(now));
    for (let i = 0; i < 150 && !matches(await focused(page)); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await focused(page)).toMatch(typeof what === 'string' ? what : what);
  };

  /** A walk-in's ticket for a service (as the kiosk takes it): id, number and token. */
  async function walkIn(code = 'tax-return-help') {
    const { takeTicket } = await data<{
      takeTicket: { token: string; ticket: { id: string; number: string } };
    }>(TAKE, { input: { officeId: orebro.id, serviceId: serviceOf(code) } });
    return { id: takeTicket.ticket.id, number: takeTicket.ticket.number, token: takeTicket.token };
  }

  /** Ends every call Anna can make at Disk 3 now (earlier tests may leave walk-ins waiting). */
  async function drain(counter: string): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const { callNext } = await data<{ callNext: { id: string } | null }>(
        `mutation($c: ID!) { callNext(counterId: $c) { id } }`,
        { c: counter },
        anna,
      );
      if (!callNext) return;
      await data(`mutation($t: ID!) { endService(ticketId: $t) { id } }`, { t: callNext.id }, anna);
    }
  }

  /**
   * Signs Anna in by keyboard (the token typed into the field) and chooses a counter: each
   * test its own (Disk 1 + arrows), so one that fails leaves no citizen at the next's.
   */
  async function signInAt(disk: number, lang: 'sv' | 'en' = 'sv'): Promise<string> {
    await page.goto(`${stack.gatewayUrl}/personal?lang=${lang}`);
    await page.locator('h1').waitFor();
    await tabTo(lang === 'sv' ? 'input#staff-token' : 'input#staff-token');
    await page.keyboard.insertText(anna);
    await page.keyboard.press('Enter');
    await heading(
      lang === 'sv'
        ? 'Disken – Servicekontor Örebro centrum'
        : 'Counter – Servicekontor Örebro centrum',
    );
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^select#staff-counter/);
    for (let i = 0; i < disk; i++) await page.keyboard.press('ArrowDown');
    const counterId = await page.locator('#staff-counter').inputValue();
    expect(
      await page
        .locator('#staff-counter')
        .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text),
    ).toBe(`Disk ${disk}`);
    return counterId;
  }

  it('transfers with a note to another agency, calls it again and ends with an outcome, by keyboard alone', async () => {
    const disk3 = await signInAt(3, 'sv');
    await drain(disk3);
    const walker = await walkIn('tax-return-help');
    await page.locator('.staff__queue tr', { hasText: walker.number }).waitFor();

    await tabTo('Kalla nästa');
    await page.keyboard.press('Enter');
    await page.locator('.staff__current', { hasText: walker.number }).waitFor();
    await focusMovesTo('button: Påbörja');
    await page.keyboard.press('Enter');
    await page.locator('.staff__current[data-status="IN_SERVICE"]').waitFor();
    await focusMovesTo('button: Avsluta');

    // Transfer: the dialog opens with focus on its heading; Esc closes it, focus comes back.
    await tabTo('Överlämna');
    await page.keyboard.press('Enter');
    await page.locator('#staff-transfer .modal__title').waitFor();
    expect(await focused(page)).toBe(`h1: Överlämna ${walker.number}`);
    await page.keyboard.press('Escape');
    await page.locator('#staff-transfer').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button: Överlämna');
    await page.keyboard.press('Enter');
    await page.locator('#staff-transfer .modal__title').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-transfer-sv');

    // Submitted without a matter: the error summary, focused.
    await tabTo('button: Överlämna');
    await page.keyboard.press('Enter');
    await page.locator('#staff-transfer .error-summary').waitFor();
    await focusMovesTo(/^div: /);
    expect(await page.locator('#staff-transfer .error-summary').textContent()).toContain(
      'Välj det ärende du lämnar över till.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-transfer-error-sv');

    // Försäkringskassan's EU card (by typing in the list), a note, first in line.
    await tabTo('select#staff-transfer-service');
    await page.keyboard.type('Bes', { delay: 20 });
    expect(
      await page
        .locator('#staff-transfer-service')
        .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text.trim()),
    ).toBe('Beställa EU-kort');
    await tabTo('textarea#staff-transfer-note');
    await page.keyboard.type('Vill även beställa EU-kort inför resa.');
    await tabTo('input#staff-placement-arrival');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(/^input#staff-placement-first/);
    await tabTo('button: Överlämna');
    await page.keyboard.press('Enter');
    await page.locator('.staff__message', { hasText: `${walker.number} är överlämnad.` }).waitFor();
    await focusMovesTo('button: Kalla nästa');

    // The queue shows it under its new matter; the API agrees, with the note.
    const row = page.locator(`.staff__queue tr[data-number="${walker.number}"]`);
    await row.filter({ hasText: 'Beställa EU-kort' }).waitFor();
    const moved = await data<{
      queueTicket: {
        status: string;
        note: string;
        transferCount: number;
        service: { code: string };
      };
    }>(STAFF_TICKET, { id: walker.id }, anna);
    expect(moved.queueTicket).toMatchObject({
      status: 'WAITING',
      note: 'Vill även beställa EU-kort inför resa.',
      transferCount: 1,
      service: { code: 'eu-card' },
    });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-transferred-sv');

    // Called again out of turn from the queue, the note shown; started; ended with an outcome.
    await tabTo(`Kalla till min disk: ${walker.number}`);
    await page.keyboard.press('Enter');
    await page
      .locator('.staff__current[data-status="CALLED"]', { hasText: walker.number })
      .waitFor();
    expect(await page.locator('.staff__note').textContent()).toContain('Vill även beställa');
    await focusMovesTo('button: Påbörja');
    await page.keyboard.press('Enter');
    await focusMovesTo('button: Avsluta');
    await page.keyboard.press('Enter');
    await page.locator('#staff-end .modal__title').waitFor();
    expect(await focused(page)).toBe(`h1: Avsluta besöket för ${walker.number}`);
    // The ticket's own matter is chosen as delivered.
    expect(await page.locator('#staff-delivered-0').isChecked()).toBe(true);
    await tabTo('button: Avsluta besöket');
    await page.keyboard.press('Enter');
    await page.locator('#staff-end .error-summary', { hasText: 'Välj hur det gick.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-end-error-sv');
    await tabTo('input#staff-outcome-RESOLVED');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(/^input#staff-outcome-REFERRED/);
    await tabTo('button: Avsluta besöket');
    await page.keyboard.press('Space');
    await page.locator('.staff__message', { hasText: `${walker.number} är klar.` }).waitFor();
    await focusMovesTo('button: Kalla nästa');
    const done = await data<{ ticket: { status: string; service: { code: string } } }>(TICKET, {
      t: walker.token,
    });
    expect(done.ticket).toMatchObject({ status: 'COMPLETED', service: { code: 'eu-card' } });
  });

  it('pauses with a reason and puts the ticket back from the queue, by keyboard; in English too', async () => {
    const disk4 = await signInAt(4, 'sv');
    await drain(disk4);
    const walker = await walkIn('tax-return-help');
    await page.locator('.staff__queue tr', { hasText: walker.number }).waitFor();
    await tabTo('Kalla nästa');
    await page.keyboard.press('Enter');
    await focusMovesTo('button: Påbörja');
    await tabTo('Pausa');
    await page.keyboard.press('Enter');
    await page.locator('#staff-park .modal__title').waitFor();
    expect(await focused(page)).toBe(`h1: Pausa ${walker.number}`);
    await tabTo('input#staff-park-back-later');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(/^input#staff-park-set-aside/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-park-sv');
    await tabTo('button: Pausa');
    await page.keyboard.press('Enter');
    await page.locator('.staff__message', { hasText: `${walker.number} är pausad` }).waitFor();
    expect(
      (await data<{ ticket: { status: string } }>(TICKET, { t: walker.token })).ticket,
    ).toEqual(expect.objectContaining({ status: 'PARKED' }));

    await tabTo(`Tillbaka i kön: ${walker.number}`);
    await page.keyboard.press('Enter');
    await page
      .locator('.staff__message', { hasText: `${walker.number} är tillbaka i kön.` })
      .waitFor();
    await focusMovesTo(`button: Kalla till min disk: ${walker.number}`);
    expect(
      (await data<{ ticket: { status: string } }>(TICKET, { t: walker.token })).ticket,
    ).toEqual(expect.objectContaining({ status: 'WAITING' }));

    // In English: the same dialogs, named in English; Esc returns to the opener.
    await page.getByRole('button', { name: 'In English' }).click();
    await heading('Counter – Servicekontor Örebro centrum');
    await page.locator(`[data-call="${walker.id}"]`).focus();
    await page.keyboard.press('Enter');
    await focusMovesTo('button: Start');
    await page.keyboard.press('Enter');
    await focusMovesTo('button: End');
    await page.keyboard.press('Enter');
    await page.locator('#staff-end .modal__title').waitFor();
    expect(await focused(page)).toBe(`h1: End the visit of ${walker.number}`);
    expect(await page.locator('#staff-end').textContent()).toContain('A follow-up is booked');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-end-en');
    await page.keyboard.press('Escape');
    await page.locator('#staff-end').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button: End');
    await tabTo('Transfer');
    await page.keyboard.press('Enter');
    await page.locator('#staff-transfer .modal__title').waitFor();
    expect(await page.locator('#staff-transfer').textContent()).toContain('First in line');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-transfer-en');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('button: Transfer');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button: End');
    await page.keyboard.press('Enter');
    await tabTo('input#staff-outcome-RESOLVED');
    await page.keyboard.press('Space');
    await tabTo('button: End the visit');
    await page.keyboard.press('Enter');
    await page.locator('.staff__message', { hasText: `${walker.number} is done.` }).waitFor();
  });

  it("shows the day's schedule with counter and staff names, checks a citizen in, and moves between days", async () => {
    // A booking for today (as on the phone, by Anna), later today.
    const { availableSlots } = await data<{ availableSlots: Array<{ start: string }> }>(
      SLOTS,
      { o: orebro.id, s: serviceOf('id-card'), d: '2027-03-01' },
      anna,
    );
    expect(availableSlots.length).toBeGreaterThan(0);
    const start = availableSlots[0]?.start as string;
    const { bookAppointment: booked } = await data<{
      bookAppointment: { reference: string; channel: string };
    }>(
      BOOK,
      {
        input: {
          officeId: orebro.id,
          serviceId: serviceOf('id-card'),
          start,
          channel: 'PHONE',
          citizen: { personnummer: syntheticPersonnummer(++people, 1985), name: 'Greta Schema' },
        },
      },
      anna,
    );
    expect(booked.channel).toBe('PHONE');
    // What the API says about its counter and person, by id and by name.
    const { officeSchedule } = await data<{
      officeSchedule: Array<{ reference: string; counterId: string; staffId: string }>;
    }>(SCHEDULE, { o: orebro.id, d: '2027-03-01' }, anna);
    const entry = officeSchedule.find((e) => e.reference === booked.reference);
    const names = await data<{
      counters: Array<{ id: string; name: string }>;
      staffMembers: Array<{ id: string; name: string }>;
    }>(NAMES, { o: orebro.id }, anna);
    const counterName = names.counters.find((c) => c.id === entry?.counterId)?.name as string;
    const staffName = names.staffMembers.find((s) => s.id === entry?.staffId)?.name as string;
    expect(counterName).toBeTruthy();
    expect(staffName).toBeTruthy();

    // And a joint visit (FK's EU card and SKV's ID card) today: its parts are shown together.
    const { jointVisitOptions } = await data<{ jointVisitOptions: Array<{ start: string }> }>(
      `query($o: ID!, $s: [ID!]!, $d: Date!) { jointVisitOptions(officeId: $o, serviceIds: $s, from: $d, to: $d, limit: 1) { start } }`,
      { o: orebro.id, s: [serviceOf('eu-card'), serviceOf('id-card')], d: '2027-03-01' },
      anna,
    );
    const { bookJointVisit } = await data<{
      bookJointVisit: { appointments: Array<{ reference: string; start: string }> };
    }>(
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { appointments { reference start } } }`,
      {
        input: {
          officeId: orebro.id,
          serviceIds: [serviceOf('eu-card'), serviceOf('id-card')],
          start: jointVisitOptions[0]?.start,
          channel: 'DESK',
          citizen: { personnummer: syntheticPersonnummer(++people, 1985), name: 'Jonna Samlad' },
        },
      },
      anna,
    );

    await signInAt(2, 'sv');
    await page.getByRole('heading', { level: 2, name: 'Dagens bokningar' }).waitFor();
    const [firstPart, secondPart] = bookJointVisit.appointments;
    const order = await page
      .locator('.staff__schedule tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')));
    const at = order.indexOf(firstPart?.reference ?? '');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(order[at + 1]).toBe(secondPart?.reference);
    expect(
      await page
        .locator(`.staff__schedule tr[data-reference="${secondPart?.reference}"]`)
        .textContent(),
    ).toContain('del 2 av 2');
    expect(await page.locator('[data-schedule-day]').textContent()).toBe('måndag 1 mars 2027');
    const row = page.locator(`.staff__schedule tr[data-reference="${booked.reference}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    const hhmm = start.slice(11, 16);
    expect(cells[0]).toContain(hhmm);
    expect(cells[1]).toContain('Ansöka om id-kort');
    expect(cells[2]?.trim()).toBe(counterName);
    expect(cells[3]?.trim()).toBe(staffName);
    expect(cells[4]).toContain('Greta Schema');
    expect(cells[4]).toMatch(/1985\d{4}-\*{4}/);
    expect(cells[5]?.trim()).toBe('bokad');
    expect(cells[6]?.trim()).toBe('telefon');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-schedule-sv');

    // The citizen arrives: checked in from the schedule, by keyboard.
    await tabTo(`Checka in: Greta Schema ${hhmm}`);
    await page.keyboard.press('Enter');
    await page
      .locator('#staff-schedule-message', { hasText: 'Greta Schema är incheckad' })
      .waitFor();
    await row.locator('td', { hasText: 'incheckad' }).waitFor();
    const after = await data<{ officeSchedule: Array<{ reference: string; status: string }> }>(
      SCHEDULE,
      { o: orebro.id, d: '2027-03-01' },
      anna,
    );
    expect(after.officeSchedule.find((e) => e.reference === booked.reference)?.status).toBe(
      'CHECKED_IN',
    );

    // The next day, spoken with its weekday; and back.
    await tabTo('Nästa dag');
    await page.keyboard.press('Enter');
    await page.locator('[data-schedule-day]', { hasText: 'tisdag 2 mars 2027' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Bokningar' }).waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('[data-schedule-day]', { hasText: 'måndag 1 mars 2027' }).waitFor();

    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('heading', { level: 2, name: "Today's appointments" }).waitFor();
    expect(await page.locator('[data-schedule-day]').textContent()).toBe('Monday 1 March 2027');
    await row.locator('td', { hasText: 'checked in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-schedule-en');

    // At 320 px nothing runs off the page (the table scrolls in its own region).
    await context.close();
    context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await context.clock.install({ time: new Date(NOW) });
    page = await context.newPage();
    await signInAt(2, 'sv');
    await page.locator(`.staff__schedule tr[data-reference="${booked.reference}"]`).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-workstation-sv-320px');
  });

  it('lets staff of several offices choose the office first, remembered in the tab', async () => {
    const { offices } = await data<{ offices: Array<{ id: string; municipality: string }> }>(
      '{ offices { id municipality } }',
      {},
    );
    const hallsberg = offices.find((o) => o.municipality === 'Hallsberg') ?? offices[1];
    const both = await stack.tokenFor({
      role: 'staff',
      subject: 'demo-anna-lindqvist',
      offices: [orebro.id, hallsberg?.id as string],
      adminOffices: [],
      competences: ['FK', 'SKV'],
    });
    await page.goto(`${stack.gatewayUrl}/personal?lang=sv`);
    await page.locator('h1').waitFor();
    await tabTo('input#staff-token');
    await page.keyboard.insertText(both);
    await page.keyboard.press('Enter');
    await heading('Välj servicekontor');
    await tabTo('button: Fortsätt');
    await page.keyboard.press('Enter');
    await page.locator('.error-summary', { hasText: 'Välj ett kontor.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-office-choice-sv');
    await tabTo('input#staff-office-choice-first');
    // The radio group: arrows move between the offices; Örebro is one of them.
    const names = await page.locator('#staff-office-choice label').allTextContents();
    const at = names.findIndex((n) => n.includes('Örebro'));
    for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    expect(
      await page.locator('#staff-office-choice input:checked + label').textContent(),
    ).toContain('Örebro');
    await tabTo('button: Fortsätt');
    await page.keyboard.press('Enter');
    await heading('Disken – Servicekontor Örebro centrum').catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await page.locator('main').textContent()}`);
    });
    // Remembered in this tab: a reload goes straight to the counter.
    await page.reload();
    await heading('Disken – Servicekontor Örebro centrum').catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await page.locator('main').textContent()}`);
    });
    await tabTo('Byt kontor');
    await page.keyboard.press('Enter');
    await heading('Välj servicekontor');
  });

  it('books a single appointment and a joint visit for a citizen on the phone, moves one and cancels one, by keyboard', async () => {
    await signInAt(5, 'sv');
    await tabTo('Boka, flytta eller avboka för en medborgare');
    await page.keyboard.press('Enter');
    await heading('Boka för en medborgare');
    await focusMovesTo('h1: Boka för en medborgare');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-start-sv');

    // Nothing chosen: the error summary.
    await tabTo('button: Visa lediga tider');
    await page.keyboard.press('Enter');
    await page.locator('.error-summary', { hasText: 'Välj minst ett ärende.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // One matter, on the phone (the default): Skatteverket's ID card.
    expect(await page.locator('#staff-book-channel-phone').isChecked()).toBe(true);
    await tabTo(`input#staff-book-service-${serviceOf('id-card')}`);
    await page.keyboard.press('Space');
    await tabTo('button: Visa lediga tider');
    await page.keyboard.press('Enter');
    await heading('Välj en ledig tid');
    await focusMovesTo('h1: Välj en ledig tid');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-times-sv');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^button: \d\d:\d\d–\d\d:\d\d/);
    await page.keyboard.press('Enter');
    await heading('Vem gäller bokningen?');

    // Without a name: the error summary, focused; then the citizen's details.
    await tabTo('button: Boka');
    await page.keyboard.press('Enter');
    await page.locator('.error-summary', { hasText: 'Skriv medborgarens namn.' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-error-sv');
    const personnummer = syntheticPersonnummer(++people, 1985);
    await tabTo('input#staff-book-personnummer');
    await page.keyboard.type(personnummer);
    await tabTo('input#staff-book-name');
    await page.keyboard.type('Per Telefon');
    await tabTo('button: Boka');
    await page.keyboard.press('Enter');
    await heading('Bokningen är klar');
    await focusMovesTo('h1: Bokningen är klar');
    const single = ((await page.locator('[data-reference]').textContent()) ?? '').trim();
    expect(single).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    // The typed identity number is never shown again: masked on the confirmation.
    expect(await page.locator('main').textContent()).not.toContain(personnummer.slice(9));
    expect(await page.locator('[data-citizen]').textContent()).toContain(
      `${personnummer.slice(0, 8)}-****`,
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-done-sv');
    const BY_REF = `query($r: String!) { appointmentByReference(reference: $r) { reference status start channel service { code } } }`;
    const bookedSingle = await data<{
      appointmentByReference: {
        status: string;
        start: string;
        channel: string;
        service: { code: string };
      };
    }>(BY_REF, { r: single }, anna);
    expect(bookedSingle.appointmentByReference).toMatchObject({
      status: 'BOOKED',
      channel: 'PHONE',
      service: { code: 'id-card' },
    });

    // A joint visit, in English, for a visitor without an identity number.
    await page.getByRole('button', { name: 'In English' }).click();
    await tabTo('New booking or search');
    await page.keyboard.press('Enter');
    await heading('Book for a citizen');
    await tabTo(`input#staff-book-service-${serviceOf('eu-card')}`);
    await page.keyboard.press('Space');
    await tabTo(`input#staff-book-service-${serviceOf('id-card')}`);
    await page.keyboard.press('Space');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-start-en');
    await tabTo('button: Show free times');
    await page.keyboard.press('Enter');
    await heading('Choose a free time');
    await focusMovesTo('h1: Choose a free time');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^button: \d\d:\d\d–\d\d:\d\d/);
    expect(await focused(page)).toContain('Order a European Health Insurance Card');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-joint-times-en');
    await page.keyboard.press('Enter');
    await heading('Who is the booking for?');
    await tabTo('input#staff-book-has-id-yes');
    await page.keyboard.press('ArrowDown');
    await tabTo('input#staff-book-birth-date');
    await page.keyboard.type('1990-05-17');
    await tabTo('input#staff-book-name');
    await page.keyboard.type('Visitor Newcomer');
    await tabTo('input#staff-book-email');
    await page.keyboard.type('newcomer@example.org');
    await tabTo('button: Book');
    await page.keyboard.press('Enter');
    await heading('The booking is made');
    const joint = ((await page.locator('[data-reference]').textContent()) ?? '').trim();
    expect(await page.locator('[data-booking] li').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-joint-done-en');
    const JOINT = `query($r: String!) { jointVisitByReference(reference: $r) { status appointments { status channel service { code } } } }`;
    const bookedJoint = await data<{
      jointVisitByReference: {
        status: string;
        appointments: Array<{ status: string; channel: string; service: { code: string } }>;
      };
    }>(JOINT, { r: joint }, anna);
    expect(bookedJoint.jointVisitByReference.status).toBe('BOOKED');
    expect(
      bookedJoint.jointVisitByReference.appointments.map((a) => a.service.code).sort(),
    ).toEqual(['eu-card', 'id-card']);
    expect(bookedJoint.jointVisitByReference.appointments.every((a) => a.channel === 'PHONE')).toBe(
      true,
    );

    // Move the single appointment (found by its reference alone: staff of the office).
    await page.getByRole('button', { name: 'På svenska' }).click();
    await tabTo('Ny bokning eller sökning');
    await page.keyboard.press('Enter');
    await heading('Boka för en medborgare');
    await tabTo('input#staff-find-reference');
    await page.keyboard.type(single);
    await page.keyboard.press('Enter');
    await heading('Bokningen');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-booking-found-sv');
    await tabTo('Flytta till en annan tid');
    await page.keyboard.press('Enter');
    await heading('Välj en ny tid');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^button: \d\d:\d\d/);
    await page.keyboard.press('Enter');
    await heading('Bokningen är flyttad');
    const moved = await data<{ appointmentByReference: { status: string; start: string } }>(
      BY_REF,
      { r: single },
      anna,
    );
    expect(moved.appointmentByReference.status).toBe('BOOKED');
    expect(moved.appointmentByReference.start).not.toBe(bookedSingle.appointmentByReference.start);

    // Cancel the joint visit, after a confirmation.
    await tabTo('Ny bokning eller sökning');
    await page.keyboard.press('Enter');
    await heading('Boka för en medborgare');
    await tabTo('input#staff-find-reference');
    await page.keyboard.type(joint);
    await tabTo('button: Hitta bokningen');
    await page.keyboard.press('Enter');
    await heading('Bokningen');
    await tabTo('button: Avboka');
    await page.keyboard.press('Enter');
    await heading('Avboka bokningen?');
    expect(await axeViolations(page)).toEqual([]);
    await tabTo('Ja, avboka');
    await page.keyboard.press('Enter');
    await heading('Bokningen är avbokad');
    const cancelled = await data<{ jointVisitByReference: { status: string } }>(
      JOINT,
      { r: joint },
      anna,
    );
    expect(cancelled.jointVisitByReference.status).toBe('CANCELLED');
  });

  it('signs in with the staff account at the identity provider and out again, by keyboard; a cancelled sign-in says so', async () => {
    // A context of its own with the real clock: the provider's cookies carry real dates.
    await context.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${stack.gatewayUrl}/personal?lang=sv`);
    await heading('Logga in vid disken');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-sign-in-sv');
    await tabTo('a: Logga in med ditt personalkonto');
    await page.keyboard.press('Enter');
    // The provider's page (the test e-ID playing the organisation's): Anna is preselected.
    await page.getByRole('heading', { name: 'Testinloggning för personal' }).waitFor();
    expect(new URL(page.url()).origin).toBe(stack.testEidUrl);
    expect(await page.getByLabel(/Anna Lindqvist/).isChecked()).toBe(true);
    await tabTo('button: Logga in / Sign in');
    await page.keyboard.press('Enter');
    await heading('Disken – Servicekontor Örebro centrum');
    const cookie = (await context.cookies(stack.gatewayUrl)).find(
      (c) => c.name === 'samservice_staff',
    );
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The workstation works with the cookie alone: no token in this tab's storage.
    expect(await page.evaluate(() => window.sessionStorage.getItem('samservice.staffToken'))).toBe(
      null,
    );
    await page
      .locator('#staff-counter option', { hasText: 'Disk 1' })
      .waitFor({ state: 'attached' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'staff-signed-in-sv');

    await tabTo('button: Logga ut');
    await page.keyboard.press('Enter');
    // Then the provider's own logout, which asks to confirm, and back to the workstation.
    await page.getByRole('heading', { name: 'Logga ut från testinloggningen?' }).waitFor();
    expect(
      (await context.cookies(stack.gatewayUrl)).some((c) => c.name === 'samservice_staff'),
    ).toBe(false);
    await tabTo('button: Ja, logga ut / Yes, sign out');
    await page.keyboard.press('Enter');
    await heading('Logga in vid disken');

    // A sign-in cancelled at the provider comes back with a message, and nothing signed in.
    await page.goto(`${stack.gatewayUrl}/personal?lang=sv`);
    await tabTo('a: Logga in med ditt personalkonto');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Testinloggning för personal' }).waitFor();
    await tabTo('button: Avbryt / Cancel');
    await page.keyboard.press('Enter');
    await heading('Logga in vid disken');
    await page.getByText('Inloggningen avbröts.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
