import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../../..');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

const LAMBDA_ONLY = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
];

/**
 * A real Chromium for the browser suites: the one @sparticuz/chromium ships inside its npm
 * package (the global setup unpacks it and names it in SAMSERVICE_CHROMIUM), or Debian's
 * `chromium` when SAMSERVICE_CHROMIUM points there instead.
 */
export async function openBrowser(): Promise<Browser> {
  const executablePath = process.env.SAMSERVICE_CHROMIUM;
  if (!executablePath) throw new Error('SAMSERVICE_CHROMIUM is not set (the global setup sets it)');
  // The package's flags are for AWS Lambda; these would make the browser unlike a person's
  // (no web security) or fragile (one process: closing a context ends the browser).
  const args = (JSON.parse(process.env.SAMSERVICE_CHROMIUM_ARGS ?? '[]') as string[]).filter(
    (arg) => !LAMBDA_ONLY.some((flag) => arg.startsWith(flag)),
  );
  return chromium.launch({ executablePath, args, headless: true });
}

/** WCAG 2.1 A and AA, as the issue asks: wcag2a, wcag2aa, wcag21a, wcag21aa. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe's violations on the page as it is now, one line each (id, impact, where). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Contrast is judged on what stays on screen, not mid-way through a colour transition (a
  // button just pressed fades to its next colour): transitions and animations end at once.
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
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
