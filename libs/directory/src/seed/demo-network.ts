import type { AgencyLevelValue } from '../agencies/agency.entity';

/**
 * The demo network seeded into an empty database (`npm start`, `npm run db:seed`): four
 * offices in four municipalities, the state agencies that share them and each
 * municipality's own citizen services. Names and addresses are realistic, not real.
 */
export interface DemoAgency {
  code: string;
  name: string;
  level: AgencyLevelValue;
  /**
   * Active bookings one citizen may hold across the agency's services at once. Where an
   * agency has more services than this, it is what stops one person booking every one of
   * them on spec; where it has fewer, each service's own limit is the tighter one.
   */
  maxActiveBookings: number;
}

export interface DemoService {
  agency: string;
  code: string;
  nameSv: string;
  nameEn: string;
  duration: number;
  buffer?: number;
  granularity?: number;
  notice?: number;
  horizon: number;
  privateRoom?: boolean;
  languages: string[];
  documentsSv?: string;
  documentsEn?: string;
  maxActive?: number;
  /** Minutes per person beyond the first (default 0). */
  perPerson?: number;
  /** People one booking may cover (default 1). */
  maxParty?: number;
  /** The life situations (LifeSituation) the booking offers the matter under (default none). */
  lifeSituations?: string[];
}

export interface DemoCounter {
  name: string;
  privateRoom?: boolean;
  accessibleDesk?: boolean;
  hearingLoop?: boolean;
}

export interface DemoAllocation {
  counter: string;
  agency: string;
  weekdays: number[];
  start: string;
  end: string;
}

export interface DemoStaff {
  name: string;
  languages: string[];
  /** Agency codes (`FK`) or single services (`FK/parental-benefit`). */
  competences: string[];
  /** Weekdays worked and hours; Thursday shifts run to 18:00 where the office is open. */
  shifts: Array<{ weekdays: number[]; start: string; end: string }>;
  officeAdmin?: boolean;
  /** Also works these weekdays at another office (by office key). */
  alsoAt?: { office: string; weekdays: number[]; start: string; end: string };
}

export interface DemoOffice {
  key: string;
  name: string;
  streetAddress: string;
  postalCode: string;
  municipality: string;
  latitude: number;
  longitude: number;
  accessibility: {
    stepFreeAccess: boolean;
    accessibleToilet: boolean;
    hearingLoop: boolean;
    accessibleParking: boolean;
    note: string;
  };
  agencies: string[];
  /** Services offered: every active service of these agencies unless listed in `without`. */
  without?: string[];
  counters: DemoCounter[];
  allocations: DemoAllocation[];
  staff: DemoStaff[];
}

// FK (five services) and SKV (four: a move to Sweden, its coordination number and an ID card
// often go together) allow three matters at once; PM and AF (three each) two; MIGR and the
// municipalities (one and two services) two, so their services' own limits decide.
export const DEMO_AGENCIES: DemoAgency[] = [
  { code: 'FK', name: 'Försäkringskassan', level: 'STATE', maxActiveBookings: 3 },
  { code: 'SKV', name: 'Skatteverket', level: 'STATE', maxActiveBookings: 3 },
  { code: 'PM', name: 'Pensionsmyndigheten', level: 'STATE', maxActiveBookings: 2 },
  { code: 'AF', name: 'Arbetsförmedlingen', level: 'STATE', maxActiveBookings: 2 },
  { code: 'MIGR', name: 'Migrationsverket', level: 'STATE', maxActiveBookings: 2 },
  { code: 'OREBRO', name: 'Örebro kommun', level: 'MUNICIPALITY', maxActiveBookings: 2 },
  { code: 'ESKILSTUNA', name: 'Eskilstuna kommun', level: 'MUNICIPALITY', maxActiveBookings: 2 },
  { code: 'HALLSBERG', name: 'Hallsbergs kommun', level: 'MUNICIPALITY', maxActiveBookings: 2 },
  { code: 'KIRUNA', name: 'Kiruna kommun', level: 'MUNICIPALITY', maxActiveBookings: 2 },
];

const ID_DOCUMENTS_SV = 'Giltig id-handling (pass, id-kort eller körkort).';
const ID_DOCUMENTS_EN = 'A valid identity document (passport, ID card or driving licence).';

const municipalServices = (agency: string): DemoService[] => [
  {
    agency,
    code: 'citizen-guidance',
    lifeSituations: ['MOVING_TO_SWEDEN'],
    nameSv: 'Medborgarvägledning',
    nameEn: 'Citizen guidance',
    duration: 30,
    horizon: 60,
    languages: ['sv', 'en', 'ar', 'so'],
    // A family new in town asks about school, preschool and housing together.
    perPerson: 5,
    maxParty: 4,
  },
  {
    agency,
    code: 'budget-advice',
    nameSv: 'Budget- och skuldrådgivning',
    nameEn: 'Budget and debt counselling',
    duration: 60,
    buffer: 10,
    granularity: 30,
    notice: 240,
    horizon: 90,
    privateRoom: true,
    languages: ['sv', 'en'],
    documentsSv: 'Lönebesked, hyresavi och de räkningar du vill ha hjälp med.',
    documentsEn: 'Pay slips, your rent notice and the bills you want help with.',
    // A household's budget: both partners come, the hour is the same.
    perPerson: 0,
    maxParty: 2,
  },
];

/**
 * Party rules (`perPerson`, `maxParty`): matters a family or a couple brings together get a
 * party, with the minutes each further person adds at the counter. Matters that are one
 * person's own (sickness benefit, registering as a job seeker, a tax return, questions
 * about an application, disability support, where a companion comes along but adds no
 * matter) stay at one person and no extra time.
 */
export const DEMO_SERVICES: DemoService[] = [
  {
    agency: 'SKV',
    code: 'id-card',
    lifeSituations: ['LOST_ID', 'MOVING_TO_SWEDEN'],
    nameSv: 'Ansöka om id-kort',
    nameEn: 'Apply for an ID card',
    duration: 15,
    horizon: 90,
    languages: ['sv', 'en'],
    documentsSv: `${ID_DOCUMENTS_SV} Avgiften ska vara betald.`,
    documentsEn: `${ID_DOCUMENTS_EN} The fee must be paid.`,
    // A guardian with children: each card needs its own photo, signature and identity check.
    perPerson: 10,
    maxParty: 4,
  },
  {
    agency: 'SKV',
    code: 'move-to-sweden',
    lifeSituations: ['MOVING_TO_SWEDEN'],
    nameSv: 'Anmäla flytt till Sverige',
    nameEn: 'Register a move to Sweden',
    duration: 30,
    horizon: 180,
    languages: ['sv', 'en', 'ar', 'pl'],
    documentsSv:
      'Pass, uppehållstillstånd eller EU-registrering, anställningsavtal eller antagningsbesked.',
    documentsEn:
      'Passport, residence permit or EU registration, employment contract or letter of admission.',
    // A family registers its move together; each person is checked and registered.
    perPerson: 10,
    maxParty: 6,
  },
  {
    agency: 'SKV',
    code: 'coordination-number',
    lifeSituations: ['MOVING_TO_SWEDEN'],
    nameSv: 'Ansöka om samordningsnummer',
    nameEn: 'Apply for a coordination number',
    duration: 20,
    horizon: 120,
    languages: ['sv', 'en'],
    documentsSv: ID_DOCUMENTS_SV,
    documentsEn: ID_DOCUMENTS_EN,
    // Family members who come to work or study apply together, one check each.
    perPerson: 10,
    maxParty: 4,
  },
  {
    agency: 'SKV',
    code: 'tax-return-help',
    nameSv: 'Hjälp med inkomstdeklarationen',
    nameEn: 'Help with your income tax return',
    duration: 20,
    horizon: 365,
    languages: ['sv', 'en', 'fi'],
  },
  {
    agency: 'FK',
    code: 'parental-benefit',
    lifeSituations: ['NEW_BABY'],
    nameSv: 'Rådgivning om föräldrapenning',
    nameEn: 'Parental benefit advice',
    duration: 20,
    horizon: 90,
    languages: ['sv', 'en', 'ar', 'so', 'ti'],
    // Both parents plan their days together.
    perPerson: 10,
    maxParty: 2,
  },
  {
    agency: 'FK',
    code: 'sickness-benefit',
    nameSv: 'Sjukpenning – frågor och ansökan',
    nameEn: 'Sickness benefit: questions and application',
    duration: 30,
    horizon: 60,
    privateRoom: true,
    languages: ['sv', 'en'],
    documentsSv: 'Läkarintyg om du har ett.',
    documentsEn: 'A medical certificate if you have one.',
  },
  {
    agency: 'FK',
    code: 'housing-allowance',
    lifeSituations: ['NEW_BABY'],
    nameSv: 'Bostadsbidrag',
    nameEn: 'Housing allowance',
    duration: 20,
    horizon: 60,
    languages: ['sv', 'en', 'ar'],
    // One household, one application: the adults of the household may both come.
    perPerson: 5,
    maxParty: 2,
  },
  {
    agency: 'FK',
    code: 'eu-card',
    nameSv: 'Beställa EU-kort',
    nameEn: 'Order a European Health Insurance Card',
    duration: 10,
    granularity: 10,
    horizon: 30,
    languages: ['sv', 'en'],
    // Each traveller needs a card of their own; a family orders them at once.
    perPerson: 5,
    maxParty: 6,
  },
  {
    agency: 'FK',
    code: 'disability-support',
    nameSv: 'Stöd vid funktionsnedsättning',
    nameEn: 'Support for people with disabilities',
    duration: 45,
    buffer: 15,
    notice: 240,
    horizon: 90,
    privateRoom: true,
    languages: ['sv', 'en'],
  },
  {
    agency: 'PM',
    code: 'pension-guidance',
    lifeSituations: ['RETIRING'],
    nameSv: 'Pensionsvägledning',
    nameEn: 'Pension guidance',
    duration: 30,
    horizon: 120,
    languages: ['sv', 'en', 'fi'],
    // A couple plans retirement together; each has a pension of their own to go through.
    perPerson: 15,
    maxParty: 2,
  },
  {
    agency: 'PM',
    code: 'housing-supplement',
    lifeSituations: ['RETIRING'],
    nameSv: 'Bostadstillägg för pensionärer',
    nameEn: 'Housing supplement for pensioners',
    duration: 30,
    horizon: 90,
    languages: ['sv', 'fi'],
    // A married couple's supplement is assessed on both incomes.
    perPerson: 10,
    maxParty: 2,
  },
  {
    agency: 'PM',
    code: 'apply-pension',
    lifeSituations: ['RETIRING'],
    nameSv: 'Ansöka om allmän pension',
    nameEn: 'Apply for your state pension',
    duration: 30,
    horizon: 180,
    languages: ['sv', 'en'],
    // Couples often retire together; each application is its own.
    perPerson: 15,
    maxParty: 2,
  },
  {
    agency: 'AF',
    code: 'register-jobseeker',
    lifeSituations: ['LOOKING_FOR_WORK'],
    nameSv: 'Skriva in sig som arbetssökande',
    nameEn: 'Register as a job seeker',
    duration: 30,
    horizon: 30,
    languages: ['sv', 'en', 'ar', 'so', 'ti', 'fa'],
  },
  {
    agency: 'AF',
    code: 'job-guidance',
    lifeSituations: ['LOOKING_FOR_WORK'],
    nameSv: 'Vägledning i jobbsökandet',
    nameEn: 'Job search guidance',
    duration: 45,
    horizon: 60,
    languages: ['sv', 'en', 'ar'],
  },
  {
    agency: 'AF',
    code: 'foreign-education',
    lifeSituations: ['LOOKING_FOR_WORK', 'MOVING_TO_SWEDEN'],
    nameSv: 'Bedömning av utländsk utbildning – vägledning',
    nameEn: 'Recognition of foreign education: guidance',
    duration: 30,
    horizon: 90,
    languages: ['sv', 'en', 'ar', 'fa'],
    documentsSv: 'Examensbevis och betyg, gärna översatta.',
    documentsEn: 'Diplomas and transcripts, translated if possible.',
  },
  {
    agency: 'MIGR',
    code: 'biometrics',
    lifeSituations: ['MOVING_TO_SWEDEN'],
    nameSv: 'Lämna fingeravtryck och foto för uppehållstillståndskort',
    nameEn: 'Biometrics for your residence permit card',
    duration: 15,
    notice: 240,
    horizon: 60,
    languages: ['sv', 'en', 'ar'],
    documentsSv: 'Pass och beslutet om uppehållstillstånd.',
    documentsEn: 'Your passport and the residence permit decision.',
    // A family's permit cards: fingerprints and a photo of each person.
    perPerson: 10,
    maxParty: 6,
  },
  {
    agency: 'MIGR',
    code: 'application-questions',
    nameSv: 'Frågor om din ansökan',
    nameEn: 'Questions about your application',
    duration: 20,
    horizon: 60,
    languages: ['sv', 'en', 'ar', 'ti', 'fa'],
  },
  ...municipalServices('OREBRO'),
  ...municipalServices('ESKILSTUNA'),
  ...municipalServices('HALLSBERG'),
  ...municipalServices('KIRUNA'),
];

const ALL_WEEK = [1, 2, 3, 4, 5];
const fullTime = (start = '09:00') => [
  { weekdays: [1, 2, 3, 5], start, end: '16:00' },
  { weekdays: [4], start, end: '18:00' },
];
const ACCESSIBLE = {
  stepFreeAccess: true,
  accessibleToilet: true,
  hearingLoop: true,
  accessibleParking: true,
};

export const DEMO_OFFICES: DemoOffice[] = [
  {
    key: 'orebro',
    name: 'Servicekontor Örebro centrum',
    streetAddress: 'Järntorgsgatan 3',
    postalCode: '703 61',
    municipality: 'Örebro',
    latitude: 59.2741,
    longitude: 15.2066,
    accessibility: {
      ...ACCESSIBLE,
      note: 'Entré i gatuplan från Järntorget. Teleslinga vid disk 1 och i samtalsrummet.',
    },
    agencies: ['FK', 'SKV', 'PM', 'AF', 'MIGR', 'OREBRO'],
    counters: [
      { name: 'Disk 1', accessibleDesk: true, hearingLoop: true },
      { name: 'Disk 2', accessibleDesk: true },
      { name: 'Disk 3' },
      { name: 'Disk 4' },
      { name: 'Disk 5' },
      { name: 'Disk 6' },
      { name: 'Disk 7' },
      { name: 'Samtalsrum', privateRoom: true, accessibleDesk: true, hearingLoop: true },
    ],
    allocations: [
      { counter: 'Disk 5', agency: 'FK', weekdays: [1, 2, 3], start: '09:00', end: '12:00' },
      { counter: 'Disk 6', agency: 'SKV', weekdays: [2, 4], start: '09:00', end: '16:00' },
      { counter: 'Disk 7', agency: 'MIGR', weekdays: [3], start: '13:00', end: '16:00' },
    ],
    staff: [
      {
        name: 'Anna Lindqvist',
        languages: ['sv', 'en'],
        competences: ['FK', 'SKV'],
        shifts: fullTime(),
        officeAdmin: true,
      },
      {
        name: 'Mohammed Al-Hassan',
        languages: ['sv', 'ar', 'en'],
        competences: ['FK', 'AF', 'MIGR'],
        shifts: fullTime(),
      },
      {
        name: 'Karin Johansson',
        languages: ['sv', 'fi'],
        competences: ['PM', 'FK/housing-allowance'],
        shifts: fullTime(),
      },
      { name: 'Erik Nilsson', languages: ['sv', 'en'], competences: ['SKV'], shifts: fullTime() },
      {
        name: 'Fatuma Warsame',
        languages: ['sv', 'so', 'en'],
        competences: ['AF', 'OREBRO'],
        shifts: fullTime(),
      },
      {
        name: 'Lars Berg',
        languages: ['sv'],
        competences: ['PM', 'SKV/id-card'],
        shifts: [{ weekdays: [1, 2, 3], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Sara Ekström',
        languages: ['sv', 'en', 'de'],
        competences: ['FK', 'PM', 'SKV'],
        shifts: fullTime(),
      },
      {
        name: 'Tesfay Gebremedhin',
        languages: ['sv', 'ti', 'en'],
        competences: ['MIGR', 'AF'],
        shifts: fullTime(),
      },
      {
        name: 'Maria Svensson',
        languages: ['sv', 'en'],
        competences: ['OREBRO', 'FK/parental-benefit'],
        shifts: fullTime(),
      },
      {
        name: 'Ali Rezaei',
        languages: ['sv', 'fa', 'en'],
        competences: ['AF', 'SKV/move-to-sweden'],
        shifts: fullTime(),
      },
      {
        name: 'Elin Håkansson',
        languages: ['sv', 'en'],
        competences: ['FK'],
        shifts: [{ weekdays: [3, 4, 5], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Jonas Pettersson',
        languages: ['sv', 'en'],
        competences: ['SKV', 'PM'],
        shifts: [{ weekdays: [1, 2], start: '09:00', end: '16:00' }],
        alsoAt: { office: 'hallsberg', weekdays: [3, 5], start: '09:00', end: '16:00' },
      },
    ],
  },
  {
    key: 'eskilstuna',
    name: 'Servicekontor Eskilstuna',
    streetAddress: 'Kungsgatan 13',
    postalCode: '632 20',
    municipality: 'Eskilstuna',
    latitude: 59.3712,
    longitude: 16.5098,
    accessibility: {
      ...ACCESSIBLE,
      accessibleParking: false,
      note: 'Hiss från Fristadstorget. Parkering för rörelsehindrade i Kungsgaraget.',
    },
    agencies: ['FK', 'SKV', 'PM', 'AF', 'ESKILSTUNA'],
    counters: [
      { name: 'Disk 1', accessibleDesk: true, hearingLoop: true },
      { name: 'Disk 2' },
      { name: 'Disk 3' },
      { name: 'Disk 4' },
      { name: 'Disk 5' },
      { name: 'Samtalsrum', privateRoom: true, accessibleDesk: true },
    ],
    allocations: [
      { counter: 'Disk 4', agency: 'AF', weekdays: [1], start: '09:00', end: '12:00' },
      { counter: 'Disk 5', agency: 'PM', weekdays: [4], start: '13:00', end: '18:00' },
    ],
    staff: [
      {
        name: 'Helena Sjöberg',
        languages: ['sv', 'en'],
        competences: ['FK', 'PM'],
        shifts: fullTime(),
        officeAdmin: true,
      },
      {
        name: 'Ahmed Yusuf',
        languages: ['sv', 'so', 'ar'],
        competences: ['AF', 'FK'],
        shifts: fullTime(),
      },
      {
        name: 'Mikael Lund',
        languages: ['sv', 'fi'],
        competences: ['SKV', 'PM'],
        shifts: fullTime(),
      },
      {
        name: 'Johanna Wikström',
        languages: ['sv', 'en'],
        competences: ['ESKILSTUNA', 'FK/parental-benefit'],
        shifts: fullTime(),
      },
      {
        name: 'Piotr Nowak',
        languages: ['sv', 'pl', 'en'],
        competences: ['SKV', 'AF'],
        shifts: fullTime(),
      },
      {
        name: 'Linnea Forsberg',
        languages: ['sv'],
        competences: ['PM'],
        shifts: [{ weekdays: [2, 3, 4], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Yasmin Khalil',
        languages: ['sv', 'ar', 'en'],
        competences: ['FK', 'SKV', 'AF'],
        shifts: fullTime(),
      },
      {
        name: 'Oskar Dahl',
        languages: ['sv', 'en'],
        competences: ['SKV'],
        shifts: [{ weekdays: [1, 4, 5], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Birgitta Holm',
        languages: ['sv'],
        competences: ['ESKILSTUNA', 'PM/housing-supplement'],
        shifts: fullTime(),
      },
    ],
  },
  {
    key: 'hallsberg',
    name: 'Servicekontor Hallsberg',
    streetAddress: 'Västra Storgatan 12',
    postalCode: '694 30',
    municipality: 'Hallsberg',
    latitude: 59.0667,
    longitude: 15.11,
    accessibility: {
      ...ACCESSIBLE,
      hearingLoop: false,
      note: 'Ramp vid entrén. Ingen teleslinga.',
    },
    agencies: ['FK', 'SKV', 'PM', 'HALLSBERG'],
    counters: [
      { name: 'Disk 1', accessibleDesk: true },
      { name: 'Disk 2' },
      { name: 'Disk 3' },
      { name: 'Samtalsrum', privateRoom: true, accessibleDesk: true },
    ],
    allocations: [{ counter: 'Disk 2', agency: 'FK', weekdays: [2], start: '09:00', end: '12:00' }],
    staff: [
      {
        name: 'Gunilla Persson',
        languages: ['sv'],
        competences: ['FK', 'PM', 'HALLSBERG'],
        shifts: fullTime(),
        officeAdmin: true,
      },
      {
        name: 'Daniel Öberg',
        languages: ['sv', 'en'],
        competences: ['SKV', 'FK'],
        shifts: fullTime(),
      },
      {
        name: 'Amira Haddad',
        languages: ['sv', 'ar'],
        competences: ['FK', 'HALLSBERG'],
        shifts: [{ weekdays: [1, 2, 3], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Ulla Karlsson',
        languages: ['sv', 'fi'],
        competences: ['PM', 'SKV/tax-return-help'],
        shifts: [{ weekdays: [2, 3, 4], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Henrik Ström',
        languages: ['sv', 'en'],
        competences: ['SKV', 'PM'],
        shifts: [{ weekdays: [1, 4, 5], start: '09:00', end: '16:00' }],
      },
    ],
  },
  {
    key: 'kiruna',
    name: 'Servicekontor Kiruna',
    streetAddress: 'Stadshustorget 2',
    postalCode: '981 31',
    municipality: 'Kiruna',
    latitude: 67.8558,
    longitude: 20.2253,
    accessibility: { ...ACCESSIBLE, note: 'I nya stadshuset. Entré i markplan.' },
    agencies: ['FK', 'SKV', 'AF', 'MIGR', 'KIRUNA'],
    without: ['FK/disability-support'],
    counters: [
      { name: 'Disk 1', accessibleDesk: true, hearingLoop: true },
      { name: 'Disk 2' },
      { name: 'Disk 3' },
      { name: 'Samtalsrum', privateRoom: true, accessibleDesk: true, hearingLoop: true },
    ],
    allocations: [
      { counter: 'Disk 3', agency: 'MIGR', weekdays: [3], start: '09:00', end: '16:00' },
    ],
    staff: [
      {
        name: 'Nils Labba',
        languages: ['sv', 'se', 'fi'],
        competences: ['KIRUNA', 'SKV'],
        shifts: fullTime(),
        officeAdmin: true,
      },
      {
        name: 'Aino Niemi',
        languages: ['sv', 'fi', 'en'],
        competences: ['FK', 'SKV'],
        shifts: fullTime(),
      },
      {
        name: 'Samuel Tesfaye',
        languages: ['sv', 'ti', 'am', 'en'],
        competences: ['MIGR', 'AF'],
        shifts: fullTime(),
      },
      {
        name: 'Emma Blind',
        languages: ['sv', 'en'],
        competences: ['FK', 'AF', 'KIRUNA'],
        shifts: fullTime(),
      },
      {
        name: 'Per Kuhmunen',
        languages: ['sv', 'se'],
        competences: ['SKV', 'FK/eu-card'],
        shifts: [{ weekdays: [1, 2, 5], start: '09:00', end: '16:00' }],
      },
      {
        name: 'Leila Ahmadi',
        languages: ['sv', 'fa', 'en'],
        competences: ['MIGR', 'SKV/move-to-sweden'],
        shifts: [{ weekdays: ALL_WEEK, start: '10:00', end: '15:00' }],
      },
    ],
  },
];

/** Monday–Friday 09:00–16:00, Thursday until 18:00. */
export const DEMO_WEEKLY_HOURS = [
  { weekday: 1, start: '09:00', end: '16:00' },
  { weekday: 2, start: '09:00', end: '16:00' },
  { weekday: 3, start: '09:00', end: '16:00' },
  { weekday: 4, start: '09:00', end: '18:00' },
  { weekday: 5, start: '09:00', end: '16:00' },
];
