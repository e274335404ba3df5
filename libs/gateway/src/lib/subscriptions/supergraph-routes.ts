import {
  buildASTSchema,
  getDirectiveValues,
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLDirective,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One subgraph of the supergraph: its name and the URL composed into it. */
export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** A field of the selection the subgraph asked for cannot give. */
export interface UnservableField {
  /** `Type.field` (or just `Type` for a fragment on a type the subgraph does not have). */
  coordinate: string;
  /** The subgraphs that can give it (none: it needs several, e.g. `@requires`). */
  servedBy: string[];
}

interface JoinFieldArguments {
  graph?: string;
  external?: boolean;
  usedOverridden?: boolean;
  requires?: string;
}

/**
 * Which subgraph serves what, read from the supergraph's join directives (`@join__type`,
 * `@join__field`, `@join__graph`) with graphql-js only: what the subscription path needs to
 * send a subscription to the subgraph that owns its root field, and to refuse one whose
 * selection that subgraph cannot give alone. No query planner: a field is servable by a
 * subgraph that defines it, not as `@external` and not needing other subgraphs' fields
 * (`@requires`); a fragment, when the subgraph has its type.
 */
export class SupergraphRoutes {
  private readonly joinType: GraphQLDirective;
  private readonly joinField: GraphQLDirective;
  private readonly graphs = new Map<string, SubgraphEndpoint>();

  private constructor(private readonly schema: GraphQLSchema) {
    const joinType = schema.getDirective('join__type');
    const joinField = schema.getDirective('join__field');
    const joinGraph = schema.getDirective('join__graph');
    const graphEnum = schema.getType('join__Graph');
    if (
      !joinType ||
      !joinField ||
      !joinGraph ||
      !graphEnum ||
      graphEnum.astNode?.kind !== Kind.ENUM_TYPE_DEFINITION
    ) {
      throw new Error('not a Federation 2 supergraph: no join__ directives');
    }
    this.joinType = joinType;
    this.joinField = joinField;
    for (const value of graphEnum.astNode.values ?? []) {
      const graph = getDirectiveValues(joinGraph, value) as SubgraphEndpoint | undefined;
      if (graph) this.graphs.set(value.name.value, { name: graph.name, url: graph.url });
    }
  }

  static fromSupergraph(sdl: string): SupergraphRoutes {
    return new SupergraphRoutes(buildASTSchema(parse(sdl), { assumeValidSDL: true }));
  }

  /** The subgraph behind a `join__Graph` value. */
  subgraph(graph: string): SubgraphEndpoint {
    const endpoint = this.graphs.get(graph);
    if (!endpoint) throw new Error(`no subgraph ${graph} in the supergraph`);
    return endpoint;
  }

  /** The name of the subscription root type (`Subscription`), if the supergraph has one. */
  get subscriptionType(): string | undefined {
    return this.schema.getSubscriptionType()?.name;
  }

  /** The `join__Graph` values of the subgraphs that can resolve `type.field` themselves. */
  ownersOf(typeName: string, fieldName: string): string[] {
    const type = this.schema.getType(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return [];
    const field = type.getFields()[fieldName];
    if (!field) return [];
    const joins = (field.astNode?.directives ?? [])
      .filter((directive) => directive.name.value === 'join__field')
      .map((directive) => this.values<JoinFieldArguments>(this.joinField, directive));
    if (joins.length === 0) return this.graphsOf(type);
    return joins
      .filter((join) => join.graph && !join.external && !join.usedOverridden && !join.requires)
      .map((join) => join.graph as string);
  }

  /**
   * The first field (or fragment type) of the operation that `graph` cannot give, walking the
   * operation's whole selection through its fragments; undefined when it can give all of it.
   */
  unservableIn(
    graph: string,
    document: DocumentNode,
    operation: OperationDefinitionNode,
  ): UnservableField | undefined {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    const root = this.schema.getRootType(operation.operation);
    if (!root) return { coordinate: operation.operation, servedBy: [] };
    const visited = new Set<string>();
    const walk = (
      selectionSet: SelectionSetNode,
      parent: GraphQLCompositeType,
    ): UnservableField | undefined => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const found = this.field(graph, selection, parent, walk);
          if (found) return found;
        } else {
          const fragment =
            selection.kind === Kind.FRAGMENT_SPREAD
              ? fragments.get(selection.name.value)
              : selection;
          if (!fragment) continue; // refused by validation before this runs
          if (fragment.kind === Kind.FRAGMENT_DEFINITION) {
            if (visited.has(fragment.name.value)) continue;
            visited.add(fragment.name.value);
          }
          const typeName = fragment.typeCondition?.name.value;
          const type = typeName ? this.schema.getType(typeName) : parent;
          if (!type || !isCompositeType(type)) continue;
          if (!this.graphsOf(type).includes(graph))
            return { coordinate: type.name, servedBy: this.subgraphsOf(type) };
          const found = walk(fragment.selectionSet, type);
          if (found) return found;
        }
      }
      return undefined;
    };
    return walk(operation.selectionSet, root);
  }

  private field(
    graph: string,
    selection: FieldNode,
    parent: GraphQLCompositeType,
    walk: (
      selectionSet: SelectionSetNode,
      parent: GraphQLCompositeType,
    ) => UnservableField | undefined,
  ): UnservableField | undefined {
    const fieldName = selection.name.value;
    if (fieldName.startsWith('__')) return undefined; // __typename: every subgraph answers it
    if (!(isObjectType(parent) || isInterfaceType(parent))) return undefined;
    const owners = this.ownersOf(parent.name, fieldName);
    if (!owners.includes(graph)) {
      return {
        coordinate: `${parent.name}.${fieldName}`,
        servedBy: owners.map((owner) => this.subgraph(owner).name),
      };
    }
    const type = getNamedType(parent.getFields()[fieldName]?.type);
    if (!selection.selectionSet || !type || !isCompositeType(type)) return undefined;
    return walk(selection.selectionSet, type);
  }

  private graphsOf(type: GraphQLNamedType): string[] {
    const nodes = [type.astNode, ...(type.extensionASTNodes ?? [])];
    return nodes
      .flatMap((node) => (node?.directives ?? []) as readonly ConstDirectiveNode[])
      .filter((directive) => directive.name.value === 'join__type')
      .map((directive) => this.values<{ graph?: string }>(this.joinType, directive).graph)
      .filter((graph): graph is string => typeof graph === 'string');
  }

  private subgraphsOf(type: GraphQLNamedType): string[] {
    return this.graphsOf(type).map((graph) => this.subgraph(graph).name);
  }

  private values<T>(definition: GraphQLDirective, directive: ConstDirectiveNode): T {
    return (getDirectiveValues(definition, { directives: [directive] }) ?? {}) as T;
  }
}
