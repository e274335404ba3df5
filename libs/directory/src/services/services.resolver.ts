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
import { mapAgency } from '../agencies/agency.mapper';
import { AgencyModel } from '../agencies/agency.model';
import { requireAdmin } from '../common/access';
import { DirectoryLoaderFactory } from '../common/loaders';
import { isUuid } from '../common/validation';
import { CreateServiceInput, UpdateServiceInput } from './service.inputs';
import { mapService } from './service.mapper';
import { ServiceModel } from './service.model';
import { ServicesService } from './services.service';

@Resolver(() => ServiceModel)
export class ServicesResolver {
  constructor(
    private readonly services: ServicesService,
    private readonly loaders: DirectoryLoaderFactory,
  ) {}

  @Query(() => ServiceModel, { nullable: true, description: 'One service by id.' })
  async service(@Args('id', { type: () => ID }) id: string): Promise<ServiceModel | null> {
    if (!isUuid(id)) return null;
    const [service] = await this.services.findByIds([id]);
    return service ? mapService(service) : null;
  }

  @ResolveField(() => AgencyModel)
  async agency(
    @Parent() service: ServiceModel,
    @Context() context: SubgraphContext,
  ): Promise<AgencyModel> {
    const agency = await this.loaders.for(context.req).agency.load(service.agencyId);
    if (!agency) throw new Error(`service ${service.id} has no agency`);
    return mapAgency(agency);
  }

  @ResolveReference()
  async resolveReference(
    reference: { id: string },
    context: SubgraphContext,
  ): Promise<ServiceModel | null> {
    if (!isUuid(reference.id)) return null;
    const service = await this.loaders.for(context.req).service.load(reference.id);
    return service ? mapService(service) : null;
  }

  @Mutation(() => ServiceModel, { description: 'Admin: a new service of an agency.' })
  async createService(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateServiceInput,
  ): Promise<ServiceModel> {
    requireAdmin(principal);
    return mapService(await this.services.create(input));
  }

  @Mutation(() => ServiceModel, { description: "Admin: change a service's names and rules." })
  async updateService(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateServiceInput,
  ): Promise<ServiceModel> {
    requireAdmin(principal);
    return mapService(await this.services.update(id, input));
  }

  @Mutation(() => ServiceModel, {
    description: 'Admin: stop offering a service anywhere (kept for history).',
  })
  async deactivateService(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ServiceModel> {
    requireAdmin(principal);
    return mapService(await this.services.deactivate(id));
  }
}
