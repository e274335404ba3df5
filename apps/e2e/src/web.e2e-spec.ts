import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  axeViolations,
  focused,
  openBrowser,
  screenshot,
  startTestStack,
  type TestStack,
} from '@samservice/testing';

/**
 * The web's frame in a real Chromium, served by the gateway at its origin: the start page
 * (the offices, from the API), the accessibility statement, the language switch and the
 * keyboard path through the frame, in Swedish and English, with axe on every page.
 */
describe('the web: start page, accessibility statement and the frame', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await openBrowser();
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

  const open = async (path: string) => {
    await page.goto(`${stack.gatewayUrl}${path}`);
    await page.locator('h1').waitFor();
  };

  it.each([
    ['sv', 'Besök ett servicekontor', 'Örebro'],
    ['en', 'Visit a service office', 'Örebro'],
  ])(
    'the start page in %s lists the offices from the API, with lang set and no axe violation',
    async (lang, heading, municipality) => {
      await open(`/?lang=${lang}`);
      expect(await page.locator('h1').textContent()).toBe(heading);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await page.locator('.office-list li').first().waitFor();
      expect(await page.locator('.office-list').textContent()).toContain(municipality);
      expect(await page.title()).toBe(`${heading} – Samservice`);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `start-${lang}`);
      expect(await page.locator('main').ariaSnapshot()).toMatchSnapshot();
    },
  );

  it('switching the language keeps the page, and changes lang and the title', async () => {
    await open('/tillganglighet?lang=sv');
    expect(await page.locator('h1').textContent()).toBe('Tillgänglighetsredogörelse');
    await page.getByRole('button', { name: 'In English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/tillganglighet');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe('Accessibility statement – Samservice');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'accessibility-en');
  });

  it('works by keyboard alone: the skip link first, then the frame; a page change moves focus to its heading', async () => {
    await open('/?lang=sv');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a: Hoppa till innehållet');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^main#main/);
    // On to the footer's link to the statement, by Tab alone, and open it with Enter.
    for (let i = 0; i < 20 && !(await focused(page)).includes('Tillgänglighetsredogörelse'); i++)
      await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('a: Tillgänglighetsredogörelse');
    // Focus is visible: the focused link draws an outline.
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Tillgänglighetsredogörelse' }).waitFor();
    expect(await focused(page)).toBe('h1: Tillgänglighetsredogörelse');
  });

  it('fits 320 px without horizontal scrolling, and 200 % zoom', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    page = await context.newPage();
    await open('/?lang=sv');
    await page.locator('.office-list li').first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'start-sv-320px');

    await context.close();
    context = await browser.newContext({
      viewport: { width: 640, height: 450 },
      deviceScaleFactor: 2,
    });
    page = await context.newPage();
    await open('/?lang=en');
    await page.evaluate(() => {
      document.body.style.zoom = '2';
    });
    expect(await page.locator('h1').isVisible()).toBe(true);
  });

  it('the pages come with a strict Content Security Policy and the other security headers; the API without the CSP', async () => {
    const root = await fetch(`${stack.gatewayUrl}/`);
    expect(root.headers.get('content-security-policy')).toContain('default-src');
    const pageAnswer = await fetch(`${stack.gatewayUrl}/boka`);
    const csp = pageAnswer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(pageAnswer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(pageAnswer.headers.get('x-frame-options')).toBe('DENY');
    expect(pageAnswer.headers.get('referrer-policy')).toBe('no-referrer');
    // The entry page is asked again each time; the content-hashed assets are cached for
    // good, and sent compressed.
    expect(pageAnswer.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await pageAnswer.text())?.[1];
    const asset = await fetch(`${stack.gatewayUrl}${script}`, {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toMatch(/^(gzip|br)$/);
    const api = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('content-security-policy')).toBeNull();
    expect(api.headers.get('content-encoding')).toBeNull();
    // The policy holds in a real browser: the page works and nothing was blocked (axeViolations
    // reports every CSP refusal of the page, on every page of every browser test).
    await open('/?lang=sv');
    await page.locator('.office-list li').first().waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // And the watch sees a refusal: an injected inline script does not run, and is reported.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect(await axeViolations(page)).toEqual([expect.stringMatching(/^csp: script-src/)]);
  });

  it('an unknown address shows a page that says so, with a way home', async () => {
    await open('/finns-inte?lang=sv');
    expect(await page.locator('h1').textContent()).toBe('Sidan finns inte');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Till startsidan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Besök ett servicekontor' }).waitFor();
  });
});
