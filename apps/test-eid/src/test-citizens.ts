/**
 * The test e-ID's citizens. Skatteverket's published test numbers and synthetic ones, never
 * a real person's: Tolvan Tolvansson's 191212121212 is the classic Swedish test identity.
 */
export const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';
export const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
export const LOA4 = 'http://id.elegnamnden.se/loa/1.0/loa4';

export interface TestCitizen {
  /** The e-ID's subject for this person (a broker gives a stable, opaque one). */
  id: string;
  personnummer: string;
  givenName: string;
  familyName: string;
  birthdate: string;
  /** The assurance level of the e-ID this person signs in with. */
  acr: string;
  /** What the login page says about the e-ID. */
  method: string;
}

export const TEST_CITIZENS: readonly TestCitizen[] = [
  {
    id: 'test-tolvan',
    personnummer: '191212121212',
    givenName: 'Tolvan',
    familyName: 'Tolvansson',
    birthdate: '1912-12-12',
    acr: LOA3,
    method: 'BankID',
  },
  {
    id: 'test-anna',
    personnummer: '198112289874',
    givenName: 'Anna',
    familyName: 'Testsson',
    birthdate: '1981-12-28',
    acr: LOA3,
    method: 'Freja+',
  },
  {
    id: 'test-sam',
    personnummer: '197010632391',
    givenName: 'Sam',
    familyName: 'Samordning',
    birthdate: '1970-10-03',
    acr: LOA3,
    method: 'BankID (samordningsnummer)',
  },
  {
    id: 'test-lena',
    personnummer: '199001012385',
    givenName: 'Lena',
    familyName: 'Lågnivå',
    birthdate: '1990-01-01',
    acr: LOA2,
    method: 'Freja (basic, assurance level 2)',
  },
];

export function testCitizen(id: string): TestCitizen | undefined {
  return TEST_CITIZENS.find((citizen) => citizen.id === id);
}
