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
  hasIdentityNumber: 'yes' | 'no' | '';
  personnummer: string;
  birthDate: string;
  name: string;
  email: string;
  phone: string;
  language: string;
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
  language: 'sv',
});

/**
 * The citizen's answers so far, in memory only (personal data never in storage or the
 * address). A reload loses it, and a later step then sends the citizen back to the start.
 */
export const booking = reactive({
  service: null as ChosenService | null,
  office: null as ChosenOffice | null,
  hold: null as Hold | null,
  details: emptyDetails(),
  detailsDone: false,
  booked: null as Booked | null,
  /** Set when a later step was opened without the answers before it. */
  lostState: false,
});

export function resetBooking(): void {
  booking.service = null;
  booking.office = null;
  booking.hold = null;
  booking.details = emptyDetails();
  booking.detailsDone = false;
}

/** The step a page needs before it; false when everything needed is there. */
export function missingStep(step: 'office' | 'time' | 'details' | 'check' | 'done'): boolean {
  switch (step) {
    case 'office':
      return !booking.service;
    case 'time':
      return !booking.service || !booking.office;
    case 'details':
      return !booking.service || !booking.office || !booking.hold;
    case 'check':
      return !booking.service || !booking.office || !booking.hold || !booking.detailsDone;
    case 'done':
      return !booking.booked;
  }
}
