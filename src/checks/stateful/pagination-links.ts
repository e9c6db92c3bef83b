import type { PaginationProfile } from '../../core/profile.ts';
import { linkFailures } from '../pagination.ts';
import { pagedOperation } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

export interface LinksObservation {
  /** The names of the limit and offset parameters. */
  names: Pick<PaginationProfile, 'limit' | 'offset'>;
  /** Each walked page: its links and where it is. */
  pages: { links: { self?: string; next?: string; prev?: string }; offset: number; limit: number; total: number }[];
  /** Following next from the first page: how many pages it took, and whether a next link remained. */
  followed: { steps: number; ended: boolean };
}

/** self, next and prev point at the right pages, and following next ends. Only where the profile reads links. */
export const paginationLinks: ProbeCheck<LinksObservation> = {
  id: 'pagination-links',
  description: 'self, next and prev links point at the right pages, and following next ends',
  relevantTo: (operation, profile) => pagedOperation(operation, profile) && profile.pagination?.links !== undefined,
  judge(o) {
    const failures = o.pages.flatMap((p) => linkFailures(p.links, { offset: p.offset, limit: p.limit, total: p.total }, o.names));
    if (!o.followed.ended) failures.push(`following next from the first page did not end after ${o.followed.steps} pages`);
    return verdict(failures);
  },
};
