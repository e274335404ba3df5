import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AgencyLevel {
  STATE = 'STATE',
  REGION = 'REGION',
  MUNICIPALITY = 'MUNICIPALITY',
}

registerEnumType(AgencyLevel, { name: 'AgencyLevel' });

@ObjectType('Agency', { description: 'A state agency, a region or a municipality.' })
@Directive('@key(fields: "id")')
export class AgencyModel {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Short code, e.g. FK (Försäkringskassan), SKV (Skatteverket).' })
  code: string;

  @Field()
  name: string;

  @Field(() => AgencyLevel)
  level: AgencyLevel;

  @Field(() => Int, {
    description:
      "How many active bookings one citizen may hold across all the agency's services at once (each service also has its own maxActiveBookingsPerCitizen).",
  })
  maxActiveBookingsPerCitizen: number;

  @Field({ description: 'False once the agency has left the network.' })
  active: boolean;
}
