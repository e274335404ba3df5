import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWeb, chromiumLaunch, provideChromium, webIsStale } from '@samservice/stack/web';
import { progress } from './lib/output';
import { percentile, round } from './lib/stats';
import { runBench } from './lib/system';

/**
 * bench:web — the booking start (/boka: the first question, the matters listed from the
 * API) opened cold on an emulated mid-range phone: Chromium with a phone's screen, 4× CPU
 * slowdown and Lighthouse's "Slow 4G" (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up),
 * a fresh cache each round. Reports first contentful paint, largest contentful paint, the
 * moment the matters can be chosen, and the bytes of JavaScript and CSS the phone fetched.
 *
 * Baseline in the same run, under the same emulation, alternating with the page: a static
 * HTML page with the same heading and no script or style, from a plain Node server on the
 * same machine. Its first paint is the floor the connection and the phone set; the ratios say
 * what the web adds to it.
 */

const ROUNDS = Number(process.env.BENCH_WEB_ROUNDS ?? 7);
const CPU_SLOWDOWN = 4;
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const PHONE = {
  viewport: { width: 360, height: 780 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Mobile Safari/537.36',
  locale: 'sv-SE',
};

const BASELINE_HTML = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baslinje</title></head>
<body><main><h1>Vad gäller ditt besök?</h1><p>En statisk sida utan skript och stil.</p></main></body></html>`;

interface Round {
  fcpMs: number;
  lcpMs: number;
  readyMs: number;
  jsTransferBytes: number;
  jsBytes: number;
  cssTransferBytes: number;
  requests: number;
}

async function openPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return page;
}

/** Opens `url` on a fresh phone and waits for `ready` (a selector); the page's own timings. */
async function measure(browser: Browser, url: string, ready: string): Promise<Round> {
  const page = await openPhone(browser);
  try {
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForSelector(ready, { timeout: 60_000 });
    const readyMs = await page.evaluate(() => performance.now());
    // LCP settles at the next frames; a short wait lets the observer see the last candidate.
    await page.waitForTimeout(300);
    return await page.evaluate((readyAt) => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const scripts = resources.filter((r) => r.name.endsWith('.js'));
      const styles = resources.filter((r) => r.name.endsWith('.css'));
      const sum = (list: PerformanceResourceTiming[], key: 'transferSize' | 'decodedBodySize') =>
        list.reduce((n, r) => n + r[key], 0);
      return {
        fcpMs: paint?.startTime ?? Number.NaN,
        lcpMs: (window as unknown as { __lcp: number }).__lcp,
        readyMs: readyAt,
        jsTransferBytes: sum(scripts, 'transferSize'),
        jsBytes: sum(scripts, 'decodedBodySize'),
        cssTransferBytes: sum(styles, 'transferSize'),
        requests: resources.length + 1,
      };
    }, readyMs);
  } finally {
    await page.context().close();
  }
}

async function baselineServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(BASELINE_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

void (async () => {
  if (webIsStale()) {
    progress('bench:web: building the web');
    await buildWeb({ quiet: true });
  }
  await provideChromium();
  await runBench(
    'bench:web',
    async ({ stack }) => {
      const { server, url: baselineUrl } = await baselineServer();
      const browser = await chromium.launch({ ...chromiumLaunch(), headless: true });
      try {
        const pageUrl = `${stack.gatewayUrl}/boka?lang=sv`;
        // One unmeasured round of each: Chromium's own first-launch work is not the page's.
        await measure(browser, baselineUrl, 'h1');
        await measure(browser, pageUrl, '#service-form input');
        const baseline: Round[] = [];
        const booking: Round[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          baseline.push(await measure(browser, baselineUrl, 'h1'));
          booking.push(await measure(browser, pageUrl, '#service-form input'));
          progress(
            `round ${i + 1}/${ROUNDS}: baseline FCP ${round(baseline[i].fcpMs)} ms; /boka FCP ${round(booking[i].fcpMs)} ms, matters listed at ${round(booking[i].readyMs)} ms`,
          );
        }
        const m = (list: Round[], key: keyof Round) =>
          percentile(
            list.map((r) => r[key]),
            50,
          );
        const baselineFcp = m(baseline, 'fcpMs');
        const figures = {
          rounds: ROUNDS,
          emulation: 'phone 360×780 @3x, CPU 4× slower, Slow 4G (150 ms RTT, 1.6 Mbit/s down)',
          baselineFcpMs: round(baselineFcp),
          bookingFcpMs: round(m(booking, 'fcpMs')),
          bookingLcpMs: round(m(booking, 'lcpMs')),
          bookingMattersListedMs: round(m(booking, 'readyMs')),
          fcpRatio: round(m(booking, 'fcpMs') / baselineFcp, 2),
          mattersListedRatio: round(m(booking, 'readyMs') / baselineFcp, 2),
          jsTransferKiB: round(m(booking, 'jsTransferBytes') / 1024, 1),
          jsDecodedKiB: round(m(booking, 'jsBytes') / 1024, 1),
          cssTransferKiB: round(m(booking, 'cssTransferBytes') / 1024, 1),
          requests: m(booking, 'requests'),
        };
        progress(
          `/boka on a slow phone: first paint ${figures.bookingFcpMs} ms (${figures.fcpRatio}× the static baseline's ${figures.baselineFcpMs} ms), matters listed at ${figures.bookingMattersListedMs} ms (${figures.mattersListedRatio}×); JavaScript ${figures.jsTransferKiB} KiB over the wire (${figures.jsDecodedKiB} KiB unpacked), CSS ${figures.cssTransferKiB} KiB, ${figures.requests} requests`,
        );
        return figures;
      } finally {
        await browser.close();
        server.close();
      }
    },
    { deadlineMs: 300_000 },
  );
})();
