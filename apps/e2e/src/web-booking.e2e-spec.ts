import { readFileSync } from 'node:fs';
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

/** "Now" for the stack and the browser: Monday 1 March 2027, 08:00 in Stockholm. */
const NOW = '2027-03-01T08:00:00+01:00';

const BY_REFERENCE = `query($r: String!, $p: String, $e: String) {
  appointmentByReference(reference: $r, personnummer: $p, email: $e) { reference status start } }`;

const TEXTS = {
  sv: {
    start: 'Boka ett besök',
    service: 'Vad gäller ditt besök?',
    search: 'Sök ärende',
    idCard: 'Ansöka om id-kort',
    office: 'Vilket servicekontor vill du besöka?',
    orebro: 'Servicekontor Örebro centrum',
    needs: 'Språk och behov vid besöket',
    time: 'Välj en tid',
    week: 'Vecka',
    details: 'Dina uppgifter',
    yes: 'Ja',
    no: 'Nej',
    personnummer: 'Personnummer eller samordningsnummer',
    birthDate: 'Födelsedatum',
    name: 'Namn',
    email: 'E-post',
    check: 'Kontrollera dina uppgifter',
    book: 'Boka besöket',
    done: 'Besöket är bokat',
    zone: '(svensk tid)',
    weekday: /^(måndag|tisdag|onsdag|torsdag|fredag) \d{1,2} [a-zåäö]+ \d\d:\d\d \(svensk tid\)$/,
    continue: 'Fortsätt',
    my: 'Min bokning',
    myLink: 'Ändra eller avboka ett besök',
    reference: 'Bokningsnummer',
    identity: 'Personnummer, samordningsnummer eller e-post',
    find: 'Hitta bokningen',
    cancel: 'Avboka besöket',
    cancelYes: 'Ja, avboka',
    cancelled: 'Besöket är avbokat',
    move: 'Boka om till en annan tid',
    moved: 'Besöket är ombokat',
    calendar: 'Lägg till i kalendern (.ics)',
  },
  en: {
    start: 'Book a visit',
    service: 'What is your visit about?',
    search: 'Search matters',
    idCard: 'Apply for an ID card',
    office: 'Which service office do you want to visit?',
    orebro: 'Servicekontor Örebro centrum',
    needs: 'Language and needs at the visit',
    time: 'Choose a time',
    week: 'Week',
    details: 'Your details',
    yes: 'Yes',
    no: 'No',
    personnummer: 'Personal identity number or coordination number',
    birthDate: 'Date of birth',
    name: 'Name',
    email: 'Email',
    check: 'Check your answers',
    book: 'Book the visit',
    done: 'Your visit is booked',
    zone: '(Swedish time)',
    weekday:
      /^(Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ \d\d:\d\d \(Swedish time\)$/,
    continue: 'Continue',
    my: 'My booking',
    myLink: 'Change or cancel a visit',
    reference: 'Booking reference',
    identity: 'Personal identity number, coordination number or email',
    find: 'Find the booking',
    cancel: 'Cancel the visit',
    cancelYes: 'Yes, cancel',
    cancelled: 'The visit is cancelled',
    move: 'Move to another time',
    moved: 'The visit is moved',
    calendar: 'Add to calendar (.ics)',
  },
};
type Lang = keyof typeof TEXTS;

describe('the web: citizen booking and my booking, in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let person = 0;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW });
    browser = await openBrowser();
  });

  const newPage = async (width = 1280, height = 900) => {
    await context?.close();
    context = await browser.newContext({ viewport: { width, height } });
    // The browser's clock at the stack's "now" (and running), so "this week" is the same.
    await context.clock.install({ time: new Date(NOW) });
    page = await context.newPage();
  };

  beforeEach(async () => {
    await newPage();
  });

  // Every test books from the same address, and a client has only a few live holds: a test
  // that stops half-way must not leave its hold to starve the next ones (they expire in
  // minutes anyway; here they are given back at once, as releaseHold would).
  afterEach(async () => {
    await stack.sql(`DELETE FROM scheduling.appointment WHERE status = 'HELD'`);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  /** A radio by its label, as a person clicks it (FKUI draws the label over the input). */
  const choose = async (name: string) => {
    await page.locator('label', { hasText: name }).first().click();
    expect(await page.getByRole('radio', { name, exact: false }).first().isChecked()).toBe(true);
  };
  /** A matter's checkbox by its label. */
  const tick = async (name: string) => {
    await page.locator('label', { hasText: name }).first().click();
    expect(await page.getByRole('checkbox', { name, exact: false }).first().isChecked()).toBe(true);
  };
  const h1 = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor();
  const noAxe = async () => expect(await axeViolations(page)).toEqual([]);
  const submitEmpty = async (button: string) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.locator('.error-list').waitFor();
    // The error summary takes focus.
    // (Focus moves once the summary has rendered: waited for, not sampled once.)
    await page.waitForFunction(() => !!document.activeElement?.querySelector('.error-list'), null, {
      timeout: 5_000,
    });
    await noAxe();
  };

  /** Matter → office → time (held) → the details page, by mouse; screenshots on the way. */
  async function toDetails(lang: Lang, shots = false) {
    const x = TEXTS[lang];
    await page.goto(`${stack.gatewayUrl}/?lang=${lang}`);
    await page.getByRole('link', { name: x.start, exact: true }).click();
    await h1(x.service);
    await page.getByRole('checkbox').first().waitFor();
    if (shots) await noAxe();
    if (shots) {
      await submitEmpty(x.continue);
      await screenshot(page, `booking-service-error-${lang}`);
    }
    await page.getByLabel(x.search).fill(lang === 'sv' ? 'id-kort' : 'ID card');
    // The list narrows as one types.
    await page.getByRole('checkbox', { name: x.idCard }).waitFor();
    expect(await page.getByRole('checkbox').count()).toBeLessThanOrEqual(3);
    await tick(x.idCard);
    if (shots) await screenshot(page, `booking-service-${lang}`);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.office);
    await page.getByRole('radio').first().waitFor();
    if (shots) await noAxe();
    if (shots) {
      await submitEmpty(x.continue);
      await screenshot(page, `booking-office-${lang}`);
    }
    await choose(x.orebro);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.needs);
    if (shots) await noAxe();
    if (shots) await screenshot(page, `booking-needs-${lang}`);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.time);
    const first = page.locator('.time-button').first();
    await first.waitFor();
    const label = (await first.getAttribute('aria-label')) as string;
    expect(label).toMatch(x.weekday);
    if (shots) await noAxe();
    if (shots) {
      await screenshot(page, `booking-time-${lang}`);
      // What a screen reader meets: the view switch, the week, each day and its named times.
      if (lang === 'sv') {
        expect(await page.locator('.time-picker__nav').ariaSnapshot()).toMatchSnapshot();
        expect(await page.locator('.time-list__day').first().ariaSnapshot()).toMatchSnapshot();
      }
      await page.getByRole('button', { name: x.week, exact: true }).click();
      await page.locator('.time-week__day').first().click();
      await page.locator('.time-week .time-button').first().waitFor();
      await noAxe();
      await screenshot(page, `booking-time-week-${lang}`);
    }
    await page.getByRole('button', { name: label }).first().click();
    await h1(x.details);
    return label;
  }

  async function finishWithId(lang: Lang, personnummer: string, shots = false) {
    const x = TEXTS[lang];
    if (shots) {
      await submitEmpty(x.continue);
      await screenshot(page, `booking-details-error-${lang}`);
    }
    await choose(x.yes);
    await page.locator('input#personnummer').fill(personnummer);
    await page.locator('input#name').fill('Test Person');
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.check);
    if (shots) await noAxe();
    if (shots) await screenshot(page, `booking-check-${lang}`);
    await page.getByRole('button', { name: x.book }).click();
    await h1(x.done);
    const reference = (await page.locator('[data-test=reference]').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^[A-Z0-9-]{4,}$/);
    return reference;
  }

  it.each(['sv', 'en'] as const)(
    'a citizen books in %s end to end, finds the booking on my booking and cancels it',
    async (lang) => {
      const x = TEXTS[lang];
      const pnr = syntheticPersonnummer(++person, 1980);
      const label = await toDetails(lang, true);
      // The hold's countdown is shown, and announced once at the start.
      await page.locator('.hold-countdown__clock').waitFor();
      expect(await page.locator('[data-test=hold-announcement]').textContent()).toMatch(/5/);
      await screenshot(page, `booking-details-${lang}`);
      const reference = await finishWithId(lang, pnr, true);
      // The same local time as the time page, with its weekday, in the office's zone.
      const when = (await page.locator('[data-test=when]').textContent()) ?? '';
      expect(when).toContain(label.replace(` ${x.zone}`, ''));
      expect(when).toContain(x.zone);
      await noAxe();
      await screenshot(page, `booking-confirmation-${lang}`);
      // The calendar file: generated in the browser, the same instant, CRLF lines. Downloaded
      // as a person does, by the link (the pages' CSP would refuse a script's fetch of it).
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: x.calendar }).click(),
      ]);
      const ics = readFileSync(await download.path(), 'utf8');
      expect(ics).toContain('BEGIN:VEVENT\r\n');
      expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z\r\n/);

      // My booking: find it, cancel it with a confirm step.
      await page.goto(`${stack.gatewayUrl}/?lang=${lang}`);
      await page.getByRole('link', { name: x.myLink }).click();
      await h1(x.my);
      await noAxe();
      await screenshot(page, `my-booking-${lang}`);
      await submitEmpty(x.find);
      await page.locator('input#reference').fill(reference);
      await page.locator('input#identity').fill(pnr);
      await page.getByRole('button', { name: x.find }).click();
      await page.locator('[data-test=status]').waitFor();
      await noAxe();
      await screenshot(page, `my-booking-found-${lang}`);
      await page.getByRole('button', { name: x.cancel }).click();
      await page.getByRole('button', { name: x.cancelYes }).click();
      await page.getByRole('heading', { level: 2, name: x.cancelled }).waitFor();
      await noAxe();
      const api = await stack.query<{ appointmentByReference: { status: string } }>(BY_REFERENCE, {
        r: reference,
        p: pnr,
      });
      expect(api.data?.appointmentByReference?.status).toBe('CANCELLED');
    },
  );

  it('in English without an identity number (birth date + e-mail): books, then moves the booking on my booking', async () => {
    const x = TEXTS.en;
    const email = `visitor${++person}@example.com`;
    await toDetails('en');
    await choose(x.no);
    await page.locator('input#birth-date').fill('1990-04-23');
    await page.locator('input#name').fill('Visitor Without Number');
    await page.locator('input#email').fill(email);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.check);
    await page.getByRole('button', { name: x.book }).click();
    await h1(x.done);
    const reference = (await page.locator('[data-test=reference]').textContent())?.trim() ?? '';
    const before = await stack.query<{ appointmentByReference: { start: string } }>(BY_REFERENCE, {
      r: reference,
      e: email,
    });
    await page.getByRole('link', { name: 'Change or cancel the visit' }).click();
    await h1(x.my);
    await page.locator('input#reference').fill(reference);
    await page.locator('input#identity').fill(email);
    await page.getByRole('button', { name: x.find }).click();
    await page.getByRole('button', { name: x.move }).click();
    await page.locator('.time-button').nth(3).waitFor();
    await noAxe();
    await page.locator('.time-button').nth(3).click();
    await page.getByRole('heading', { level: 2, name: x.moved }).waitFor();
    const after = await stack.query<{ appointmentByReference: { start: string; status: string } }>(
      BY_REFERENCE,
      { r: reference, e: email },
    );
    expect(after.data?.appointmentByReference?.status).toBe('BOOKED');
    expect(after.data?.appointmentByReference?.start).not.toBe(
      before.data?.appointmentByReference?.start,
    );
  });

  it('a wrong reference or number gets one neutral message, with no axe violation', async () => {
    await page.goto(`${stack.gatewayUrl}/min-bokning?lang=sv`);
    await h1('Min bokning');
    await page.locator('input#reference').fill('ZZZZ99');
    await page.locator('input#identity').fill(syntheticPersonnummer(++person, 1980));
    await page.getByRole('button', { name: 'Hitta bokningen' }).click();
    await page.getByText('Vi hittade ingen bokning med de uppgifterna', { exact: false }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await noAxe();
    await screenshot(page, 'my-booking-not-found-sv');
  });

  it('an error from the API on booking is said in plain words (by extensions.code) in an error summary that takes focus', async () => {
    await toDetails('sv');
    await choose('Ja');
    // The right shape, a wrong control digit: the API answers BAD_USER_INPUT.
    const good = syntheticPersonnummer(++person, 1980);
    const bad = `${good.slice(0, -1)}${(Number(good.slice(-1)) + 1) % 10}`;
    await page.locator('input#personnummer').fill(bad);
    await page.locator('input#name').fill('Fel Siffra');
    await page.getByRole('button', { name: 'Fortsätt', exact: true }).click();
    await h1('Kontrollera dina uppgifter');
    await page.getByRole('button', { name: 'Boka besöket' }).click();
    await page.getByText('Någon uppgift stämmer inte', { exact: false }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await noAxe();
    await screenshot(page, 'booking-check-error-sv');
  });

  it('a reload on a later step without the answers goes back to the first step with a message', async () => {
    await page.goto(`${stack.gatewayUrl}/boka/kontrollera?lang=sv`);
    await h1('Vad gäller ditt besök?');
    expect(new URL(page.url()).pathname).toBe('/boka');
    await page.getByText('Dina val finns inte kvar', { exact: false }).waitFor();
    await noAxe();
  });

  it('choosing another time gives the first one back at once: one hold, at the new time', async () => {
    const held = () =>
      stack.sql<{ start: string }>(
        `SELECT to_char(starts_at AT TIME ZONE 'Europe/Stockholm', 'HH24:MI') AS start
           FROM scheduling.appointment WHERE status = 'HELD'`,
      );
    const first = await toDetails('sv');
    expect((await held()).map((h) => h.start)).toEqual([first.match(/\d\d:\d\d/)?.[0]]);
    await page.getByRole('link', { name: 'Tillbaka' }).click();
    await h1(TEXTS.sv.time);
    const second = page.locator('.time-button').nth(1);
    const label = (await second.getAttribute('aria-label')) as string;
    await second.click();
    await h1(TEXTS.sv.details);
    expect((await held()).map((h) => h.start)).toEqual([label.match(/\d\d:\d\d/)?.[0]]);
  });

  it('the hold: a visible countdown, announced at 2 minutes and 30 seconds, and a clear message when it runs out', async () => {
    await toDetails('sv');
    const announcement = page.locator('[data-test=hold-announcement]');
    expect(await page.locator('.hold-countdown__clock').textContent()).toMatch(/^[45]:\d\d$/);
    expect(await announcement.getAttribute('aria-live')).toBe('polite');
    await page.clock.runFor(3 * 60_000 + 5_000);
    await page.waitForFunction(() =>
      document.querySelector('[data-test=hold-announcement]')?.textContent?.includes('2 minuter'),
    );
    await page.clock.runFor(95_000);
    await page.waitForFunction(() =>
      document.querySelector('[data-test=hold-announcement]')?.textContent?.includes('30 sekunder'),
    );
    await screenshot(page, 'booking-hold-low-sv');
    await page.clock.runFor(40_000);
    await page
      .getByRole('alert')
      .getByText('Reservationen av tiden har gått ut', { exact: false })
      .waitFor();
    await noAxe();
    await screenshot(page, 'booking-hold-expired-sv');
    await page.getByRole('link', { name: 'Välj en ny tid' }).click();
    await h1('Välj en tid');
  });

  it('works by keyboard alone through the whole booking and my booking: Tab, Enter, Space, arrows and Esc', async () => {
    const x = TEXTS.sv;
    const pnr = syntheticPersonnummer(++person, 1980);
    const tabTo = async (match: (f: string) => boolean, max = 80) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (match(await focused(page))) return;
      }
      throw new Error(`never reached; last focus ${await focused(page)}`);
    };
    await page.goto(`${stack.gatewayUrl}/?lang=sv`);
    await h1('Besök ett servicekontor');
    await tabTo((f) => f === `a: ${x.start}`);
    await page.keyboard.press('Enter');
    await h1(x.service);
    expect(await focused(page)).toBe(`h1: ${x.service}`);
    await page.getByRole('checkbox').first().waitFor();
    // Search, leave the field (Tab) and the list narrows to the one matter; Space picks it.
    await tabTo((f) => f.startsWith('input#service-search'));
    await page.keyboard.type('id-kort');
    await page.waitForFunction(
      () => document.querySelectorAll('input[type=checkbox]').length === 1,
    );
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: x.idCard }).isChecked()).toBe(true);
    await tabTo((f) => f === `button: ${x.continue}`);
    await page.keyboard.press('Enter');
    await h1(x.office);
    expect(await focused(page)).toBe(`h1: ${x.office}`);
    await tabTo((f) => f.startsWith('input#office-'));
    await page.keyboard.press('Space');
    await tabTo((f) => f === `button: ${x.continue}`);
    await page.keyboard.press('Enter');
    await h1(x.needs);
    expect(await focused(page)).toBe(`h1: ${x.needs}`);
    await tabTo((f) => f === `button: ${x.continue}`);
    await page.keyboard.press('Enter');
    await h1(x.time);
    await page.locator('.time-button').first().waitFor();
    // The week view: the first day with times takes Tab, arrows move between days.
    await tabTo((f) => f === `button: ${x.week}`);
    await page.keyboard.press('Enter');
    await tabTo((f) => f.startsWith('button: mån 1/3'));
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatch(/^button: tis 2\/3/);
    await page.keyboard.press('Enter');
    await page.locator('.time-week .time-button').first().waitFor();
    await tabTo((f) => /^button: tisdag 2 mars \d\d:\d\d \(svensk tid\)$/.test(f));
    await page.keyboard.press('Enter');
    await h1(x.details);
    await tabTo((f) => f.startsWith('input#has-id-yes'));
    await page.keyboard.press('Space');
    await tabTo((f) => f.startsWith('input#personnummer'));
    await page.keyboard.type(pnr);
    await tabTo((f) => f.startsWith('input#name'));
    await page.keyboard.type('Tangent Bord');
    await tabTo((f) => f === `button: ${x.continue}`);
    await page.keyboard.press('Enter');
    await h1(x.check);
    await tabTo((f) => f === `button: ${x.book}`);
    await page.keyboard.press('Enter');
    await h1(x.done);
    const reference = ((await page.locator('[data-test=reference]').textContent()) ?? '').trim();
    expect(reference).toMatch(/\w{4,}/);
    // My booking by keyboard: find it, open the cancel step, and Esc leaves it unchanged.
    await tabTo((f) => f === 'a: Ändra eller avboka besöket');
    await page.keyboard.press('Enter');
    await h1(x.my);
    await tabTo((f) => f.startsWith('input#reference'));
    await page.keyboard.type(reference);
    await page.keyboard.press('Tab');
    await page.keyboard.type(pnr);
    await page.keyboard.press('Enter');
    await page.locator('[data-test=status]').waitFor();
    await tabTo((f) => f === `button: ${x.cancel}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'Vill du avboka besöket?' }).waitFor();
    expect(await focused(page)).toBe('h2: Vill du avboka besöket?');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { level: 2, name: `Bokning ${reference}` }).waitFor();
    const api = await stack.query<{ appointmentByReference: { status: string } }>(BY_REFERENCE, {
      r: reference,
      p: pnr,
    });
    expect(api.data?.appointmentByReference?.status).toBe('BOOKED');
  });

  it.each(['sv', 'en'] as const)(
    'fits 320 px in %s: every step without horizontal scrolling',
    async (lang) => {
      await newPage(320, 640);
      const overflow = () =>
        page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
      const x = TEXTS[lang];
      await page.goto(`${stack.gatewayUrl}/?lang=${lang}`);
      await page.getByRole('link', { name: x.start, exact: true }).click();
      await h1(x.service);
      await page.getByRole('checkbox').first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-service-${lang}-320px`);
      await tick(x.idCard);
      await page.getByRole('button', { name: x.continue, exact: true }).click();
      await h1(x.office);
      await choose(x.orebro);
      await screenshot(page, `booking-office-${lang}-320px`);
      await page.getByRole('button', { name: x.continue, exact: true }).click();
      await h1(x.needs);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-needs-${lang}-320px`);
      await page.getByRole('button', { name: x.continue, exact: true }).click();
      await h1(x.time);
      await page.locator('.time-button').first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-time-${lang}-320px`);
      await page.getByRole('button', { name: x.week, exact: true }).click();
      await page.locator('.time-week__day').first().click();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-time-week-${lang}-320px`);
      await page.locator('.time-week .time-button').first().click();
      await h1(x.details);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-details-${lang}-320px`);
      await choose(x.yes);
      await page.locator('input#personnummer').fill(syntheticPersonnummer(++person, 1980));
      await page.locator('input#name').fill('Smal Skärm');
      await page.getByRole('button', { name: x.continue, exact: true }).click();
      await h1(x.check);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-check-${lang}-320px`);
      await page.getByRole('button', { name: x.book }).click();
      await h1(x.done);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `booking-confirmation-${lang}-320px`);
      await page.goto(`${stack.gatewayUrl}/min-bokning?lang=${lang}`);
      await h1(x.my);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await screenshot(page, `my-booking-${lang}-320px`);
    },
  );
});
