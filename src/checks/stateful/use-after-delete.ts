import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** What the probe saw after an accepted delete. */
export interface AfterDeleteObservation {
  resource: string;
  /** Whether a read answered 404 or 410 within the timeout. */
  gone: boolean;
  readyTimeoutMs: number;
  /** The read's method, upper case, and its last status. */
  readMethod: string;
  lastStatus?: number;
  seen: string[];
  /** Changes sent to the gone resource and their answers (undefined: no answer). */
  changes: { operationId: string; status?: number }[];
}

/** A deleted resource goes away within the timeout; afterwards, changes to it fail. */
export const useAfterDelete: ProbeCheck<AfterDeleteObservation> = {
  id: 'use-after-delete',
  description: 'A deleted resource goes away, and changes to it then fail',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.delete === operation.id).length > 0,
  judge(o) {
    if (!o.gone) return verdict([`the deleted ${o.resource} is still readable after ${o.readyTimeoutMs} ms (${o.readMethod} answered ${o.lastStatus}; states: ${o.seen.join(' -> ') || 'none'})`]);
    return verdict(o.changes.filter((c) => c.status !== undefined && c.status < 300).map((c) => `${c.operationId} on the deleted ${o.resource} was answered ${c.status}`));
  },
};
