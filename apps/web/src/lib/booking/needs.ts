/** What a visit can need at the counter (the API's VisitNeed), in the order the page asks. */
export const VISIT_NEEDS = ['WHEELCHAIR_ACCESS', 'HEARING_LOOP', 'PRIVATE_ROOM', 'EXTRA_TIME'];

/**
 * The languages a visit can be held in: those every chosen matter offers (a matter that lists
 * none is held in Swedish). Swedish first, then as the first matter lists them.
 */
export function visitLanguages(services: Array<{ languages: string[] }>): string[] {
  const each = services.map((s) => (s.languages.length ? s.languages : ['sv']));
  const common = (each[0] ?? ['sv']).filter((code) => each.every((l) => l.includes(code)));
  const list = common.length > 0 ? common : ['sv'];
  return [...list.filter((c) => c === 'sv'), ...list.filter((c) => c !== 'sv')];
}
