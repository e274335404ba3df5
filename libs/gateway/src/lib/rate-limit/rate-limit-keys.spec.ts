import { addressKey, rateLimitSubject } from './rate-limit-keys';

const LIMITS = { perIp: 600, perClient: 300, perAgencyClient: 3_000 };

describe('rateLimitSubject', () => {
  it('counts anonymous callers per address, signed-in callers per identity', () => {
    expect(rateLimitSubject({ role: 'anonymous' }, '192.0.2.7', LIMITS)).toEqual({
      key: 'ip:192.0.2.7',
      limit: 600,
    });
    expect(rateLimitSubject(undefined, '::ffff:192.0.2.7', LIMITS)?.key).toBe('ip:192.0.2.7');
    expect(
      rateLimitSubject({ role: 'citizen', subject: 's-1', personnummer: 'x' }, '192.0.2.7', LIMITS),
    ).toEqual({ key: 'client:citizen:s-1', limit: 300 });
    const staff = { offices: [], adminOffices: [], competences: [] };
    expect(
      rateLimitSubject({ role: 'staff', subject: 'anna', ...staff }, '192.0.2.7', LIMITS),
    ).toEqual({ key: 'client:staff:anna', limit: 300 });
    expect(
      rateLimitSubject(
        { role: 'agency', subject: 'fk-app', clientId: 'fk-app', agency: 'FK' },
        '192.0.2.7',
        LIMITS,
      ),
    ).toEqual({ key: 'agency:fk-app', limit: 3_000 });
    expect(rateLimitSubject({ role: 'anonymous' }, undefined, LIMITS)).toBeUndefined();
  });

  it('hashes a very long subject, so a key stays small', () => {
    const key = rateLimitSubject({ role: 'admin', subject: 'x'.repeat(5_000) }, undefined, LIMITS)
      ?.key as string;
    expect(key).toMatch(/^client:admin:sha256:[0-9a-f]{64}$/);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
  ])('counts %s as %s (an IPv6 subscriber has a whole /64)', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
