import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import { SubscriptionPlanner, type SubscriptionPlan } from './subscription-plan';
import { SupergraphRoutes } from './supergraph-routes';

// Two subgraphs: scheduling sends lobby calls (with its own view of Office), directory owns
// an office's name and announces offices.
const scheduling = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])
  type Query { ticket(id: ID!): LobbyCall }
  type Office @key(fields: "id") {
    id: ID!
    name: String! @external
    greeting: String! @requires(fields: "name")
    queueLength: Int!
  }
  type LobbyCall { ticket: String! counter: String! office: Office! previous: LobbyCall }
  type Subscription { lobbyCallMade(officeId: ID!): LobbyCall! }
`);
const directory = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { offices: [Office!]! }
  type Office @key(fields: "id") { id: ID! name: String! }
  type Subscription { officeAnnounced: Office! }
`);

function supergraph(): string {
  const result = composeServices([
    { name: 'scheduling', typeDefs: scheduling, url: 'http://scheduling:4002/graphql' },
    { name: 'directory', typeDefs: directory, url: 'http://directory:4001/graphql' },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

const codes = (plan: SubscriptionPlan | GraphQLError[]) =>
  Array.isArray(plan) ? plan.map((error) => error.extensions['code']) : plan;

describe('the subscription path’s checks and routes', () => {
  let routes: SupergraphRoutes;
  let planner: SubscriptionPlanner;
  let apiSchema: GraphQLSchema;

  beforeAll(async () => {
    const sdl = supergraph();
    routes = SupergraphRoutes.fromSupergraph(sdl);
    // The API schema as Apollo Gateway builds it, which the gateway hands to the planner.
    const quiet = () => undefined;
    const gateway = new ApolloGateway({
      supergraphSdl: sdl,
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
    apiSchema = (await gateway.load()).schema;
    await gateway.stop();
    planner = new SubscriptionPlanner(() => apiSchema, routes, { isProduction: false });
  });

  const plan = (query: string, operationName?: string) => planner.plan({ query, operationName });

  it('reads which subgraph resolves a field from the join directives', () => {
    expect(routes.subscriptionType).toBe('Subscription');
    expect(routes.ownersOf('Subscription', 'lobbyCallMade')).toEqual(['SCHEDULING']);
    expect(routes.ownersOf('Subscription', 'officeAnnounced')).toEqual(['DIRECTORY']);
    expect(routes.ownersOf('Office', 'name')).toEqual(['DIRECTORY']); // external in scheduling
    expect(routes.ownersOf('Office', 'greeting')).toEqual([]); // needs directory's name first
    expect(routes.ownersOf('Office', 'id').sort()).toEqual(['DIRECTORY', 'SCHEDULING']);
    expect(routes.subgraph('SCHEDULING')).toEqual({
      name: 'scheduling',
      url: 'http://scheduling:4002/graphql',
    });
  });

  it('sends a subscription to the subgraph owning its root field, through fragments', () => {
    const planned = plan(`
      subscription Calls($office: ID!) { ...Root }
      fragment Root on Subscription { lobbyCallMade(officeId: $office) { ticket ...Where previous { ticket } } }
      fragment Where on LobbyCall { counter office { id queueLength __typename } }
    `);
    expect(planned).toMatchObject({
      graph: 'SCHEDULING',
      subgraph: { name: 'scheduling' },
      rootField: 'lobbyCallMade',
    });
    expect(plan('subscription { officeAnnounced { id name } }')).toMatchObject({
      subgraph: { name: 'directory' },
    });
  });

  it('refuses anything but exactly one root field, with BAD_USER_INPUT', () => {
    const two = plan(
      'subscription { lobbyCallMade(officeId: "1") { ticket } officeAnnounced { id } }',
    );
    expect(codes(two)).toEqual(['BAD_USER_INPUT']);
    expect((two as GraphQLError[])[0]?.message).toMatch(
      /exactly one field.*2 \(lobbyCallMade, officeAnnounced\)/,
    );
    const aliased = plan(
      'subscription { a: lobbyCallMade(officeId: "1") { ticket } b: lobbyCallMade(officeId: "2") { ticket } }',
    );
    expect(codes(aliased)).toEqual(['BAD_USER_INPUT']);
    const repeated = plan(
      'subscription { lobbyCallMade(officeId: "1") { ticket } lobbyCallMade(officeId: "1") { counter } }',
    );
    expect(Array.isArray(repeated)).toBe(false); // one field, asked for twice
    expect(codes(plan('subscription { __typename }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a field the owning subgraph cannot give, naming it and who can', () => {
    const name = plan('subscription { lobbyCallMade(officeId: "1") { office { name } } }');
    expect(name).toEqual([expect.any(GraphQLError)]);
    const [error] = name as GraphQLError[];
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'Office.name' });
    expect(error?.message).toBe(
      'The subscription lobbyCallMade is sent by the scheduling subgraph, which cannot give Office.name (directory does). A subscription selects only what the subgraph sending it has; read the rest over HTTP POST to /graphql.',
    );
    const hidden = plan(`
      subscription { lobbyCallMade(officeId: "1") { ...Office } }
      fragment Office on LobbyCall { office { ... on Office { greeting } } }
    `);
    expect((hidden as GraphQLError[])[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'Office.greeting',
    });
    expect(
      (plan('subscription { officeAnnounced { queueLength } }') as GraphQLError[])[0]?.extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'Office.queueLength' });
  });

  it('applies the HTTP limits and validates against the API schema, without join__ internals', () => {
    let deep = 'ticket';
    for (let level = 0; level < REQUEST_LIMITS.maxDepth; level++) deep = `previous { ${deep} }`;
    const tooDeep = plan(`subscription { lobbyCallMade(officeId: "1") { ${deep} } }`);
    expect((tooDeep as GraphQLError[]).map((e) => e.extensions)).toContainEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'maxDepth',
    });
    expect(codes(plan('subscription { lobbyCallMade(officeId: "1") { nonsense } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(
      codes(
        plan(
          'subscription { lobbyCallMade(officeId: "1") { ticket @join__field(graph: DIRECTORY) } }',
        ),
      ),
    ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(plan('subscription { lobbyCallMade(officeId: "1") {'))).toEqual([
      'GRAPHQL_PARSE_FAILED',
    ]);
  });

  it('carries subscriptions only: queries and mutations go over HTTP', () => {
    const query = plan('{ offices { id } }');
    expect(codes(query)).toEqual(['BAD_REQUEST']);
    expect((query as GraphQLError[])[0]?.message).toMatch(/HTTP POST to \/graphql/);
    expect(
      codes(
        plan('subscription A { officeAnnounced { id } } subscription B { officeAnnounced { id } }'),
      ),
    ).toEqual(['BAD_REQUEST']);
    const chosen = plan(
      `query Q { offices { ...Other } } subscription A { officeAnnounced { id } }
       subscription B { officeAnnounced { ...Named } } fragment Named on Office { id }
       fragment Other on Office { id }`,
      'B',
    );
    // Only the chosen operation and its fragments go to the subgraph.
    expect((chosen as SubscriptionPlan).query).toBe(
      'subscription B {\n  officeAnnounced {\n    ...Named\n  }\n}\n\nfragment Named on Office {\n  id\n}',
    );
  });
});
