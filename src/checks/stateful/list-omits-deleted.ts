import type { ListedObservation } from './list-contains-created.ts';
import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** A deleted resource, once gone, is no longer in the list. */
export const listOmitsDeleted: ProbeCheck<ListedObservation> = {
  id: 'list-omits-deleted',
  description: 'A deleted resource no longer appears in the list',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.list === operation.id && r.listIds !== undefined).length > 0,
  judge: (o) => verdict(o.listed ? [`the deleted ${o.resource} ${o.id} is still listed`] : []),
};
