/**
 * Straight-line distances between places on the Earth (haversine, mean Earth radius), to put
 * the nearest service office first. Plain data in and out: no browser, no clock.
 */
export interface Point {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** The great-circle distance in km between two points. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The offices nearest first from `from`, each with its distance; ties (and no `from` at all)
 * by name, alphabetically in Swedish. The input is not changed.
 */
export function byDistance<T extends { name: string; coordinates: Point }>(
  offices: readonly T[],
  from: Point | null,
): Array<T & { distanceKm: number | null }> {
  const withDistance = offices.map((office) => ({
    ...office,
    distanceKm: from ? distanceKm(from, office.coordinates) : null,
  }));
  return withDistance.sort(
    (a, b) => (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.name.localeCompare(b.name, 'sv'),
  );
}

/** Where a municipality of the network is: the middle of its offices' coordinates. */
export function municipalityPoint(
  offices: ReadonlyArray<{ municipality: string; coordinates: Point }>,
  municipality: string,
): Point | null {
  const own = offices.filter((o) => o.municipality === municipality);
  if (own.length === 0) return null;
  return {
    latitude: own.reduce((sum, o) => sum + o.coordinates.latitude, 0) / own.length,
    longitude: own.reduce((sum, o) => sum + o.coordinates.longitude, 0) / own.length,
  };
}

/** "12 km", "0,8 km" / "0.8 km": whole km from 10 km, one decimal below. */
export function formatKm(km: number, locale: 'sv' | 'en'): string {
  const digits = km < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(km)} km`;
}
