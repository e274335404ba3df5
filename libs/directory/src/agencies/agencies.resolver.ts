import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  ResolveReference,
} from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, type SubgraphContext } from '@samservice/platform/auth';
import { requireAdmin } from '../common/access';
import { DirectoryLoaderFactory } from '../common/loaders';
import { isUuid } from '../common/validation';
import { mapService } from '../services/service.mapper';
import { ServiceModel } from '../services/service.model';
import { AgenciesService } from './agencies.service';
import { CreateAgencyInput, UpdateAgencyInput } from './agency.inputs';
import { mapAgency } from './agency.mapper';
import { AgencyModel } from './agency.model';

@Resolver(() => AgencyModel)
export class AgenciesResolver {
  constructor(
    private readonly agencyService: AgenciesService,
    private readonly loaders: DirectoryLoaderFactory,
  ) {}

  @Query(() => [AgencyModel], { description: 'Every agency taking part in the network.' })
  async agencies(): Promise<AgencyModel[]> {
    return (await this.agencyService.listActive()).map(mapAgency);
  }

  @Query(() => AgencyModel, { nullable: true })
  async agency(@Args('id', { type: () => ID }) id: string): Promise<AgencyModel | null> {
    if (!isUuid(id)) return null;
    const [agency] = await this.agencyService.findByIds([id]);
    return agency ? mapAgency(agency) : null;
  }

  @ResolveField(() => [ServiceModel], { description: "The agency's active services." })
  async services(
    @Parent() agency: AgencyModel,
    @Context() context: SubgraphContext,
  ): Promise<ServiceModel[]> {
    return (await this.loaders.for(context.req).servicesOfAgency.load(agency.id)).map(mapService);
  }

  @ResolveReference()
  async resolveReference(
    reference: { id: string },
    context: SubgraphContext,
  ): Promise<AgencyModel | null> {
    if (!isUuid(reference.id)) return null;
    const agency = await this.loaders.for(context.req).agency.load(reference.id);
    return agency ? mapAgency(agency) : null;
  }

  @Mutation(() => AgencyModel, { description: 'Admin: a new agency in the network.' })
  async createAgency(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateAgencyInput,
  ): Promise<AgencyModel> {
    requireAdmin(principal);
    return mapAgency(await this.agencyService.create(input));
  }

  @Mutation(() => AgencyModel)
  async updateAgency(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateAgencyInput,
  ): Promise<AgencyModel> {
    requireAdmin(principal);
    return mapAgency(await this.agencyService.update(id, input));
  }

  @Mutation(() => AgencyModel, {
    description: 'Admin: the agency leaves the network (kept for history).',
  })
  async deactivateAgency(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AgencyModel> {
    requireAdmin(principal);
    return mapAgency(await this.agencyService.deactivate(id));
  }
}
