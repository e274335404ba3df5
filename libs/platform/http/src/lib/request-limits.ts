import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { BAD_REQUEST } from './request-body';

/** Armor's configuration (one type for its Apollo and its envelop plugins). */
export type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * Every limit on the shape and size of a GraphQL request, in one place, as plain values. The
 * README's "Limits" section lists each with its refusal code; change both together.
 *
 * The figures are set against the legitimate operations we know (the README's examples, the
 * e2e suites, the benchmarks): deepest 5 levels, at most 2 aliases, no directives, at most
 * 123 tokens, at most 72 of armor's cost units. Each limit leaves room above them and sits
 * far below what hurt on the demo network (a 25-level query, 200 aliases).
 *
 * They are applied with GraphQL Armor (`@escape.tech/graphql-armor`): here through its
 * Apollo Server plugin (`apolloArmor`); a Hive Gateway would pass `armorConfig('gateway', …)`
 * to `EnvelopArmorPlugin` unchanged. Only the engine-day budget (`engineDays`) is our own
 * code: armor weighs fields by a constant, not by their arguments.
 */
export const REQUEST_LIMITS = {
  /**
   * Nesting of fields (fragments flattened, so a fragment adds no level). Lists nest in
   * cycles (offices → services → agency → services → …) and multiply at each level: 25 levels
   * grew the directory subgraph to its 4 GB heap; 7 levels of the worst cycle are ~33 kB.
   */
  maxDepth: 7,
  /**
   * A subgraph's own depth limit (defence in depth: only the gateway calls it). One more than
   * the gateway's: a query plan's fetches are never deeper than the client's operation
   * (`_entities` takes the place of the fields above it), so the gateway's own never trip it.
   */
  subgraphMaxDepth: 8,
  /** Aliases per operation: each alias runs its field again (200 aliases: 4.4 s, 7.8 MB). */
  maxAliases: 10,
  /** Directives per operation (`@include`, `@skip`): validation work per use. */
  maxDirectives: 10,
  /** Lexical tokens of the query text: parsing and validation work grows with them. */
  maxTokens: 1_000,
  /**
   * Armor's cost units: 2 per object field, 1 per scalar, times 1.5 per level (so a fragment
   * used twice costs twice), and an object field's whole cost times its `first`/`last` when
   * that is written as a number in the query (not when it is a variable). Bounds breadth ×
   * depth, and fragments that double at each level. 5,000 lets an agency ask a page of 100
   * appointments with every field (`first: 100`, 4,700); a page of 500 written that way is
   * refused (pass `first` as a variable, or select less), and the resolvers' own caps bound
   * every list whatever the cost says.
   */
  maxCost: 5_000,
  /**
   * Engine days per request: the days of every `availableSlots` plus days × services of
   * every `jointVisitOptions` in the operation (our own check at the gateway, `engineDays`).
   * One such day is ~0.4 ms of the scheduling subgraph and ~40 kB of answer at most.
   */
  maxEngineDays: 400,
  /** The longest range of `availableSlots` and `jointVisitOptions` (the subgraph refuses more). */
  maxRangeDays: 62,
  /** The most services one `jointVisitOptions` covers (the subgraph refuses more). */
  maxJointServices: 5,
  /** Items of `needs` in any argument or input (there are 4 kinds of need). */
  maxNeeds: 10,
  /**
   * Items of any other input list (languages, a person's offices and competences, an office's
   * weekly hours): each item is checked and written one by one.
   */
  maxListItems: 100,
} as const;

/** Which server the armor guards: the public gateway, or a subgraph behind it. */
export type ArmorRole = 'gateway' | 'subgraph';

export interface ArmorOptions {
  /** In production field suggestions ("Did you mean …") are hidden. */
  isProduction: boolean;
}

/** Armor's names of its protections, as `extensions.limit` of a refusal names them. */
type ArmorLimitName = 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'costLimit';

/**
 * A refusal as clients see it: HTTP 400, `GRAPHQL_VALIDATION_FAILED` (Apollo's code for a
 * document it will not run, which it sets on every validation error), the message without
 * armor's misleading "Syntax Error:" prefix, and `extensions.limit` naming the limit.
 */
function reportTo(limit: ArmorLimitName) {
  return (context: ValidationContext | null, error: GraphQLError): void => {
    const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit },
    });
    if (context) context.reportError(refusal);
    else throw refusal;
  };
}

/** The armor's configuration for one server: a fresh object (armor changes what it is given). */
export function armorConfig(role: ArmorRole, options: ArmorOptions): GraphQLArmorConfig {
  const gateway = role === 'gateway';
  const rejection = (limit: ArmorLimitName) => ({
    propagateOnRejection: false,
    onReject: [reportTo(limit)],
    exposeLimits: true,
  });
  return {
    blockFieldSuggestion: { enabled: options.isProduction },
    maxDepth: {
      n: gateway ? REQUEST_LIMITS.maxDepth : REQUEST_LIMITS.subgraphMaxDepth,
      flattenFragments: true,
      ...rejection('maxDepth'),
    },
    // Behind the gateway only depth is checked: a query plan may expand the client's
    // fragments (more tokens and cost than the client sent) and alias fields of its own.
    maxAliases: { enabled: gateway, n: REQUEST_LIMITS.maxAliases, ...rejection('maxAliases') },
    maxDirectives: {
      enabled: gateway,
      n: REQUEST_LIMITS.maxDirectives,
      ...rejection('maxDirectives'),
    },
    maxTokens: { enabled: gateway, n: REQUEST_LIMITS.maxTokens, ...rejection('maxTokens') },
    costLimit: {
      enabled: gateway,
      maxCost: REQUEST_LIMITS.maxCost,
      ...rejection('costLimit'),
    },
  };
}

/** What an Apollo Server takes: plugins, validation rules, parse options. */
export interface ApolloArmorOptions {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens?: number };
  allowBatchedHttpRequests: false;
}

/**
 * The armor of an Apollo Server (gateway or subgraph), to spread into its options.
 *
 * The token limit is the one exception to armor's Apollo plugin: that plugin parses the query
 * a second time in `parsingDidStart`, and a hook that throws there makes Apollo answer 500
 * (graphql-armor issue #751) — for a query over the limit, and for every query with a syntax
 * error too. So its plugin is off, and the same figure goes to graphql-js's own parser limit
 * (`parseOptions.maxTokens`), which Apollo answers 400 GRAPHQL_PARSE_FAILED. (Armor's envelop
 * plugin replaces the parse function instead and has no such problem.)
 */
export function apolloArmor(role: ArmorRole, options: ArmorOptions): ApolloArmorOptions {
  const config = armorConfig(role, options);
  const maxTokens = config.maxTokens?.enabled === false ? undefined : config.maxTokens?.n;
  const { plugins, validationRules, allowBatchedHttpRequests } = new ApolloArmor({
    ...config,
    maxTokens: { ...config.maxTokens, enabled: false },
  }).protect();
  return {
    plugins,
    validationRules,
    parseOptions: maxTokens === undefined ? {} : { maxTokens },
    allowBatchedHttpRequests,
  };
}

/**
 * The checks of one operation where no Apollo Server runs them (GraphQL over WebSocket): the
 * same token limit, graphql-js rules and armor rules as `apolloArmor`, the same codes, and in
 * production no introspection and no field suggestions, as Apollo Server does over HTTP.
 */
export interface OperationChecks {
  /** The parsed document, or the refusal: `GRAPHQL_PARSE_FAILED` (syntax, too many tokens). */
  parse(query: unknown): DocumentNode | GraphQLError;
  /** Every validation error, each with a code (`GRAPHQL_VALIDATION_FAILED` unless its own). */
  validate(schema: GraphQLSchema, document: DocumentNode): GraphQLError[];
}

export interface OperationCheckOptions extends ArmorOptions {
  /** graphql-js rules the caller checks itself, with a code of its own. */
  skipRules?: readonly ValidationRule[];
}

/** Armor hides suggestions this way on Apollo Server (graphql-armor-block-field-suggestions). */
const hideSuggestions = (message: string) =>
  message.replace(/Did you mean ".+"\??/g, '[Suggestion hidden]').trim();

function withCode(error: GraphQLError, code: string, isProduction: boolean): GraphQLError {
  return new GraphQLError(isProduction ? hideSuggestions(error.message) : error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: error.extensions['code'] ?? code },
  });
}

export function operationChecks(role: ArmorRole, options: OperationCheckOptions): OperationChecks {
  const armor = apolloArmor(role, options);
  const rules: ValidationRule[] = [
    ...specifiedRules.filter((rule) => !options.skipRules?.includes(rule)),
    ...armor.validationRules,
    ...(options.isProduction ? [NoSchemaIntrospectionCustomRule] : []),
  ];
  return {
    parse(query) {
      if (typeof query !== 'string' || query.trim() === '') {
        return new GraphQLError('Send the operation as a GraphQL document in "query".', {
          extensions: { code: BAD_REQUEST },
        });
      }
      try {
        return parse(query, armor.parseOptions);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return withCode(error, 'GRAPHQL_PARSE_FAILED', false);
      }
    },
    validate(schema, document) {
      return validate(schema, document, rules).map((error) =>
        withCode(error, 'GRAPHQL_VALIDATION_FAILED', options.isProduction),
      );
    },
  };
}
