import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { ianaZone, isoInZone, offsetAt } from './zone-offsets';

const ZONES = [
  'Europe/Stockholm',
  'Europe/London',
  'America/St_Johns', // -03:30 with summer time
  'Australia/Lord_Howe', // a 30-minute summer shift
  'Asia/Kathmandu', // +05:45
  'Pacific/Apia', // skipped a whole day in 2011
  'America/Sao_Paulo',
  'UTC',
];

const instants = fc.integer({
  min: Date.UTC(1900, 0, 1),
  max: Date.UTC(2200, 0, 1),
});

describe('offsetAt', () => {
  it('answers as the zone does, for any instant 1900–2200, asked in any order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(instants, { minLength: 1, maxLength: 50 }),
        (name, times) => {
          const zone = IANAZone.create(name);
          for (const instant of times) expect(offsetAt(zone, instant)).toBe(zone.offset(instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is exact around the instants Stockholm changes its clocks', () => {
    const zone = ianaZone('Europe/Stockholm');
    const spring = Date.parse('2027-03-28T01:00:00Z');
    const autumn = Date.parse('2027-10-31T01:00:00Z');
    for (const change of [spring, autumn]) {
      for (const delta of [-3_600_000, -60_000, -1, 0, 1, 60_000, 3_600_000]) {
        expect(offsetAt(zone, change + delta)).toBe(zone.offset(change + delta));
      }
    }
    expect(offsetAt(zone, spring - 1)).toBe(60);
    expect(offsetAt(zone, spring)).toBe(120);
    expect(offsetAt(zone, autumn - 1)).toBe(120);
    expect(offsetAt(zone, autumn)).toBe(60);
  });

  it('refuses an unknown zone', () => {
    expect(() => ianaZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('isoInZone', () => {
  it("writes what luxon's toISO writes, with and without milliseconds", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instants, fc.boolean(), (zone, instant, suppress) => {
        expect(isoInZone(instant, zone, { suppressMilliseconds: suppress })).toBe(
          DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: suppress }),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes local wall time and offset on both sides of a change', () => {
    expect(isoInZone(Date.parse('2027-03-28T00:59:00Z'), 'Europe/Stockholm')).toBe(
      '2027-03-28T01:59:00.000+01:00',
    );
    expect(
      isoInZone(Date.parse('2027-03-28T01:00:00Z'), 'Europe/Stockholm', {
        suppressMilliseconds: true,
      }),
    ).toBe('2027-03-28T03:00:00+02:00');
  });
});
