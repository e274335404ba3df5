import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/** The directory's Office, referenced by id; the directory resolves its fields. */
@ObjectType('Office')
@Directive('@key(fields: "id", resolvable: false)')
export class OfficeReference {
  @Field(() => ID)
  id: string;
}

/** The directory's Service, referenced by id. */
@ObjectType('Service')
@Directive('@key(fields: "id", resolvable: false)')
export class ServiceReference {
  @Field(() => ID)
  id: string;
}
