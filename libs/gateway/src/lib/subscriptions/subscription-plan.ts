import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  SingleFieldSubscriptionsRule,
  getOperationAST,
  print,
  type DocumentNode,
  type OperationDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { ErrorCode } from '@samservice/platform/errors';
import { BAD_REQUEST, operationChecks, type OperationChecks } from '@samservice/platform/http';
import type { SubgraphEndpoint, SupergraphRoutes } from './supergraph-routes';

/** Where one client subscription goes, once it has passed every check. */
export interface SubscriptionPlan {
  /** The `join__Graph` value of the subgraph, and that subgraph. */
  graph: string;
  subgraph: SubgraphEndpoint;
  /** The one root field, e.g. `lobbyCallMade`. */
  rootField: string;
  document: DocumentNode;
  /** What is sent to the subgraph: the operation and the fragments it uses, nothing else. */
  query: string;
}

const badInput = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });

/** The root fields of a selection by response key, through its fragments. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into = new Map<string, FieldNode>(),
  visited = new Set<string>(),
): Map<string, FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      into.set(selection.alias?.value ?? selection.name.value, selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootFields(selection.selectionSet, fragments, into, visited);
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFields(fragment.selectionSet, fragments, into, visited);
    }
  }
  return into;
}

/** The fragments a selection spreads, directly or through other fragments. */
function fragmentsUsed(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into = new Map<string, FragmentDefinitionNode>(),
): Map<string, FragmentDefinitionNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !into.has(fragment.name.value)) {
        into.set(fragment.name.value, fragment);
        fragmentsUsed(fragment.selectionSet, fragments, into);
      }
    } else if (selection.selectionSet) {
      fragmentsUsed(selection.selectionSet, fragments, into);
    }
  }
  return into;
}

/** The operation alone, with its fragments: other operations of the document stay here. */
function operationOnly(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string {
  return print({
    kind: Kind.DOCUMENT,
    definitions: [operation, ...fragmentsUsed(operation.selectionSet, fragments).values()],
  });
}

/**
 * The gateway's checks of a subscription before anything is sent to a subgraph, in this order:
 * the HTTP limits (tokens, armor's depth, aliases, directives and cost), validation against
 * the supergraph's API schema (what HTTP clients see: no join__ internals, nothing
 * inaccessible), a subscription operation (queries and mutations go over HTTP POST), exactly
 * one root field, and a selection the subgraph owning that field can give on its own (no
 * query planner runs here: a field of another subgraph is refused, naming it).
 */
export class SubscriptionPlanner {
  private readonly checks: OperationChecks;

  constructor(
    private readonly apiSchema: () => GraphQLSchema | undefined,
    private readonly routes: SupergraphRoutes,
    options: { isProduction: boolean },
  ) {
    // Exactly one root field is checked below, with a code a client can act on.
    this.checks = operationChecks('gateway', {
      ...options,
      skipRules: [SingleFieldSubscriptionsRule],
    });
  }

  plan(payload: SubscribePayload): SubscriptionPlan | GraphQLError[] {
    const schema = this.apiSchema();
    if (!schema) {
      return [
        new GraphQLError('The gateway is starting; try again in a moment.', {
          extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
        }),
      ];
    }
    const document = this.checks.parse(payload.query);
    if (document instanceof GraphQLError) return [document];
    const errors = this.checks.validate(schema, document);
    if (errors.length > 0) return errors;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [
        new GraphQLError('Name the operation to run (operationName).', {
          extensions: { code: BAD_REQUEST },
        }),
      ];
    }
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [
        new GraphQLError(
          'This WebSocket carries subscriptions only; send queries and mutations over HTTP POST to /graphql.',
          { extensions: { code: BAD_REQUEST } },
        ),
      ];
    }
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    const roots = [...rootFields(operation.selectionSet, fragments).values()];
    const [root] = roots;
    if (roots.length !== 1 || !root) {
      return [
        badInput(
          `A subscription selects exactly one field of Subscription; this one selects ${roots.length} (${roots
            .map((field) => field.name.value)
            .join(', ')}). Open one subscription for each.`,
        ),
      ];
    }
    const rootField = root.name.value;
    if (rootField.startsWith('__')) {
      return [badInput(`A subscription selects one field of Subscription, not ${rootField}.`)];
    }
    const owners = this.routes.ownersOf(this.routes.subscriptionType ?? 'Subscription', rootField);
    let firstRefusal: GraphQLError | undefined;
    for (const graph of owners) {
      const subgraph = this.routes.subgraph(graph);
      const unservable = this.routes.unservableIn(graph, document, operation);
      if (!unservable) {
        return { graph, subgraph, rootField, document, query: operationOnly(operation, fragments) };
      }
      firstRefusal ??= badInput(
        `The subscription ${rootField} is sent by the ${subgraph.name} subgraph, which cannot give ${unservable.coordinate}${
          unservable.servedBy.length > 0 ? ` (${unservable.servedBy.join(', ')} does)` : ''
        }. A subscription selects only what the subgraph sending it has; read the rest over HTTP POST to /graphql.`,
        { field: unservable.coordinate },
      );
    }
    return [firstRefusal ?? badInput(`No part of Samservice sends the subscription ${rootField}.`)];
  }
}
