import { pagedOperation } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** One request at a documented bound: what it asked (`limit=0`), whether it must be answered 200, and the status. */
export interface BoundAnswer {
  what: string;
  ok: boolean;
  status: number;
}

export interface BoundsObservation {
  answers: BoundAnswer[];
  /** Items on a page far past the end of a collection without a documented offset maximum (absent: not asked). */
  beyondEndItems?: number;
}

/** Documented bounds of limit and offset: values within them answered 200, outside them a 4xx; past the end is empty. */
export const paginationBounds: ProbeCheck<BoundsObservation> = {
  id: 'pagination-bounds',
  description: 'limit and offset within their documented bounds are answered, outside them refused with a 4xx',
  relevantTo: (operation, profile) => pagedOperation(operation, profile),
  judge(o) {
    const failures: string[] = [];
    for (const { what, ok, status } of o.answers) {
      if (ok && status !== 200) failures.push(`${what} was answered ${status}, expected 200`);
      if (!ok && (status < 400 || status >= 500)) failures.push(`${what} was answered ${status}, expected a 4xx error`);
    }
    if (o.beyondEndItems !== undefined && o.beyondEndItems > 0) failures.push(`offset beyond the end returned ${o.beyondEndItems} items, expected none`);
    return verdict(failures);
  },
};
