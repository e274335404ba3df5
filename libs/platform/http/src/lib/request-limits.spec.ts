import {
  buildSchema,
  GraphQLError,
  parse,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  validate,
} from 'graphql';
import { apolloArmor, armorConfig, operationChecks, REQUEST_LIMITS } from './request-limits';

// Lists that nest in a cycle, like the directory's offices → services → agency → services.
const schema = buildSchema(`
  type Query { offices: [Office!]! agencies: [Agency!]! _entities(representations: [String!]!): [Entity]! }
  union Entity = Office | Agency
  type Office { id: ID! name: String! services: [Service!]! }
  type Service { id: ID! code: String! agency: Agency! }
  type Agency { id: ID! code: String! services: [Service!]! }
`);

function refusals(role: 'gateway' | 'subgraph', query: string): readonly GraphQLError[] {
  const { validationRules } = apolloArmor(role, { isProduction: false });
  return validate(schema, parse(query), [...specifiedRules, ...validationRules]);
}

/** `offices { services { agency { services … { code } } } }`, `depth` fields deep. */
function nested(depth: number): string {
  let selection = 'code';
  for (let level = depth - 1; level > 1; level--) {
    selection = `${level % 2 === 0 ? 'services' : 'agency'} { ${selection} }`;
  }
  return `{ offices { ${selection} } }`;
}

describe('the request limits', () => {
  it('let an agency ask a page of 100 appointments with every field, written as a number', () => {
    const pages = buildSchema(`
      type Query { agencyAppointments(first: Int): Page! }
      type Page { items: [Row!]! nextCursor: String }
      type Row { id: ID! reference: String! status: String! start: String! end: String!
        channel: String! citizenName: String! identityNumber: String office: Ref! service: Ref! }
      type Ref { id: ID! name: String! }
    `);
    const page = (first: number) =>
      `{ agencyAppointments(first: ${first}) { items { id reference status start end channel citizenName identityNumber office { id name } service { id name } } nextCursor } }`;
    const { validationRules } = apolloArmor('gateway', { isProduction: false });
    const check = (query: string) =>
      validate(pages, parse(query), [...specifiedRules, ...validationRules]).map(
        (e) => e.extensions['limit'],
      );
    expect(check(page(50))).toEqual([]);
    expect(check(page(100))).toEqual([]);
    expect(check(page(500))).toEqual(['costLimit']);
  });

  it('let the deepest legitimate query through and refuse deeper ones, naming the limit', () => {
    expect(refusals('gateway', nested(REQUEST_LIMITS.maxDepth))).toEqual([]);
    const found = refusals('gateway', nested(25));
    expect(found.map((e) => e.extensions['limit'])).toEqual(['costLimit', 'maxDepth']);
    const refusal = found[1];
    expect(refusal.message).toBe(
      `Query depth limit of ${REQUEST_LIMITS.maxDepth} exceeded, found 25.`,
    );
    expect(refusal.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxDepth' });
  });

  it('count fields, not fragments, as depth', () => {
    const query = `{ offices { ...O } } fragment O on Office { services { ... on Service { agency { ...A } } } }
      fragment A on Agency { services { agency { services { code } } } }`;
    expect(refusals('gateway', query)).toEqual([]);
  });

  it('refuse too many aliases, directives and too much cost', () => {
    const aliases = `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`;
    expect(refusals('gateway', aliases).map((e) => e.extensions['limit'])).toEqual(['maxAliases']);
    const directives = `{ agencies { ${Array.from({ length: 11 }, () => 'code @include(if: true)').join(' ')} } }`;
    expect(refusals('gateway', directives).map((e) => e.extensions['limit'])).toEqual([
      'maxDirectives',
    ]);
    // Each fragment uses the one before it twice: a small text that costs 2^16 times.
    const doubling = [
      '{ agencies { ...F16 } }',
      'fragment F0 on Agency { code }',
      ...Array.from(
        { length: 16 },
        (_, i) => `fragment F${i + 1} on Agency { ...F${i} id: code ...F${i} }`,
      ),
    ].join('\n');
    expect(refusals('gateway', doubling).map((e) => e.extensions['limit'])).toContain('costLimit');
  });

  it('check only depth behind the gateway, one level more, and let _entities through', () => {
    const aliases = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: agencies { code }`).join(' ')} }`;
    expect(refusals('subgraph', aliases)).toEqual([]);
    expect(refusals('subgraph', nested(REQUEST_LIMITS.subgraphMaxDepth))).toEqual([]);
    expect(refusals('subgraph', nested(REQUEST_LIMITS.subgraphMaxDepth + 1))).toHaveLength(1);
    // What the gateway sends for the fields under an entity of another subgraph.
    const entities = `{ _entities(representations: ["x"]) { ... on Office { services { agency {
      services { agency { services { code } } } } } } } }`;
    expect(refusals('subgraph', entities)).toEqual([]);
  });

  it('limit tokens through the parser, not a plugin hook that would answer 500', () => {
    expect(apolloArmor('gateway', { isProduction: false }).parseOptions).toEqual({
      maxTokens: REQUEST_LIMITS.maxTokens,
    });
    expect(apolloArmor('subgraph', { isProduction: false }).parseOptions).toEqual({});
    const tokens = `{ agencies { ${'code '.repeat(REQUEST_LIMITS.maxTokens)} } }`;
    expect(() =>
      parse(tokens, apolloArmor('gateway', { isProduction: false }).parseOptions),
    ).toThrow(/more that 1000 tokens/);
  });

  it('hide field suggestions in production only, and give a fresh configuration each time', () => {
    expect(armorConfig('gateway', { isProduction: true }).blockFieldSuggestion?.enabled).toBe(true);
    expect(armorConfig('gateway', { isProduction: false }).blockFieldSuggestion?.enabled).toBe(
      false,
    );
    expect(apolloArmor('subgraph', { isProduction: true }).plugins).toHaveLength(1);
    expect(armorConfig('gateway', { isProduction: true })).not.toBe(
      armorConfig('gateway', { isProduction: true }),
    );
  });

  describe('over WebSocket (operationChecks)', () => {
    const checks = operationChecks('gateway', { isProduction: false });
    const codes = (errors: readonly GraphQLError[]) => errors.map((e) => e.extensions['code']);

    it('refuse what Apollo Server refuses over HTTP, with the same codes and limits', () => {
      const tooMany = checks.parse(`{ agencies { ${'code '.repeat(REQUEST_LIMITS.maxTokens)} } }`);
      expect(tooMany).toBeInstanceOf(GraphQLError);
      expect((tooMany as GraphQLError).extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
      expect((checks.parse('{ agencies {') as GraphQLError).extensions['code']).toBe(
        'GRAPHQL_PARSE_FAILED',
      );
      expect((checks.parse(undefined) as GraphQLError).extensions['code']).toBe('BAD_REQUEST');
      const deep = checks.validate(schema, parse(nested(25)));
      expect(deep.map((e) => e.extensions['limit'])).toEqual(['costLimit', 'maxDepth']);
      expect(codes(deep)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
      expect(codes(checks.validate(schema, parse('{ offices { nonsense } }')))).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
      ]);
      expect(checks.validate(schema, parse(nested(REQUEST_LIMITS.maxDepth)))).toEqual([]);
    });

    it('hide suggestions and introspection in production, and skip the rules asked to', () => {
      const production = operationChecks('gateway', { isProduction: true });
      const [suggestion] = production.validate(schema, parse('{ office { id } }'));
      expect(suggestion?.message).toBe(
        'Cannot query field "office" on type "Query". [Suggestion hidden]',
      );
      const introspection = production.validate(schema, parse('{ __schema { types { name } } }'));
      expect(introspection[0]?.message).toMatch(/introspection has been disabled/);
      expect(new Set(codes(introspection))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      const withSubscription = buildSchema(
        'type Query { a: Int } type Subscription { a: Int b: Int }',
      );
      const two = parse('subscription { a b }');
      expect(checks.validate(withSubscription, two)).toHaveLength(1);
      const skipping = operationChecks('gateway', {
        isProduction: false,
        skipRules: [SingleFieldSubscriptionsRule],
      });
      expect(skipping.validate(withSubscription, two)).toEqual([]);
    });
  });
});
