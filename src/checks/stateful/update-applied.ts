import { echoMismatches } from '../lifecycle.ts';
import type { EchoObservation } from './create-echo.ts';
import { updatesOf } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** An accepted update is visible on the next read, once the resource is ready again. */
export const updateApplied: ProbeCheck<EchoObservation> = {
  id: 'update-applied',
  description: 'An accepted update is visible on the next read',
  // The probe sends a generated body: an update without one (an action) is not compared.
  relevantTo: (operation, profile, mode) => operation.body !== undefined && updatesOf(operation, profile, mode).length > 0,
  judge({ sent, read, ignore }) {
    const mismatches = echoMismatches(sent, read, '', ignore);
    return verdict(mismatches.length ? [`the update is not visible on the next read: ${mismatches.slice(0, 3).join('; ')}`] : []);
  },
};
