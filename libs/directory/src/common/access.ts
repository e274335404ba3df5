import { requireRole, type Principal } from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';

/** Network-wide set-up (agencies, services, new offices): administrators only. */
export function requireAdmin(principal: Principal): void {
  requireRole(principal, 'admin');
}

/** Changes to one office: administrators, or staff of that office with the admin flag. */
export function requireOfficeAdmin(principal: Principal, officeId: string): void {
  requireRole(principal, 'admin', 'staff');
  if (principal.role === 'staff' && !principal.adminOffices.includes(officeId)) {
    throw DomainError.forbidden('Only administrators of this office may change it.');
  }
}

/** Staff details of an office: administrators, or staff working at that office. */
export function requireStaffOf(principal: Principal, officeId: string): void {
  requireRole(principal, 'admin', 'staff');
  if (principal.role === 'staff' && !principal.offices.includes(officeId)) {
    throw DomainError.forbidden('Staff details are visible to the staff of this office only.');
  }
}

export function canSeeStaffOf(principal: Principal, officeId: string): boolean {
  return (
    principal.role === 'admin' ||
    (principal.role === 'staff' && principal.offices.includes(officeId))
  );
}
