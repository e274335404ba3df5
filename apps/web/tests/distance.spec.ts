import { byDistance, distanceKm, formatKm, municipalityPoint } from '../src/lib/booking/distance';

const orebro = { latitude: 59.2741, longitude: 15.2066 };
const eskilstuna = { latitude: 59.3712, longitude: 16.5098 };
const hallsberg = { latitude: 59.0667, longitude: 15.11 };
const kiruna = { latitude: 67.8558, longitude: 20.2253 };

describe('distances to the service offices', () => {
  it('measures great-circle distances (haversine) in km', () => {
    expect(distanceKm(orebro, orebro)).toBe(0);
    // Örebro–Eskilstuna is about 75 km as the crow flies, Örebro–Kiruna about 990 km.
    expect(distanceKm(orebro, eskilstuna)).toBeGreaterThan(73);
    expect(distanceKm(orebro, eskilstuna)).toBeLessThan(77);
    expect(distanceKm(orebro, kiruna)).toBeGreaterThan(980);
    expect(distanceKm(orebro, kiruna)).toBeLessThan(1000);
    // Symmetric; one degree of latitude is about 111 km.
    expect(distanceKm(kiruna, orebro)).toBeCloseTo(distanceKm(orebro, kiruna), 9);
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 })).toBeCloseTo(
      111.2,
      1,
    );
    // Antipodes: half the circumference, no NaN from rounding.
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(
      20015.1,
      0,
    );
  });

  const offices = [
    { name: 'Servicekontor Örebro centrum', municipality: 'Örebro', coordinates: orebro },
    { name: 'Servicekontor Kiruna', municipality: 'Kiruna', coordinates: kiruna },
    { name: 'Servicekontor Hallsberg', municipality: 'Hallsberg', coordinates: hallsberg },
    { name: 'Servicekontor Eskilstuna', municipality: 'Eskilstuna', coordinates: eskilstuna },
  ];

  it('puts the nearest office first, with its distance; without a place, alphabetically', () => {
    const fromHallsberg = byDistance(offices, hallsberg);
    expect(fromHallsberg.map((o) => o.municipality)).toEqual([
      'Hallsberg',
      'Örebro',
      'Eskilstuna',
      'Kiruna',
    ]);
    expect(fromHallsberg[0]?.distanceKm).toBe(0);
    expect(byDistance(offices, null).map((o) => o.municipality)).toEqual([
      'Eskilstuna',
      'Hallsberg',
      'Kiruna',
      'Örebro',
    ]);
    expect(byDistance(offices, null)[0]?.distanceKm).toBeNull();
    // The input keeps its order.
    expect(offices[0]?.municipality).toBe('Örebro');
  });

  it("places a municipality at its offices' middle; unknown ones nowhere", () => {
    expect(municipalityPoint(offices, 'Kiruna')).toEqual(kiruna);
    const two = [
      ...offices,
      { name: 'B', municipality: 'Örebro', coordinates: { latitude: 59.3, longitude: 15.3 } },
    ];
    expect(municipalityPoint(two, 'Örebro')?.latitude).toBeCloseTo((59.2741 + 59.3) / 2, 9);
    expect(municipalityPoint(offices, 'Luleå')).toBeNull();
  });

  it('writes distances as people read them', () => {
    expect(formatKm(0.84, 'sv')).toBe('0,8 km');
    expect(formatKm(0.84, 'en')).toBe('0.8 km');
    expect(formatKm(75.4, 'sv')).toBe('75 km');
    expect(formatKm(987.6, 'en')).toBe('988 km');
  });
});
