import type { Client, CombinedError } from '@urql/vue';
import { graphql } from '../../gql';
import type { VisitNeed } from '../../gql/graphql';
import type { JointChoice, JointPart } from './store';

/**
 * How a chosen time is kept between the time page and the booking. One matter: `holdSlot`
 * (TimePage). A joint visit: `holdJointVisit` reserves every part of the chain for the same
 * few minutes, or none, and `bookJointVisit` takes the hold over by its token. Choosing
 * another time gives the earlier hold back at once (`releaseHold`), so it neither blocks the
 * time for others nor counts against the citizen's few live holds.
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

const HoldJoint = graphql(`
  mutation BookingHoldJoint($input: HoldJointVisitInput!) {
    holdJointVisit(input: $input) {
      token
      start
      end
      expiresAt
    }
  }
`);

const Release = graphql(`
  mutation BookingReleaseHold($token: ID!) {
    releaseHold(token: $token)
  }
`);

/** Holds the joint time; the answer's error (e.g. taken meanwhile) is the caller's to say. */
export async function reserveJointTime(
  client: Client,
  request: JointTimeRequest,
): Promise<{ choice?: JointChoice; error?: CombinedError }> {
  const answer = await client
    .mutation(HoldJoint, {
      input: {
        officeId: request.officeId,
        serviceIds: request.serviceIds,
        start: request.start,
        language: request.language,
        ...(request.needs.length ? { needs: request.needs as VisitNeed[] } : {}),
      },
    })
    .toPromise();
  const held = answer.data?.holdJointVisit;
  if (!held) return { error: answer.error };
  return {
    choice: {
      start: held.start,
      end: held.end,
      parts: request.parts,
      token: held.token,
      expiresAt: held.expiresAt,
    },
  };
}

/** The hold part of `BookJointVisitInput`. */
export function jointHoldFields(choice: JointChoice): { holdToken?: string } {
  return choice.token ? { holdToken: choice.token } : {};
}

/** Gives a hold back (a slot's or a joint visit's token); nothing happens for none. */
export async function releaseHold(client: Client, token: string | null | undefined): Promise<void> {
  if (!token) return;
  // Best effort: a hold not given back expires by itself within minutes.
  await client.mutation(Release, { token }).toPromise();
}
