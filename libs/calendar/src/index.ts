export * from './lib/swedish-holidays';
export * from './lib/opening-hours';
export * from './lib/local-time';
