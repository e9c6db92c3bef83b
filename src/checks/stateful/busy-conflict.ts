import { updatesOf } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** The answer to a change sent while the resource was busy with another, and the documented status. */
export interface BusyObservation {
  resource: string;
  expected: number;
  status: number;
}

/** Where the provider documents it: a change sent while the resource is busy with another is refused. */
export const busyConflict: ProbeCheck<BusyObservation> = {
  id: 'busy-conflict',
  description: 'A change sent while the resource is busy with another is refused with the documented status',
  relevantTo: (operation, profile, mode) => operation.body !== undefined && updatesOf(operation, profile, mode).some((r) => r.busyConflict?.operations.includes(operation.id)),
  judge: (o) => verdict(o.status === o.expected ? [] : [`a change sent while the ${o.resource} was busy with another was answered ${o.status}, expected ${o.expected}`]),
};
