import { CLAIMS, InvalidClaimsError, claimsForPrincipal, principalFromClaims } from './claims';
import type { Principal } from './principal';

describe('principalFromClaims', () => {
  const principals: Array<Exclude<Principal, { role: 'anonymous' }>> = [
    { role: 'citizen', subject: 'c1', personnummer: '191212121212' },
    {
      role: 'staff',
      subject: 's1',
      offices: ['o1', 'o2'],
      adminOffices: ['o1'],
      competences: ['FK', 'SKV/id-card'],
    },
    { role: 'agency', subject: 'a1', clientId: 'fk-integration', agency: 'FK' },
    { role: 'admin', subject: 'root' },
  ];

  it.each(principals)('reads back what claimsForPrincipal wrote for a $role', (principal) => {
    expect(principalFromClaims(claimsForPrincipal(principal))).toEqual(principal);
  });

  it.each([
    [{ sub: 'x' }, /exactly one Samservice role/],
    [{ sub: 'x', roles: ['staff', 'admin'] }, /exactly one Samservice role/],
    [{ sub: 'x', roles: 'admin' }, /must be an array/],
    [{ roles: ['admin'] }, /claim sub is required/],
    [{ sub: 'x', roles: ['citizen'] }, /personalIdentityNumber is required/],
    [{ sub: 'x', roles: ['citizen'], [CLAIMS.personalIdentityNumber]: '121212-1212' }, /12 digits/],
    [{ sub: 'x', roles: ['staff'] }, /offices is required/],
    [{ sub: 'x', roles: ['agency'], client_id: 'c' }, /agency is required/],
  ])('refuses %p', (claims, message) => {
    expect(() => principalFromClaims(claims)).toThrow(InvalidClaimsError);
    expect(() => principalFromClaims(claims)).toThrow(message);
  });
});
