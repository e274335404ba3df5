import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@samservice/platform/auth';
import type { PersonalDataProtector } from '@samservice/platform/crypto';
import { DomainError } from '@samservice/platform/errors';
import { PERSONAL_DATA_PROTECTOR } from '../appointments/booking.service';
import { identityKey } from '../appointments/citizen-identity';
import { Clock } from '../common/clock';

/**
 * The `my…` operations: only a citizen signed in with e-ID, and their data is found by the
 * keyed hash of the identity number the e-ID asserted (never by anything they send).
 */
@Injectable()
export class SignedInCitizen {
  constructor(
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
    private readonly clock: Clock,
  ) {}

  /** The citizen key of the caller; UNAUTHENTICATED or FORBIDDEN for anyone but a citizen. */
  of(principal: Principal): string {
    if (principal.role === 'anonymous') {
      throw DomainError.unauthenticated();
    }
    if (principal.role !== 'citizen') {
      throw DomainError.forbidden(
        'Only the citizen themself, signed in with e-ID, sees their own bookings and data.',
      );
    }
    const key = identityKey(this.protector, principal.personnummer, this.clock.now());
    if (!key) throw DomainError.forbidden('The signed-in identity number is not a valid one.');
    return key;
  }
}
