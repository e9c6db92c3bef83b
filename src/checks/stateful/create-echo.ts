import { echoMismatches } from '../lifecycle.ts';
import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** What a write sent and what a later read shows, with the JSON pointers not to compare. */
export interface EchoObservation {
  sent: unknown;
  read: unknown;
  ignore: string[];
}

/** What was created is what is read back (fields the read leaves out and x-conformance-echo: false ones aside). */
export const createEcho: ProbeCheck<EchoObservation> = {
  id: 'create-echo',
  description: 'A read of a created resource shows what the create sent',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.create === operation.id).length > 0,
  judge({ sent, read, ignore }) {
    const mismatches = echoMismatches(sent, read, '', ignore);
    return verdict(mismatches.length ? [`what was created differs from what is read back: ${mismatches.slice(0, 3).join('; ')}`] : []);
  },
};
