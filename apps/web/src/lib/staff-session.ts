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
