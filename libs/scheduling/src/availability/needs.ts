import { registerEnumType } from '@nestjs/graphql';
import { DomainError } from '@samservice/platform/errors';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import type { VisitNeeds } from '@samservice/scheduling-engine';

export enum VisitNeed {
  WHEELCHAIR_ACCESS = 'WHEELCHAIR_ACCESS',
  HEARING_LOOP = 'HEARING_LOOP',
  PRIVATE_ROOM = 'PRIVATE_ROOM',
  EXTRA_TIME = 'EXTRA_TIME',
}

registerEnumType(VisitNeed, {
  name: 'VisitNeed',
  description:
    'What a visit needs beyond the service itself; narrows which counters and staff can serve it.',
});

export const MAX_NEEDS = REQUEST_LIMITS.maxNeeds;
export const NEEDS_MESSAGE = `needs: at most ${MAX_NEEDS} items.`;

/** A needs argument (not an input object, which the validation pipe checks): at most 10 items. */
export function checkNeeds(needs: readonly unknown[] | null | undefined): void {
  if (needs && needs.length > MAX_NEEDS) throw DomainError.badInput(NEEDS_MESSAGE, 'needs');
}

/** Extra time: half the visit again, at least 10 minutes, in whole 5-minute steps. */
export function extraTimeMinutes(durationMinutes: number): number {
  return Math.max(10, Math.ceil(durationMinutes / 2 / 5) * 5);
}

export function engineNeeds(
  needs: VisitNeed[] | undefined,
  language: string | undefined,
  durationMinutes: number,
): VisitNeeds {
  const set = new Set(needs ?? []);
  return {
    language,
    wheelchairAccess: set.has(VisitNeed.WHEELCHAIR_ACCESS),
    hearingLoop: set.has(VisitNeed.HEARING_LOOP),
    privateRoom: set.has(VisitNeed.PRIVATE_ROOM),
    extraTimeMinutes: set.has(VisitNeed.EXTRA_TIME) ? extraTimeMinutes(durationMinutes) : 0,
  };
}
