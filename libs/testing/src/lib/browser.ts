import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumLaunch } from '@samservice/stack/web';

const ROOT = path.resolve(__dirname, '../../../..');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

/** A real Chromium for the browser suites (see chromiumLaunch; the global setup provides it). */
export async function openBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ ...chromiumLaunch(), headless: true });
  // Every page of every context records what the Content Security Policy blocked, and
  // axeViolations reports it: a page that needs more than the policy allows fails its test.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`),
      );
    });
    return context;
  };
  return browser;
}

/** WCAG 2.1 A and AA, as the issue asks: wcag2a, wcag2aa, wcag21a, wcag21aa. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe's violations on the page as it is now, one line each (id, impact, where), and after
 * them anything the page's Content Security Policy blocked so far (`csp: …`).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Contrast is judged on what stays on screen, not mid-way through a colour transition (a
  // button just pressed fades to its next colour): transitions and animations end at once.
  // A constructed style sheet, since the pages' CSP refuses an inline <style>.
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '*, *::before, *::after { transition: none !important; animation: none !important; }',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const blocked = await page.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
  );
  return [
    ...result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
    ...blocked.map((line) => `csp: ${line}`),
  ];
}

/** A screenshot of the whole page into docs/screenshots/<name>.png (linked from the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The element that has focus now, as a short description (for keyboard-only tests). */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return 'none';
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${text}`;
  });
}
