export { buildWeb, generateOperations, webIsStale, WEB_DIST } from './lib/web-build';
