import type { ProviderProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import { RESPONSE_CHECKS } from './registry.ts';
import { statefulChecksOf, type ProbeMode } from './stateful/registry.ts';

/** Every check id a run with this profile may report, in report order: per-response checks, then stateful ones. */
export function runCheckIds(profile: ProviderProfile): string[] {
  return [...new Set([...RESPONSE_CHECKS, ...(profile.checks ?? []), ...statefulChecksOf(profile)].map((c) => c.id))];
}

/** The checks a run in this mode can judge on an operation (for --list): the same registries the run reports from. */
export function checksFor(operation: Operation, profile: ProviderProfile, mode: ProbeMode): string[] {
  const perResponse = [...RESPONSE_CHECKS, ...(profile.checks ?? [])].filter((c) => c.relevantTo?.(operation, profile) ?? true);
  const stateful = statefulChecksOf(profile).filter((c) => c.relevantTo(operation, profile, mode));
  return [...new Set([...perResponse, ...stateful].map((c) => c.id))];
}
