export { buildWeb, generateOperations, webIsStale, WEB_DIST } from './lib/web-build';
export { chromiumLaunch, provideChromium, type ChromiumLaunch } from './lib/chromium';
