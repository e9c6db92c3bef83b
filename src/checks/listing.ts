import type { ProviderProfile } from '../core/profile.ts';
import type { Operation } from '../spec/types.ts';
import { RESPONSE_CHECKS } from './registry.ts';
import { LIFECYCLE_PROBE_CHECKS, PAGINATION_PROBE_CHECKS, statefulChecksOf, type ProbeMode } from './stateful/registry.ts';

/** Every check id a run with this profile may report, in report order: per-response checks, then stateful ones. */
export function runCheckIds(profile: ProviderProfile): string[] {
  return [...new Set([...RESPONSE_CHECKS, ...(profile.checks ?? []), ...statefulChecksOf(profile)].map((c) => c.id))];
}

/** The checks a run in this mode can judge on an operation (for --list): the same registries the run reports from. */
export function checksFor(operation: Operation, profile: ProviderProfile, mode: ProbeMode): string[] {
  const perResponse = [...RESPONSE_CHECKS, ...(profile.checks ?? [])].filter((c) => c.relevantTo?.(operation, profile) ?? true);
  // A list operation's own checks before those that follow created resources through it, as --list has always shown them.
  const stateful = [...PAGINATION_PROBE_CHECKS, ...LIFECYCLE_PROBE_CHECKS, ...(profile.probeChecks ?? [])].filter((c) => c.relevantTo(operation, profile, mode));
  return [...new Set([...perResponse, ...stateful].map((c) => c.id))];
}
