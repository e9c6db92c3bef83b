import type { LifecycleStates } from '../../core/profile.ts';
import { stateSequenceFailures } from '../lifecycle.ts';
import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** The states one series of reads showed, in order; `changed`: something was changed meanwhile (a fall back is allowed). */
export interface StatesObservation {
  seen: string[];
  states: Omit<LifecycleStates, 'read'>;
  changed: boolean;
}

/** Only documented states, in a documented order. */
export const stateTransitions: ProbeCheck<StatesObservation> = {
  id: 'state-transitions',
  description: 'Only documented states appear, in a documented order',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.read === operation.id && r.states !== undefined).length > 0,
  judge: (o) => verdict(stateSequenceFailures(o.seen, { ...o.states, read: () => undefined }, o.changed)),
};
