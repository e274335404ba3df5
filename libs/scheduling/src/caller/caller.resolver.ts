import { Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@samservice/platform/auth';
import { CallerModel, CallerRole } from './caller.model';

export function callerOf(principal: Principal): CallerModel {
  const base: CallerModel = {
    role: CallerRole[principal.role.toUpperCase() as keyof typeof CallerRole],
    subject: principal.role === 'anonymous' ? null : principal.subject,
    offices: [],
    competences: [],
    agency: null,
  };
  if (principal.role === 'staff')
    return { ...base, offices: principal.offices, competences: principal.competences };
  if (principal.role === 'agency') return { ...base, agency: principal.agency };
  return base;
}

@Resolver(() => CallerModel)
export class CallerResolver {
  @Query(() => CallerModel, {
    description: 'The caller as this system sees them (anonymous when not signed in).',
  })
  me(@CurrentPrincipal() principal: Principal): CallerModel {
    return callerOf(principal);
  }
}
