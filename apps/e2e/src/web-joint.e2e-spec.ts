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

const JOINT_BY_REFERENCE = `query($r: String!, $p: String) {
  jointVisitByReference(reference: $r, personnummer: $p) {
    reference status start end office { name }
    appointments { status start end service { nameSv agency { name } } } } }`;

const TEXTS = {
  sv: {
    start: 'Boka ett besök',
    service: 'Vad gäller ditt besök?',
    search: 'Sök ärende',
    idCard: 'Ansöka om id-kort',
    idCardSearch: 'id-kort',
    jobSeeker: 'Skriva in sig som arbetssökande',
    jobSeekerSearch: 'arbetssökande',
    office: 'Vilket servicekontor vill du besöka?',
    orebro: 'Servicekontor Örebro centrum',
    needs: 'Språk och behov vid besöket',
    time: 'Välj en tid',
    details: 'Dina uppgifter',
    yes: 'Ja',
    check: 'Kontrollera dina uppgifter',
    book: 'Boka besöket',
    done: 'Besöket är bokat',
    continue: 'Fortsätt',
    held: 'När du väljer en tid reserveras den åt dig i några minuter',
    countdown: 'Tiden är reserverad åt dig',
    parts: 'Besökets delar',
    calendar: 'Lägg till i kalendern (.ics)',
    zone: '(svensk tid)',
    manage: 'Ändra eller avboka besöket',
    my: 'Min bokning',
    find: 'Hitta bokningen',
    notFound: 'Vi hittade ingen bokning med de uppgifterna',
    jointHeading: 'Gemensamt besök',
    move: 'Boka om hela besöket till en annan tid',
    moveHeading: 'Välj en ny tid',
    moved: 'Hela besöket är ombokat',
    cancel: 'Avboka hela besöket',
    cancelHeading: 'Vill du avboka hela besöket?',
    cancelYes: 'Ja, avboka',
    cancelled: 'Hela besöket är avbokat',
    taken: 'Tiden hann bokas av någon annan',
    weekday: /^(måndag|tisdag|onsdag|torsdag|fredag) \d{1,2} [a-zåäö]+ \d\d:\d\d \(svensk tid\)$/,
  },
  en: {
    start: 'Book a visit',
    service: 'What is your visit about?',
    search: 'Search matters',
    idCard: 'Apply for an ID card',
    idCardSearch: 'ID card',
    jobSeeker: 'Register as a job seeker',
    jobSeekerSearch: 'job seeker',
    office: 'Which service office do you want to visit?',
    orebro: 'Servicekontor Örebro centrum',
    needs: 'Language and needs at the visit',
    time: 'Choose a time',
    details: 'Your details',
    yes: 'Yes',
    check: 'Check your answers',
    book: 'Book the visit',
    done: 'Your visit is booked',
    continue: 'Continue',
    held: 'When you choose a time, it is reserved for you for a few minutes',
    countdown: 'The time is reserved for you',
    parts: 'The parts of the visit',
    calendar: 'Add to calendar (.ics)',
    zone: '(Swedish time)',
    manage: 'Change or cancel the visit',
    my: 'My booking',
    find: 'Find the booking',
    notFound: 'We found no booking with those details',
    jointHeading: 'Joint visit',
    move: 'Move the whole visit to another time',
    moveHeading: 'Choose a new time',
    moved: 'The whole visit is moved',
    cancel: 'Cancel the whole visit',
    cancelHeading: 'Do you want to cancel the whole visit?',
    cancelYes: 'Yes, cancel',
    cancelled: 'The whole visit is cancelled',
    taken: 'Someone else booked the time just before you',
    weekday:
      /^(Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ \d\d:\d\d \(Swedish time\)$/,
  },
};
type Lang = keyof typeof TEXTS;

/**
 * The citizen booking flow's wider paths in a real Chromium: several matters as one joint
 * visit, and the choices that narrow it (language and needs before the time).
 */
describe('the web: a joint visit and the choices before the time, in a real browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let person = 500;

  beforeAll(async () => {
    stack = await startTestStack({ FIXED_NOW: NOW, TEST_EID: 'on' });
    browser = await openBrowser();
  });

  const newPage = async (width = 1280, height = 900) => {
    await context?.close();
    context = await browser.newContext({ viewport: { width, height } });
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

  const h1 = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor();
  const noAxe = async () => expect(await axeViolations(page)).toEqual([]);
  const choose = async (name: string) => {
    await page.locator('label', { hasText: name }).first().click();
    expect(await page.getByRole('radio', { name, exact: false }).first().isChecked()).toBe(true);
  };
  const tick = async (name: string) => {
    await page.locator('label', { hasText: name }).first().click();
    expect(await page.getByRole('checkbox', { name, exact: false }).first().isChecked()).toBe(true);
  };
  /** The label of the focused input (focused() names an input by its id only). */
  const focusedLabel = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return (el?.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) || '';
    });
  const proceed = (lang: Lang) =>
    page.getByRole('button', { name: TEXTS[lang].continue, exact: true }).click();

  /** The two matters: in Swedish by keyboard alone (search, Tab, Space), in English by mouse. */
  async function chooseTwoMatters(lang: Lang) {
    const x = TEXTS[lang];
    await page.goto(`${stack.gatewayUrl}/boka?lang=${lang}`);
    await h1(x.service);
    await page.getByRole('checkbox').first().waitFor();
    if (lang === 'sv') {
      for (const [words, name] of [
        [x.idCardSearch, x.idCard],
        [x.jobSeekerSearch, x.jobSeeker],
      ] as const) {
        await page.locator('input#service-search').focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.type(words);
        await page.getByRole('checkbox', { name }).waitFor();
        for (let i = 0; i < 10 && !(await focusedLabel()).includes(name); i++)
          await page.keyboard.press('Tab');
        expect(await focusedLabel()).toContain(name);
        if (!(await page.getByRole('checkbox', { name }).isChecked()))
          await page.keyboard.press('Space');
      }
    } else {
      await page.getByLabel(x.search).fill(x.idCardSearch);
      await tick(x.idCard);
      await page.getByLabel(x.search).fill(x.jobSeekerSearch);
      await tick(x.jobSeeker);
    }
    expect(await page.getByRole('checkbox', { name: x.idCard }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: x.jobSeeker }).isChecked()).toBe(true);
  }

  it.each(['sv', 'en'] as const)(
    'a citizen books a joint visit in %s: two matters of two agencies, one visit',
    async (lang) => {
      const x = TEXTS[lang];
      const pnr = syntheticPersonnummer(++person, 1975);
      await chooseTwoMatters(lang);
      await noAxe();
      await screenshot(page, `booking-joint-service-${lang}`);
      await proceed(lang);

      // Only the offices that offer both: Hallsberg has no Arbetsförmedlingen.
      await h1(x.office);
      await page.getByRole('radio').first().waitFor();
      const offices = await page
        .getByRole('radio')
        .evaluateAll((els) =>
          els.map((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim()),
        );
      expect(offices.some((o) => o?.includes('Hallsberg'))).toBe(false);
      expect(offices.some((o) => o?.includes('Örebro'))).toBe(true);
      await noAxe();
      await choose(x.orebro);
      await proceed(lang);

      await h1(x.needs);
      await noAxe();
      await proceed(lang);

      // Joint times in the list view, each named in full in the office's zone.
      await h1(x.time);
      const first = page.locator('.time-button').first();
      await first.waitFor();
      const label = (await first.getAttribute('aria-label')) as string;
      expect(label).toMatch(x.weekday);
      await page.getByText(x.held, { exact: false }).waitFor();
      await noAxe();
      await screenshot(page, `booking-joint-time-${lang}`);
      await first.click();

      await h1(x.details);
      // Held at once: every part, with the countdown the single-matter hold has.
      await page.getByText(x.countdown, { exact: false }).first().waitFor();
      const held = await stack.sql<{ parts: number }>(
        `SELECT count(*)::int AS parts FROM scheduling.appointment
          WHERE status = 'HELD' AND hold_group IS NOT NULL`,
      );
      expect(held[0]?.parts).toBeGreaterThanOrEqual(2);
      await choose(x.yes);
      await page.locator('input#personnummer').fill(pnr);
      await page.locator('input#name').fill('Gemensam Besökare');
      await proceed(lang);

      await h1(x.check);
      const parts = page.locator('[data-test=parts] > li');
      expect(await parts.count()).toBe(2);
      const partsText = (await page.locator('[data-test=parts]').textContent()) ?? '';
      expect(partsText).toContain('Skatteverket');
      expect(partsText).toContain('Arbetsförmedlingen');
      expect(partsText).toContain(x.idCard);
      expect(partsText).toContain(x.jobSeeker);
      expect(await page.locator('[data-test=when]').textContent()).toContain(
        label.replace(` ${x.zone}`, ''),
      );
      await noAxe();
      await screenshot(page, `booking-joint-check-${lang}`);
      await page.getByRole('button', { name: x.book }).click();

      await h1(x.done);
      const reference = ((await page.locator('[data-test=reference]').textContent()) ?? '').trim();
      expect(reference).toMatch(/^[A-Z0-9-]{4,}$/);
      const doneParts = (await page.locator('[data-test=parts]').textContent()) ?? '';
      expect(doneParts).toContain('Skatteverket');
      expect(doneParts).toContain('Arbetsförmedlingen');
      // Changing or cancelling it is done on my booking, as for a single booking.
      expect(await page.locator('[data-test=joint-manage]').textContent()).toContain(x.my);
      await page.getByRole('link', { name: x.manage }).waitFor();
      await noAxe();
      await screenshot(page, `booking-joint-confirmation-${lang}`);

      // The booking exists, as one joint visit of both parts.
      const api = await stack.query<{
        jointVisitByReference: {
          start: string;
          end: string;
          status: string;
          appointments: Array<{ start: string; service: { agency: { name: string } } }>;
        };
      }>(JOINT_BY_REFERENCE, { r: reference, p: pnr });
      expect(api.errors).toBeUndefined();
      const visit = api.data?.jointVisitByReference;
      expect(visit?.status).toBe('BOOKED');
      expect(visit?.appointments.map((a) => a.service.agency.name).sort()).toEqual([
        'Arbetsförmedlingen',
        'Skatteverket',
      ]);

      // The calendar file: the whole visit, the same instants, each part in the description.
      // Downloaded by the link, as a person does (the pages' CSP refuses a script's fetch).
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: x.calendar }).click(),
      ]);
      const ics = readFileSync(await download.path(), 'utf8');
      const utc = (iso: string) =>
        new Date(iso)
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}Z$/, 'Z');
      expect(ics).toContain(`DTSTART:${utc(visit?.start ?? '')}\r\n`);
      expect(ics).toContain(`DTEND:${utc(visit?.end ?? '')}\r\n`);
      const unfolded = ics.replace(/\r\n /g, '');
      expect(unfolded).toContain('Skatteverket');
      expect(unfolded).toContain('Arbetsförmedlingen');
      // The local time of the page is the one in the description.
      const localTime = label.match(/\d\d:\d\d/)?.[0] as string;
      expect(unfolded).toContain(localTime);
    },
  );

  it.each([
    ['sv', 'Vi ska få barn', ['Bostadsbidrag', 'Rådgivning om föräldrapenning']],
    [
      'en',
      'I am retiring',
      ['Apply for your state pension', 'Housing supplement for pensioners', 'Pension guidance'],
    ],
    ['en', 'I have lost my ID', ['Apply for an ID card']],
  ] as const)(
    'in %s the life situation "%s" offers its matters, still grouped by agency',
    async (lang, situation, matters) => {
      const x = TEXTS[lang];
      await page.goto(`${stack.gatewayUrl}/boka?lang=${lang}`);
      await h1(x.service);
      await page.getByRole('checkbox').first().waitFor();
      const all = await page.getByRole('checkbox').count();
      await choose(situation);
      await page.waitForFunction(
        (n) => document.querySelectorAll('input[type=checkbox]').length === n,
        matters.length,
      );
      const labels = await page
        .getByRole('checkbox')
        .evaluateAll((els) =>
          els.map((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim()),
        );
      expect([...labels].sort()).toEqual([...matters].sort());
      expect(await page.locator('.service-group h2').count()).toBeGreaterThan(0);
      await noAxe();
      if (situation === 'Vi ska få barn') await screenshot(page, 'booking-situation-sv');
      // A matter ticked under a situation stays ticked, and "something else" shows all again.
      await tick(matters[0]);
      await choose(
        lang === 'sv' ? 'Något annat: visa alla ärenden' : 'Something else: show all matters',
      );
      expect(await page.getByRole('checkbox').count()).toBe(all);
      expect(await page.getByRole('checkbox', { name: matters[0] }).isChecked()).toBe(true);
    },
  );

  it("a held joint time stays the citizen's while others book; once the hold has run out and a part is taken, nothing is booked and the time page says which", async () => {
    const x = TEXTS.en;
    await chooseTwoMatters('en');
    await proceed('en');
    await h1(x.office);
    await choose(x.orebro);
    await proceed('en');
    await h1(x.needs);
    await proceed('en');
    await h1(x.time);
    const first = page.locator('.time-button').first();
    await first.waitFor();
    await first.click();
    await h1(x.details);
    await choose(x.yes);
    await page.locator('input#personnummer').fill(syntheticPersonnummer(++person, 1975));
    await page.locator('input#name').fill('Too Late');
    await proceed('en');
    await h1(x.check);

    // Meanwhile others book the same start until no chain of both services is left at it: the
    // citizen's held chain is not among what they can take.
    const offices = await stack.query<{
      offices: Array<{
        id: string;
        municipality: string;
        services: Array<{ id: string; code: string }>;
      }>;
    }>('{ offices { id municipality services { id code } } }');
    const orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro');
    const ids = ['register-jobseeker', 'id-card'].map(
      (code) => orebro?.services.find((s) => s.code === code)?.id,
    );
    const when = (await page.locator('[data-test=when]').textContent()) ?? '';
    const options = await stack.query<{ jointVisitOptions: Array<{ start: string }> }>(
      `query($s: [ID!]!, $o: ID!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: "2027-03-01", to: "2027-03-01", limit: 1) { start } }`,
      { s: ids, o: orebro?.id },
    );
    const start = options.data?.jointVisitOptions[0]?.start as string;
    expect(when).toContain(start.slice(11, 16));
    let full = false;
    for (let i = 0; i < 30 && !full; i++) {
      const other = await stack.query(
        `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference } }`,
        {
          input: {
            officeId: orebro?.id,
            serviceIds: ids,
            start,
            citizen: { personnummer: syntheticPersonnummer(++person, 1960), name: 'Someone Else' },
          },
        },
      );
      full = !!other.errors;
    }
    expect(full).toBe(true);
    // The hold runs out (as if the citizen had waited too long), and someone takes it.
    await stack.sql(
      `UPDATE scheduling.appointment SET hold_expires_at = $1::timestamptz - interval '1 minute'
        WHERE status = 'HELD' AND hold_group IS NOT NULL`,
      [NOW],
    );
    const taker = await stack.query(
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference } }`,
      {
        input: {
          officeId: orebro?.id,
          serviceIds: ids,
          start,
          citizen: { personnummer: syntheticPersonnummer(++person, 1960), name: 'Someone Late' },
        },
      },
    );
    expect(taker.errors).toBeUndefined();

    await page.getByRole('button', { name: x.book }).click();
    await h1(x.time);
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(
      /Someone else just booked the time for (Register as a job seeker|Apply for an ID card)/,
    );
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await noAxe();
    await screenshot(page, 'booking-joint-part-taken-en');
    // The taken start is no longer offered; another time can be chosen.
    await page.locator('.time-button').first().waitFor();
    expect(await page.locator('.time-button').first().getAttribute('aria-label')).not.toContain(
      start.slice(11, 16),
    );
  });

  /** One matter (the ID card, offered at every office) up to the office page. */
  async function idCardToOffices(lang: Lang) {
    const x = TEXTS[lang];
    await page.goto(`${stack.gatewayUrl}/boka?lang=${lang}`);
    await h1(x.service);
    await page.getByLabel(x.search).fill(x.idCardSearch);
    await tick(x.idCard);
    await proceed(lang);
    await h1(x.office);
    await page.getByRole('radio').first().waitFor();
  }
  const officeOrder = () =>
    page
      .getByRole('radio')
      .evaluateAll((els) =>
        els.map((el) => (el.parentElement?.textContent ?? '').replace(/\s+/g, ' ').trim()),
      );

  it('the nearest office first: from a chosen municipality, in km; alphabetical without one', async () => {
    await idCardToOffices('sv');
    const alphabetical = await officeOrder();
    expect(alphabetical.map((o) => /Servicekontor (\S+)/.exec(o)?.[1])).toEqual([
      'Eskilstuna',
      'Hallsberg',
      'Kiruna',
      'Örebro',
    ]);
    expect(alphabetical.join()).not.toContain(' km');
    await page.getByLabel('Eller välj en kommun').selectOption('Hallsberg');
    await page.getByText('sorterade efter avstånd från Hallsberg').first().waitFor();
    const order = await officeOrder();
    expect(order.map((o) => /Servicekontor (\S+)/.exec(o)?.[1])).toEqual([
      'Hallsberg',
      'Örebro',
      'Eskilstuna',
      'Kiruna',
    ]);
    expect(order[0]).toContain('0 km bort');
    expect(order[3]).toMatch(/\d{3} km bort/);
    await noAxe();
    await screenshot(page, 'booking-office-near-sv');
    await page.getByLabel('Eller välj en kommun').selectOption('');
    expect(await officeOrder()).toEqual(alphabetical);
  });

  it("the nearest office first from the browser's position; a refused position is said plainly", async () => {
    await context.close();
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      geolocation: { latitude: 67.83, longitude: 20.3 },
      permissions: ['geolocation'],
    });
    await context.clock.install({ time: new Date(NOW) });
    page = await context.newPage();
    await idCardToOffices('en');
    await page.getByRole('button', { name: 'Use my position' }).click();
    await page.getByText('sorted by distance from your position').first().waitFor();
    const order = await officeOrder();
    expect(order.map((o) => /Servicekontor (\S+)/.exec(o)?.[1])).toEqual([
      'Kiruna',
      'Eskilstuna',
      'Örebro',
      'Hallsberg',
    ]);
    expect(order[0]).toMatch(/\d(\.\d)? km away/);
    await noAxe();
    await screenshot(page, 'booking-office-position-en');

    // Without the permission the browser refuses, and the page says what to do instead.
    await newPage();
    await idCardToOffices('en');
    await page.getByRole('button', { name: 'Use my position' }).click();
    await page.locator('[data-test=position-message]').waitFor();
    expect(await page.locator('[data-test=position-message]').textContent()).toContain(
      'Choose a municipality instead',
    );
    await noAxe();
    await screenshot(page, 'booking-office-position-refused-en');
  });

  it('needs narrow the free times: a need no counter there has gives no times and says why', async () => {
    await idCardToOffices('en');
    await choose('Servicekontor Hallsberg');
    await proceed('en');
    await h1(TEXTS.en.needs);
    await screenshot(page, 'booking-needs-en');
    // Hallsberg has no counter with a hearing loop.
    await tick('A hearing loop');
    await proceed('en');
    await h1(TEXTS.en.time);
    await page.locator('[data-test=no-times]').waitFor();
    expect(await page.locator('[data-test=no-times]').textContent()).toContain('meet your needs');
    expect(await page.locator('.time-button').count()).toBe(0);
    await noAxe();
    await screenshot(page, 'booking-time-no-times-needs-en');
    // Without the need, the same week has times.
    await page.getByRole('link', { name: 'Back' }).click();
    await h1(TEXTS.en.needs);
    await page.locator('label', { hasText: 'A hearing loop' }).click();
    await proceed('en');
    await h1(TEXTS.en.time);
    await page.locator('.time-button').first().waitFor();
  });

  /** The ID card at Örebro, first free time, up to the details page. */
  async function idCardToDetails(lang: Lang) {
    const x = TEXTS[lang];
    await idCardToOffices(lang);
    await choose(x.orebro);
    await proceed(lang);
    await h1(x.needs);
    await proceed(lang);
    await h1(x.time);
    await page.locator('.time-button').first().click();
    await h1(x.details);
  }

  it('signed in with e-ID, the details are filled in and the number comes from the e-ID', async () => {
    const x = TEXTS.sv;
    await idCardToDetails('sv');
    const signIn = page.getByRole('link', {
      name: 'Logga in med e-legitimation för att fylla i dina uppgifter',
    });
    await signIn.waitFor();
    await page.getByText('de val du gjort hittills sparas inte', { exact: false }).waitFor();
    await noAxe();
    await screenshot(page, 'booking-details-eid-offer-sv');

    // Through the test e-ID's own page, as a person; back at the start of the booking.
    await signIn.click();
    await page.waitForURL((url) => url.origin === stack.testEidUrl);
    await page.getByRole('radio', { name: /Tolvan Tolvansson/ }).check();
    await page.getByRole('button', { name: 'Logga in / Sign in' }).click();
    await page.waitForURL((url) => url.origin === stack.gatewayUrl);
    expect(new URL(page.url()).pathname).toBe('/boka');
    await h1(x.service);

    await idCardToDetails('sv');
    await page.locator('[data-test=eid]').waitFor();
    expect(await page.locator('input#name').inputValue()).toBe('Tolvan Tolvansson');
    expect(await page.locator('input#personnummer').count()).toBe(0);
    expect(await page.locator('input#has-id-yes').count()).toBe(0);
    await noAxe();
    await screenshot(page, 'booking-details-eid-sv');
    await proceed('sv');
    await h1(x.check);
    expect(await page.locator('[data-test=identity]').textContent()).toContain(
      'Från din e-legitimation',
    );
    // No identity number anywhere on the page.
    expect(await page.locator('main').innerText()).not.toMatch(/1212/);
    await noAxe();
    await page.getByRole('button', { name: x.book }).click();
    await h1(x.done);
    const reference = ((await page.locator('[data-test=reference]').textContent()) ?? '').trim();
    // Booked for the e-ID's person: found with Tolvan's number.
    const api = await stack.query<{ appointmentByReference: { status: string } | null }>(
      `query($r: String!, $p: String) { appointmentByReference(reference: $r, personnummer: $p) { status } }`,
      { r: reference, p: '19121212-1212' },
    );
    expect(api.data?.appointmentByReference?.status).toBe('BOOKED');
  });

  /** Örebro and the two matters' ids, and a joint visit booked through the API at the first free start. */
  async function bookJointByApi(pnr: string) {
    const offices = await stack.query<{
      offices: Array<{
        id: string;
        municipality: string;
        services: Array<{ id: string; code: string }>;
      }>;
    }>('{ offices { id municipality services { id code } } }');
    const orebro = offices.data?.offices.find((o) => o.municipality === 'Örebro');
    const ids = ['id-card', 'register-jobseeker'].map(
      (code) => orebro?.services.find((s) => s.code === code)?.id,
    );
    const options = await stack.query<{ jointVisitOptions: Array<{ start: string }> }>(
      `query($s: [ID!]!, $o: ID!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: "2027-03-02", to: "2027-03-05", limit: 1) { start } }`,
      { s: ids, o: orebro?.id },
    );
    const start = options.data?.jointVisitOptions[0]?.start as string;
    const booked = await stack.query<{
      bookJointVisit: {
        reference: string;
        start: string;
        appointments: Array<{ reference: string }>;
      };
    }>(
      `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference start appointments { reference } } }`,
      {
        input: {
          officeId: orebro?.id,
          serviceIds: ids,
          start,
          citizen: { personnummer: pnr, name: 'Gemensam Ombokare' },
        },
      },
    );
    expect(booked.errors).toBeUndefined();
    const visit = booked.data?.bookJointVisit;
    if (!visit) throw new Error('the joint visit was not booked');
    return { officeId: orebro?.id as string, ids, visit };
  }
  const jointNow = async (reference: string, pnr: string) => {
    const api = await stack.query<{
      jointVisitByReference: {
        reference: string;
        status: string;
        start: string;
        appointments: Array<{ status: string; start: string }>;
      } | null;
    }>(JOINT_BY_REFERENCE, { r: reference, p: pnr });
    expect(api.errors).toBeUndefined();
    return api.data?.jointVisitByReference;
  };
  const h2 = (name: string) => page.getByRole('heading', { level: 2, name }).waitFor();

  it('in English my booking finds a joint visit, shows every part, says plainly when a new start was taken meanwhile, moves it and cancels it as a whole', async () => {
    const x = TEXTS.en;
    const pnr = syntheticPersonnummer(++person, 1971);
    const { officeId, ids, visit } = await bookJointByApi(pnr);

    await page.goto(`${stack.gatewayUrl}/min-bokning?lang=en`);
    await h1(x.my);
    await page.locator('input#reference').fill(visit.reference.toLowerCase());
    await page.locator('input#identity').fill(pnr);
    await page.getByRole('button', { name: x.find }).click();
    await h2(`${x.jointHeading} ${visit.reference}`);
    expect(await focused(page)).toBe(`h2: ${x.jointHeading} ${visit.reference}`);
    // Every part: agency, matter and its local time in the office's zone, and the address.
    const parts = page.locator('[data-test=parts] > li');
    expect(await parts.count()).toBe(2);
    const partsText = (await page.locator('[data-test=parts]').textContent()) ?? '';
    for (const text of ['Skatteverket', 'Arbetsförmedlingen', x.idCard, x.jobSeeker])
      expect(partsText).toContain(text);
    for (const when of await page.locator('[data-test=part-when]').allTextContents())
      expect(when.trim()).toMatch(
        /^(Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} [A-Z][a-z]+ \d\d:\d\d–\d\d:\d\d \(Swedish time\)$/,
      );
    expect(await page.locator('[data-test=when]').textContent()).toContain(
      visit.start.slice(11, 16),
    );
    expect(await page.locator('[data-test=address]').textContent()).toMatch(/Örebro/);
    await noAxe();
    await screenshot(page, 'my-booking-joint-found-en');

    // The move step: the joint picker for the same matters at the same office.
    await page.getByRole('button', { name: x.move }).click();
    await h2(x.moveHeading);
    expect(await focused(page)).toBe(`h2: ${x.moveHeading}`);
    const first = page.locator('.time-button').first();
    await first.waitFor();
    await noAxe();
    await screenshot(page, 'my-booking-joint-move-en');

    // Meanwhile others fill the first start offered: choosing it is refused in plain words.
    const firstLabel = (await first.getAttribute('aria-label')) as string;
    const day = `2027-03-${(firstLabel.match(/ (\d{1,2}) March/)?.[1] ?? '').padStart(2, '0')}`;
    const offered = await stack.query<{ jointVisitOptions: Array<{ start: string }> }>(
      `query($s: [ID!]!, $o: ID!, $d: Date!) { jointVisitOptions(serviceIds: $s, officeId: $o, from: $d, to: $d, limit: 1) { start } }`,
      { s: ids, o: officeId, d: day },
    );
    const takenStart = offered.data?.jointVisitOptions[0]?.start as string;
    expect(firstLabel).toContain(takenStart.slice(11, 16));
    let full = false;
    for (let i = 0; i < 30 && !full; i++) {
      const other = await stack.query(
        `mutation($input: BookJointVisitInput!) { bookJointVisit(input: $input) { reference } }`,
        {
          input: {
            officeId,
            serviceIds: ids,
            start: takenStart,
            citizen: { personnummer: syntheticPersonnummer(++person, 1961), name: 'Someone Else' },
          },
        },
      );
      full = !!other.errors;
    }
    expect(full).toBe(true);
    await first.click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(x.taken);
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('error-summary');
    await noAxe();
    await screenshot(page, 'my-booking-joint-move-taken-en');
    expect((await jointNow(visit.reference, pnr))?.start).toBe(visit.start);
    // The picker asks again: the taken start is no longer offered, nor the visit's own.
    await page.waitForFunction(
      (taken) =>
        document.querySelector('.time-button') !== null &&
        document.querySelector('.time-button')?.getAttribute('aria-label') !== taken,
      firstLabel,
    );
    const offeredNow = await page
      .locator('.time-button')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    expect(offeredNow).not.toContain(firstLabel);
    const ownDay = new Intl.DateTimeFormat('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: 'Europe/Stockholm',
    }).format(new Date(visit.start));
    expect(offeredNow).not.toContain(`${ownDay} ${visit.start.slice(11, 16)} ${x.zone}`);

    // Another time: the whole visit moves, every part with it.
    const other = page.locator('.time-button').nth(2);
    await other.waitFor();
    const label = (await other.getAttribute('aria-label')) as string;
    expect(label).not.toContain(takenStart.slice(11, 16));
    await other.click();
    await h2(x.moved);
    expect(await focused(page)).toBe(`h2: ${x.moved}`);
    const moved = await jointNow(visit.reference, pnr);
    expect(moved?.status).toBe('BOOKED');
    expect(moved?.start).not.toBe(visit.start);
    expect(label).toContain(moved?.start.slice(11, 16));
    expect(await page.locator('[data-test=when]').textContent()).toContain(
      moved?.start.slice(11, 16),
    );
    await noAxe();
    await screenshot(page, 'my-booking-joint-moved-en');

    // Cancel, after a confirm step: every part at once.
    await page.getByRole('button', { name: x.cancel }).click();
    await h2(x.cancelHeading);
    expect(await focused(page)).toBe(`h2: ${x.cancelHeading}`);
    await noAxe();
    await screenshot(page, 'my-booking-joint-cancel-en');
    await page.getByRole('button', { name: x.cancelYes }).click();
    await h2(x.cancelled);
    expect(await focused(page)).toBe(`h2: ${x.cancelled}`);
    await noAxe();
    await screenshot(page, 'my-booking-joint-cancelled-en');
    const cancelled = await jointNow(visit.reference, pnr);
    expect(cancelled?.status).toBe('CANCELLED');
    expect(cancelled?.appointments.every((a) => a.status === 'CANCELLED')).toBe(true);
  });

  it("in Swedish by keyboard alone: a part's own reference finds the whole joint visit, which is moved, kept on Esc, and cancelled", async () => {
    const x = TEXTS.sv;
    const pnr = syntheticPersonnummer(++person, 1972);
    const { visit } = await bookJointByApi(pnr);
    const partReference = visit.appointments[1]?.reference as string;
    expect(partReference).not.toBe(visit.reference);
    const tabTo = async (match: (f: string) => boolean, max = 80) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (match(await focused(page))) return;
      }
      throw new Error(`never reached; last focus ${await focused(page)}`);
    };
    const heading = `${x.jointHeading} ${visit.reference}`;

    await page.goto(`${stack.gatewayUrl}/min-bokning?lang=sv`);
    await h1(x.my);
    await tabTo((f) => f.startsWith('input#reference'));
    await page.keyboard.type(partReference);
    await page.keyboard.press('Tab');
    await page.keyboard.type(pnr);
    await page.keyboard.press('Enter');
    await h2(heading);
    expect(await focused(page)).toBe(`h2: ${heading}`);
    expect(await page.locator('[data-test=parts] > li').count()).toBe(2);
    const partsText = (await page.locator('[data-test=parts]').textContent()) ?? '';
    for (const text of ['Skatteverket', 'Arbetsförmedlingen', x.idCard, x.jobSeeker])
      expect(partsText).toContain(text);
    for (const when of await page.locator('[data-test=part-when]').allTextContents())
      expect(when.trim()).toMatch(
        /^(måndag|tisdag|onsdag|torsdag|fredag) \d{1,2} [a-zåäö]+ \d\d:\d\d–\d\d:\d\d \(svensk tid\)$/,
      );
    await noAxe();
    await screenshot(page, 'my-booking-joint-found-sv');

    await tabTo((f) => f === `button: ${x.move}`);
    await page.keyboard.press('Enter');
    await h2(x.moveHeading);
    expect(await focused(page)).toBe(`h2: ${x.moveHeading}`);
    await page.locator('.time-button').first().waitFor();
    await noAxe();
    let label = '';
    await tabTo((f) => {
      const m =
        /^button: ((måndag|tisdag|onsdag|torsdag|fredag) \d{1,2} [a-zåäö]+ \d\d:\d\d \(svensk tid\))$/.exec(
          f,
        );
      label = m?.[1] ?? '';
      return !!m && !label.includes(visit.start.slice(11, 16));
    });
    await page.keyboard.press('Enter');
    await h2(x.moved);
    expect(await focused(page)).toBe(`h2: ${x.moved}`);
    const moved = await jointNow(visit.reference, pnr);
    expect(moved?.status).toBe('BOOKED');
    expect(moved?.start).not.toBe(visit.start);
    expect(label).toContain(moved?.start.slice(11, 16));
    await noAxe();
    await screenshot(page, 'my-booking-joint-moved-sv');

    // The confirm step, left by Esc: nothing changes.
    await tabTo((f) => f === `button: ${x.cancel}`);
    await page.keyboard.press('Enter');
    await h2(x.cancelHeading);
    expect(await focused(page)).toBe(`h2: ${x.cancelHeading}`);
    await noAxe();
    await screenshot(page, 'my-booking-joint-cancel-sv');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await h2(heading);
    expect((await jointNow(visit.reference, pnr))?.status).toBe('BOOKED');

    await tabTo((f) => f === `button: ${x.cancel}`);
    await page.keyboard.press('Enter');
    await h2(x.cancelHeading);
    await tabTo((f) => f === `button: ${x.cancelYes}`);
    await page.keyboard.press('Enter');
    await h2(x.cancelled);
    expect(await focused(page)).toBe(`h2: ${x.cancelled}`);
    await noAxe();
    await screenshot(page, 'my-booking-joint-cancelled-sv');
    const cancelled = await jointNow(visit.reference, pnr);
    expect(cancelled?.status).toBe('CANCELLED');
    expect(cancelled?.appointments.every((a) => a.status === 'CANCELLED')).toBe(true);
  });

  it('a wrong number for a joint reference gets the same neutral message as an unknown reference', async () => {
    const x = TEXTS.sv;
    const pnr = syntheticPersonnummer(++person, 1973);
    const { visit } = await bookJointByApi(pnr);
    const messageFor = async (reference: string, identity: string) => {
      await page.goto(`${stack.gatewayUrl}/min-bokning?lang=sv`);
      await h1(x.my);
      await page.locator('input#reference').fill(reference);
      await page.locator('input#identity').fill(identity);
      await page.getByRole('button', { name: x.find }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      expect(await page.evaluate(() => document.activeElement?.className)).toContain(
        'error-summary',
      );
      await noAxe();
      return (await summary.textContent())?.trim();
    };
    const wrong = syntheticPersonnummer(++person, 1973);
    const joint = await messageFor(visit.reference, wrong);
    await screenshot(page, 'my-booking-joint-not-found-sv');
    const part = await messageFor(visit.appointments[0]?.reference as string, wrong);
    const email = await messageFor(visit.reference, 'someone@example.com');
    const unknown = await messageFor('ZZZZ99', wrong);
    expect(joint).toContain(x.notFound);
    expect(part).toBe(joint);
    expect(email).toBe(joint);
    expect(unknown).toBe(joint);
  });

  it('fits 320 px: the joint visit pages without horizontal scrolling', async () => {
    await newPage(320, 640);
    const overflow = () =>
      page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    const x = TEXTS.sv;
    await chooseTwoMatters('sv');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'booking-joint-service-sv-320px');
    await proceed('sv');
    await h1(x.office);
    await choose(x.orebro);
    await proceed('sv');
    await h1(x.needs);
    await proceed('sv');
    await h1(x.time);
    await page.locator('.time-button').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'booking-joint-time-sv-320px');
    await page.locator('.time-button').first().click();
    await h1(x.details);
    await choose(x.yes);
    await page.locator('input#personnummer').fill(syntheticPersonnummer(++person, 1975));
    await page.locator('input#name').fill('Smal Skärm');
    await proceed('sv');
    await h1(x.check);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'booking-joint-check-sv-320px');

    // My booking's joint visit view, too.
    const pnr = syntheticPersonnummer(++person, 1974);
    const { visit } = await bookJointByApi(pnr);
    await page.goto(`${stack.gatewayUrl}/min-bokning?lang=sv`);
    await h1(x.my);
    await page.locator('input#reference').fill(visit.reference);
    await page.locator('input#identity').fill(pnr);
    await page.getByRole('button', { name: x.find }).click();
    await h2(`${x.jointHeading} ${visit.reference}`);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'my-booking-joint-found-sv-320px');
    await page.getByRole('button', { name: x.move }).click();
    await page.locator('.time-button').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
