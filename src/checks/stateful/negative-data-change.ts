import { echoMismatches } from '../lifecycle.ts';
import type { ProbeCheck } from './types.ts';

/** A resource read before and after an invalid change that the server accepted. */
export interface ChangeObservation {
  resource: string;
  /** Which constraint the invalid request broke. */
  description: string;
  /** Whether the docs state that this break is refused: only then is the change a failure, else a warning. */
  strict: boolean;
  before: unknown;
  after: unknown;
  /** JSON pointers of values that change by themselves (state, timestamps). */
  volatile: string[];
}

/**
 * The stateful half of negative-data-rejection: an invalid change must not change the resource. It shares the
 * per-response check's id (src/checks/negative-data-rejection.ts), which --list already shows wherever an invalid
 * request is sent, so it is not a registry entry of its own.
 */
export const negativeDataChange: ProbeCheck<ChangeObservation> = {
  id: 'negative-data-rejection',
  description: 'An invalid change that is accepted changes nothing',
  relevantTo: (operation) => operation.body !== undefined || operation.parameters.some((p) => p.in === 'query'),
  judge(o) {
    const changed = echoMismatches(o.before, o.after, '', o.volatile);
    if (changed.length === 0) return { failures: [] };
    const finding = [`${o.description} changed the ${o.resource}: ${changed.slice(0, 2).join('; ')}`];
    return o.strict ? { failures: finding } : { failures: [], warnings: finding };
  },
};
