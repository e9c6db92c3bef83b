import { walkFailures } from '../pagination.ts';
import { pagedOperation } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** The item ids of each small page walked, and of one large page over the same collection. */
export interface WalkObservation {
  pages: string[][];
  all: string[];
}

/** Walking pages sees every item of one large page exactly once, in the same order. */
export const paginationWalk: ProbeCheck<WalkObservation> = {
  id: 'pagination-walk',
  description: 'Walking the pages sees every item once, in the order of one large page',
  relevantTo: (operation, profile) => pagedOperation(operation, profile),
  judge: ({ pages, all }) => verdict(walkFailures(pages, all)),
};
