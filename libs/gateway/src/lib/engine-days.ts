import type { ApolloServerPlugin } from '@apollo/server';
import { dayCount } from '@samservice/calendar';
import { ErrorCode } from '@samservice/platform/errors';
import { REQUEST_LIMITS } from '@samservice/platform/http';
import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** One field of the operation that runs the scheduling engine, and what it weighs. */
export interface EngineDayField {
  /** The response key: the alias, or the field's name. */
  key: string;
  field: 'availableSlots' | 'jointVisitOptions';
  days: number;
  services: number;
}

export interface EngineDayCount {
  total: number;
  fields: EngineDayField[];
}

const ENGINE_FIELDS = new Set(['availableSlots', 'jointVisitOptions']);

type Variables = Readonly<Record<string, unknown>>;

/** A literal or variable argument's value as the operation will run it (undefined: not given). */
function valueOf(
  node: ValueNode,
  variables: Variables,
  defaults: ReadonlyMap<string, ValueNode>,
): unknown {
  switch (node.kind) {
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (name in variables) return variables[name];
      const fallback = defaults.get(name);
      return fallback ? valueOf(fallback, variables, defaults) : undefined;
    }
    case Kind.STRING:
      return node.value;
    case Kind.LIST:
      return node.values.map((item) => valueOf(item, variables, defaults));
    case Kind.NULL:
      return null;
    default:
      return Symbol.for('other'); // a value of another kind: the subgraph refuses it
  }
}

function argument(field: FieldNode, name: string): ArgumentNode | undefined {
  return field.arguments?.find((a) => a.name.value === name);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Days the field asks for, as the subgraph counts them. A range it cannot read (a date that is
 * not one, a variable not given) weighs the most it may, 62 days: the subgraph refuses it anyway,
 * and the budget must not be cheated by it. A longer or reversed range is refused there too.
 */
function daysOf(from: unknown, to: unknown): number {
  if (typeof from !== 'string' || typeof to !== 'string') return REQUEST_LIMITS.maxRangeDays;
  try {
    return clamp(dayCount(from, to), 1, REQUEST_LIMITS.maxRangeDays);
  } catch {
    return REQUEST_LIMITS.maxRangeDays;
  }
}

/** Items of a list argument; a single value counts as one (GraphQL's list coercion). */
function lengthOf(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  return value === undefined || value === null ? undefined : 1;
}

/**
 * The engine days an operation asks for: for each `availableSlots` the days from..to, for
 * each `jointVisitOptions` days × services, with literal or variable arguments, through
 * aliases and fragments. The cost of these fields grows with their arguments, which a
 * constant per-field cost (armor's) cannot see. Both fields are on Query only, so only the
 * operation's root selections (and fragments spread there) are looked at.
 */
export function engineDays(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables = {},
): EngineDayCount {
  // By response key: fields of one key (spread twice, or written twice) run once, and
  // validation has made sure they have the same arguments.
  const fields = new Map<string, EngineDayField>();
  if (operation.operation !== 'query') return { total: 0, fields: [] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue)
      defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const read = (field: FieldNode, name: string) => {
    const node = argument(field, name);
    return node ? valueOf(node.value, variables, defaults) : undefined;
  };
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        // A fragment within itself is a validation error before this runs; never loop on one.
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        walk(fragment.selectionSet);
      } else if (ENGINE_FIELDS.has(selection.name.value)) {
        const field = selection.name.value as EngineDayField['field'];
        const services =
          field === 'availableSlots'
            ? 1
            : clamp(
                lengthOf(read(selection, 'serviceIds')) ?? REQUEST_LIMITS.maxJointServices,
                1,
                REQUEST_LIMITS.maxJointServices,
              );
        const key = selection.alias?.value ?? field;
        fields.set(key, {
          key,
          field,
          days: daysOf(read(selection, 'from'), read(selection, 'to')),
          services,
        });
      }
    }
  };
  walk(operation.selectionSet);
  const list = [...fields.values()];
  return { total: list.reduce((sum, f) => sum + f.days * f.services, 0), fields: list };
}

/** The refusal of an operation over the budget: 400, BAD_USER_INPUT, naming the limit. */
export function engineDayRefusal(found: number, max: number): GraphQLError {
  return new GraphQLError(
    `This request asks for free times over ${found} service-days (the days of each availableSlots, and days × services of each jointVisitOptions, added up); at most ${max} are computed for one request. Ask for fewer days or services, or split it into several requests.`,
    {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        limit: 'engineDays',
        max,
        found,
        http: { status: 400 },
      },
    },
  );
}

/**
 * Apollo Server plugin: refuses an operation over the engine-day budget once it is parsed,
 * validated and chosen, before anything is planned or sent to a subgraph.
 */
export function engineDayBudget(max: number = REQUEST_LIMITS.maxEngineDays): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const { total } = engineDays(document, operation, request.variables ?? {});
          if (total > max) throw engineDayRefusal(total, max);
        },
      };
    },
  };
}
