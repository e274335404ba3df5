import { reactive } from 'vue';

export interface ChosenService {
  id: string;
  nameSv: string;
  nameEn: string;
  agencyName: string;
  documentsSv: string;
  documentsEn: string;
  languages: string[];
}

export interface ChosenOffice {
  id: string;
  name: string;
  timeZone: string;
  streetAddress: string;
  postalCode: string;
  municipality: string;
}

export interface Hold {
  token: string;
  start: string;
  end: string;
  expiresAt: string;
}

export interface Details {
  /** 'eid': signed in with e-ID, the identity number comes from there (never the page). */
  hasIdentityNumber: 'yes' | 'no' | 'eid' | '';
  personnummer: string;
  birthDate: string;
  name: string;
  email: string;
  phone: string;
}

/** One part of a joint visit: a matter of one agency, back to back with the others. */
export interface JointPart {
  serviceId: string;
  start: string;
  end: string;
}

/** The chosen time of a joint visit (see `holds.ts` for whether it is reserved). */
export interface JointChoice {
  start: string;
  end: string;
  parts: JointPart[];
  /** The joint hold's token and expiry, once the API has joint holds; null until then. */
  token: string | null;
  expiresAt: string | null;
}

export interface BookedJoint {
  reference: string;
  start: string;
  end: string;
  office: ChosenOffice;
  parts: Array<{ reference: string; service: ChosenService; start: string; end: string }>;
}

export interface Booked {
  reference: string;
  start: string;
  end: string;
  service: ChosenService;
  office: ChosenOffice;
}

const emptyDetails = (): Details => ({
  hasIdentityNumber: '',
  personnummer: '',
  birthDate: '',
  name: '',
  email: '',
  phone: '',
});

/**
 * The citizen's answers so far, in memory only (personal data never in storage or the
 * address). A reload loses it, and a later step then sends the citizen back to the start.
 */
export const booking = reactive({
  /** The life situation the matters were narrowed to on the first page ('' for all). */
  situation: '',
  /** The chosen matters: one is an ordinary booking, two or more a joint visit. */
  services: [] as ChosenService[],
  /** The only matter of an ordinary booking (null for a joint visit). */
  get service(): ChosenService | null {
    return this.services.length === 1 ? (this.services[0] ?? null) : null;
  },
  get joint(): boolean {
    return this.services.length > 1;
  },
  office: null as ChosenOffice | null,
  /** Where the offices are sorted from: the citizen's position or a chosen municipality. */
  near: null as
    | { kind: 'position'; latitude: number; longitude: number }
    | { kind: 'municipality'; label: string }
    | null,
  /** The language of the visit (ISO 639-1) and its needs: asked before the time, they narrow it. */
  language: 'sv',
  needs: [] as string[],
  /** Set once the needs page is answered. */
  needsDone: false,
  hold: null as Hold | null,
  jointChoice: null as JointChoice | null,
  details: emptyDetails(),
  detailsDone: false,
  booked: null as Booked | null,
  bookedJoint: null as BookedJoint | null,
  /** The matter of a joint visit whose part was taken at booking, for the time page to say. */
  takenPart: null as string | null,
  /** Set when a later step was opened without the answers before it. */
  lostState: false,
});

export function resetBooking(): void {
  booking.situation = '';
  booking.services = [];
  booking.office = null;
  booking.near = null;
  booking.hold = null;
  booking.jointChoice = null;
  booking.language = 'sv';
  booking.needs = [];
  booking.needsDone = false;
  booking.details = emptyDetails();
  booking.detailsDone = false;
}

/** Whether a time is chosen: a hold for one matter, a joint choice for several. */
export function timeChosen(): boolean {
  return booking.joint ? !!booking.jointChoice : !!booking.hold;
}

/** The step a page needs before it; false when everything needed is there. */
export function missingStep(
  step: 'office' | 'needs' | 'time' | 'details' | 'check' | 'done',
): boolean {
  const matters = booking.services.length > 0;
  switch (step) {
    case 'office':
      return !matters;
    case 'needs':
      return !matters || !booking.office;
    case 'time':
      return !matters || !booking.office || !booking.needsDone;
    case 'details':
      return !matters || !booking.office || !timeChosen();
    case 'check':
      return !matters || !booking.office || !timeChosen() || !booking.detailsDone;
    case 'done':
      return !booking.booked && !booking.bookedJoint;
  }
}
