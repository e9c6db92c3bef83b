import { pagedOperation } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** An item by id and the value of the filtered field. */
export interface FilteredItem {
  id: string;
  field: string | undefined;
}

export interface FilterObservation {
  param: string;
  value: string;
  caseInsensitive: boolean;
  /** The filtered request's status, or its transport error. */
  answer: number | string | undefined;
  /** The items the filtered request returned (when answered 200), and every item of one unfiltered large page. */
  got: FilteredItem[];
  all: FilteredItem[];
}

/** A documented substring filter returns exactly the items whose field contains the value. */
export const filterSemantics: ProbeCheck<FilterObservation> = {
  id: 'filter-semantics',
  description: 'A documented filter returns exactly the items whose field contains the value',
  relevantTo: (operation, profile) => pagedOperation(operation, profile) && (profile.filters ?? []).some((f) => operation.parameters.some((p) => p.in === 'query' && p.name === f.param)),
  judge(o) {
    const label = `${o.param}=${o.value}`;
    if (o.answer !== 200) return verdict([`${label} was answered ${o.answer}`]);
    const matches = (v: string | undefined) => v !== undefined && (o.caseInsensitive ? v.toLowerCase().includes(o.value.toLowerCase()) : v.includes(o.value));
    const failures: string[] = [];
    const wrong = o.got.filter((item) => !matches(item.field));
    if (wrong.length > 0) failures.push(`${label} returned ${wrong.length} items that do not contain it, e.g. '${wrong[0]!.field}'`);
    const gotIds = new Set(o.got.map((item) => item.id));
    const missed = o.all.filter((item) => matches(item.field) && !gotIds.has(item.id));
    if (missed.length > 0) failures.push(`${label} left out ${missed.length} matching items${o.caseInsensitive ? ' (the match must ignore case)' : ''}`);
    return verdict(failures);
  },
};
