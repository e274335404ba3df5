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
  const h1 = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor();
  const noAxe = async () => expect(await axeViolations(page)).toEqual([]);
  const submitEmpty = async (button: string) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.locator('.error-list').waitFor();
    // The error summary takes focus.
    expect(await page.evaluate(() => !!document.activeElement?.querySelector('.error-list'))).toBe(
      true,
    );
    await noAxe();
  };

  /** Matter → office → time (held) → the details page, by mouse; screenshots on the way. */
  async function toDetails(lang: Lang, shots = false) {
    const x = TEXTS[lang];
    await page.goto(`${stack.gatewayUrl}/?lang=${lang}`);
    await page.getByRole('link', { name: x.start, exact: true }).click();
    await h1(x.service);
    await page.getByRole('radio').first().waitFor();
    await noAxe();
    if (shots) {
      await submitEmpty(x.continue);
      await screenshot(page, `booking-service-error-${lang}`);
    }
    await page.getByLabel(x.search).fill(lang === 'sv' ? 'id-kort' : 'ID card');
    // FKUI's text field updates on change: leaving it narrows the list.
    await page.getByLabel(x.search).press('Tab');
    await page.getByRole('radio', { name: x.idCard }).waitFor();
    expect(await page.getByRole('radio').count()).toBe(1);
    await choose(x.idCard);
    if (shots) await screenshot(page, `booking-service-${lang}`);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.office);
    await page.getByRole('radio').first().waitFor();
    await noAxe();
    if (shots) {
      await submitEmpty(x.continue);
      await screenshot(page, `booking-office-${lang}`);
    }
    await choose(x.orebro);
    await page.getByRole('button', { name: x.continue, exact: true }).click();
    await h1(x.time);
    const first = page.locator('.time-button').first();
    await first.waitFor();
    const label = (await first.getAttribute('aria-label')) as string;
    expect(label).toMatch(x.weekday);
    await noAxe();
    if (shots) {
      await screenshot(page, `booking-time-${lang}`);
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
    await noAxe();
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
      // The calendar file: generated in the browser, the same instant, CRLF lines.
      const href = (await page.getByRole('link', { name: x.calendar }).getAttribute('href')) ?? '';
      const ics = await page.evaluate(async (url) => (await fetch(url)).text(), href);
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
});
