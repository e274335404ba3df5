import { Query, Resolver, ResolveReference } from '@nestjs/graphql';
import { AgenciesService } from './agencies.service';
import { mapAgency } from './agency.mapper';
import { AgencyModel } from './agency.model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Resolver(() => AgencyModel)
export class AgenciesResolver {
  constructor(private readonly agencyService: AgenciesService) {}

  @Query(() => [AgencyModel], { description: 'Every agency taking part in the network.' })
  async agencies(): Promise<AgencyModel[]> {
    return (await this.agencyService.listActive()).map(mapAgency);
  }

  @ResolveReference()
  async resolveReference(reference: {
    __typename: string;
    id: string;
  }): Promise<AgencyModel | null> {
    if (!UUID.test(reference.id)) return null;
    const [agency] = await this.agencyService.findByIds([reference.id]);
    return agency ? mapAgency(agency) : null;
  }
}
