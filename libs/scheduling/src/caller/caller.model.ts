import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum CallerRole {
  ANONYMOUS = 'ANONYMOUS',
  CITIZEN = 'CITIZEN',
  STAFF = 'STAFF',
  AGENCY = 'AGENCY',
  ADMIN = 'ADMIN',
}

registerEnumType(CallerRole, { name: 'CallerRole' });

@ObjectType('Caller', {
  description:
    'Who the system takes the caller to be, from the verified token. Never echoes an identity number.',
})
export class CallerModel {
  @Field(() => CallerRole)
  role: CallerRole;

  @Field(() => String, { nullable: true, description: 'The token subject (sub).' })
  subject: string | null;

  @Field(() => [String], { description: 'Staff: the offices the person works at.' })
  offices: string[];

  @Field(() => [String], {
    description: 'Staff: the agencies or services the person is trained for.',
  })
  competences: string[];

  @Field(() => String, { nullable: true, description: 'Agency clients: the agency code.' })
  agency: string | null;
}
