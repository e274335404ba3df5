/** Who is calling, as established by the gateway from a verified token. */
export type Role = 'citizen' | 'staff' | 'agency' | 'admin';

export const ROLES: readonly Role[] = ['citizen', 'staff', 'agency', 'admin'];

export interface AnonymousPrincipal {
  role: 'anonymous';
}

export interface CitizenPrincipal {
  role: 'citizen';
  subject: string;
  /** 12-digit personnummer or samordningsnummer, as the e-ID asserted it. */
  personnummer: string;
}

export interface StaffPrincipal {
  role: 'staff';
  subject: string;
  /** Offices the staff member works at. */
  offices: string[];
  /** Offices where the staff member may also change the office's set-up. */
  adminOffices: string[];
  /** Agency codes (`FK`) or single services (`FK/parental-benefit`) the person is trained for. */
  competences: string[];
}

export interface AgencyPrincipal {
  role: 'agency';
  subject: string;
  /** OAuth client id of the agency's integration. */
  clientId: string;
  /** The agency's code, e.g. `FK`; the client sees only this agency's data. */
  agency: string;
}

export interface AdminPrincipal {
  role: 'admin';
  subject: string;
}

export type Principal =
  AnonymousPrincipal | CitizenPrincipal | StaffPrincipal | AgencyPrincipal | AdminPrincipal;

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ role: 'anonymous' });
