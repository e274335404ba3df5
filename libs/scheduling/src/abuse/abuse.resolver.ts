import { Args, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';
import { IsoDateTime } from '@samservice/platform/http';
import { AbuseWatch } from './abuse-watch';

@ObjectType('AbuseFlag', {
  description: 'A pattern flagged as possible abuse, for review; it refused nothing itself.',
})
export class AbuseFlagModel {
  @Field({ description: 'APPOINTMENT_TRADING or MANY_IDENTITIES' })
  kind: string;

  @Field({
    description:
      'citizen:<keyed hash> (never the number), address:<network address> or citizen-login:<sub>',
  })
  subject: string;

  @Field(() => IsoDateTime)
  at: string;

  @Field(() => Int, { description: 'Cancellations, or distinct citizens, in the window' })
  count: number;

  @Field(() => Int)
  windowMinutes: number;
}

@Resolver()
export class AbuseResolver {
  constructor(private readonly watch: AbuseWatch) {}

  @Query(() => [AbuseFlagModel], { description: 'Admins: flags of possible abuse, newest first.' })
  async abuseFlags(
    @CurrentPrincipal() principal: Principal,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<AbuseFlagModel[]> {
    if (principal.role === 'anonymous') throw DomainError.unauthenticated();
    if (principal.role !== 'admin') throw DomainError.forbidden('Only admins review abuse flags.');
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw DomainError.badInput('first: from 1 to 500.', 'first');
    }
    return (await this.watch.list(limit)).map((f) => ({ ...f, at: f.at.toISOString() }));
  }
}
