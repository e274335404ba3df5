import type { JointChoice, JointPart } from './store';

/**
 * The one place that knows how a joint visit's time is kept between the time page and the
 * booking. Today the API has no joint hold: choosing a joint time only remembers it, and the
 * time is reserved only when the booking is confirmed (`bookJointVisit` books every part or
 * none, and names a part taken meanwhile). When `holdJointVisit`/`releaseHold` arrive, the
 * integrator changes these three functions (and `jointHeld`) and nothing else:
 * - `reserveJointTime` calls `holdJointVisit(input {officeId serviceIds start needs language})`
 *   and keeps its token and expiresAt;
 * - `jointHoldFields` gives `{ holdToken: choice.token }` to `bookJointVisit`;
 * - `releaseJointTime` calls `releaseHold(token)` when the citizen picks another time.
 */
export interface JointTimeRequest {
  officeId: string;
  serviceIds: string[];
  start: string;
  end: string;
  parts: JointPart[];
  needs: string[];
  language: string;
}

/** Whether a chosen joint time is reserved for the citizen before the booking (no: not yet). */
export const jointHeld = false;

export async function reserveJointTime(request: JointTimeRequest): Promise<JointChoice> {
  return {
    start: request.start,
    end: request.end,
    parts: request.parts,
    token: null,
    expiresAt: null,
  };
}

/** The hold part of `BookJointVisitInput` (empty until the API has `holdToken` there). */
export function jointHoldFields(choice: JointChoice): Record<string, never> {
  void choice;
  return {};
}

/** Gives a reserved joint time back (nothing to give back while there is no joint hold). */
export async function releaseJointTime(choice: JointChoice | null): Promise<void> {
  void choice;
}
