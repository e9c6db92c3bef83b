import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** The answer to a delete sent before the documented pre-delete step. */
export interface PreconditionObservation {
  step: string;
  until: string[];
  status: number;
}

/** Where a delete has a documented precondition (ClickHouse: stop first), a delete sent without it is refused. */
export const deletePrecondition: ProbeCheck<PreconditionObservation> = {
  id: 'delete-precondition',
  description: 'A delete sent before its documented pre-delete step is refused',
  // The probe reads the state to know the precondition does not hold yet: only resources with states.
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.delete === operation.id && r.beforeDelete !== undefined && r.states !== undefined).length > 0,
  judge: (o) => verdict(o.status < 300 ? [`a delete sent before ${o.step} (${o.until.join('/')}) was answered ${o.status}, expected a refusal`] : []),
};
