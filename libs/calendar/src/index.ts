export * from './lib/swedish-holidays';
export * from './lib/opening-hours';
export * from './lib/local-time';
export { isoInZone, offsetAt, ianaZone } from './lib/zone-offsets';
