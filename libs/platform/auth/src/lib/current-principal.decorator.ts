import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ANONYMOUS, type Principal } from './principal';
import type { RequestWithPrincipal } from './subgraph-identity.middleware';

export interface SubgraphContext {
  req: RequestWithPrincipal;
}

/** The verified caller of a GraphQL operation in a subgraph (anonymous when not signed in). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const gqlContext = GqlExecutionContext.create(context).getContext<SubgraphContext>();
    return gqlContext.req?.principal ?? ANONYMOUS;
  },
);
