import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { DomainError } from '@samservice/platform/errors';
import { IsoDateTime, isUuid } from '@samservice/platform/http';
import { AuditTrail } from './audit-trail';

@ObjectType('PersonalDataRead', {
  description: "One read of a person's data by staff, an agency's client or an admin.",
})
export class PersonalDataReadModel {
  @Field(() => IsoDateTime)
  at: string;

  @Field({ description: 'STAFF, AGENCY or ADMIN' })
  readerRole: string;

  @Field(() => String, { nullable: true, description: "The reader's sign-in subject" })
  readerSubject: string | null;

  @Field(() => String, { nullable: true, description: "An agency client's agency code" })
  readerAgency: string | null;

  @Field({ description: 'The operation, as the purpose of the read' })
  operation: string;

  @Field(() => ID)
  officeId: string;

  @Field(() => ID, { nullable: true })
  appointmentId: string | null;

  @Field(() => ID, { nullable: true })
  ticketId: string | null;
}

const MAX_READS = 500;

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditTrail) {}

  @Query(() => [PersonalDataReadModel], {
    description:
      'Admins: who read whose personal data, when and by which operation, newest first (at most 500).',
  })
  async personalDataReads(
    @CurrentPrincipal() principal: Principal,
    @Args('officeId', { type: () => ID, nullable: true }) officeId?: string,
    @Args('appointmentId', { type: () => ID, nullable: true }) appointmentId?: string,
    @Args('ticketId', { type: () => ID, nullable: true }) ticketId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<PersonalDataReadModel[]> {
    if (principal.role === 'anonymous') throw DomainError.unauthenticated();
    if (principal.role !== 'admin') throw DomainError.forbidden('Only admins read the audit log.');
    for (const [field, value] of Object.entries({ officeId, appointmentId, ticketId })) {
      if (value !== undefined && value !== null && !isUuid(value)) {
        throw DomainError.badInput(`${field}: not an id.`, field);
      }
    }
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READS) {
      throw DomainError.badInput(`first: from 1 to ${MAX_READS}.`, 'first');
    }
    const rows = await this.audit.list({
      officeId: officeId ?? undefined,
      appointmentId: appointmentId ?? undefined,
      ticketId: ticketId ?? undefined,
      first: limit,
    });
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
