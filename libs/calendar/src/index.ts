export * from './lib/swedish-holidays';
export * from './lib/opening-hours';
