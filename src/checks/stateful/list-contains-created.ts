import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** Whether one resource's id was in a list response. */
export interface ListedObservation {
  resource: string;
  id: string;
  listed: boolean;
}

/** A created resource is in the list. */
export const listContainsCreated: ProbeCheck<ListedObservation> = {
  id: 'list-contains-created',
  description: 'A created resource appears in the list',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.list === operation.id && r.listIds !== undefined).length > 0,
  judge: (o) => verdict(o.listed ? [] : [`the created ${o.resource} ${o.id} is missing from the list`]),
};
