/**
 * What the staff pages keep in this tab's sessionStorage only: the development token, the
 * chosen office (staff of several offices), the counter and the ticket at it.
 */
export const STAFF_TOKEN_KEY = 'samservice.staffToken';
export const STAFF_OFFICE_KEY = 'samservice.staffOffice';
export const STAFF_COUNTER_KEY = 'samservice.staffCounter';
export const STAFF_TICKET_KEY = 'samservice.staffTicket';

/** The masked form of an identity number, as the schedule shows it: the birth date only. */
export function maskIdentityNumber(typed: string): string {
  const digits = typed.replace(/\D/g, '');
  const birth = digits.length === 12 ? digits.slice(0, 8) : digits.slice(0, 6);
  return `${birth}-****`;
}

/** The gateway's staff sign-in (`/auth/staff/session`): who is signed in by its cookie. */
export interface StaffSession {
  signedIn: boolean;
  /** The organisation's identity provider is set up (STAFF_OIDC_ISSUER, or the test one). */
  signInAvailable: boolean;
  /** Development: a pasted development token is accepted too. */
  developmentTokens: boolean;
  name?: string | null;
  offices?: string[];
  expiresAt?: string | null;
}

export async function loadStaffSession(): Promise<StaffSession> {
  try {
    const response = await fetch('/auth/staff/session', { credentials: 'same-origin' });
    return (await response.json()) as StaffSession;
  } catch {
    return { signedIn: false, signInAvailable: false, developmentTokens: false };
  }
}

/** Sign in at the organisation's identity provider, coming back to `returnTo`. */
export function staffSignInUrl(returnTo = '/personal'): string {
  return `/auth/staff/login?returnTo=${encodeURIComponent(returnTo)}`;
}

/** Ends the staff session here, then at the identity provider when it has a logout page. */
export async function staffSignOut(): Promise<void> {
  const response = await fetch('/auth/staff/logout', {
    method: 'POST',
    credentials: 'same-origin',
  });
  const { endSessionUrl } = (await response.json()) as { endSessionUrl: string | null };
  if (endSessionUrl) window.location.assign(endSessionUrl);
}
